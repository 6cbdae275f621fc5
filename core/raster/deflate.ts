import { concatBytes } from '../bytes.js';

/**
 * zlib-format (RFC 1950) deflate through the Web-standard `CompressionStream`, the format TIFF
 * compression 8 ("Adobe deflate") and PNG IDAT both store.
 */

/**
 * Compresses bytes to a zlib stream (RFC 1950: 2-byte header, deflate data, Adler-32).
 * Injected into encoders so a Node caller can pass a faster one (e.g. zlib level 1).
 *
 * @example
 * ```ts
 * const fast: Compress = async (data) => deflateSync(data, { level: 1 }); // in adapters/, not core/
 * ```
 */
export type Compress = (data: Uint8Array) => Promise<Uint8Array>;

/**
 * The default {@link Compress}: `CompressionStream('deflate')` at its default level.
 *
 * @example
 * ```ts
 * const zlibBytes = await compressDeflate(new TextEncoder().encode('kelp'));
 * ```
 */
export const compressDeflate: Compress = (data) => pipeBytes(new CompressionStream('deflate'), data);

/**
 * Decompresses a zlib stream (RFC 1950) with `DecompressionStream('deflate')`.
 * Rejects (with the platform's `TypeError`) on corrupt or truncated input, and with a
 * `RangeError` as soon as the output passes `maxBytes` (a TIFF block's size: a deflate bomb stops
 * there instead of filling memory).
 *
 * @example
 * ```ts
 * const bytes = await inflate(await compressDeflate(original));
 * ```
 */
export async function inflate(data: Uint8Array, maxBytes = Number.POSITIVE_INFINITY): Promise<Uint8Array> {
  return pipeBytes(new DecompressionStream('deflate'), data, maxBytes);
}

/** Writes `data` through a byte transform and concatenates what comes out. */
async function pipeBytes(
  transform: { writable: WritableStream<BufferSource>; readable: ReadableStream<Uint8Array> },
  data: Uint8Array,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<Uint8Array> {
  const writer = transform.writable.getWriter();
  // Write without awaiting first: the readable side must be drained concurrently or a large
  // input stalls on backpressure. The write's own rejection is surfaced by the read below.
  const written = writer.write(data as Uint8Array<ArrayBuffer>).then(() => writer.close());
  written.catch(() => undefined);
  const chunks: Uint8Array[] = [];
  const reader = transform.readable.getReader();
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new RangeError(`the data inflates past ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  await written;
  return chunks.length === 1 ? chunks[0] : concatBytes(chunks);
}

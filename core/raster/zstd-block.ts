import { ZSTDDecoder } from 'zstddec/stream';
import { BlockDecodeError, checkZstdFrame } from './bounded-codecs.js';

const decoder = new ZSTDDecoder();
let ready: Promise<void> | undefined;

/**
 * Decodes a ZSTD block (compression 50000) into exactly `expectedBytes`: the frame is checked
 * first ({@link checkZstdFrame}), then decoded by zstd (WebAssembly) into a buffer of that size,
 * so a frame that would decode to more stops there (zstd reports the overflow) instead of being
 * decoded by growing buffers. Throws {@link BlockDecodeError} when the result is not the block.
 *
 * @example
 * ```ts
 * const bytes = await decodeZstdBlock(block, 512 * 512 * 2);
 * ```
 */
export async function decodeZstdBlock(data: Uint8Array, expectedBytes: number): Promise<Uint8Array> {
  checkZstdFrame(data, expectedBytes);
  await (ready ??= decoder.init());
  const out = decoder.decode(data, expectedBytes);
  if (out.length !== expectedBytes) throw new BlockDecodeError(`the Zstandard block decodes to something other than the ${expectedBytes} bytes its block holds`);
  return out;
}

/**
 * Block decoders that cannot run away: each writes into a buffer of the size the TIFF header
 * promises for the block and stops with an error when the data would exceed it (a 40 KB deflate
 * tile read as LZW otherwise grew an array until V8 aborted at 2.5 GiB). What falls short is
 * refused by the caller (`decodeTile`), so a damaged block is an error, never silent nodata.
 */

/** A block whose data does not decode to what its header promises. */
export class BlockDecodeError extends Error {
  override readonly name = 'BlockDecodeError';
}

const CLEAR = 256;
const END = 257;
const FIRST_FREE = 258;
/** TIFF LZW's largest code width (4096 table entries). */
const MAX_WIDTH = 12;

/**
 * TIFF LZW (compression 5: MSB-first codes of 9–12 bits, the width growing one code early, as
 * libtiff writes them) into `out`; returns the number of bytes written. Throws
 * {@link BlockDecodeError} on a code that is not in the table or when the output would pass
 * `out.length`. Input that ends without an end code ends the block (as libtiff reads it).
 *
 * @example
 * ```ts
 * const out = new Uint8Array(tileBytes);
 * if (decodeLzw(block, out) !== out.length) throw new Error('short block');
 * ```
 */
export function decodeLzw(data: Uint8Array, out: Uint8Array): number {
  const prefix = new Int16Array(4096);
  const suffix = new Uint8Array(4096);
  const length = new Uint16Array(4096);
  for (let i = 0; i < 256; i++) [prefix[i], suffix[i], length[i]] = [-1, i, 1];
  const totalBits = data.length * 8;
  let [bit, width, next, previous, written] = [0, 9, FIRST_FREE, -1, 0];
  const read = (): number => {
    if (bit + width > totalBits) return END;
    let code = 0;
    for (let k = 0; k < width; k++, bit++) code = (code << 1) | ((data[bit >>> 3] >>> (7 - (bit & 7))) & 1);
    return code;
  };
  /** Writes the string of table entry `code` at `written`, last byte first; returns its first byte. */
  const emit = (code: number): number => {
    const size = length[code];
    if (written + size > out.length) throw new BlockDecodeError(`LZW data decodes past the ${out.length} bytes its block holds`);
    let at = written + size - 1;
    for (let c = code; c >= 0; c = prefix[c]) out[at--] = suffix[c];
    written += size;
    return out[written - size];
  };
  for (let code = read(); code !== END; code = read()) {
    if (code === CLEAR) {
      [width, next, previous] = [9, FIRST_FREE, -1];
      continue;
    }
    let first: number;
    if (code < next && (code < 256 || code >= FIRST_FREE)) first = emit(code);
    else if (code === next && previous >= 0) {
      // The code being defined: the previous string plus its own first byte.
      first = emit(previous);
      if (written >= out.length) throw new BlockDecodeError(`LZW data decodes past the ${out.length} bytes its block holds`);
      out[written++] = first;
    } else throw new BlockDecodeError(`LZW code ${code} is not in the table (next free ${next}): the block is not LZW data`);
    if (previous >= 0 && next < 4096) {
      [prefix[next], suffix[next], length[next]] = [previous, first, length[previous] + 1];
      next++;
      if (next + 1 >= 1 << width && width < MAX_WIDTH) width++;
    }
    previous = code;
  }
  return written;
}

/**
 * PackBits (compression 32773) into `out`; returns the number of bytes written. Throws
 * {@link BlockDecodeError} when a run would pass `out.length` or a literal runs off the input.
 *
 * @example
 * ```ts
 * decodePackBits(Uint8Array.of(0xfe, 7), new Uint8Array(3)); // 3: [7, 7, 7]
 * ```
 */
export function decodePackBits(data: Uint8Array, out: Uint8Array): number {
  let [i, written] = [0, 0];
  while (i < data.length && written < out.length) {
    const header = (data[i++] << 24) >> 24; // signed byte
    if (header === -128) continue;
    const count = header >= 0 ? header + 1 : 1 - header;
    if (written + count > out.length) throw new BlockDecodeError(`PackBits data decodes past the ${out.length} bytes its block holds`);
    if (header >= 0) {
      if (i + count > data.length) throw new BlockDecodeError('PackBits literal runs past the end of the block');
      out.set(data.subarray(i, i + count), written);
      i += count;
    } else {
      if (i >= data.length) throw new BlockDecodeError('PackBits run without its byte at the end of the block');
      out.fill(data[i++], written, written + count);
    }
    written += count;
  }
  return written;
}

const ZSTD_MAGIC = 0xfd2fb528;

/**
 * Checks that a ZSTD block (compression 50000) is a Zstandard frame and, when its header declares
 * the decoded size (libtiff's streaming encoder does not), that the size is `expectedBytes`:
 * other data labelled ZSTD (deflate, say) decoded to nothing before. Throws
 * {@link BlockDecodeError} otherwise. The decoder is then given a buffer of `expectedBytes`.
 *
 * @example
 * ```ts
 * checkZstdFrame(block, tileBytes);
 * ```
 */
export function checkZstdFrame(data: Uint8Array, expectedBytes: number): void {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length < 6 || view.getUint32(0, true) !== ZSTD_MAGIC) throw new BlockDecodeError('the block is labelled ZSTD but is not a Zstandard frame');
  const descriptor = data[4];
  const singleSegment = (descriptor >>> 5) & 1;
  const sizeField = [singleSegment, 2, 4, 8][descriptor >>> 6];
  if (sizeField === 0) return;
  const at = 5 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][descriptor & 3];
  if (at + sizeField > data.length) throw new BlockDecodeError('the Zstandard frame header is cut short');
  let size = 0;
  for (let k = sizeField - 1; k >= 0; k--) size = size * 256 + data[at + k];
  if (sizeField === 2) size += 256;
  if (size !== expectedBytes) throw new BlockDecodeError(`the Zstandard frame decodes to ${size} bytes; its block holds ${expectedBytes}`);
}

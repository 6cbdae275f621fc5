import { getDecoder } from 'geotiff';
import { blockRows, type TileLayout } from './tile-layout.js';
import { inflate as inflateWithStreams } from './deflate.js';

/** A block's samples once decoded: one typed array, row-major, samples interleaved when pixel-interleaved. */
export type Samples = Uint8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;
type SamplesType = { new (length: number): Samples; new (buffer: ArrayBufferLike, byteOffset: number, length: number): Samples; BYTES_PER_ELEMENT: number };

/**
 * Inflates a zlib stream (TIFF deflate, compression 8 and 32946) of a block whose decoded size is
 * `expectedBytes`. Synchronous or not: a worker thread inflates with the platform's zlib in its
 * own thread, the main thread may hand it to a thread pool. `into`, when given, is memory the
 * caller no longer needs (the same block's previous buffer): an implementation may inflate into
 * it and return a view of it, or ignore it. Rejects or throws on corrupt data.
 */
export type Inflate = (data: Uint8Array, expectedBytes: number, into?: Uint8Array) => Uint8Array | Promise<Uint8Array>;

/** The portable {@link Inflate}: the Web-standard `DecompressionStream` (slower: one stream per block). */
export const streamInflate: Inflate = (data) => inflateWithStreams(data);

/** Typed array for a TIFF SampleFormat (1 uint, 2 int, 3 float) and bit depth. */
const ARRAY_TYPES: Record<string, SamplesType> = {
  '1:8': Uint8Array,
  '1:16': Uint16Array,
  '1:32': Uint32Array,
  '2:16': Int16Array,
  '2:32': Int32Array,
  '3:32': Float32Array,
  '3:64': Float64Array,
};

/** True on little-endian hosts (every platform we run on): decoded samples are read in place. */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The typed array type of a layout's samples, or undefined when it has none here. */
export function samplesType(layout: Pick<TileLayout, 'sampleFormat' | 'bitsPerSample'>): SamplesType | undefined {
  return ARRAY_TYPES[`${layout.sampleFormat}:${layout.bitsPerSample}`];
}

/**
 * Decodes a block of tile row `ty` from its stored `bytes`: decompression (none, deflate through
 * `inflate`, LZW, PackBits, ZSTD), byte order and the predictor undone in place, with no copy
 * beyond what the decompressor writes (into `into`, the block's previous buffer, when `inflate`
 * can). An uncompressed block that needs no change is returned as a view of `bytes`, so `bytes`
 * must not change while the samples are used. Throws on a block that decodes short (a damaged
 * file).
 *
 * @example
 * ```ts
 * const samples = await decodeTile(bytes, layout, 3, nodeInflate); // Uint16Array, 512 × 512 × samples
 * ```
 */
export async function decodeTile(bytes: Uint8Array, layout: TileLayout, ty: number, inflate: Inflate = streamInflate, into?: Uint8Array): Promise<Samples> {
  const ArrayType = samplesType(layout);
  if (!ArrayType) throw new Error(`no typed array for sample format ${layout.sampleFormat} with ${layout.bitsPerSample} bits`);
  const rows = blockRows(layout, ty);
  const perRow = layout.tileWidth * (layout.planar === 1 ? layout.samples : 1);
  const length = perRow * rows;
  const expectedBytes = length * ArrayType.BYTES_PER_ELEMENT;
  const changes = layout.predictor !== 1 || (!layout.littleEndian && ArrayType.BYTES_PER_ELEMENT > 1);
  let raw: Uint8Array;
  if (layout.compression === 1) raw = changes ? bytes.slice(0, expectedBytes) : bytes;
  else if (layout.compression === 8 || layout.compression === 32946) raw = await inflate(bytes, expectedBytes, into);
  else raw = await decodeWithGeotiff(bytes, layout);
  if (raw.byteLength < expectedBytes) throw new Error(`a block decoded to ${raw.byteLength} bytes, expected ${expectedBytes}`);
  if (raw.byteOffset % ArrayType.BYTES_PER_ELEMENT !== 0) raw = raw.slice(0, expectedBytes);
  if (layout.predictor === 3) {
    undoFloatPredictor(raw, rows, perRow, layout.planar === 1 ? layout.samples : 1, ArrayType.BYTES_PER_ELEMENT);
    return new ArrayType(raw.buffer, raw.byteOffset, length);
  }
  if (!layout.littleEndian) swapBytes(raw.subarray(0, expectedBytes), ArrayType.BYTES_PER_ELEMENT);
  const samples = new ArrayType(raw.buffer, raw.byteOffset, length);
  if (layout.predictor === 2) undoHorizontalPredictor(samples as Exclude<Samples, Float32Array | Float64Array>, rows, perRow, layout.planar === 1 ? layout.samples : 1);
  return samples;
}

/** geotiff.js's block decoder for LZW, PackBits or ZSTD (rare in Sentinel-2 files); the predictor is undone here. */
async function decodeWithGeotiff(bytes: Uint8Array, layout: TileLayout): Promise<Uint8Array> {
  const decoder = await getDecoder(layout.compression, { tileWidth: layout.tileWidth, tileHeight: layout.tileHeight, predictor: 1, bitsPerSample: layout.bitsPerSample, planarConfiguration: layout.planar });
  const own = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return new Uint8Array(await decoder.decodeBlock(own as ArrayBuffer));
}

/** Reverses each sample's bytes (big-endian file on a little-endian host). */
function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let i = 0; i + size <= bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

/** TIFF Predictor 2: each sample is stored as the difference to the same sample of the pixel before. */
function undoHorizontalPredictor(samples: Uint8Array | Uint16Array | Int16Array | Uint32Array | Int32Array, rows: number, perRow: number, stride: number): void {
  for (let r = 0; r < rows; r++) {
    const end = (r + 1) * perRow;
    // Integer arrays wrap on assignment, as the predictor's modular arithmetic requires.
    for (let i = r * perRow + stride; i < end; i++) samples[i] += samples[i - stride];
  }
}

/**
 * TIFF Predictor 3 (Adobe floating point): per row, bytes are differenced and stored as byte
 * planes, most significant first. Undone into host (little-endian) order.
 */
function undoFloatPredictor(bytes: Uint8Array, rows: number, perRow: number, stride: number, size: number): void {
  const rowBytes = perRow * size;
  const copy = new Uint8Array(rowBytes);
  for (let r = 0; r < rows; r++) {
    const row = bytes.subarray(r * rowBytes, (r + 1) * rowBytes);
    for (let i = stride; i < rowBytes; i++) row[i] = (row[i] + row[i - stride]) & 0xff;
    copy.set(row);
    for (let i = 0; i < perRow; i++) {
      for (let b = 0; b < size; b++) row[size * i + b] = copy[(size - b - 1) * perRow + i];
    }
  }
}

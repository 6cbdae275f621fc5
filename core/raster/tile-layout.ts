import type { GeoTIFFImage } from 'geotiff';
import { CorruptImageError } from '../errors.js';

/**
 * How one TIFF image's pixels are cut into blocks (tiles, or strips as full-width tiles), read
 * once from the header. A plain object of numbers and typed arrays: it can be handed to a
 * worker thread as it is, where blocks are decoded without geotiff.js.
 */
export interface TileLayout {
  width: number;
  height: number;
  /** Block size in pixels; strips are `width` wide and RowsPerStrip tall. */
  tileWidth: number;
  tileHeight: number;
  tilesAcross: number;
  tilesDown: number;
  /** Samples per pixel, all of `bitsPerSample` bits and `sampleFormat` (1 uint, 2 int, 3 float). */
  samples: number;
  bitsPerSample: number;
  sampleFormat: number;
  /** 1: pixel-interleaved (one block holds every sample); 2: band-separate (one block per sample). */
  planar: 1 | 2;
  /** TIFF Compression: 1 none, 5 LZW, 8 and 32946 deflate, 32773 PackBits, 50000 ZSTD. */
  compression: number;
  /** TIFF Predictor: 1 none, 2 horizontal differencing, 3 floating point. */
  predictor: number;
  littleEndian: boolean;
  /** False for strips: the last strip holds only the rows left. */
  tiled: boolean;
  /** File offset and byte count of each block, in TIFF order (sample plane, then row, then column). */
  offsets: Float64Array;
  byteCounts: Float64Array;
}

/**
 * Compressions decoded block by block here: none and deflate (TIFF 6.0 and Adobe codes) directly,
 * LZW, PackBits and ZSTD through geotiff.js's block decoders (they take no parameters).
 */
const BLOCK_COMPRESSIONS = new Set([1, 5, 8, 32773, 32946, 50000]);

/**
 * The layout of `image`, or `undefined` when it needs geotiff.js's general reader (samples of
 * mixed size or format, bit depths that are not whole bytes, other compressions or predictors).
 *
 * @example
 * ```ts
 * const layout = await readTileLayout(image); // { tileWidth: 512, planar: 2, compression: 8, … }
 * ```
 */
export async function readTileLayout(image: GeoTIFFImage): Promise<TileLayout | undefined> {
  const directory = image.getFileDirectory();
  const samples = image.getSamplesPerPixel();
  const bitsPerSample = image.getBitsPerSample(0);
  const sampleFormat = image.getSampleFormat(0);
  for (let s = 1; s < samples; s++) {
    if (image.getBitsPerSample(s) !== bitsPerSample || image.getSampleFormat(s) !== sampleFormat) return undefined;
  }
  const compression = Number(directory.getValue('Compression') ?? 1);
  const predictor = Number((await directory.loadValue('Predictor')) ?? 1);
  if (!BLOCK_COMPRESSIONS.has(compression) || ![8, 16, 32, 64].includes(bitsPerSample)) return undefined;
  if (!(predictor === 1 || (predictor === 2 && bitsPerSample <= 32 && sampleFormat !== 3) || (predictor === 3 && sampleFormat === 3))) return undefined;
  const tiled = directory.hasTag('TileOffsets');
  const width = image.getWidth();
  const height = image.getHeight();
  const tileWidth = tiled ? image.getTileWidth() : width;
  const tileHeight = tiled ? image.getTileHeight() : Math.min(height, Number(directory.getValue('RowsPerStrip') ?? height));
  checkBlockSize(tileWidth, tileHeight, samples * (bitsPerSample / 8));
  const [offsets, byteCounts] = await Promise.all([
    directory.loadValue(tiled ? 'TileOffsets' : 'StripOffsets'),
    directory.loadValue(tiled ? 'TileByteCounts' : 'StripByteCounts'),
  ]);
  const blocks = Math.ceil(width / tileWidth) * Math.ceil(height / tileHeight) * (image.planarConfiguration === 2 ? samples : 1);
  if (!((offsets as ArrayLike<number>)?.length >= blocks && (byteCounts as ArrayLike<number>)?.length >= blocks)) {
    throw new CorruptImageError(`the file lists fewer block offsets than its ${blocks} blocks: the header is damaged`);
  }
  return {
    width,
    height,
    tileWidth,
    tileHeight,
    tilesAcross: Math.ceil(width / tileWidth),
    tilesDown: Math.ceil(height / tileHeight),
    samples,
    bitsPerSample,
    sampleFormat,
    planar: image.planarConfiguration === 2 ? 2 : 1,
    compression,
    predictor,
    littleEndian: image.littleEndian,
    tiled,
    offsets: Float64Array.from(offsets as ArrayLike<number>, Number),
    byteCounts: Float64Array.from(byteCounts as ArrayLike<number>, Number),
  };
}

/** Largest decoded block accepted: 256 MiB (a 512 × 512 tile of 13 float64 bands is 27 MiB). */
const MAX_BLOCK_BYTES = 256 * 1024 ** 2;

/** Throws CorruptImageError unless a block's size is whole, positive and within {@link MAX_BLOCK_BYTES}. */
function checkBlockSize(tileWidth: number, tileHeight: number, pixelBytes: number): void {
  const whole = (n: number) => Number.isInteger(n) && n > 0;
  if (!whole(tileWidth) || !whole(tileHeight) || tileWidth * tileHeight * pixelBytes > MAX_BLOCK_BYTES) {
    throw new CorruptImageError(`the file gives its blocks a size of ${Number(tileWidth)} × ${Number(tileHeight)} pixels: the header is damaged`);
  }
}

/** Index into `offsets` of the block holding (tile column, tile row) of `sample` (any sample when pixel-interleaved). */
export function tileIndex(layout: TileLayout, tx: number, ty: number, sample: number): number {
  const plane = layout.planar === 2 ? sample : 0;
  return (plane * layout.tilesDown + ty) * layout.tilesAcross + tx;
}

/** Rows a block holds once decoded: a full tile, or the rows left in the last strip. */
export function blockRows(layout: TileLayout, ty: number): number {
  return layout.tiled ? layout.tileHeight : Math.min(layout.tileHeight, layout.height - ty * layout.tileHeight);
}

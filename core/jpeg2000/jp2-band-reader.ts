import { CorruptImageError, isKelpieError } from '../errors.js';
import type { BlockGrid } from '../raster/band-file.js';
import type { DecodedSamples, Jpeg2000Decoder } from '../ports/jpeg2000-decoder.js';
import { tileArea } from './codestream.js';
import { decodeTile, decodeWhole } from './decode-tile.js';
import type { Jp2Image } from './open-jp2.js';

/** Native columns `[x0, x1)` to read. */
interface Columns {
  x0: number;
  x1: number;
}

/**
 * Decoded tiles covering some rows and columns of the image: block `(i, j)` holds rows
 * `y0 + i × blockHeight …` and columns `x0 + j × blockWidth …`, row-major with a row stride of
 * `blockWidth` (tiles at the right edge are padded to it): a GeoTIFF reader's `BlockGrid`, so the
 * band stack reads both alike.
 */
export type Jp2Blocks = BlockGrid & { blocks: DecodedSamples[]; stride: 1 };

/**
 * Reads rows of a JPEG 2000 band: the tiles covering the rows (and columns) asked for, decoded
 * one by one and kept until rows outside them are asked for, so each tile is decoded once when
 * the analysis reads strips shorter than the tiles. Memory: one row of tiles (11 tiles of
 * 1024 × 1024 × 2 bytes for a 10 m Sentinel-2 band). An image whose tiles cannot be decoded alone
 * is decoded whole once (up to `MAX_WHOLE_DECODE_PIXELS`).
 *
 * @example
 * ```ts
 * const reader = new Jp2BandReader(await openJp2(source), decoder);
 * const rows = await reader.readRows(0, 256);
 * ```
 */
export class Jp2BandReader {
  private cached: Jp2Blocks | undefined;

  constructor(
    readonly image: Jp2Image,
    private readonly decoder: Jpeg2000Decoder,
  ) {}

  /** Rows a block spans: reads aligned to them decode no tile twice. */
  get blockHeight(): number {
    return this.image.decodeByTile ? this.image.header.geometry.tileHeight : this.image.height;
  }

  /** Native rows `[y0, y1)` over `columns` (default: full width). */
  async readRows(y0: number, y1: number, signal?: AbortSignal, columns?: Columns): Promise<Jp2Blocks> {
    const { geometry } = this.image.header;
    const tileWidth = this.image.decodeByTile ? geometry.tileWidth : this.image.width;
    const tileHeight = this.blockHeight;
    const tx0 = columns ? Math.floor(Math.max(0, columns.x0) / tileWidth) : 0;
    const tx1 = columns ? Math.ceil(Math.min(this.image.width, columns.x1) / tileWidth) : Math.ceil(this.image.width / tileWidth);
    const ty0 = Math.floor(y0 / tileHeight);
    const ty1 = Math.max(ty0 + 1, Math.ceil(Math.min(this.image.height, y1) / tileHeight));
    const cached = this.cached;
    if (cached && cached.y0 <= ty0 * tileHeight && cached.y1 >= Math.min(this.image.height, ty1 * tileHeight) && cached.x0 <= tx0 * tileWidth && cached.x1 >= Math.min(this.image.width, tx1 * tileWidth)) {
      return cached;
    }
    this.cached = undefined;
    try {
      const blocks = this.image.decodeByTile ? await this.decodeTiles(tx0, tx1, ty0, ty1, signal) : [await decodeWhole(this.image, this.decoder, signal)];
      this.cached = {
        blocks,
        blockWidth: tileWidth,
        blockHeight: tileHeight,
        across: tx1 - tx0,
        y0: ty0 * tileHeight,
        x0: tx0 * tileWidth,
        y1: Math.min(this.image.height, ty1 * tileHeight),
        x1: Math.min(this.image.width, tx1 * tileWidth),
        stride: 1,
      };
    } catch (error) {
      if (isKelpieError(error) || signal?.aborted) throw error;
      throw new CorruptImageError(`${this.image.name} could not be decoded at rows ${y0}–${y1}: the file is damaged`, undefined, { cause: error });
    }
    return this.cached;
  }

  /** Tiles `[tx0, tx1) × [ty0, ty1)` in row-major order, each padded to the tile width. */
  private async decodeTiles(tx0: number, tx1: number, ty0: number, ty1: number, signal?: AbortSignal): Promise<DecodedSamples[]> {
    const { geometry } = this.image.header;
    const blocks: DecodedSamples[] = [];
    for (let ty = ty0; ty < ty1; ty++) {
      for (let tx = tx0; tx < tx1; tx++) {
        const index = ty * geometry.tilesAcross + tx;
        const samples = await decodeTile(this.image, index, this.decoder, signal);
        blocks.push(padRows(samples, tileArea(geometry, index), geometry.tileWidth));
      }
    }
    return blocks;
  }
}

/** A tile narrower than `width` (at the right edge) with its rows copied to a stride of `width`. */
function padRows(samples: DecodedSamples, area: { x0: number; x1: number; y0: number; y1: number }, width: number): DecodedSamples {
  const columns = area.x1 - area.x0;
  if (columns === width) return samples;
  const rows = area.y1 - area.y0;
  const padded = new (samples.constructor as new (length: number) => DecodedSamples)(width * rows);
  for (let row = 0; row < rows; row++) padded.set(samples.subarray(row * columns, (row + 1) * columns), row * width);
  return padded;
}

import { CorruptImageError, isKelpieError } from '../errors.js';
import { readRanges } from './byte-source.js';
import { useNativeInflate } from './native-inflate.js';
import type { TiffInfo } from './open-tiff.js';
import { HOST_IS_LITTLE_ENDIAN, type Inflate, type Samples, decodeTile, samplesType, streamInflate } from './tile-decode.js';
import { tileIndex } from './tile-layout.js';

// geotiff.js's general reader (the slow path) inflates with the platform's streams, not pako.
useNativeInflate();

/** Native columns `[x0, x1)` to read; the whole width when absent. */
export interface ColumnRange {
  x0: number;
  x1: number;
}

/**
 * Rows of some samples, as `readRows` returns them: sample `s` of native pixel (x, y) is
 * `rows[s][(y - firstRow) * rowWidth + (x - firstColumn)]`.
 */
export interface RowBlock {
  rows: ArrayLike<number>[];
  firstRow: number;
  firstColumn: number;
  rowWidth: number;
}

/**
 * Reads rows of some samples of one TIFF, aligned to its block (tile or strip) height and
 * caching the last block, so each compressed tile is decoded once even when the analysis asks
 * for strips shorter than the tiles (20 m bands under a 10 m strip). With a column range (an
 * area of interest) only the tile columns covering it are read. Tiles are fetched together
 * through the source's `readRanges` (a remote source merges adjacent tiles into one request),
 * decoded by `decodeTile` (deflate through the injected `inflate`; a pixel-interleaved tile once
 * for all its samples) and copied row by row into reused arrays; anything unusual (mixed sample
 * types, LERC, JPEG) goes through geotiff.js's general `readRasters`, full width.
 */
export class BandFileReader {
  private cachedY0 = -1;
  private cachedY1 = -1;
  private cachedX0 = -1;
  private cachedX1 = -1;
  private cached: Samples[] = [];
  private readonly fast: boolean;

  constructor(
    readonly info: TiffInfo,
    /** Sample indices this reader returns, in order. */
    readonly samples: readonly number[],
    /** How deflate blocks are inflated (default: `DecompressionStream`). */
    private readonly inflate: Inflate = streamInflate,
  ) {
    this.fast = info.layout !== undefined && HOST_IS_LITTLE_ENDIAN && samplesType(info.layout) !== undefined;
  }

  /** Native rows `[y0, y1)` of every sample over `columns` (default: full width). */
  async readRows(y0: number, y1: number, signal?: AbortSignal, columns?: ColumnRange): Promise<RowBlock> {
    const { width, height } = this.info;
    const tileWidth = this.fast && this.info.layout ? this.info.layout.tileWidth : width;
    const x0 = columns ? Math.floor(Math.max(0, columns.x0) / tileWidth) * tileWidth : 0;
    const x1 = columns ? Math.min(width, Math.ceil(Math.min(width, columns.x1) / tileWidth) * tileWidth) : width;
    if (y0 < this.cachedY0 || y1 > this.cachedY1 || x0 < this.cachedX0 || x1 > this.cachedX1) {
      const block = this.info.blockHeight;
      const start = Math.floor(y0 / block) * block;
      const end = Math.min(height, Math.max(Math.ceil(y1 / block) * block, start + block));
      try {
        this.cached = this.fast ? await this.decodeTiles(start, end, x0, x1, signal) : await this.readRasters(start, end, signal);
      } catch (error) {
        this.cachedY0 = this.cachedY1 = -1;
        if (isKelpieError(error) || signal?.aborted) throw error;
        throw new CorruptImageError(`${this.info.name} could not be decoded at rows ${start}–${end}: the file is damaged`, undefined, { cause: error });
      }
      this.cachedY0 = start;
      this.cachedY1 = end;
      [this.cachedX0, this.cachedX1] = this.fast ? [x0, x1] : [0, width];
    }
    return { rows: this.cached, firstRow: this.cachedY0, firstColumn: this.cachedX0, rowWidth: this.cachedX1 - this.cachedX0 };
  }

  private async readRasters(y0: number, y1: number, signal?: AbortSignal): Promise<Samples[]> {
    const result = await this.info.image.readRasters({ window: [0, y0, this.info.width, y1], samples: [...this.samples], interleave: false, signal });
    return Array.from(result as unknown as Samples[]);
  }

  /** Fetches (together) and decodes the tiles covering rows `[y0, y1)` × columns `[x0, x1)`, into reused arrays. */
  private async decodeTiles(y0: number, y1: number, x0: number, x1: number, signal?: AbortSignal): Promise<Samples[]> {
    const layout = this.info.layout as NonNullable<TiffInfo['layout']>;
    const ArrayType = samplesType(layout) as NonNullable<ReturnType<typeof samplesType>>;
    const { tileWidth, tileHeight, width, height } = layout;
    const rowWidth = x1 - x0;
    const length = rowWidth * (y1 - y0);
    const outputs = this.cached.length === this.samples.length && this.cached[0].length === length ? this.cached : this.samples.map(() => new ArrayType(length));
    const chunky = layout.planar === 1;
    const spp = chunky ? layout.samples : 1;
    const tiles: Array<{ tx: number; ty: number; slots: Array<[slot: number, sample: number]>; index: number }> = [];
    for (let ty = Math.floor(y0 / tileHeight); ty * tileHeight < y1; ty++) {
      for (let tx = Math.floor(x0 / tileWidth); tx * tileWidth < x1; tx++) {
        if (chunky) tiles.push({ tx, ty, slots: this.samples.map((sample, slot) => [slot, sample]), index: tileIndex(layout, tx, ty, 0) });
        else this.samples.forEach((sample, slot) => tiles.push({ tx, ty, slots: [[slot, sample]], index: tileIndex(layout, tx, ty, sample) }));
      }
    }
    const ranges = tiles.map(({ index }) => ({ offset: layout.offsets[index], length: layout.byteCounts[index] }));
    const fetched = await readRanges(this.info.source, ranges, signal);
    const nodata = this.info.nodata ?? 0;
    await Promise.all(
      tiles.map(async ({ tx, ty, slots }, i) => {
        const tile = ranges[i].length === 0 ? new ArrayType(tileWidth * tileHeight * spp).fill(nodata) : await decodeTile(fetched[i], layout, ty, this.inflate);
        fetched[i] = EMPTY;
        const columns = Math.min(tileWidth, width - tx * tileWidth);
        const firstRow = ty * tileHeight;
        const rowsInTile = Math.min(tileHeight, Math.min(y1, height) - firstRow);
        for (const [slot, sample] of slots) {
          const out = outputs[slot];
          for (let r = 0; r < rowsInTile; r++) {
            const target = (firstRow + r - y0) * rowWidth + tx * tileWidth - x0;
            if (spp === 1) {
              out.set(tile.subarray(r * tileWidth, r * tileWidth + columns) as never, target);
            } else {
              for (let c = 0, from = r * tileWidth * spp + sample; c < columns; c++, from += spp) out[target + c] = tile[from];
            }
          }
        }
      }),
    );
    return outputs;
  }
}

/** Stands in for a fetched block once it is decoded, so its bytes can be collected. */
const EMPTY = new Uint8Array(0);

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
 * Decoded blocks covering some native rows and columns of one file, as they came out of the
 * decoder (no copy into rows): block `(i, j)` holds native rows `y0 + i × blockHeight …` and
 * columns `x0 + j × blockWidth …`, row-major, `stride` values per pixel. Sample `slot` of native
 * pixel (x, y) is `blocks[i × across + j][((y − y0 − i × blockHeight) × blockWidth + x − x0 − j × blockWidth) × stride + offsets[slot]]`
 * in `grids[slot]` (band-separate files have a grid per sample; pixel-interleaved ones share one).
 */
export interface BlockGrid {
  blocks: Samples[];
  blockWidth: number;
  blockHeight: number;
  across: number;
  y0: number;
  x0: number;
  /** Rows and columns covered: `[y0, y1)` × `[x0, x1)`. */
  y1: number;
  x1: number;
  stride: number;
}

/** The value of native pixel (`x`, `y`) in `grid`, the sample at `offset` within the pixel (one look-up; for loops, index the blocks directly). */
export function sampleAt(grid: BlockGrid, offset: number, x: number, y: number): number {
  const i = Math.floor((y - grid.y0) / grid.blockHeight);
  const j = Math.floor((x - grid.x0) / grid.blockWidth);
  const inRow = y - grid.y0 - i * grid.blockHeight;
  const inColumn = x - grid.x0 - j * grid.blockWidth;
  return grid.blocks[i * grid.across + j][(inRow * grid.blockWidth + inColumn) * grid.stride + offset];
}

/** What `readRows` returns: a grid per slot and the offset of the slot's sample within a pixel. */
export interface RowBlock {
  grids: BlockGrid[];
  offsets: number[];
}

/**
 * Reads rows of some samples of one TIFF, aligned to its block (tile or strip) height and
 * keeping the last blocks decoded, so each compressed tile is decoded once even when the analysis
 * asks for strips shorter than the tiles (20 m bands under a 10 m strip). With a column range (an
 * area of interest) only the tile columns covering it are read. Tiles are fetched together
 * through the source's `readRanges` (a remote source merges adjacent tiles into one request),
 * decoded by `decodeTile` (deflate through the injected `inflate`; a pixel-interleaved tile once
 * for all its samples) and handed out as they are; anything unusual (mixed sample types, LERC,
 * JPEG) goes through geotiff.js's general `readRasters`, full width.
 */
export class BandFileReader {
  private cached: RowBlock | undefined;
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
    const grid = this.cached?.grids[0];
    if (!this.cached || !grid || y0 < grid.y0 || y1 > grid.y1 || x0 < grid.x0 || x1 > grid.x1) {
      const block = this.info.blockHeight;
      const start = Math.floor(y0 / block) * block;
      const end = Math.min(height, Math.max(Math.ceil(y1 / block) * block, start + block));
      // The old blocks are decoded over (where the inflater can) or dropped: only one set is held.
      const spare = this.cached?.grids.flatMap((grid, slot) => (this.cached?.grids.indexOf(grid) === slot ? grid.blocks : []));
      this.cached = undefined;
      try {
        this.cached = this.fast ? await this.decodeTiles(start, end, x0, x1, spare ?? [], signal) : await this.readRasters(start, end, signal);
      } catch (error) {
        if (isKelpieError(error) || signal?.aborted) throw error;
        throw new CorruptImageError(`${this.info.name} could not be decoded at rows ${start}–${end}: the file is damaged`, undefined, { cause: error });
      }
    }
    return this.cached;
  }

  private async readRasters(y0: number, y1: number, signal?: AbortSignal): Promise<RowBlock> {
    const result = await this.info.image.readRasters({ window: [0, y0, this.info.width, y1], samples: [...this.samples], interleave: false, signal });
    const { width } = this.info;
    const grids = Array.from(result as unknown as Samples[], (rows) => ({ blocks: [rows], blockWidth: width, blockHeight: y1 - y0, across: 1, y0, x0: 0, y1, x1: width, stride: 1 }));
    return { grids, offsets: grids.map(() => 0) };
  }

  /** Fetches (together) and decodes the tiles covering rows `[y0, y1)` × columns `[x0, x1)`, over `spare` blocks when it can. */
  private async decodeTiles(y0: number, y1: number, x0: number, x1: number, spare: Samples[], signal?: AbortSignal): Promise<RowBlock> {
    const layout = this.info.layout as NonNullable<TiffInfo['layout']>;
    const ArrayType = samplesType(layout) as NonNullable<ReturnType<typeof samplesType>>;
    const { tileWidth, tileHeight } = layout;
    const chunky = layout.planar === 1;
    const stride = chunky ? layout.samples : 1;
    const ty0 = Math.floor(y0 / tileHeight);
    const tx0 = Math.floor(x0 / tileWidth);
    const down = Math.ceil(y1 / tileHeight) - ty0;
    const across = Math.ceil(x1 / tileWidth) - tx0;
    const planes = chunky ? [0] : this.samples;
    const indices: number[] = [];
    for (const sample of planes) {
      for (let i = 0; i < down; i++) for (let j = 0; j < across; j++) indices.push(tileIndex(layout, tx0 + j, ty0 + i, sample));
    }
    const ranges = indices.map((index) => ({ offset: layout.offsets[index], length: layout.byteCounts[index] }));
    const fetched = await readRanges(this.info.source, ranges, signal);
    const nodata = this.info.nodata ?? 0;
    const blocks = await Promise.all(
      indices.map(async (_, k) => {
        const ty = ty0 + (Math.floor(k / across) % down);
        const old = spare[k];
        const into = old && old.buffer instanceof ArrayBuffer ? new Uint8Array(old.buffer, old.byteOffset, old.byteLength) : undefined;
        const tile = ranges[k].length === 0 ? new ArrayType(tileWidth * tileHeight * stride).fill(nodata) : await decodeTile(fetched[k], layout, ty, this.inflate, into);
        fetched[k] = EMPTY;
        return tile;
      }),
    );
    const perPlane = down * across;
    const grid = (plane: number): BlockGrid => ({
      blocks: blocks.slice(plane * perPlane, (plane + 1) * perPlane),
      blockWidth: tileWidth,
      blockHeight: tileHeight,
      across,
      y0: ty0 * tileHeight,
      x0: tx0 * tileWidth,
      y1: Math.min(layout.height, (ty0 + down) * tileHeight),
      x1: Math.min(layout.width, (tx0 + across) * tileWidth),
      stride,
    });
    if (chunky) {
      const shared = grid(0);
      return { grids: this.samples.map(() => shared), offsets: [...this.samples] };
    }
    return { grids: this.samples.map((_, slot) => grid(slot)), offsets: this.samples.map(() => 0) };
  }
}

/** Stands in for a fetched block once it is decoded, so its bytes can be collected. */
const EMPTY = new Uint8Array(0);

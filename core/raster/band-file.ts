import { type BaseDecoder, getDecoder } from 'geotiff';
import { CorruptImageError, isKelpieError } from '../errors.js';
import { readRanges } from './byte-source.js';
import { useNativeInflate } from './native-inflate.js';
import type { TiffInfo } from './open-tiff.js';

type Samples = Uint8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;
type SamplesType = new (buffer: ArrayBufferLike | number) => Samples;

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

/** Compressions whose decoder takes the default parameters (LERC and WebP need more; they take the slow path). */
const FAST_COMPRESSIONS = new Set([1, 5, 8, 32946, 32773, 50000]);

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
 * decoded by geotiff.js's decoders and copied row by row into reused arrays (little-endian
 * files); anything unusual goes through geotiff.js's general `readRasters`, full width.
 */
export class BandFileReader {
  private cachedY0 = -1;
  private cachedY1 = -1;
  private cachedX0 = -1;
  private cachedX1 = -1;
  private cached: Samples[] = [];
  private decoder: Promise<BaseDecoder> | undefined;
  private index: Promise<{ offsets: ArrayLike<number>; counts: ArrayLike<number> }> | undefined;
  private readonly ArrayType: SamplesType | undefined;

  constructor(
    readonly info: TiffInfo,
    /** Sample indices this reader returns, in order. */
    readonly samples: readonly number[],
  ) {
    const image = info.image;
    const compression = Number(image.getFileDirectory().getValue('Compression') ?? 1);
    const uniform = samples.every((s) => image.getBitsPerSample(s) === info.bitsPerSample && image.getSampleFormat(s) === info.sampleFormat);
    this.ArrayType = image.littleEndian && uniform && FAST_COMPRESSIONS.has(compression) ? ARRAY_TYPES[`${info.sampleFormat}:${info.bitsPerSample}`] : undefined;
  }

  /** Native rows `[y0, y1)` of every sample over `columns` (default: full width). */
  async readRows(y0: number, y1: number, signal?: AbortSignal, columns?: ColumnRange): Promise<RowBlock> {
    const { width, height } = this.info;
    const tileWidth = this.ArrayType ? this.info.image.getTileWidth() : width;
    const x0 = columns ? Math.floor(Math.max(0, columns.x0) / tileWidth) * tileWidth : 0;
    const x1 = columns ? Math.min(width, Math.ceil(Math.min(width, columns.x1) / tileWidth) * tileWidth) : width;
    if (y0 < this.cachedY0 || y1 > this.cachedY1 || x0 < this.cachedX0 || x1 > this.cachedX1) {
      const block = this.info.blockHeight;
      const start = Math.floor(y0 / block) * block;
      const end = Math.min(height, Math.max(Math.ceil(y1 / block) * block, start + block));
      try {
        this.cached = this.ArrayType ? await this.decodeTiles(start, end, x0, x1, this.ArrayType, signal) : await this.readRasters(start, end, signal);
      } catch (error) {
        this.cachedY0 = this.cachedY1 = -1;
        if (isKelpieError(error) || signal?.aborted) throw error;
        throw new CorruptImageError(`${this.info.name} could not be decoded at rows ${start}–${end}: the file is damaged`, undefined, { cause: error });
      }
      this.cachedY0 = start;
      this.cachedY1 = end;
      [this.cachedX0, this.cachedX1] = this.ArrayType ? [x0, x1] : [0, width];
    }
    return { rows: this.cached, firstRow: this.cachedY0, firstColumn: this.cachedX0, rowWidth: this.cachedX1 - this.cachedX0 };
  }

  private async readRasters(y0: number, y1: number, signal?: AbortSignal): Promise<Samples[]> {
    const result = await this.info.image.readRasters({ window: [0, y0, this.info.width, y1], samples: [...this.samples], interleave: false, signal });
    return Array.from(result as unknown as Samples[]);
  }

  /** Fetches (together) and decodes the tiles covering rows `[y0, y1)` × columns `[x0, x1)`, into reused arrays. */
  private async decodeTiles(y0: number, y1: number, x0: number, x1: number, ArrayType: SamplesType, signal?: AbortSignal): Promise<Samples[]> {
    const image = this.info.image;
    const tileWidth = image.getTileWidth();
    const tileHeight = image.getTileHeight();
    const rowWidth = x1 - x0;
    const length = rowWidth * (y1 - y0);
    const outputs = this.cached.length === this.samples.length && this.cached[0].length === length ? this.cached : this.samples.map(() => new ArrayType(length));
    this.decoder ??= decoderFor(this.info);
    this.index ??= tileIndex(this.info);
    const [decoder, { offsets, counts }] = await Promise.all([this.decoder, this.index]);
    const chunky = image.planarConfiguration === 1;
    const spp = chunky ? this.info.samples : 1;
    const across = Math.ceil(this.info.width / tileWidth);
    const down = Math.ceil(this.info.height / tileHeight);
    const tiles: Array<{ tx: number; ty: number; slots: Array<[slot: number, sample: number]>; index: number }> = [];
    for (let ty = Math.floor(y0 / tileHeight); ty * tileHeight < y1; ty++) {
      for (let tx = Math.floor(x0 / tileWidth); tx * tileWidth < x1; tx++) {
        if (chunky) tiles.push({ tx, ty, slots: this.samples.map((sample, slot) => [slot, sample]), index: ty * across + tx });
        else this.samples.forEach((sample, slot) => tiles.push({ tx, ty, slots: [[slot, sample]], index: (sample * down + ty) * across + tx }));
      }
    }
    const ranges = tiles.map(({ index }) => ({ offset: Number(offsets[index]), length: Number(counts[index]) }));
    const fetched = await readRanges(this.info.source, ranges, signal);
    const nodata = this.info.nodata ?? 0;
    await Promise.all(
      tiles.map(async ({ tx, ty, slots }, i) => {
        const tile = ranges[i].length === 0 ? new ArrayType(tileWidth * tileHeight * spp).fill(nodata) : new ArrayType(await decoder.decode(copyBuffer(fetched[i])));
        const columns = Math.min(tileWidth, this.info.width - tx * tileWidth);
        const firstRow = ty * tileHeight;
        const rowsInTile = Math.min(tileHeight, Math.min(y1, this.info.height) - firstRow);
        for (const [slot, sample] of slots) {
          const out = outputs[slot];
          for (let r = 0; r < rowsInTile; r++) {
            const target = (firstRow + r - y0) * rowWidth + tx * tileWidth - x0;
            if (spp === 1) {
              out.set(tile.subarray(r * tileWidth, r * tileWidth + columns) as never, target);
            } else {
              for (let c = 0; c < columns; c++) out[target + c] = tile[(r * tileWidth + c) * spp + sample];
            }
          }
        }
      }),
    );
    return outputs;
  }
}

/** The bytes as an ArrayBuffer of their own (decoders take whole buffers). */
function copyBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** Tile (or strip) offsets and byte counts, already loaded by `openTiff`'s extent check. */
async function tileIndex(info: TiffInfo): Promise<{ offsets: ArrayLike<number>; counts: ArrayLike<number> }> {
  const directory = info.image.getFileDirectory();
  const tiled = directory.hasTag('TileOffsets');
  const [offsets, counts] = await Promise.all([
    directory.loadValue(tiled ? 'TileOffsets' : 'StripOffsets'),
    directory.loadValue(tiled ? 'TileByteCounts' : 'StripByteCounts'),
  ]);
  return { offsets: offsets as ArrayLike<number>, counts: counts as ArrayLike<number> };
}

async function decoderFor(info: TiffInfo): Promise<BaseDecoder> {
  const directory = info.image.getFileDirectory();
  const compression = Number(directory.getValue('Compression') ?? 1);
  return getDecoder(compression, {
    tileWidth: info.image.getTileWidth(),
    tileHeight: info.image.getTileHeight(),
    planarConfiguration: info.image.planarConfiguration,
    bitsPerSample: (await directory.loadValue('BitsPerSample')) as number[],
    predictor: Number((await directory.loadValue('Predictor')) ?? 1),
  });
}

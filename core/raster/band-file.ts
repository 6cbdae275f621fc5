import { type BaseDecoder, getDecoder } from 'geotiff';
import { CorruptImageError, isKelpieError } from '../errors.js';
import { useNativeInflate } from './native-inflate.js';
import type { TiffInfo } from './open-tiff.js';

type Samples = Uint8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/** Typed array for a TIFF SampleFormat (1 uint, 2 int, 3 float) and bit depth. */
const ARRAY_TYPES: Record<string, new (buffer: ArrayBufferLike | number) => Samples> = {
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

/**
 * Reads rows of some samples of one TIFF, aligned to its block (tile or strip) height and
 * caching the last block row, so each compressed tile is decoded once even when the analysis
 * asks for strips shorter than the tiles (20 m bands under a 10 m strip). Tiles are decoded by
 * geotiff.js and copied row by row into reused arrays (little-endian files); anything unusual
 * goes through geotiff.js's general `readRasters`.
 */
export class BandFileReader {
  private cachedY0 = -1;
  private cachedY1 = -1;
  private cached: Samples[] = [];
  private decoder: Promise<BaseDecoder> | undefined;
  private readonly ArrayType: (new (buffer: ArrayBufferLike | number) => Samples) | undefined;

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

  /** Native rows `[y0, y1)` of every sample, full width; returns arrays and the row they start at. */
  async readRows(y0: number, y1: number, signal?: AbortSignal): Promise<{ rows: ArrayLike<number>[]; firstRow: number }> {
    if (y0 < this.cachedY0 || y1 > this.cachedY1) {
      const block = this.info.blockHeight;
      const start = Math.floor(y0 / block) * block;
      const end = Math.min(this.info.height, Math.max(Math.ceil(y1 / block) * block, start + block));
      try {
        this.cached = this.ArrayType ? await this.decodeTiles(start, end, this.ArrayType, signal) : await this.readRasters(start, end, signal);
      } catch (error) {
        this.cachedY0 = this.cachedY1 = -1;
        if (isKelpieError(error) || signal?.aborted) throw error;
        throw new CorruptImageError(`${this.info.name} could not be decoded at rows ${start}–${end}: the file is damaged`, undefined, { cause: error });
      }
      this.cachedY0 = start;
      this.cachedY1 = end;
    }
    return { rows: this.cached, firstRow: this.cachedY0 };
  }

  private async readRasters(y0: number, y1: number, signal?: AbortSignal): Promise<Samples[]> {
    const result = await this.info.image.readRasters({ window: [0, y0, this.info.width, y1], samples: [...this.samples], interleave: false, signal });
    return Array.from(result as unknown as Samples[]);
  }

  /** Decodes the tiles covering rows `[y0, y1)` and copies them into (reused) full-width arrays. */
  private async decodeTiles(y0: number, y1: number, ArrayType: new (buffer: ArrayBufferLike | number) => Samples, signal?: AbortSignal): Promise<Samples[]> {
    const image = this.info.image;
    const { width, height } = this.info;
    const tileWidth = image.getTileWidth();
    const tileHeight = image.getTileHeight();
    const length = width * (y1 - y0);
    const outputs = this.cached.length === this.samples.length && this.cached[0].length === length ? this.cached : this.samples.map(() => new ArrayType(length));
    this.decoder ??= decoderFor(this.info);
    const decoder = await this.decoder;
    const spp = image.planarConfiguration === 1 ? this.info.samples : 1;
    const jobs: Promise<void>[] = [];
    for (let ty = Math.floor(y0 / tileHeight); ty * tileHeight < y1; ty++) {
      for (let tx = 0; tx * tileWidth < width; tx++) {
        const fetchTile = (sample: number) => image.getTileOrStrip(tx, ty, sample, decoder, signal);
        const copy = (data: ArrayBufferLike, slot: number, sample: number) => {
          const tile = new ArrayType(data);
          const out = outputs[slot];
          const columns = Math.min(tileWidth, width - tx * tileWidth);
          const firstRow = ty * tileHeight;
          for (let r = 0; r < tileHeight && firstRow + r < Math.min(y1, height); r++) {
            const target = (firstRow + r - y0) * width + tx * tileWidth;
            if (spp === 1) {
              out.set(tile.subarray(r * tileWidth, r * tileWidth + columns) as never, target);
            } else {
              for (let c = 0; c < columns; c++) out[target + c] = tile[(r * tileWidth + c) * spp + sample];
            }
          }
        };
        if (image.planarConfiguration === 1) {
          jobs.push(fetchTile(0).then((tile) => this.samples.forEach((sample, slot) => copy(tile.data, slot, sample))));
        } else {
          this.samples.forEach((sample, slot) => jobs.push(fetchTile(sample).then((tile) => copy(tile.data, slot, sample))));
        }
      }
    }
    await Promise.all(jobs);
    return outputs;
  }
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

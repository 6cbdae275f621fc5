import { CorruptImageError, isKelpieError } from '../errors.js';
import type { TiffInfo } from './open-tiff.js';

type Samples = ArrayLike<number>;

/**
 * Reads rows of some samples of one TIFF, aligned to its block (tile or strip) height and
 * caching the last block row, so each compressed tile is decoded once even when the analysis
 * asks for strips that are shorter than the tiles (20 m bands under a 10 m strip).
 */
export class BandFileReader {
  private cachedY0 = -1;
  private cachedY1 = -1;
  private cached: Samples[] = [];

  constructor(
    readonly info: TiffInfo,
    /** Sample indices this reader returns, in order. */
    readonly samples: readonly number[],
  ) {}

  /** Native rows `[y0, y1)` of every sample, full width; returns arrays and the row they start at. */
  async readRows(y0: number, y1: number, signal?: AbortSignal): Promise<{ rows: Samples[]; firstRow: number }> {
    if (y0 < this.cachedY0 || y1 > this.cachedY1) {
      const block = this.info.blockHeight;
      const start = Math.floor(y0 / block) * block;
      const end = Math.min(this.info.height, Math.max(Math.ceil(y1 / block) * block, start + block));
      this.cached = [];
      this.cached = await this.decode(start, end, signal);
      this.cachedY0 = start;
      this.cachedY1 = end;
    }
    return { rows: this.cached, firstRow: this.cachedY0 };
  }

  private async decode(y0: number, y1: number, signal?: AbortSignal): Promise<Samples[]> {
    try {
      const result = await this.info.image.readRasters({
        window: [0, y0, this.info.width, y1],
        samples: [...this.samples],
        interleave: false,
        signal,
      });
      return Array.from(result as unknown as Samples[]);
    } catch (error) {
      if (isKelpieError(error) || signal?.aborted) throw error;
      throw new CorruptImageError(`${this.info.name} could not be decoded at rows ${y0}–${y1}: the file is damaged`, undefined, {
        cause: error,
      });
    }
  }
}

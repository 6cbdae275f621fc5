/**
 * What a scan keeps per candidate kelp pixel (kelp by the method or by the 10 m shore test), in
 * row-major order, until the shore step decides which of them are kelp: its FAI, its shore FAI
 * (SWIR capped, for pixels whose 20 m SWIR mixes in land) and the values of the method's indices
 * (for the threshold's sensitivity). Memory grows with the candidates, not the scene.
 */
import { GrowableFloat32 } from './growable.js';
import { RunList } from './runs.js';

/** Per-pixel values of a list of pixels in row-major order, one column per quantity. */
export class PixelValues {
  readonly fai = new GrowableFloat32();
  readonly faiShore = new GrowableFloat32();
  /** 1 where the pixel lies in the shore zone and the 10 m shore test decided it. */
  readonly shore = new GrowableFloat32();
  readonly scores: GrowableFloat32[];

  constructor(readonly scoreNames: readonly string[]) {
    this.scores = scoreNames.map(() => new GrowableFloat32());
  }

  get length(): number {
    return this.fai.length;
  }

  push(fai: number, faiShore: number, scores: ArrayLike<number>): void {
    this.fai.push(fai);
    this.faiShore.push(faiShore);
    this.shore.push(0);
    for (let k = 0; k < this.scores.length; k++) this.scores[k].push(scores[k]);
  }

  /** Copies of the columns (e.g. to hand to another thread). */
  toArrays(): PixelValueArrays {
    return { fai: this.fai.view().slice(), faiShore: this.faiShore.view().slice(), shore: this.shore.view().slice(), scores: this.scores.map((score) => score.view().slice()) };
  }

  /** Appends the entries of columns made by `toArrays` (of values with the same score names). */
  appendArrays(columns: PixelValueArrays): void {
    this.fai.pushAll(columns.fai);
    this.faiShore.pushAll(columns.faiShore);
    this.shore.pushAll(columns.shore);
    this.scores.forEach((score, k) => score.pushAll(columns.scores[k]));
  }

  /** Appends entry `i` of `from`, taking its shore FAI as the FAI when `shore` is true. */
  copyFrom(from: PixelValues, i: number, shore: boolean): void {
    const fai = shore ? from.faiShore.get(i) : from.fai.get(i);
    this.fai.push(fai);
    this.faiShore.push(from.faiShore.get(i));
    this.shore.push(shore ? 1 : 0);
    for (let k = 0; k < this.scores.length; k++) this.scores[k].push(from.scores[k].get(i));
  }
}

/** The columns of a `PixelValues` as arrays. */
export interface PixelValueArrays {
  fai: Float32Array;
  faiShore: Float32Array;
  shore: Float32Array;
  scores: Float32Array[];
}

/** Runs of candidate pixels and their values (one entry per pixel, in run order). */
export interface Candidates {
  runs: RunList;
  values: PixelValues;
}

/** Water pixels beside kelp: where a lower threshold would grow the beds. */
export interface NearMiss {
  rows: number[];
  cols: number[];
  values: PixelValues;
}

/** Empty candidate and near-miss lists for a method reading `scoreNames`. */
export function createCandidates(scoreNames: readonly string[]): { candidates: Candidates; nearMiss: NearMiss } {
  return {
    candidates: { runs: new RunList(), values: new PixelValues(scoreNames) },
    nearMiss: { rows: [], cols: [], values: new PixelValues(scoreNames) },
  };
}

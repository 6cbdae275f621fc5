/**
 * Horizontal runs of kelp pixels, the compact form of a kelp mask. A scene is streamed in strips
 * of rows, so the analysis never holds a per-pixel label image: memory grows with the number of
 * runs (at most the number of kelp pixels), not with the scene size.
 */

const INITIAL_CAPACITY = 1024;

/**
 * A growable list of runs, stored as parallel typed arrays (struct of arrays) whose capacity
 * doubles when full. A run is the pixels `[x0, x1)` of one row; its weight is the sum of a
 * per-pixel weight (the canopy fraction, 0..1) over those pixels.
 *
 * Runs must be pushed row by row (rows non-decreasing) and, within a row, left to right without
 * overlapping. Runs in the same row may touch (`x0` equal to the previous run's `x1`); they are
 * then the same bed.
 *
 * @example
 * ```ts
 * const runs = new RunList();
 * runs.push(0, 2, 5, 2.5); // row 0, pixels 2, 3, 4, canopy fraction summing to 2.5
 * runs.length; // 1
 * ```
 */
export class RunList {
  #length = 0;
  #rows = new Int32Array(INITIAL_CAPACITY);
  #x0s = new Int32Array(INITIAL_CAPACITY);
  #x1s = new Int32Array(INITIAL_CAPACITY);
  /** Float64 so that sums of many Float32 fractions keep their precision. */
  #weights = new Float64Array(INITIAL_CAPACITY);

  /** Number of runs. */
  get length(): number {
    return this.#length;
  }

  /** Row (y, pixels from the top) of run `i`. */
  row(i: number): number {
    return this.#rows[i];
  }

  /** First column of run `i`. */
  x0(i: number): number {
    return this.#x0s[i];
  }

  /** Column just past the end of run `i` (exclusive). */
  x1(i: number): number {
    return this.#x1s[i];
  }

  /** Sum of the per-pixel weights (canopy fraction) over run `i`. */
  weight(i: number): number {
    return this.#weights[i];
  }

  /**
   * Appends a run of pixels `[x0, x1)` in `row`.
   *
   * @throws RangeError when the run is empty, or out of order (an earlier row than the last run,
   *   or overlapping / left of the last run in the same row).
   */
  push(row: number, x0: number, x1: number, weight: number): void {
    const n = this.#length;
    if (!(x1 > x0)) throw new RangeError(`empty run [${x0}, ${x1}) in row ${row}`);
    if (n > 0) {
      const lastRow = this.#rows[n - 1];
      if (row < lastRow || (row === lastRow && x0 < this.#x1s[n - 1])) {
        throw new RangeError(
          `run (row ${row}, [${x0}, ${x1})) pushed out of order after (row ${lastRow}, [${this.#x0s[n - 1]}, ${this.#x1s[n - 1]}))`,
        );
      }
    }
    if (n === this.#rows.length) this.#grow();
    this.#rows[n] = row;
    this.#x0s[n] = x0;
    this.#x1s[n] = x1;
    this.#weights[n] = weight;
    this.#length = n + 1;
  }

  /** Copies of the runs as parallel arrays (e.g. to hand to another thread). */
  toArrays(): RunArrays {
    const n = this.#length;
    return { rows: this.#rows.slice(0, n), x0s: this.#x0s.slice(0, n), x1s: this.#x1s.slice(0, n), weights: this.#weights.slice(0, n) };
  }

  /** Appends runs given as arrays, each row moved down by `rowOffset`; the same order rules as `push`. */
  appendArrays(runs: RunArrays, rowOffset = 0): void {
    for (let i = 0; i < runs.rows.length; i++) this.push(runs.rows[i] + rowOffset, runs.x0s[i], runs.x1s[i], runs.weights[i]);
  }

  #grow(): void {
    const capacity = this.#rows.length * 2;
    const rows = new Int32Array(capacity);
    const x0s = new Int32Array(capacity);
    const x1s = new Int32Array(capacity);
    const weights = new Float64Array(capacity);
    rows.set(this.#rows);
    x0s.set(this.#x0s);
    x1s.set(this.#x1s);
    weights.set(this.#weights);
    this.#rows = rows;
    this.#x0s = x0s;
    this.#x1s = x1s;
    this.#weights = weights;
  }
}

/** Runs as parallel arrays: run `i` is pixels `[x0s[i], x1s[i])` of row `rows[i]`, weighing `weights[i]`. */
export interface RunArrays {
  rows: Int32Array;
  x0s: Int32Array;
  x1s: Int32Array;
  weights: Float64Array;
}

/**
 * Appends the maximal runs of kelp (mask value 1; any other value is not kelp) in one mask row.
 * Each run's weight is the sum of `weights[x]` over its pixels, or its pixel count when
 * `weights` is absent.
 *
 * @example
 * ```ts
 * appendRowRuns(runs, 7, Uint8Array.of(0, 1, 1, 255, 1)); // runs [1, 3) and [4, 5) in row 7
 * ```
 */
export function appendRowRuns(list: RunList, row: number, maskRow: Uint8Array, weights?: Float32Array): void {
  const width = maskRow.length;
  let x = 0;
  while (x < width) {
    if (maskRow[x] !== 1) {
      x++;
      continue;
    }
    const start = x;
    let sum = 0;
    if (weights) {
      while (x < width && maskRow[x] === 1) sum += weights[x++];
    } else {
      while (x < width && maskRow[x] === 1) x++;
      sum = x - start;
    }
    list.push(row, start, x, sum);
  }
}

import type { RunList } from './runs.js';

/** What one bed (an 8-connected component of kelp pixels) adds up to. */
export interface BedStats {
  /** Bed number, 0..count-1 in order of first appearance (top to bottom, left to right). */
  id: number;
  /** Kelp pixels in the bed. */
  pixelCount: number;
  /** Sum of the per-pixel weights (canopy fraction, 0..1) over the bed. */
  weightSum: number;
  /** Runs the bed is made of. */
  runCount: number;
  /** Pixel bounding box: columns `[minX, maxX)`, rows `[minY, maxY)` (x1/y1 exclusive). */
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/**
 * Labels runs with their bed: 8-connected components, found by union-find over runs of
 * adjacent rows. Runs `a` (row r) and `b` (row r + 1) are connected when
 * `a.x0 < b.x1 + 1 && b.x0 < a.x1 + 1` (they overlap or touch at a corner); runs of the same row
 * are connected when they touch end to start. O(runs · α(runs)) time; about 9 bytes per run.
 *
 * @returns `bedOfRun[i]` is the bed of run `i`; beds are numbered 0..count-1 in order of first
 *   appearance (top to bottom, left to right).
 * @example
 * ```ts
 * const { bedOfRun, count } = labelRuns(runs);
 * ```
 */
export function labelRuns(runs: RunList): { bedOfRun: Int32Array; count: number } {
  const n = runs.length;
  // parent[i] is the union-find parent of run i; rank bounds tree height (union by rank).
  const parent = new Int32Array(n);
  const rank = new Uint8Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;

  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]]; // path halving
      i = parent[i];
    }
    return i;
  };
  const union = (a: number, b: number): void => {
    let ra = find(a);
    let rb = find(b);
    if (ra === rb) return;
    if (rank[ra] < rank[rb]) [ra, rb] = [rb, ra];
    parent[rb] = ra;
    if (rank[ra] === rank[rb]) rank[ra]++;
  };

  // Runs of the previous row are [prevStart, curStart); of the current row, [curStart, curEnd).
  let prevStart = 0;
  let curStart = 0;
  while (curStart < n) {
    const row = runs.row(curStart);
    let curEnd = curStart + 1;
    while (curEnd < n && runs.row(curEnd) === row) {
      if (runs.x0(curEnd) <= runs.x1(curEnd - 1)) union(curEnd - 1, curEnd);
      curEnd++;
    }
    if (curStart > 0 && runs.row(curStart - 1) === row - 1) {
      // Two-pointer sweep over both rows, as closed intervals [x0, x1] (8-connectivity).
      let a = prevStart;
      let b = curStart;
      while (a < curStart && b < curEnd) {
        const ax1 = runs.x1(a);
        const bx1 = runs.x1(b);
        if (runs.x0(a) <= bx1 && runs.x0(b) <= ax1) union(a, b);
        if (ax1 <= bx1) a++;
        else b++;
      }
    }
    prevStart = curStart;
    curStart = curEnd;
  }

  // Point every run straight at its root, then number the roots in order of their first run
  // (runs are in top-to-bottom, left-to-right order). The second pass reads only parent[i], so it
  // can overwrite parent with the bed numbers.
  for (let i = 0; i < n; i++) parent[i] = find(i);
  const bedOfRoot = new Int32Array(n).fill(-1);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const root = parent[i];
    if (bedOfRoot[root] < 0) bedOfRoot[root] = count++;
    parent[i] = bedOfRoot[root];
  }
  return { bedOfRun: parent, count };
}

/**
 * Adds up pixels, weights, runs and bounding box per bed, in one pass over the runs.
 *
 * @example
 * ```ts
 * const beds = summarizeBeds(runs, bedOfRun, count); // beds[k].id === k
 * ```
 */
export function summarizeBeds(runs: RunList, bedOfRun: Int32Array, count: number): BedStats[] {
  // Accumulate in typed arrays (fast with hundreds of thousands of beds), build objects once.
  const pixels = new Float64Array(count);
  const weights = new Float64Array(count);
  const runCounts = new Int32Array(count);
  const minX = new Int32Array(count).fill(0x7fffffff);
  const minY = new Int32Array(count).fill(0x7fffffff);
  const maxX = new Int32Array(count).fill(-0x80000000);
  const maxY = new Int32Array(count).fill(-0x80000000);
  for (let i = 0; i < runs.length; i++) {
    const k = bedOfRun[i];
    const row = runs.row(i);
    const x0 = runs.x0(i);
    const x1 = runs.x1(i);
    pixels[k] += x1 - x0;
    weights[k] += runs.weight(i);
    runCounts[k]++;
    if (x0 < minX[k]) minX[k] = x0;
    if (x1 > maxX[k]) maxX[k] = x1;
    if (row < minY[k]) minY[k] = row;
    if (row + 1 > maxY[k]) maxY[k] = row + 1;
  }
  const beds: BedStats[] = new Array(count);
  for (let k = 0; k < count; k++) {
    beds[k] = {
      id: k,
      pixelCount: pixels[k],
      weightSum: weights[k],
      runCount: runCounts[k],
      minX: minX[k],
      minY: minY[k],
      maxX: maxX[k],
      maxY: maxY[k],
    };
  }
  return beds;
}

/**
 * The indices of each bed's runs, grouped by bed in one counting-sort pass. Within a bed the
 * indices are ascending, so rows are non-decreasing and x increases within a row. The arrays are
 * views on one shared buffer.
 *
 * @example
 * ```ts
 * const runsOfBed = groupRunsByBed(bedOfRun, count);
 * traceOutlines(runs, runsOfBed[0]);
 * ```
 */
export function groupRunsByBed(bedOfRun: Int32Array, count: number): Int32Array[] {
  const start = new Int32Array(count + 1);
  for (let i = 0; i < bedOfRun.length; i++) start[bedOfRun[i] + 1]++;
  for (let k = 0; k < count; k++) start[k + 1] += start[k];
  const fill = start.slice(0, count);
  const order = new Int32Array(bedOfRun.length);
  for (let i = 0; i < bedOfRun.length; i++) order[fill[bedOfRun[i]]++] = i;
  const groups: Int32Array[] = [];
  for (let k = 0; k < count; k++) groups.push(order.subarray(start[k], start[k + 1]));
  return groups;
}

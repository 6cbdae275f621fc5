import type { RunList } from './runs.js';

/**
 * A closed ring of pixel-corner coordinates `[x, y]` (x to the right, y down; pixel `(c, r)`
 * covers `[c, c + 1] × [r, r + 1]`). The first point is repeated last.
 */
export type Ring = Array<[number, number]>;

/** One separately bounded piece of a bed: its outer ring and the rings of its holes. */
export interface PixelPolygon {
  /** Positive shoelace area: `Σ (x_i·y_{i+1} − x_{i+1}·y_i) / 2 > 0` (clockwise on screen). */
  outer: Ring;
  /** Negative shoelace area each. */
  holes: Ring[];
}

/** The runs' union, row by row: intervals `[x0, x1)` with touching runs merged. */
interface Rows {
  y: number[];
  /** Intervals of row k are `start[k]..start[k + 1] - 1`. */
  start: number[];
  x0: number[];
  x1: number[];
}

/** Boundary edges, each directed so that the pixels inside are on its right (on screen). */
interface Edges {
  x0: number[];
  y0: number[];
  x1: number[];
  y1: number[];
  /** The interval whose pixel lies on the edge's inside. */
  interval: number[];
}

/**
 * The outline of the union of the given runs, as polygons in pixel-corner coordinates: one
 * polygon per separately bounded piece, i.e. per 4-connected set of pixels (pieces that touch
 * only at a corner are separate polygons), with its holes. Every ring is simple, so every polygon
 * is valid geometry (OGC/GEOS `IsValid`): where a piece touches itself at a corner (diagonal
 * pixels of one piece enclosing an empty patch) its boundary is split at that pinch vertex into
 * the outer ring and a hole that touches it there, which OGC allows; a hole pinched the same way
 * becomes two holes touching at a point. The covered area is the same either way. Collinear
 * vertices are removed and each outer ring starts at its top-left corner. Works from the runs' boundary edges, never a bitmap; O(k log k) for k
 * runs.
 *
 * Holes go to the smallest outer ring containing them, found exactly without point-in-polygon
 * tests: the pixels along a ring form one 4-connected piece, and a hole lies in the outer ring of
 * the piece around it.
 *
 * @param runIndices indices into `runs`, in any order (e.g. one bed from `groupRunsByBed`).
 * @example
 * ```ts
 * const [piece] = traceOutlines(runs, runsOfBed[0]);
 * piece.outer; // [[0, 0], [2, 0], [2, 1], [0, 1], [0, 0]] for a two-pixel run in row 0
 * ```
 */
export function traceOutlines(runs: RunList, runIndices: ArrayLike<number>): PixelPolygon[] {
  const rows = mergeRows(runs, runIndices);
  const pieceOf = labelPieces(rows);
  const edges = collectEdges(rows);
  const polygons: PixelPolygon[] = [];
  const holes: Array<{ ring: Ring; piece: number }> = [];
  const polygonOfPiece = new Map<number, number>();
  const outerArea = new Map<number, number>();
  for (const { ring, area, interval } of traceRings(edges)) {
    const piece = pieceOf[interval];
    if (area <= 0) holes.push({ ring, piece });
    else {
      const index = polygons.push({ outer: ring, holes: [] }) - 1;
      // A piece has one outer boundary; should a split ever give it two loops, its holes go to the larger.
      if (area > (outerArea.get(piece) ?? 0)) {
        outerArea.set(piece, area);
        polygonOfPiece.set(piece, index);
      }
    }
  }
  for (const { ring, piece } of holes) polygons[polygonOfPiece.get(piece)!].holes.push(ring);
  return polygons;
}

function mergeRows(runs: RunList, runIndices: ArrayLike<number>): Rows {
  const rows: Rows = { y: [], start: [], x0: [], x1: [] };
  // Index order is row order, then x order within a row (RunList.push enforces it).
  const order = Int32Array.from(runIndices);
  if (order.some((i, k) => k > 0 && i < order[k - 1])) order.sort();
  for (const i of order) {
    const [row, x0, x1] = [runs.row(i), runs.x0(i), runs.x1(i)];
    const last = rows.x0.length - 1;
    const sameRow = rows.y.length > 0 && rows.y[rows.y.length - 1] === row;
    if (sameRow && x0 <= rows.x1[last]) {
      rows.x1[last] = Math.max(rows.x1[last], x1);
      continue;
    }
    if (!sameRow) {
      rows.y.push(row);
      rows.start.push(rows.x0.length);
    }
    rows.x0.push(x0);
    rows.x1.push(x1);
  }
  rows.start.push(rows.x0.length);
  return rows;
}

/** 4-connected pieces of the intervals (union-find), as a representative interval per interval. */
function labelPieces({ y, start, x0, x1 }: Rows): Int32Array {
  const parent = new Int32Array(x0.length);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  for (let k = 1; k < y.length; k++) {
    if (y[k - 1] !== y[k] - 1) continue;
    for (let a = start[k - 1], b = start[k]; a < start[k] && b < start[k + 1]; ) {
      if (x0[a] < x1[b] && x0[b] < x1[a]) {
        const [ra, rb] = [find(a), find(b)];
        // Union by index with path halving: O(log k) amortised at worst, ample for one bed.
        if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
      }
      if (x1[a] <= x1[b]) a++;
      else b++;
    }
  }
  for (let i = 0; i < parent.length; i++) parent[i] = find(i);
  return parent;
}

/**
 * Directed boundary edges: per row, unit vertical edges at each interval's ends, and horizontal
 * edges from the difference with the row above (top edges run +x, bottom edges −x).
 */
function collectEdges(rows: Rows): Edges {
  const { y: rowY, start, x0, x1 } = rows;
  const edges: Edges = { x0: [], y0: [], x1: [], y1: [], interval: [] };
  const add = (ax: number, ay: number, bx: number, by: number, interval: number): void => {
    edges.x0.push(ax);
    edges.y0.push(ay);
    edges.x1.push(bx);
    edges.y1.push(by);
    edges.interval.push(interval);
  };
  // Calls emit(s, e, i) for each piece [s, e) of intervals a0..a1-1 not covered by b0..b1-1.
  const difference = (a0: number, a1: number, b0: number, b1: number, emit: (s: number, e: number, i: number) => void): void => {
    let j = b0;
    for (let i = a0; i < a1; i++) {
      let s = x0[i];
      while (j < b1 && x1[j] <= s) j++;
      for (let t = j; s < x1[i]; t++) {
        if (t >= b1 || x0[t] >= x1[i]) {
          emit(s, x1[i], i);
          break;
        }
        if (x0[t] > s) emit(s, x0[t], i);
        s = x1[t];
      }
    }
  };
  for (let k = 0; k < rowY.length; k++) {
    const y = rowY[k];
    const [c0, c1] = [start[k], start[k + 1]];
    const [p0, p1] = k > 0 && rowY[k - 1] === y - 1 ? [start[k - 1], c0] : [c0, c0];
    difference(c0, c1, p0, p1, (s, e, i) => add(s, y, e, y, i));
    difference(p0, p1, c0, c1, (s, e, i) => add(e, y, s, y, i));
    for (let i = c0; i < c1; i++) {
      add(x1[i], y, x1[i], y + 1, i);
      add(x0[i], y + 1, x0[i], y, i);
    }
    const hasBelow = k + 1 < rowY.length && rowY[k + 1] === y + 1;
    if (!hasBelow) for (let i = c0; i < c1; i++) add(x1[i], y + 1, x0[i], y + 1, i);
  }
  return edges;
}

/**
 * Links edges into rings. Where four edges meet (pixels touching only at a corner) the ring turns
 * right, toward the inside, so it keeps to the pixel it came along and corner contacts split.
 */
function traceRings(edges: Edges): Array<{ ring: Ring; area: number; interval: number }> {
  const { x0, y0, x1, y1 } = edges;
  const n = x0.length;
  const order = sortByStart(edges);
  const next = (e: number): number => {
    // Bisect for the first edge starting at e's end vertex; a second may follow it.
    const [x, y] = [x1[e], y1[e]];
    let [lo, hi] = [0, n];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = order[mid];
      if (y0[m] < y || (y0[m] === y && x0[m] < x)) lo = mid + 1;
      else hi = mid;
    }
    const first = order[lo];
    const second = lo + 1 < n ? order[lo + 1] : -1;
    if (second < 0 || x0[second] !== x || y0[second] !== y) return first;
    // Four edges meet: take the right turn, direction (−dy, dx) on screen.
    const turnsRight =
      Math.sign(x1[first] - x) === -Math.sign(y - y0[e]) && Math.sign(y1[first] - y) === Math.sign(x - x0[e]);
    return turnsRight ? first : second;
  };

  const used = new Uint8Array(n);
  const rings: Array<{ ring: Ring; area: number; interval: number }> = [];
  // Taking edges in start-vertex order, each ring starts at its top-left vertex, a corner.
  for (const first of order) {
    if (used[first]) continue;
    const loop: number[] = [];
    for (let e = first; !used[e]; e = next(e)) {
      used[e] = 1;
      loop.push(e);
    }
    for (const simple of splitAtPinches(loop, edges)) {
      rings.push({ ...simplifyRing(simple.map((e) => x0[e]), simple.map((e) => y0[e])), interval: edges.interval[simple[0]] });
    }
  }
  return rings;
}

/**
 * Splits a closed loop of edges at every vertex it visits twice, into loops that visit each
 * vertex once (simple rings). Walks the loop keeping a stack of edges; when an edge starts at a
 * vertex already on the stack, the edges since then close a loop of their own and leave it.
 */
function splitAtPinches(loop: number[], { x0, y0 }: Edges): number[][] {
  const key = (e: number) => `${x0[e]},${y0[e]}`;
  const stack: number[] = [];
  const depth = new Map<string, number>();
  const loops: number[][] = [];
  for (const e of loop) {
    const at = depth.get(key(e));
    if (at !== undefined) {
      const closed = stack.splice(at);
      for (const c of closed) depth.delete(key(c));
      loops.push(closed);
    }
    depth.set(key(e), stack.push(e) - 1);
  }
  loops.push(stack);
  return loops;
}

/** Edge indices sorted by start vertex, row-major (y, then x). */
function sortByStart({ x0, y0 }: Edges): Int32Array {
  const n = x0.length;
  const order = new Int32Array(n);
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let e = 0; e < n; e++) {
    [minX, maxX] = [Math.min(minX, x0[e]), Math.max(maxX, x0[e])];
    [minY, maxY] = [Math.min(minY, y0[e]), Math.max(maxY, y0[e])];
  }
  const stride = maxX - minX + 1;
  if ((maxY - minY + 1) * stride * n <= Number.MAX_SAFE_INTEGER) {
    // Fast path: pack (vertex key, edge index) into one exact double and sort natively.
    const packed = new Float64Array(n);
    for (let e = 0; e < n; e++) packed[e] = ((y0[e] - minY) * stride + x0[e] - minX) * n + e;
    packed.sort();
    for (let i = 0; i < n; i++) order[i] = packed[i] % n;
  } else {
    for (let e = 0; e < n; e++) order[e] = e;
    order.sort((a, b) => y0[a] - y0[b] || x0[a] - x0[b]);
  }
  return order;
}

/** Drops collinear vertices, closes the ring, and measures its shoelace area. */
function simplifyRing(xs: number[], ys: number[]): { ring: Ring; area: number } {
  const m = xs.length;
  const ring: Ring = [];
  for (let i = 0; i < m; i++) {
    const [p, q] = [(i + m - 1) % m, (i + 1) % m];
    const collinear = (xs[p] === xs[i] && xs[i] === xs[q]) || (ys[p] === ys[i] && ys[i] === ys[q]);
    if (!collinear) ring.push([xs[i], ys[i]]);
  }
  ring.push([ring[0][0], ring[0][1]]);
  // Shoelace about the first vertex: the same value, but exact in doubles far from the origin.
  const [ox, oy] = ring[0];
  let twiceArea = 0;
  for (let i = 1; i + 1 < ring.length; i++) {
    twiceArea += (ring[i][0] - ox) * (ring[i + 1][1] - oy) - (ring[i + 1][0] - ox) * (ring[i][1] - oy);
  }
  return { ring, area: twiceArea / 2 };
}

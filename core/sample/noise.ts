/**
 * Stateless integer hashing and noise for the procedural sample scene. Every value is a pure
 * function of (seed, integer pixel coordinates), so any window of a scene can be generated
 * alone and comes out bit-identical to the same pixels of a bigger window. No sequential PRNG.
 *
 * The per-pixel fields are filled a row at a time ({@link addNoiseRow}, {@link addGaussianRow}):
 * the lattice corners are hashed once per cell rather than per pixel, and no number is boxed in
 * the inner loops, which keeps a 1024 × 1024 window of all bands well under a second.
 */

/**
 * A well-mixed 32-bit hash of a seed and two integers (MurmurHash3 finaliser after each input).
 *
 * @example
 * ```ts
 * const h = hash2(seed, col, row); // 0 … 2^32 − 1
 * ```
 */
export function hash2(seed: number, x: number, y: number): number {
  let h = (seed ^ Math.imul(x | 0, 0x9e3779b1)) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  h = ((h ^ Math.imul(y | 0, 0x85ebca77)) + 0x165667b1) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Uniform number in [0, 1) from a seed and up to three integers, for laying out features.
 *
 * @example
 * ```ts
 * const jitter = uniform(seed, slot, 7); // the 7th parameter of this slot
 * ```
 */
export function uniform(seed: number, a: number, b: number, c = 0): number {
  return hash2(hash2(seed, a, b), c, 0x27d4eb2f) / 4294967296;
}

/** Lattice value in [0, 1) at integer corner (i, j). */
function corner(seed: number, i: number, j: number): number {
  return hash2(seed, i, j) / 4294967296;
}

/**
 * An affine map from pixel (col, row) to noise-lattice coordinates:
 * `u = ux·col + (uy·row + u0)`, `v = vx·col + (vy·row + v0)`. Rotations and anisotropic
 * scales give streaks; `{ ux: 1/s, vy: 1/s }` is plain noise with features about `s` pixels wide.
 */
export interface NoiseMap {
  ux: number;
  uy: number;
  u0: number;
  vx: number;
  vy: number;
  v0: number;
}

/**
 * A map for axis-aligned noise of feature size `scale` pixels, shifted by (dx, dy) pixels.
 *
 * @example
 * ```ts
 * const coarse = scaledMap(120); // blobs about 120 pixels across
 * ```
 */
export function scaledMap(scale: number, dx = 0, dy = 0): NoiseMap {
  return { ux: 1 / scale, uy: 0, u0: dx / scale, vx: 0, vy: 1 / scale, v0: dy / scale };
}

/**
 * Adds `weight ×` 2-D value noise (lattice values in [0, 1), smoothstep-interpolated) to
 * `out[offset + k]` for pixels `col0 + k`, `k < count`, of `row`. Each pixel's value depends
 * only on (seed, map, col, row), never on where the run starts.
 *
 * @example
 * ```ts
 * const row = new Float64Array(width);
 * addNoiseRow(seed, scaledMap(90), x0, width, y, 1, row, 0);
 * ```
 */
export function addNoiseRow(
  seed: number,
  map: NoiseMap,
  col0: number,
  count: number,
  row: number,
  weight: number,
  out: Float32Array | Float64Array,
  offset: number,
): void {
  const { ux, vx } = map;
  const ub = map.uy * row + map.u0;
  const vb = map.vy * row + map.v0;
  let ci = NaN;
  let cj = NaN;
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  for (let k = 0; k < count; k++) {
    const col = col0 + k;
    const u = ux * col + ub;
    const v = vx * col + vb;
    const i = Math.floor(u);
    const j = Math.floor(v);
    if (i !== ci || j !== cj) {
      ci = i;
      cj = j;
      a = corner(seed, i, j);
      b = corner(seed, i + 1, j);
      c = corner(seed, i, j + 1);
      d = corner(seed, i + 1, j + 1);
    }
    const fu = u - i;
    const fv = v - j;
    const su = fu * fu * (3 - 2 * fu);
    const sv = fv * fv * (3 - 2 * fv);
    const top = a + (b - a) * su;
    const bottom = c + (d - c) * su;
    out[offset + k] += weight * (top + (bottom - top) * sv);
  }
}

/**
 * Value noise at one pixel (the same value {@link addNoiseRow} gives there).
 *
 * @example
 * ```ts
 * const n = noiseAt(seed, scaledMap(14), col, row); // in [0, 1)
 * ```
 */
export function noiseAt(seed: number, map: NoiseMap, col: number, row: number): number {
  const one = new Float64Array(1);
  addNoiseRow(seed, map, col, 1, row, 1, one, 0);
  return one[0];
}

/** Standard deviation of the sum of four independent uniform bytes (0–255): √(4 (256² − 1) / 12). */
const BYTE_SUM_SD = Math.sqrt((4 * (256 * 256 - 1)) / 12);

/**
 * Adds `sigma ×` approximately standard-normal noise to `out[offset + k]` for pixels
 * `col0 + k` of `row`, one independent draw per (seed, col, row, stream). The draw is the
 * Irwin–Hall sum of the four bytes of one hash: mean 0, standard deviation 1, bounded to ±3.46.
 *
 * @example
 * ```ts
 * addGaussianRow(seed, x0, width, y, bandIndex, 0.0015, reflectanceRow, 0);
 * ```
 */
export function addGaussianRow(
  seed: number,
  col0: number,
  count: number,
  row: number,
  stream: number,
  sigma: number,
  out: Float32Array | Float64Array,
  offset: number,
): void {
  const rowSeed = hash2(seed, row, stream) | 0;
  const scale = sigma / BYTE_SUM_SD;
  for (let k = 0; k < count; k++) {
    let h = (rowSeed ^ Math.imul((col0 + k) | 0, 0x9e3779b1)) | 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    const sum = (h & 255) + ((h >>> 8) & 255) + ((h >>> 16) & 255) + (h >>> 24);
    out[offset + k] += scale * (sum - 510);
  }
}

/** Hermite smoothstep of `x` between edges `a` < `b`, clamped to [0, 1]. */
export function smoothstep(a: number, b: number, x: number): number {
  if (x <= a) return 0;
  if (x >= b) return 1;
  const t = (x - a) / (b - a);
  return t * t * (3 - 2 * t);
}

/**
 * 1-D value noise in [0, 1): hashed lattice values at integers, smoothly interpolated.
 *
 * @example
 * ```ts
 * const wiggle = valueNoise1(seed, row / 64); // features about 64 rows long
 * ```
 */
export function valueNoise1(seed: number, t: number): number {
  const i = Math.floor(t);
  const f = t - i;
  const w = f * f * (3 - 2 * f);
  const a = corner(seed, i, 0);
  return a + (corner(seed, i + 1, 0) - a) * w;
}

/**
 * Floating kelp beds of the sample scene: irregular ellipses elongated along the shore in the
 * nearshore band, with dense cores (canopy fraction 0.8–1.0, full cover over about half of
 * each core) and patchy edges grading to 0,
 * plus tiny isolated beds of 1–4 pixels (under the 500 m² minimum bed area).
 */
import { coastX } from './coast.js';
import type { Coastline } from './coast.js';
import { addNoiseRow, hash2, scaledMap, uniform } from './noise.js';
import { NATURAL_PARAMS, SCENE_PARAMS } from './params.js';

/** One kelp bed. Coordinates in 10 m pixels of the scene grid. */
export interface KelpBed {
  cx: number;
  cy: number;
  /** Direction of the long axis (cos, sin of its angle from the x axis). */
  cos: number;
  sin: number;
  /** Semi-axes, pixels: `along` the long axis, `across` it. */
  along: number;
  across: number;
  /** Scaling of the canopy's red-edge/NIR contrast over red for this bed. */
  contrast: number;
  /**
   * Shape of the canopy density: the dense core lies inside `coreRadius` of the (noisy) outline
   * radius; edge patches thin to `holeFloor` of the edge density.
   */
  coreRadius: number;
  holeFloor: number;
  seed: number;
  /** Pixel bounds that hold every non-zero pixel: `[x0, y0, x1, y1)`. */
  bounds: [number, number, number, number];
}

/** A tiny bed: `pixels` (1–4) pixels filled in the order (0,0), (1,0), (0,1), (1,1) from (x, y). */
export interface TinyBed {
  x: number;
  y: number;
  pixels: number;
  fraction: number;
}

/** Outline wobble (in units of the semi-axes): a bed reaches at most 1 + this/2. */
const WOBBLE = 0.55;
const REACH = 1 + WOBBLE / 2;

/** Linear interpolation of a `[min, max]` range at `t` in [0, 1]. */
function lerp(range: readonly [number, number], t: number): number {
  return range[0] + (range[1] - range[0]) * t;
}

/**
 * The kelp beds along the coast for rows `[-margin, height + margin)`, one or two per slot.
 *
 * @example
 * ```ts
 * const beds = createBeds(seed, coast, 512);
 * ```
 */
export function createBeds(seed: number, coast: Coastline, height: number, natural = false): KelpBed[] {
  const p = SCENE_PARAMS;
  const q = NATURAL_PARAMS;
  const beds: KelpBed[] = [];
  const margin = 2 * p.bedAlongPx[1];
  const firstSlot = Math.floor(-margin / p.bedSlotPx);
  const lastSlot = Math.ceil((height + margin) / p.bedSlotPx);
  for (let slot = firstSlot; slot <= lastSlot; slot++) {
    for (let j = 0; j < p.bedChance.length; j++) {
      const r = (k: number) => uniform(seed, slot, j, k);
      if (r(0) >= p.bedChance[j]) continue;
      const cy = (slot + r(1)) * p.bedSlotPx;
      let along = lerp(p.bedAlongPx, r(2) ** 1.5);
      const across = Math.min(along, lerp(p.bedAcrossPx, r(3)));
      const slope = (coastX(coast, cy + 1) - coastX(coast, cy - 1)) / 2;
      const tilt = 0.35 * (2 * r(4) - 1);
      const angle = Math.atan2(1, slope) + tilt;
      // Cross-shore half-extent: keep the whole bed inside the nearshore band.
      let extent = REACH * Math.hypot(across * Math.cos(tilt), along * Math.sin(tilt));
      const room = (p.nearshoreMaxPx - p.nearshoreMinPx) / 2;
      if (extent > room) {
        along *= room / extent;
        extent = room;
      }
      // A fringing bed (natural variation) reaches the shore: its centre lies less than its
      // cross-shore half-extent offshore, and the land clips it.
      const fringing = natural && r(8) < q.fringeChance;
      const offshore = fringing ? lerp([0.25 * extent, 0.75 * extent], r(5)) : lerp([p.nearshoreMinPx + extent, p.nearshoreMaxPx - extent], r(5));
      const cx = coastX(coast, cy) - offshore;
      const reach = REACH * Math.max(along, across) + 1;
      const density = natural ? lerp(q.bedDensity, r(7)) : 1;
      beds.push({
        cx,
        cy,
        cos: Math.cos(angle),
        sin: Math.sin(angle),
        along,
        across,
        contrast: natural ? lerp(q.bedBrightness, r(6)) : lerp(p.bedContrast, r(6)),
        coreRadius: natural ? 0.2 + 0.35 * density : 0.45,
        holeFloor: natural ? 0.25 + 0.35 * density : 0.6,
        seed: hash2(seed, slot, j),
        bounds: [Math.floor(cx - reach), Math.floor(cy - reach), Math.ceil(cx + reach) + 1, Math.ceil(cy + reach) + 1],
      });
    }
  }
  return beds;
}

/**
 * The bed scaled by `scale` about its centre: semi-axes and bounds (the outline's noise keeps its
 * grain, so the area goes with the square of the scale within a few per cent).
 */
export function scaleBed(bed: KelpBed, scale: number): KelpBed {
  if (scale === 1) return bed;
  const along = bed.along * scale;
  const across = bed.across * scale;
  const reach = REACH * Math.max(along, across) + 1;
  return { ...bed, along, across, bounds: [Math.floor(bed.cx - reach), Math.floor(bed.cy - reach), Math.ceil(bed.cx + reach) + 1, Math.ceil(bed.cy + reach) + 1] };
}

/** Noise fields of a bed: outline wobble (14 px), core density (5 px), thinner patches in the edges (6 px). */
const WOBBLE_MAP = scaledMap(14);
const CORE_MAP = scaledMap(5);
const HOLES_MAP = scaledMap(6);

/** Scratch rows reused by {@link fillBedRow}. */
export interface BedScratch {
  wobble: Float64Array;
  core: Float64Array;
  holes: Float64Array;
}

/** Scratch rows for spans of up to `length` pixels. */
export function createBedScratch(length: number): BedScratch {
  return { wobble: new Float64Array(length), core: new Float64Array(length), holes: new Float64Array(length) };
}

/**
 * Writes the canopy fraction (0–1) of `bed` for pixels `col0 + k` of `row` into `out[k]`: a
 * dense core of 0.8–1.0 inside `coreRadius` of the (noisy) radius, then a patchy fall to 0 at
 * the outline.
 */
export function fillBedRow(bed: KelpBed, col0: number, count: number, row: number, out: Float32Array, scratch: BedScratch): void {
  const { wobble, core, holes } = scratch;
  wobble.fill(0, 0, count);
  core.fill(0, 0, count);
  holes.fill(0, 0, count);
  addNoiseRow(bed.seed, WOBBLE_MAP, col0, count, row, 1, wobble, 0);
  addNoiseRow(bed.seed ^ 0x1234, CORE_MAP, col0, count, row, 1, core, 0);
  addNoiseRow(bed.seed ^ 0x4321, HOLES_MAP, col0, count, row, 1, holes, 0);
  const dy = row + 0.5 - bed.cy;
  for (let k = 0; k < count; k++) {
    const dx = col0 + k + 0.5 - bed.cx;
    const u = (dx * bed.cos + dy * bed.sin) / bed.along;
    const v = (dy * bed.cos - dx * bed.sin) / bed.across;
    const r = Math.sqrt(u * u + v * v) + WOBBLE * (wobble[k] - 0.5);
    let fraction = 0;
    if (r < 1) {
      // Dense cores close into a continuous surface mat (full cover) over about half their area,
      // as the cores of established giant-kelp beds do; 0.8–1.0 elsewhere in the core.
      const dense = Math.min(1, 0.8 + 0.4 * core[k]);
      // Sparse edge: falls from the core density, thinner in patches, then drops to 0 within the
      // last few per cent of the radius (beds have a fairly sharp outer boundary).
      const rc = bed.coreRadius;
      fraction = r <= rc ? dense : dense * Math.sqrt((1 - r) / (1 - rc)) * (bed.holeFloor + (1 - bed.holeFloor) * holes[k]);
    }
    out[k] = fraction < 0.02 ? 0 : fraction;
  }
}

/** Canopy fraction of `bed` at one pixel (what {@link fillBedRow} writes there). */
export function bedFraction(bed: KelpBed, col: number, row: number): number {
  const out = new Float32Array(1);
  fillBedRow(bed, col, 1, row, out, createBedScratch(1));
  return out[0];
}

/**
 * Tiny beds in the nearshore band, each at least one clear pixel away from every kelp bed, so
 * an 8-connected labelling sees it alone.
 */
export function createTinyBeds(seed: number, coast: Coastline, height: number, beds: readonly KelpBed[]): TinyBed[] {
  const p = SCENE_PARAMS;
  const tiny: TinyBed[] = [];
  const lastSlot = Math.ceil(height / p.tinySlotPx);
  for (let slot = 0; slot <= lastSlot; slot++) {
    const r = (k: number) => uniform(seed, slot, 0x7177, k);
    if (r(0) >= p.tinyChance) continue;
    const y = Math.floor(slot * p.tinySlotPx + 2 + r(1) * (p.tinySlotPx - 6));
    const offshore = lerp([p.nearshoreMinPx + 5, p.nearshoreMaxPx], r(2));
    const x = Math.floor(coastX(coast, y) - offshore);
    if (!isClearOfBeds(beds, x - 1, y - 1, x + 3, y + 3)) continue;
    tiny.push({ x, y, pixels: 1 + Math.floor(r(3) * 4), fraction: lerp([0.6, 0.95], r(4)) });
  }
  return tiny;
}

/** True when no bed has canopy in pixels `[x0, x1) × [y0, y1)`. */
function isClearOfBeds(beds: readonly KelpBed[], x0: number, y0: number, x1: number, y1: number): boolean {
  for (const bed of beds) {
    const [bx0, by0, bx1, by1] = bed.bounds;
    if (bx1 <= x0 || bx0 >= x1 || by1 <= y0 || by0 >= y1) continue;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) if (bedFraction(bed, x, y) > 0) return false;
    }
  }
  return true;
}

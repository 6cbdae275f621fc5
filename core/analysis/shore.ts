/**
 * The shore step, after every strip is scanned. Within `bufferPx` of land (by the 20 m SWIR
 * test) a pixel's 20 m bands mix in land, so the method's answer is not trusted there; the 10 m
 * shore test's answer is taken instead (see `shoreGreenExcessMax`, `shoreNdviMin`), and canopy
 * it finds in the zone is kept only when it belongs to a bed that also has canopy outside the
 * zone and is near it — kelp beds grow out from the shore; shoreline pixels alone, or running
 * along the coast from a bed, are not canopy.
 * Without the shore test (no B03), water in the zone is not analysed, as before.
 */
import { type Candidates, PixelValues } from './candidates.js';
import { MASK } from './mask-values.js';
import { RunList } from './runs.js';

/**
 * How far beyond the zone's width shore canopy may lie from a bed's offshore canopy, in pixels
 * (8-connected steps): the zone plus 30 m of canopy hugging a curving shore. Ours.
 */
export const SHORE_REACH_PX = 3;

/** Working values: kelp in the shore zone, and zone kelp found near a bed (kept). */
const ZONE_KELP = 248;
const ZONE_KEPT = 244;
/** Working values: SWIR land in the shore zone that the 10 m test found to be sea, kelp or not. */
const ZONE_SEA_KELP = 247;
const ZONE_SEA_WATER = 246;

/** What the shore step did. */
export interface ShoreSummary {
  /** Whether the 10 m shore test decided the shore zone (else the zone was left out). */
  test: boolean;
  /** Kelp pixels in the zone kept (near a bed outside it) and dropped (not). */
  zoneKelp: number;
  zoneKelpDropped: number;
  /** Pixels the 20 m SWIR test called land that the 10 m test showed to be sea. */
  seaUnderSwirLand: number;
}

/** Final kelp runs and their values (one entry per kelp pixel, shore FAI in the zone). */
export interface ShoreResult {
  runs: RunList;
  values: PixelValues;
  summary: ShoreSummary;
}

/** Where the shore zone starts: land by the 20 m SWIR (whatever the 10 m test said), or by the 10 m colour. */
const isSwirLand = (v: number) =>
  v === MASK.land || v === MASK.shoreSeaKelp || v === MASK.shoreSeaWater || v === ZONE_SEA_KELP || v === ZONE_SEA_WATER || v === MASK.colourLand;

/**
 * Resolves the working mask values of a scanned window into water, kelp and land (and `coast`
 * without the shore test), and returns the kelp runs with their values. Mutates `mask`.
 */
export function resolveShore(mask: Uint8Array, width: number, height: number, candidates: Candidates, bufferPx: number, shoreTest: boolean): ShoreResult {
  let seaUnderSwirLand = 0;
  markZone(mask, width, height, bufferPx, shoreTest);
  // Outside the zone: the method decides; SWIR land the 10 m test called sea but far from the
  // shore stays land (its 20 m SWIR is its own).
  for (let i = 0; i < mask.length; i++) {
    const v = mask[i];
    if (v === MASK.shoreMethodOnly) mask[i] = MASK.kelp;
    else if (v === MASK.colourLand) mask[i] = MASK.water;
    else if (v === MASK.shoreTestOnly) mask[i] = MASK.water;
    else if (v === MASK.shoreSeaKelp || v === MASK.shoreSeaWater) mask[i] = MASK.land;
    else if (v === ZONE_SEA_KELP) {
      mask[i] = ZONE_KELP;
      seaUnderSwirLand++;
    } else if (v === ZONE_SEA_WATER) {
      mask[i] = MASK.water;
      seaUnderSwirLand++;
    }
  }
  const { kept, dropped } = shoreTest ? keepNearBeds(mask, width, height, candidates.runs, bufferPx + SHORE_REACH_PX) : { kept: 0, dropped: 0 };
  const { runs, values } = extractKelp(mask, width, candidates);
  return { runs, values, summary: { test: shoreTest, zoneKelp: kept, zoneKelpDropped: dropped, seaUnderSwirLand } };
}

/**
 * Marks the zone within `bufferPx` (Chebyshev) of every SWIR-land pixel on the shoreline: with
 * the shore test, the method-only kelp there becomes water and the test's kelp becomes zone
 * kelp; without it, water and kelp there become `coast`.
 */
function markZone(mask: Uint8Array, width: number, height: number, bufferPx: number, shoreTest: boolean): void {
  if (bufferPx <= 0) return;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!isSwirLand(mask[y * width + x]) || !onShoreline(mask, width, height, x, y)) continue;
      for (let ny = Math.max(0, y - bufferPx); ny <= Math.min(height - 1, y + bufferPx); ny++) {
        for (let nx = Math.max(0, x - bufferPx); nx <= Math.min(width - 1, x + bufferPx); nx++) {
          const j = ny * width + nx;
          const v = mask[j];
          if (!shoreTest) {
            if (v === MASK.kelp || v === MASK.water) mask[j] = MASK.coast;
          } else if (v === MASK.kelp || v === MASK.shoreTestOnly) mask[j] = ZONE_KELP;
          else if (v === MASK.shoreMethodOnly) mask[j] = MASK.water;
          else if (v === MASK.shoreSeaKelp) mask[j] = ZONE_SEA_KELP;
          else if (v === MASK.shoreSeaWater) mask[j] = ZONE_SEA_WATER;
        }
      }
    }
  }
}

/** True when a SWIR-land pixel has a 4-neighbour that is not SWIR land. */
function onShoreline(mask: Uint8Array, width: number, height: number, x: number, y: number): boolean {
  const i = y * width + x;
  return (
    (x > 0 && !isSwirLand(mask[i - 1])) ||
    (x < width - 1 && !isSwirLand(mask[i + 1])) ||
    (y > 0 && !isSwirLand(mask[i - width])) ||
    (y < height - 1 && !isSwirLand(mask[i + width]))
  );
}

/**
 * Keeps zone kelp within `reach` steps (8-connected, through zone kelp) of kelp outside the zone;
 * the rest becomes water. A bed that touches the shore crosses the zone from its offshore part,
 * so its shore pixels are a few steps away; a line of shoreline pixels running along the coast
 * from a bed (mixed land-and-water pixels) is not.
 */
function keepNearBeds(mask: Uint8Array, width: number, height: number, candidateRuns: RunList, reach: number): { kept: number; dropped: number } {
  const zone: number[] = [];
  for (let r = 0; r < candidateRuns.length; r++) {
    const o = candidateRuns.row(r) * width;
    for (let x = candidateRuns.x0(r); x < candidateRuns.x1(r); x++) if (mask[o + x] === ZONE_KELP) zone.push(o + x);
  }
  const neighbours = (i: number, visit: (j: number) => void) => {
    const x = i % width;
    const y = (i - x) / width;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const nx = x + dx;
        const ny = y + dy;
        if ((dx || dy) && nx >= 0 && ny >= 0 && nx < width && ny < height) visit(ny * width + nx);
      }
    }
  };
  let frontier = zone.filter((i) => {
    let beside = false;
    neighbours(i, (j) => {
      if (mask[j] === MASK.kelp) beside = true;
    });
    return beside;
  });
  for (const i of frontier) mask[i] = ZONE_KEPT;
  for (let step = 1; step < reach && frontier.length; step++) {
    const next: number[] = [];
    for (const i of frontier) {
      neighbours(i, (j) => {
        if (mask[j] !== ZONE_KELP) return;
        mask[j] = ZONE_KEPT;
        next.push(j);
      });
    }
    frontier = next;
  }
  let kept = 0;
  let dropped = 0;
  for (const i of zone) {
    if (mask[i] === ZONE_KEPT) {
      mask[i] = ZONE_KELP;
      kept++;
    } else {
      mask[i] = MASK.water;
      dropped++;
    }
  }
  return { kept, dropped };
}

/** The final kelp runs (zone kelp included, then marked kelp) and the values of their pixels. */
function extractKelp(mask: Uint8Array, width: number, candidates: Candidates): { runs: RunList; values: PixelValues } {
  const from = candidates.values;
  const values = new PixelValues(from.scoreNames);
  const runs = new RunList();
  let p = 0;
  for (let r = 0; r < candidates.runs.length; r++) {
    const row = candidates.runs.row(r);
    const o = row * width;
    let start = -1;
    const x1 = candidates.runs.x1(r);
    for (let x = candidates.runs.x0(r); x <= x1; x++, p++) {
      const v = x < x1 ? mask[o + x] : MASK.masked;
      const kelp = v === MASK.kelp || v === ZONE_KELP;
      if (kelp) {
        values.copyFrom(from, p, v === ZONE_KELP);
        mask[o + x] = MASK.kelp;
        if (start < 0) start = x;
      } else if (start >= 0) {
        runs.push(row, start, x, x - start);
        start = -1;
      }
    }
    p--; // the loop's last step (x = x1) is past the run
  }
  return { runs, values };
}

/**
 * A kelp bed in decline, for the monitored-sites tests: three years (2021–2023) of synthetic
 * Sentinel-2 scenes over one place (core/sample, seed 3, 512 × 512 px off Monterey), the beds
 * shrinking quarter by quarter so the canopy area falls by a known 5 % of its first value a
 * quarter, two clear scenes a quarter, plus two fully clouded scenes and one half clouded (SCL
 * class 9, cloud high probability, over the site). Every scene's COGs are written once per
 * machine into the temporary folder; the truth is counted from the generator's canopy fraction
 * inside the site's own rasterised polygon.
 */
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSampleScene } from '../../adapters/local/sample-writer.js';
import type { BandName } from '../../core/analysis/bands.js';
import { type LonLatPolygons, rasterizeAoi } from '../../core/analysis/aoi-mask.js';
import { toWgs84 } from '../../core/raster/crs.js';
import type { PixelWindow } from '../../core/raster/grid.js';
import { type SampleScene, createSampleScene } from '../../core/sample/scene.js';
import { coastalEarthSearchItem } from './stac-fixtures.js';

const SIZE = 512;
const SEED = 3;
const VERSION = 1;
/** SCL class "cloud, high probability". */
const SCL_CLOUD = 9;
/** Canopy lost per quarter, as a share of the first quarter's. */
export const LOSS_PER_QUARTER = 0.05;

/** The site, in 10 m pixels of the scene: the beds of seed 3 lie in columns 208–338. */
const SITE_PX = { x0: 180, y0: 96, x1: 370, y1: 416 } as const;

/** A clouded part of a scene, in 10 m pixels (`[x0, x1) × [y0, y1)`). */
type CloudBox = { x0: number; y0: number; x1: number; y1: number };

/** One scene of the fixture. */
export interface DeclineScene {
  id: string;
  datetime: string;
  quarter: string;
  /** Bed scale (the canopy area goes with its square). */
  scale: number;
  /** `clear`, `cloudy` (all the site) or `partly` (half of it). */
  sky: 'clear' | 'cloudy' | 'partly';
}

/** The bed's scale in quarter `q` (0 = 2021-Q1): area share 1 − 5 % × q. */
const scaleOf = (q: number) => Math.sqrt(1 - LOSS_PER_QUARTER * q);

/** Every scene: two clear ones a quarter, cloudy ones in 2021-Q3 and 2022-Q2, a half-clouded one in 2023-Q1. */
export const DECLINE_SCENES: DeclineScene[] = (() => {
  const scenes: DeclineScene[] = [];
  for (let q = 0; q < 12; q++) {
    const year = 2021 + Math.floor(q / 4);
    const month = (q % 4) * 3 + 1;
    const quarter = `${year}-Q${(q % 4) + 1}`;
    const at = (m: number, day: number) => `${year}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}T19:03:00Z`;
    const id = (kind: string, m: number, day: number) => `S2X_DECLINE_${kind}_${year}${String(m).padStart(2, '0')}${String(day).padStart(2, '0')}`;
    scenes.push({ id: id('CLEAR', month, 10), datetime: at(month, 10), quarter, scale: scaleOf(q), sky: 'clear' });
    scenes.push({ id: id('CLEAR', month + 1, 14), datetime: at(month + 1, 14), quarter, scale: scaleOf(q), sky: 'clear' });
    const sky = quarter === '2021-Q3' || quarter === '2022-Q2' ? 'cloudy' : quarter === '2023-Q1' ? 'partly' : undefined;
    if (sky) scenes.push({ id: id(sky.toUpperCase(), month + 2, 20), datetime: at(month + 2, 20), quarter, scale: scaleOf(q), sky });
  }
  return scenes;
})();

/** The scene generator of a fixture scene: clouds and shadows of the generator off, SCL set to cloud where the sky says. */
export function declineScene(scene: Pick<DeclineScene, 'scale' | 'sky'>): SampleScene {
  const base = createSampleScene({ width: SIZE, height: SIZE, seed: SEED, canopyScale: scene.scale, features: { cloud: false, shadow: false } });
  if (scene.sky === 'clear') return base;
  const box: CloudBox = scene.sky === 'cloudy' ? SITE_PX : { ...SITE_PX, y1: SITE_PX.y0 + Math.round((SITE_PX.y1 - SITE_PX.y0) / 2) };
  return { ...base, readBands: (bands, window, resolutionM) => clouded(base.readBands(bands, window, resolutionM), bands, window, resolutionM, box) };
}

function clouded(values: Record<string, Uint16Array>, bands: readonly BandName[], window: PixelWindow, resolutionM: 10 | 20, box: CloudBox): Record<string, Uint16Array> {
  if (!bands.includes('SCL')) return values;
  const f = resolutionM / 10;
  const scl = values.SCL;
  for (let r = 0; r < window.height; r++) {
    for (let c = 0; c < window.width; c++) {
      const x = (window.x0 + c) * f;
      const y = (window.y0 + r) * f;
      if (x >= box.x0 && x < box.x1 && y >= box.y0 && y < box.y1) scl[r * window.width + c] = SCL_CLOUD;
    }
  }
  return values;
}

/** The site's polygon in WGS 84: the pixel box's corners, with a notch cut into its shore side (a real polygon, not a box). */
export function declineSitePolygon(): { type: 'Polygon'; coordinates: LonLatPolygons[number] } {
  const { grid } = declineScene({ scale: 1, sky: 'clear' });
  const project = toWgs84(grid.crs);
  const t = grid.transform;
  const { x0, y0, x1, y1 } = SITE_PX;
  const midY = (y0 + y1) / 2;
  const corners = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0 + 20, midY], [x0, y0]];
  const ring = corners.map(([x, y]) => project(t.originX + x * 10, t.originY - y * 10) as [number, number]);
  return { type: 'Polygon', coordinates: [ring] };
}

/** The true canopy area (fractional, m²) inside the site's polygon at bed scale `scale`. */
export function trueCanopyM2(scale: number): number {
  const scene = declineScene({ scale, sky: 'clear' });
  const window = { x0: 0, y0: 0, width: SIZE, height: SIZE };
  const mask = rasterizeAoi([declineSitePolygon().coordinates], scene.grid, window);
  const { canopyFraction } = scene.readTruth(window);
  let sum = 0;
  for (let r = 0; r < SIZE; r++) {
    for (let s = mask.offsets[r]; s < mask.offsets[r + 1]; s += 2) {
      for (let c = mask.spans[s]; c < mask.spans[s + 1]; c++) sum += canopyFraction[r * SIZE + c];
    }
  }
  return sum * 100;
}

/** Writes every scene's COGs once per machine; returns scene id → folder. */
export async function declineSceneDirs(): Promise<Record<string, string>> {
  const root = join(tmpdir(), `kelpie-site-decline-v${VERSION}-${SIZE}-${SEED}`);
  const dirs: Record<string, string> = {};
  for (const scene of DECLINE_SCENES) {
    const name = `${scene.sky}-${scene.scale.toFixed(6)}`;
    const dir = join(root, name);
    dirs[scene.id] = dir;
    if (existsSync(join(dir, '.complete'))) continue;
    await rm(dir, { recursive: true, force: true });
    await writeSampleScene(declineScene(scene), dir, { layout: 'per-band', tileSize: 256 });
    await writeFile(join(dir, '.complete'), new Date().toISOString());
  }
  return dirs;
}

/** The fixture's Earth Search items (`{{base}}` hrefs, as the STAC fixture server serves them). */
export function declineItems(): Array<Record<string, unknown>> {
  const scene = declineScene({ scale: 1, sky: 'clear' });
  return DECLINE_SCENES.map((s) => coastalEarthSearchItem({ id: s.id, datetime: s.datetime, cloudCover: s.sky === 'clear' ? 3 : s.sky === 'cloudy' ? 70 : 35, scene }));
}

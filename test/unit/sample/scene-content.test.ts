import { describe, expect, it } from 'vitest';
import { ALL_FEATURES, createLayout } from '../../../core/sample/layout.js';
import { TRUTH, createSampleScene } from '../../../core/sample/scene.js';
import { SPECTRA } from '../../../core/sample/spectra.js';
import { ALL_BANDS, fullWindow } from './scene-helpers.js';

/** KD (B06 − B04) threshold of Mora-Soto et al. 2020, the default classifier's. */
const KD_THRESHOLD = 0.003216;

/** Counts of truth facts over a whole scene. */
function summarize(size: number) {
  const scene = createSampleScene({ width: size, height: size });
  const { canopyFraction, flags } = scene.readTruth(fullWindow(scene));
  const count = (test: (fraction: number, flag: number) => boolean) => {
    let n = 0;
    for (let i = 0; i < flags.length; i++) if (test(canopyFraction[i], flags[i])) n++;
    return n;
  };
  return {
    dense: count((f) => f >= 0.7),
    land: count((_, flag) => (flag & TRUTH.land) !== 0),
    glint: count((_, flag) => (flag & TRUTH.glint) !== 0),
    foam: count((_, flag) => (flag & TRUTH.foam) !== 0),
    cloud: count((_, flag) => (flag & TRUTH.cloud) !== 0),
    shadow: count((_, flag) => (flag & TRUTH.shadow) !== 0),
    kelpUnderCloud: count((f, flag) => f >= 0.2 && (flag & TRUTH.cloud) !== 0),
    kelpUnderShadow: count((f, flag) => f >= 0.2 && (flag & TRUTH.shadow) !== 0 && !(flag & TRUTH.cloud)),
    kelpUnderGlint: count((f, flag) => f >= 0.2 && (flag & TRUTH.glint) !== 0 && !(flag & (TRUTH.cloud | TRUTH.shadow))),
    clearKelp: count((f, flag) => f >= 0.2 && flag === 0),
    kelpOnLand: count((f, flag) => f > 0 && (flag & (TRUTH.land | TRUTH.nodata)) !== 0),
    kelpInFoam: count((f, flag) => f > 0 && (flag & TRUTH.foam) !== 0),
  };
}

describe.each([512, 2048])('the default %i × %i scene', (size) => {
  const facts = summarize(size);

  it('has dense kelp, land, glint, foam, cloud and shadow', () => {
    expect(facts.dense).toBeGreaterThan(500);
    expect(facts.land).toBeGreaterThan(0.2 * size * size);
    for (const name of ['glint', 'foam', 'cloud', 'shadow'] as const) expect(facts[name], name).toBeGreaterThan(size * 4);
  });

  it('has kelp in the clear and under cloud, shadow and glint', () => {
    expect(facts.clearKelp).toBeGreaterThan(1000);
    expect(facts.kelpUnderCloud).toBeGreaterThan(20);
    expect(facts.kelpUnderShadow).toBeGreaterThan(20);
    expect(facts.kelpUnderGlint).toBeGreaterThan(20);
  });

  it('keeps kelp off land, nodata and foam', () => {
    expect(facts.kelpOnLand).toBe(0);
    expect(facts.kelpInFoam).toBe(0);
  });
});

describe('sample scene spectra', () => {
  const scene = createSampleScene({ width: 512, height: 512 });
  const window = fullWindow(scene);
  const dn = scene.readBands(ALL_BANDS, window, 10);
  const { canopyFraction, flags } = scene.readTruth(window);
  const reflectance = (band: keyof typeof dn, i: number) => (dn[band][i] + scene.boaAddOffset) / 10000;

  it('gives clear dense canopy a red edge above the KD threshold', () => {
    let dense = 0;
    let above = 0;
    for (let i = 0; i < flags.length; i++) {
      if (flags[i] !== 0 || canopyFraction[i] < 0.7) continue;
      dense++;
      if (reflectance('B06', i) - reflectance('B04', i) >= KD_THRESHOLD) above++;
    }
    expect(dense).toBeGreaterThan(500);
    expect(above / dense).toBeGreaterThan(0.99);
  });

  it('keeps clear open water below the KD threshold and below the SWIR land threshold', () => {
    // Open water: the whole 20 m block around the pixel is clear water without canopy (20 m
    // pixels that straddle the shore or a bed edge mix, as they should).
    const width = scene.grid.width;
    const isOpen = (i: number) => flags[i] === 0 && canopyFraction[i] === 0;
    let water = 0;
    const detected: number[] = [];
    for (let i = 0; i < flags.length; i++) {
      const p = 2 * ((i / width) >> 1) * width + 2 * ((i % width) >> 1);
      if (![p, p + 1, p + width, p + width + 1].every(isOpen)) continue;
      water++;
      if (reflectance('B06', i) - reflectance('B04', i) >= KD_THRESHOLD || reflectance('B11', i) > 0.028) detected.push(i);
    }
    expect(water).toBeGreaterThan(100000);
    expect(detected).toEqual([]);
  });

  it('makes land bright in the SWIR (B11 > 0.028) even in cloud shadow', () => {
    let land = 0;
    let dark = 0;
    for (let i = 0; i < flags.length; i++) {
      if (!(flags[i] & TRUTH.land) || flags[i] & TRUTH.cloud) continue;
      land++;
      if (reflectance('B11', i) <= 0.028) dark++;
    }
    expect(land).toBeGreaterThan(50000);
    expect(dark).toBe(0);
  });

  it('varies the full-canopy NIR between beds by about ±15 %', () => {
    const quiet = createSampleScene({ width: 512, height: 512, features: { noise: false } });
    const { B08 } = quiet.readBands(['B08'], window, 10);
    const estimates: number[] = [];
    for (let i = 0; i < flags.length; i++) {
      const f = canopyFraction[i];
      if (flags[i] !== 0 || f < 0.9) continue;
      const nir = (B08[i] + quiet.boaAddOffset) / 10000;
      estimates.push((nir - (1 - f) * SPECTRA.water[5]) / f);
    }
    const canopyNir = SPECTRA.canopy[5];
    expect(Math.min(...estimates)).toBeLessThan(canopyNir * 0.95);
    expect(Math.max(...estimates)).toBeGreaterThan(canopyNir * 1.05);
    expect(Math.min(...estimates)).toBeGreaterThan(canopyNir * 0.8);
    expect(Math.max(...estimates)).toBeLessThan(canopyNir * 1.2);
  });
});

describe('sample scene layout', () => {
  it('places tiny beds of 1–4 pixels, each clear of every other canopy pixel', () => {
    const scene = createSampleScene({ width: 512, height: 512 });
    const layout = createLayout(1, 512, 512, ALL_FEATURES);
    const { canopyFraction } = scene.readTruth(fullWindow(scene));
    const inside = layout.tinyBeds.filter((t) => t.x >= 1 && t.y >= 1 && t.x + 3 <= 512 && t.y + 3 <= 512);

    expect(inside.length).toBeGreaterThan(3);
    for (const tiny of inside) {
      let lit = 0;
      for (let y = tiny.y - 1; y < tiny.y + 3; y++) {
        for (let x = tiny.x - 1; x < tiny.x + 3; x++) if (canopyFraction[y * 512 + x] > 0) lit++;
      }
      expect(lit).toBe(tiny.pixels);
    }
  });

  it('gives a full 10980 × 10980 tile hundreds of beds, and reads any window of it alone', () => {
    const layout = createLayout(1, 10980, 10980, ALL_FEATURES);
    const scene = createSampleScene({ width: 10980, height: 10980 });

    const { B08, SCL } = scene.readBands(['B08', 'SCL'], { x0: 7300, y0: 9100, width: 256, height: 256 }, 10);

    expect(layout.beds.length).toBeGreaterThan(150);
    expect(layout.clouds.length).toBeGreaterThan(10);
    expect(B08.some((v) => v > 0) && SCL.some((v) => v > 0)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { SCL } from '../../../core/analysis/bands.js';
import { encodeDn } from '../../../core/sample/encode.js';
import { ALL_FEATURES, createLayout } from '../../../core/sample/layout.js';
import { TRUTH, createSampleScene } from '../../../core/sample/scene.js';
import { SAMPLE_BANDS } from '../../../core/sample/spectra.js';
import { computeSurfaceState } from '../../../core/sample/surface-state.js';
import { fullWindow, fullWindow20 } from './scene-helpers.js';

describe('encodeDn', () => {
  it('adds 1000 for baseline 04.00 and later (BOA_ADD_OFFSET −1000)', () => {
    expect(encodeDn(0.05, -1000)).toBe(1500);
    expect(encodeDn(-0.004, -1000)).toBe(960);
  });

  it('stores round(reflectance × 10000) before baseline 04.00', () => {
    expect(encodeDn(0.05, 0)).toBe(500);
    expect(encodeDn(0.12345, 0)).toBe(1235);
  });

  it('clamps to 1…65535 so 0 stays nodata', () => {
    expect(encodeDn(-0.01, 0)).toBe(1);
    expect(encodeDn(-0.2, -1000)).toBe(1);
    expect(encodeDn(7, -1000)).toBe(65535);
  });
});

describe('sample scene values', () => {
  const noiseless = { width: 256, height: 256, seed: 3, features: { noise: false } };

  it('makes a 20 m pixel the mean of its four 10 m reflectances', () => {
    const scene = createSampleScene(noiseless);
    const layout = createLayout(3, 256, 256, { ...ALL_FEATURES, noise: false });
    const state = computeSurfaceState(layout, fullWindow(scene));
    const b05 = SAMPLE_BANDS.indexOf('B05');

    const { B05 } = scene.readBands(['B05'], fullWindow20(scene), 20);

    let compared = 0;
    for (let r = 0; r < 128; r++) {
      for (let c = 0; c < 128; c++) {
        if (B05[r * 128 + c] === 0) continue;
        const p = 2 * r * 256 + 2 * c;
        const band = state.bands[b05];
        const mean = (band[p] + band[p + 1] + band[p + 256] + band[p + 257]) / 4;
        expect(B05[r * 128 + c]).toBe(Math.round(mean * 10000) + 1000);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(15000);
  });

  it('makes a 10 m band read at 20 m the 2 × 2 mean of its 10 m values, within rounding', () => {
    const scene = createSampleScene(noiseless);

    const at10 = scene.readBands(['B04'], fullWindow(scene), 10).B04;
    const at20 = scene.readBands(['B04'], fullWindow20(scene), 20).B04;

    let worst = 0;
    for (let r = 0; r < 128; r++) {
      for (let c = 0; c < 128; c++) {
        const p = 2 * r * 256 + 2 * c;
        const mean = (at10[p] + at10[p + 1] + at10[p + 256] + at10[p + 257]) / 4;
        worst = Math.max(worst, Math.abs(at20[r * 128 + c] - mean));
      }
    }
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('repeats a 20 m band 2 × 2 when read at 10 m', () => {
    const scene = createSampleScene({ width: 256, height: 256, seed: 3 });

    const at10 = scene.readBands(['B11', 'SCL'], fullWindow(scene), 10);
    const at20 = scene.readBands(['B11', 'SCL'], fullWindow20(scene), 20);

    for (const band of ['B11', 'SCL'] as const) {
      const mismatches = at10[band].filter((value, i) => value !== at20[band][((i >> 8) >> 1) * 128 + ((i & 255) >> 1)]);
      expect(mismatches.length, band).toBe(0);
    }
  });

  it('encodes baseline 04.00 as baseline 02.14 plus 1000 wherever the older one is not clamped', () => {
    const current = createSampleScene({ width: 200, height: 200, processingBaseline: '04.00' });
    const old = createSampleScene({ width: 200, height: 200, processingBaseline: '02.14' });
    const window = fullWindow(current);

    const a = current.readBands(['B02', 'B08', 'B12'], window, 10);
    const b = old.readBands(['B02', 'B08', 'B12'], window, 10);

    expect(current.boaAddOffset).toBe(-1000);
    expect(old.boaAddOffset).toBe(0);
    const wrong: string[] = [];
    for (const band of ['B02', 'B08', 'B12'] as const) {
      for (let i = 0; i < a[band].length; i++) {
        const [dnNew, dnOld] = [a[band][i], b[band][i]];
        const ok = dnNew === 0 ? dnOld === 0 : dnOld > 1 ? dnNew - dnOld === 1000 : dnNew <= 1001;
        if (!ok) wrong.push(`${band}[${i}] ${dnNew} vs ${dnOld}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('sets every band to DN 0 and SCL to 0 on the nodata wedge, and nowhere else', () => {
    const scene = createSampleScene({ width: 512, height: 512 });

    const values = scene.readBands(['B02', 'B05', 'B12', 'SCL'], fullWindow(scene), 10);
    const { flags } = scene.readTruth(fullWindow(scene));

    let nodata = 0;
    let mismatches = 0;
    for (let i = 0; i < flags.length; i++) {
      const isNodata = (flags[i] & TRUTH.nodata) !== 0;
      if (isNodata) nodata++;
      for (const band of ['B02', 'B05', 'B12', 'SCL'] as const) if ((values[band][i] === 0) !== isNodata) mismatches++;
    }
    expect(nodata).toBeGreaterThan(1000);
    expect(mismatches).toBe(0);
  });

  it('keeps truth flags consistent with SCL: cloud ↔ 8/9/10, shadow ↔ 3, nodata ↔ 0', () => {
    const scene = createSampleScene({ width: 512, height: 512 });
    const { SCL: scl } = scene.readBands(['SCL'], fullWindow20(scene), 20);
    const { flags } = scene.readTruth(fullWindow(scene));
    const cloudCodes: number[] = [SCL.cloudMedium, SCL.cloudHigh, SCL.thinCirrus];
    const wrong: string[] = [];

    for (let r = 0; r < 256; r++) {
      for (let c = 0; c < 256; c++) {
        const p = 2 * r * 512 + 2 * c;
        const block = [flags[p], flags[p + 1], flags[p + 512], flags[p + 513]];
        const any = (bit: number) => block.some((f) => (f & bit) !== 0);
        const code = scl[r * 256 + c];
        const consistent =
          (code === SCL.noData) === any(TRUTH.nodata) &&
          cloudCodes.includes(code) === any(TRUTH.cloud) &&
          (code === SCL.cloudShadow) === (any(TRUTH.shadow) && !any(TRUTH.cloud));
        if (!consistent) wrong.push(`(${c}, ${r}) SCL ${code}, flags ${block.join(' ')}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('labels dense canopy 4 or 7 and sparse canopy 6 in clear water, as Sen2Cor does', () => {
    const scene = createSampleScene({ width: 512, height: 512 });
    const { SCL: scl } = scene.readBands(['SCL'], fullWindow20(scene), 20);
    const { canopyFraction, flags } = scene.readTruth(fullWindow(scene));
    const seen = new Set<number>();

    for (let r = 0; r < 256; r++) {
      for (let c = 0; c < 256; c++) {
        const p = 2 * r * 512 + 2 * c;
        const block = [p, p + 1, p + 512, p + 513];
        if (block.some((q) => flags[q] !== 0 && flags[q] !== TRUTH.glint)) continue;
        const mean = block.reduce((sum, q) => sum + canopyFraction[q], 0) / 4;
        if (mean >= 0.6) {
          expect([SCL.vegetation, SCL.unclassified]).toContain(scl[r * 256 + c]);
          seen.add(scl[r * 256 + c]);
        }
        if (mean < 0.3) expect(scl[r * 256 + c]).toBe(SCL.water);
      }
    }
    expect([...seen].sort()).toEqual([SCL.vegetation, SCL.unclassified]);
  });

  it('leaves only clear water, labelled 6, when every feature is switched off', () => {
    const off = { land: false, kelp: false, cloud: false, shadow: false, glint: false, foam: false, nodata: false, noise: false };
    const scene = createSampleScene({ width: 256, height: 256, features: off });

    const { B04, SCL: scl } = scene.readBands(['B04', 'SCL'], fullWindow(scene), 10);
    const { canopyFraction, flags } = scene.readTruth(fullWindow(scene));

    expect(flags.every((flag) => flag === 0)).toBe(true);
    expect(canopyFraction.every((f) => f === 0)).toBe(true);
    expect(scl.every((code) => code === SCL.water)).toBe(true);
    // Clear water B04 is 0.015 × (0.92 … 1.08): DN 1138 … 1162.
    expect(Math.min(...B04)).toBeGreaterThanOrEqual(1138);
    expect(Math.max(...B04)).toBeLessThanOrEqual(1162);
  });
});

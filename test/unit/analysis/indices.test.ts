import { describe, expect, it } from 'vitest';
import { INDEX_REGISTRY, getIndex } from '../../../core/analysis/indices/registry.js';
import { UnknownNameError } from '../../../core/errors.js';
import { bandsOf } from '../../helpers/bands.js';

const compute = (name: string, pixels: Parameters<typeof bandsOf>[0]) => {
  const out = new Float32Array(pixels.length);
  getIndex(name).compute(bandsOf(pixels), out);
  return Array.from(out);
};

describe('spectral indices against hand-computed values', () => {
  it('kd is B06 minus B04', () => {
    expect(compute('kd', [{ B04: 0.025, B06: 0.12 }])[0]).toBeCloseTo(0.095, 6);
  });

  it('fai subtracts the red–SWIR baseline interpolated at 833 nm', () => {
    // 0.2 − (0.025 + (0.015 − 0.025) × (833 − 665) / (1612 − 665)) = 0.2 − 0.0232260 = 0.1767740
    expect(compute('fai', [{ B04: 0.025, B08: 0.2, B11: 0.015 }])[0]).toBeCloseTo(0.176774, 5);
  });

  it('ndvi, ndre and ndwi are normalized differences of their bands', () => {
    const pixel = { B03: 0.04, B04: 0.025, B05: 0.06, B08: 0.2 };
    expect(compute('ndvi', [pixel])[0]).toBeCloseTo((0.2 - 0.025) / 0.225, 6);
    expect(compute('ndre', [pixel])[0]).toBeCloseTo((0.06 - 0.025) / 0.085, 6);
    expect(compute('ndwi', [pixel])[0]).toBeCloseTo((0.04 - 0.2) / 0.24, 6);
  });

  it('fai and kd do not change when the same glint is added to every band', () => {
    const clean = { B04: 0.025, B06: 0.12, B08: 0.2, B11: 0.015 };
    const glinted = { B04: 0.105, B06: 0.2, B08: 0.28, B11: 0.095 };
    expect(compute('fai', [glinted])[0]).toBeCloseTo(compute('fai', [clean])[0], 6);
    expect(compute('kd', [glinted])[0]).toBeCloseTo(compute('kd', [clean])[0], 6);
  });

  it('a normalized difference of two zero bands is NaN, not Infinity', () => {
    expect(compute('ndvi', [{ B04: 0, B08: 0 }])[0]).toBeNaN();
  });

  it('an unknown index name lists the known ones', () => {
    expect(() => getIndex('evi')).toThrowError(UnknownNameError);
    expect(() => getIndex('evi')).toThrowError(/known: kd, fai, ndvi, ndre, ndwi/);
  });
});

/** A small seeded generator so the property tests are reproducible. */
function lcg(seed: number) {
  let state = seed >>> 0;
  return () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('index properties over random reflectance', () => {
  const random = lcg(7);
  const pixels = Array.from({ length: 5000 }, () => ({
    B03: random(),
    B04: random(),
    B05: random(),
    B06: random(),
    B08: random(),
    B11: random(),
  }));

  for (const plugin of INDEX_REGISTRY.values()) {
    it(`${plugin.name} stays within its declared range for reflectance in 0–1`, () => {
      const values = compute(plugin.name, pixels);
      for (const value of values) {
        expect(value).toBeGreaterThanOrEqual(plugin.range[0]);
        expect(value).toBeLessThanOrEqual(plugin.range[1]);
      }
    });

    it(`${plugin.name} gives NaN wherever any of its inputs is NaN`, () => {
      for (const input of plugin.inputs) {
        const withNaN = pixels.slice(0, 50).map((pixel) => ({ ...pixel, [input]: NaN }));
        expect(compute(plugin.name, withNaN).every(Number.isNaN)).toBe(true);
      }
    });
  }
});

import { describe, expect, it } from 'vitest';
import { mannKendallSen, normalCdf } from '../../../core/sites/trend-stats.js';

// Three years of quarterly values with ties; reference figures from scipy 1.17 (`theilslopes`, `norm.cdf`)
// and a direct count of S and the tie-corrected variance.
const T = [2020.125, 2020.375, 2020.625, 2020.875, 2021.125, 2021.375, 2021.625, 2021.875, 2022.125, 2022.375, 2022.625, 2022.875];
const V = [10, 12, 11, 11, 9, 10, 8, 9, 9, 7, 6, 7];
const series = T.map((t, i) => ({ t, value: V[i], season: (i % 4) + 1 }));

describe('mannKendallSen', () => {
  it('gives Kendall S, the tie-corrected variance, the p-value and Sen slope of a declining series', () => {
    const stats = mannKendallSen(series, { seasonal: false });
    expect(stats).toMatchObject({ n: 12, s: -46, varS: 206 });
    expect(stats.z).toBeCloseTo(-3.1352985643, 6);
    expect(stats.pValue).toBeCloseTo(0.0017167929, 6);
    expect(stats.slope).toBe(-2);
    expect(stats.slopeCi95![0]).toBeLessThan(-2);
    expect(stats.slopeCi95![1]).toBeGreaterThan(-2);
    expect(stats.slopeCi95![1]).toBeLessThan(0);
  });

  it('compares only values of one season when seasonally adjusted', () => {
    const stats = mannKendallSen(series, { seasonal: true });
    expect(stats).toMatchObject({ s: -11, slope: -2 });
    expect(stats.varS).toBeCloseTo(13.6666667, 6);
    expect(stats.pValue).toBeCloseTo(0.0068302559, 6);
  });

  it('does not see a trend in a seasonal cycle the seasonal test removes', () => {
    const cycle = Array.from({ length: 16 }, (_, i) => ({ t: 2020 + i / 4 + 0.125, value: [5, 20, 30, 10][i % 4] + (i % 3) * 0.01, season: (i % 4) + 1 }));
    const seasonal = mannKendallSen(cycle, { seasonal: true });
    expect(Math.abs(seasonal.slope!)).toBeLessThan(0.05);
  });

  it('answers p = 1 and no slope for a single value or all-equal values', () => {
    expect(mannKendallSen([{ t: 2020, value: 3, season: 1 }], { seasonal: false })).toMatchObject({ n: 1, s: 0, pValue: 1 });
    expect(mannKendallSen([{ t: 2020, value: 3, season: 1 }], { seasonal: false }).slope).toBeUndefined();
    const flat = mannKendallSen(T.map((t) => ({ t, value: 4, season: 1 })), { seasonal: false });
    expect(flat).toMatchObject({ s: 0, pValue: 1, slope: 0 });
  });
});

describe('normalCdf', () => {
  it('matches the standard normal distribution', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-3.1352985643)).toBeCloseTo(0.0008583964, 6);
  });
});

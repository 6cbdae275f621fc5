import { describe, expect, it } from 'vitest';
import { addGaussianRow, addNoiseRow, hash2, noiseAt, scaledMap, uniform } from '../../../core/sample/noise.js';

describe('sample noise', () => {
  it('hashes to well-spread 32-bit values that depend on every input', () => {
    const values = new Set<number>();
    for (let x = 0; x < 100; x++) for (let y = 0; y < 100; y++) values.add(hash2(1, x, y));

    expect(values.size).toBe(10000);
    expect(hash2(1, 2, 3)).not.toBe(hash2(2, 2, 3));
    expect(hash2(1, 2, 3)).not.toBe(hash2(1, 3, 2));
    expect(uniform(1, 2, 3)).toBeGreaterThanOrEqual(0);
    expect(uniform(1, 2, 3)).toBeLessThan(1);
  });

  it('gives value noise in [0, 1) that does not depend on where a row run starts', () => {
    const map = scaledMap(7.3, 0.25, -3);
    const run = new Float64Array(300);

    addNoiseRow(42, map, -100, 300, 17, 1, run, 0);

    for (let k = 0; k < 300; k += 13) expect(noiseAt(42, map, -100 + k, 17)).toBe(run[k]);
    expect(Math.min(...run)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...run)).toBeLessThan(1);
  });

  it('draws Gaussian-like noise with mean 0 and the requested standard deviation, bounded to ±3.5σ', () => {
    const row = new Float64Array(200000);

    addGaussianRow(9, 0, row.length, 5, 3, 0.0015, row, 0);

    const mean = row.reduce((sum, v) => sum + v, 0) / row.length;
    const sd = Math.sqrt(row.reduce((sum, v) => sum + (v - mean) ** 2, 0) / row.length);
    expect(Math.abs(mean)).toBeLessThan(0.00002);
    expect(sd).toBeGreaterThan(0.00147);
    expect(sd).toBeLessThan(0.00153);
    expect(row.reduce((max, v) => Math.max(max, Math.abs(v)), 0)).toBeLessThanOrEqual(3.47 * 0.0015);
  });

  it('draws independent noise for different streams of the same pixel', () => {
    const a = new Float64Array(1000);
    const b = new Float64Array(1000);

    addGaussianRow(9, 0, 1000, 5, 0, 1, a, 0);
    addGaussianRow(9, 0, 1000, 5, 1, 1, b, 0);

    const correlation = a.reduce((sum, v, i) => sum + v * b[i], 0) / 1000;
    expect(Math.abs(correlation)).toBeLessThan(0.1);
  });
});

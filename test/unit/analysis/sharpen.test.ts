import { describe, expect, it } from 'vitest';
import { DEFAULT_GAIN, GAIN_BOUNDS, blockMeans, detectBlocks, injectDetail, regressGain } from '../../../core/analysis/sharpen.js';

/** A 20 m field repeated 2 × 2 on a `width` × `rows` 10 m grid, blocks starting at (xParity, yParity). */
function replicated(width: number, rows: number, value: (bx: number, by: number) => number, xParity = 0, yParity = 0): Float32Array {
  const out = new Float32Array(width * rows);
  for (let y = 0; y < rows; y++) for (let x = 0; x < width; x++) out[y * width + x] = value(Math.floor((x + xParity) / 2), Math.floor((y + yParity) / 2));
  return out;
}

describe('detectBlocks', () => {
  it('finds the 2 × 2 layout of a replicated 20 m band, whichever parity it has', () => {
    const field = (bx: number, by: number) => Math.sin(bx * 1.7) + Math.cos(by * 2.3);
    expect(detectBlocks(replicated(16, 16, field), 16, 16)).toEqual({ xParity: 0, yParity: 0 });
    expect(detectBlocks(replicated(16, 16, field, 1, 1), 16, 16)).toEqual({ xParity: 1, yParity: 1 });
  });

  it('says there are no blocks in a band that varies pixel by pixel', () => {
    const band = Float32Array.from({ length: 256 }, (_, i) => Math.sin(i * 0.37));
    expect(detectBlocks(band, 16, 16)).toBeUndefined();
  });
});

describe('sharpening the red edge with the NIR', () => {
  it('recovers 10 m red edge exactly for a two-surface mix when the gain is the scene’s', () => {
    // Water and canopy at 10 m; B06 only as the 20 m block mean. B06 = 0.006 + 0.57 × (B08 − 0.004).
    const width = 8;
    const rows = 8;
    const f = Float32Array.from({ length: 64 }, (_, i) => ((i % 8) + Math.floor(i / 8)) % 3 === 0 ? 1 : (i % 5) / 5);
    const nir = f.map((v) => 0.004 + v * 0.196);
    const trueB06 = nir.map((v) => 0.006 + 0.57 * (v - 0.004));
    const layout = { xParity: 0 as const, yParity: 0 as const };
    const coarse = new Float32Array(64);
    blockMeans(trueB06, width, rows, layout, coarse);
    const nirMean = new Float32Array(64);
    blockMeans(nir, width, rows, layout, nirMean);
    const sharp = new Float32Array(64);
    injectDetail(coarse, nir, nirMean, 0.57, sharp);
    for (let i = 0; i < 64; i++) expect(sharp[i]).toBeCloseTo(trueB06[i], 6);
  });

  it('regresses the gain from canopy edges and cancels a flat glint term', () => {
    const width = 64;
    const rows = 8;
    // Canopy patches of varying cover among water, in 20 m blocks; glint added to every band.
    const f = (bx: number) => (bx % 3 === 0 ? 0 : (bx % 7) / 6);
    const glint = 0.03;
    const coarse = replicated(width, rows, (bx) => glint + 0.006 + 0.6 * f(bx) * 0.196);
    const nirMean = replicated(width, rows, (bx) => glint + 0.004 + f(bx) * 0.196);
    const redMean = replicated(width, rows, (bx) => glint + 0.015 + f(bx) * 0.01);
    const { gain, regressed } = regressGain(coarse, nirMean, redMean, width, rows, { xParity: 0, yParity: 0 }, 0.003216);
    expect(regressed).toBe(true);
    expect(gain).toBeCloseTo(0.6, 3);
  });

  it('keeps the default gain where a strip has no canopy edges to learn from', () => {
    const flat = new Float32Array(256).fill(0.01);
    expect(regressGain(flat, flat, flat, 16, 16, { xParity: 0, yParity: 0 }, 0.003216)).toEqual({ gain: DEFAULT_GAIN, regressed: false });
    expect(DEFAULT_GAIN).toBeGreaterThanOrEqual(GAIN_BOUNDS[0]);
    expect(DEFAULT_GAIN).toBeLessThanOrEqual(GAIN_BOUNDS[1]);
  });
});

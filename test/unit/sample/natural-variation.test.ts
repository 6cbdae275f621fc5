import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../core/errors.js';
import { ALL_FEATURES, createLayout } from '../../../core/sample/layout.js';
import { TRUTH, createSampleScene } from '../../../core/sample/scene.js';
import { ALL_BANDS, cutWindow, firstDifference } from './scene-helpers.js';

const SIZE = 768;
const scene = createSampleScene({ width: SIZE, height: SIZE, seed: 9, variation: 'natural' });
const whole = { x0: 0, y0: 0, width: SIZE, height: SIZE };
const truth = scene.readTruth(whole);
const reflectance = (dn: number) => (dn - 1000) / 10000;

describe('the natural variation of the sample scene', () => {
  it('is as deterministic and window-independent as the default scene', () => {
    const outer = { x0: 0, y0: 0, width: 400, height: 300 };
    const inner = { x0: 133, y0: 71, width: 151, height: 97 };
    const big = scene.readBands(ALL_BANDS, outer, 10);
    const part = scene.readBands(ALL_BANDS, inner, 10);
    for (const band of ALL_BANDS) expect(firstDifference(part[band], cutWindow(big[band], outer, inner)), band).toBe(-1);
  });

  it('varies canopy brightness by at least ±25 % between its beds and scenes', () => {
    const factors = [1, 2, 3, 4, 5, 6, 7, 8].flatMap((seed) => {
      const layout = createLayout(seed, 1024, 1024, ALL_FEATURES, 'natural');
      return layout.beds.map((bed) => bed.contrast * layout.natural!.canopyBrightness);
    });
    expect(Math.min(...factors)).toBeLessThan(0.75);
    expect(Math.max(...factors)).toBeGreaterThan(1.25);
  });

  it('has canopy that touches the shore, and shoreline pixels mixed between land and sea', () => {
    let touching = 0;
    let mixedLand = 0;
    for (let i = 0; i < truth.flags.length; i++) {
      const x = i % SIZE;
      if (truth.canopyFraction[i] > 0 && x + 1 < SIZE && truth.flags[i + 1] & TRUTH.land) touching++;
      if (truth.flags[i] & TRUTH.land && truth.canopyFraction[i] > 0) mixedLand++;
    }
    expect(touching).toBeGreaterThan(50);
    expect(mixedLand).toBeGreaterThan(0);
  });

  it('has a turbid plume and a glint gradient in its clear water', () => {
    const { B04, B02 } = scene.readBands(['B04', 'B02'], whole, 10);
    // Clear open water (no canopy, no flags other than glint) differs in red across the scene.
    const reds: number[] = [];
    for (let i = 0; i < B04.length; i += 97) if (truth.canopyFraction[i] === 0 && (truth.flags[i] & ~TRUTH.glint) === 0) reds.push(reflectance(B04[i]) - reflectance(B02[i]));
    reds.sort((a, b) => a - b);
    // Clear water is blue (red − blue ≈ −0.03); the plume's sediment brings red up towards blue.
    const low = reds[Math.floor(0.05 * reds.length)];
    expect(low).toBeLessThan(-0.025);
    expect(reds[Math.floor(0.99 * reds.length)] - low).toBeGreaterThan(0.01);
    let glinted = 0;
    for (let i = 0; i < truth.flags.length; i++) if (truth.flags[i] & TRUTH.glint) glinted++;
    expect(glinted / truth.flags.length).toBeGreaterThan(0.2);
  });

  it('marks wet sand in the truth flags', () => {
    let wet = 0;
    for (let i = 0; i < truth.flags.length; i++) if (truth.flags[i] & TRUTH.wetSand) wet++;
    expect(wet).toBeGreaterThan(0);
  });

  it('refuses an unknown variation', () => {
    expect(() => createSampleScene({ width: 64, height: 64, variation: 'wild' as never })).toThrow(InvalidRequestError);
  });
});

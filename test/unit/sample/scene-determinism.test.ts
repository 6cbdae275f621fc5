import { describe, expect, it } from 'vitest';
import { InvalidRequestError, MissingBandError } from '../../../core/errors.js';
import { createSampleScene } from '../../../core/sample/scene.js';
import { ALL_BANDS, cutWindow, firstDifference } from './scene-helpers.js';

describe('createSampleScene determinism', () => {
  const scene = createSampleScene({ width: 600, height: 520, seed: 7 });

  it('gives identical values when the same window is read twice', () => {
    const window = { x0: 150, y0: 200, width: 300, height: 170 };

    const first = scene.readBands(ALL_BANDS, window, 10);
    const second = scene.readBands(ALL_BANDS, window, 10);

    for (const band of ALL_BANDS) expect(firstDifference(first[band], second[band]), band).toBe(-1);
  });

  it('gives the same 10 m values for a window cut from a bigger window, at odd offsets', () => {
    const outer = { x0: 0, y0: 0, width: 600, height: 520 };
    const inner = { x0: 181, y0: 277, width: 203, height: 139 };

    const whole = scene.readBands(ALL_BANDS, outer, 10);
    const part = scene.readBands(ALL_BANDS, inner, 10);

    for (const band of ALL_BANDS) expect(firstDifference(part[band], cutWindow(whole[band], outer, inner)), band).toBe(-1);
  });

  it('gives the same 20 m values for a window cut from a bigger window', () => {
    const outer = { x0: 0, y0: 0, width: 300, height: 260 };
    const inner = { x0: 77, y0: 101, width: 95, height: 81 };

    const whole = scene.readBands(ALL_BANDS, outer, 20);
    const part = scene.readBands(ALL_BANDS, inner, 20);

    for (const band of ALL_BANDS) expect(firstDifference(part[band], cutWindow(whole[band], outer, inner)), band).toBe(-1);
  });

  it('gives the same truth for a window cut from a bigger window', () => {
    const outer = { x0: 0, y0: 0, width: 600, height: 520 };
    const inner = { x0: 299, y0: 3, width: 250, height: 401 };

    const whole = scene.readTruth(outer);
    const part = scene.readTruth(inner);

    expect(firstDifference(part.canopyFraction, cutWindow(whole.canopyFraction, outer, inner))).toBe(-1);
    expect(firstDifference(part.flags, cutWindow(whole.flags, outer, inner))).toBe(-1);
  });

  it('gives the same values from a new scene with the same options', () => {
    const window = { x0: 300, y0: 300, width: 64, height: 64 };

    const again = createSampleScene({ width: 600, height: 520, seed: 7 }).readBands(['B08', 'SCL'], window, 10);
    const original = scene.readBands(['B08', 'SCL'], window, 10);

    expect(firstDifference(again.B08, original.B08)).toBe(-1);
    expect(firstDifference(again.SCL, original.SCL)).toBe(-1);
  });

  it('gives different values for a different seed', () => {
    const window = { x0: 0, y0: 0, width: 600, height: 520 };

    const other = createSampleScene({ width: 600, height: 520, seed: 8 }).readTruth(window);
    const original = scene.readTruth(window);

    expect(firstDifference(other.canopyFraction, original.canopyFraction)).not.toBe(-1);
  });

  it('rejects a window outside the grid of the requested resolution', () => {
    expect(() => scene.readBands(['B04'], { x0: 590, y0: 0, width: 20, height: 1 }, 10)).toThrow(InvalidRequestError);
    expect(() => scene.readBands(['B05'], { x0: 0, y0: 0, width: 301, height: 1 }, 20)).toThrow(InvalidRequestError);
    expect(() => scene.readTruth({ x0: -1, y0: 0, width: 2, height: 2 })).toThrow(InvalidRequestError);
  });

  it('rejects a band the scene does not have, naming the ones it has', () => {
    expect(() => scene.readBands(['B8A'], { x0: 0, y0: 0, width: 4, height: 4 }, 20)).toThrow(MissingBandError);
  });

  it('rejects a malformed processing baseline and a non-UTM CRS', () => {
    expect(() => createSampleScene({ width: 8, height: 8, processingBaseline: '4' })).toThrow(InvalidRequestError);
    expect(() => createSampleScene({ width: 8, height: 8, epsg: 4326 })).toThrow(InvalidRequestError);
  });
});

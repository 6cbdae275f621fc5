import { describe, expect, it } from 'vitest';
import { chooseMapGrid } from '../../../core/artifacts/map-grid.js';
import { CONTROL_STEP, MAX_ERROR_PX, type MapTransform, createMapTransform } from '../../../core/artifacts/map-transform.js';
import type { MapGrid } from '../../../core/artifacts/map-grid.js';
import { lonLatGrid, zoneEdgeGrid } from './map-scenes.js';

/**
 * Largest distance, in scene pixels, between the interpolated and the exact position over a
 * lattice of map pixels every `every` rows and columns (offset so it misses the control points).
 */
function measuredError(transform: MapTransform, map: MapGrid, every: number): number {
  const cols = new Float64Array(map.width);
  const rows = new Float64Array(map.width);
  let worst = 0;
  for (let y = 5; y < map.height; y += every) {
    transform.positionsRow(y, cols, rows);
    for (let x = 11; x < map.width; x += every) {
      const [col, row] = transform.exact(x, y);
      worst = Math.max(worst, Math.hypot(cols[x] - col, rows[x] - row));
    }
  }
  return worst;
}

describe('createMapTransform', () => {
  // A full Sentinel-2 tile 5° east of its zone's central meridian at 60° N (grid convergence ≈ 4.5°).
  const tile = zoneEdgeGrid(10980, 10980, 699960);

  it(`interpolates a zone-edge tile to within ${MAX_ERROR_PX} px at the 4096 px cap`, () => {
    const map = chooseMapGrid(tile);

    const transform = createMapTransform(tile, map);

    expect(transform.step).toBe(CONTROL_STEP);
    expect(measuredError(transform, map, 13)).toBeLessThan(MAX_ERROR_PX);
  });

  it(`interpolates a zone-edge tile to within ${MAX_ERROR_PX} px at full resolution`, () => {
    const map = chooseMapGrid(tile, 20000);

    const transform = createMapTransform(tile, map);

    expect(map.width).toBeGreaterThan(10980);
    expect(measuredError(transform, map, 37)).toBeLessThan(MAX_ERROR_PX);
  });

  it('reports the error it measured honestly', () => {
    const map = chooseMapGrid(tile);

    const transform = createMapTransform(tile, map, { step: 256 });

    const measured = measuredError(transform, map, 7);
    expect(measured).toBeGreaterThan(0);
    expect(measured).toBeLessThanOrEqual(transform.errorPx * 1.05);
  });

  it('halves its step until the error is met', () => {
    const map = chooseMapGrid(tile);

    const transform = createMapTransform(tile, map, { step: 2048, maxErrorPx: 0.001 });

    expect(transform.step).toBeLessThan(2048);
    expect(transform.errorPx).toBeLessThanOrEqual(0.001);
    expect(measuredError(transform, map, 13)).toBeLessThan(0.002);
  });

  it('is exact on the edges of the map and on a lon/lat scene', () => {
    const grid = lonLatGrid(600, 400);
    const map = chooseMapGrid(grid);
    const transform = createMapTransform(grid, map);
    const cols = new Float64Array(map.width);
    const rows = new Float64Array(map.width);

    transform.positionsRow(map.height - 1, cols, rows);

    const [col, row] = transform.exact(map.width - 1, map.height - 1);
    expect(cols[map.width - 1]).toBeCloseTo(col, 9);
    expect(rows[map.width - 1]).toBeCloseTo(row, 9);
    expect(measuredError(transform, map, 3)).toBeLessThan(0.01);
  });
});

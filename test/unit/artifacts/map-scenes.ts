import { crsFromEpsg } from '../../../core/raster/crs.js';
import type { Grid } from '../../../core/raster/grid.js';

/**
 * A 10 m grid in WGS 84 / UTM 33N whose north-west corner is (794760 E, 6700020 N): about
 * 20.2° E, 60.4° N, so 5° east of the central meridian and past the zone's 18° E edge (Sentinel-2
 * tiles overlap into the next zone), where the grid convergence is largest (≈ 4.5°).
 *
 * @example
 * ```ts
 * const grid = zoneEdgeGrid(1500, 1500);
 * ```
 */
export function zoneEdgeGrid(width: number, height: number, originX = 794760, originY = 6700020): Grid {
  return { width, height, crs: crsFromEpsg(32633), transform: { originX, originY, pixelWidth: 10, pixelHeight: -10 } };
}

/**
 * A WGS 84 lon/lat grid of 0.0002° × 0.0001° (≈ 11 m × 11 m at 60° N) from 20° E, 60.5° N.
 *
 * @example
 * ```ts
 * const grid = lonLatGrid(600, 600);
 * ```
 */
export function lonLatGrid(width: number, height: number): Grid {
  return { width, height, crs: crsFromEpsg(4326), transform: { originX: 20, originY: 60.5, pixelWidth: 0.0002, pixelHeight: -0.0001 } };
}

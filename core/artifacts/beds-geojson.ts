import type { Bed } from '../analysis/bed-areas.js';
import { traceOutlines } from '../analysis/outlines.js';
import type { RunList } from '../analysis/runs.js';
import { toWgs84 } from '../raster/crs.js';
import type { Grid, PixelWindow } from '../raster/grid.js';

type Position = [number, number];

/** Degrees kept in coordinates: 1e-7° is about 1 cm. */
const PRECISION = 1e7;

/** Signed area of a lon/lat ring (positive counter-clockwise). */
function signedArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return sum / 2;
}

/**
 * The beds as a GeoJSON FeatureCollection in WGS 84 (RFC 7946: exterior rings
 * counter-clockwise, holes clockwise), one MultiPolygon feature per bed with its areas.
 *
 * @example
 * ```ts
 * const geojson = bedsToGeoJson(beds, scan.runs, grid, window, 'binary');
 * ```
 */
export function bedsToGeoJson(beds: readonly Bed[], runs: RunList, grid: Grid, window: PixelWindow, areaMode: 'binary' | 'fractional') {
  const project = toWgs84(grid.crs);
  const t = grid.transform;
  const toPosition = ([px, py]: [number, number]): Position => {
    const [lon, lat] = project(t.originX + (window.x0 + px) * t.pixelWidth, t.originY + (window.y0 + py) * t.pixelHeight);
    return [Math.round(lon * PRECISION) / PRECISION, Math.round(lat * PRECISION) / PRECISION];
  };
  const orient = (ring: Array<[number, number]>, counterClockwise: boolean): Position[] => {
    const positions = ring.map(toPosition);
    return signedArea(positions) > 0 === counterClockwise ? positions : positions.reverse();
  };
  return {
    type: 'FeatureCollection' as const,
    features: beds.map((bed) => ({
      type: 'Feature' as const,
      id: bed.id,
      properties: {
        id: bed.id,
        areaM2: round(areaMode === 'binary' ? bed.binaryAreaM2 : bed.fractionalAreaM2),
        areaMode,
        binaryAreaM2: round(bed.binaryAreaM2),
        fractionalAreaM2: round(bed.fractionalAreaM2),
        pixelCount: bed.pixelCount,
        meanCanopyFraction: round(bed.fractionalAreaM2 / bed.binaryAreaM2, 3),
        canopyFai: round(bed.canopyFai, 5),
        canopyFaiSource: bed.canopyOwn ? 'bed' : 'scene',
      },
      geometry: {
        type: 'MultiPolygon' as const,
        coordinates: traceOutlines(runs, bed.runIndices).map((polygon) => [
          orient(polygon.outer, true),
          ...polygon.holes.map((hole) => orient(hole, false)),
        ]),
      },
    })),
  };
}

function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

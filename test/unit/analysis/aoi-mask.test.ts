import { describe, expect, it } from 'vitest';
import { type AoiMask, type LonLat, type LonLatPolygons, maskOutsideAoi, rasterizeAoi } from '../../../core/analysis/aoi-mask.js';
import { analyzeScene } from '../../../core/analysis/analyze.js';
import { parseAnalysisOptions } from '../../../core/analysis/options.js';
import { crsFromEpsg, fromWgs84, toWgs84 } from '../../../core/raster/crs.js';
import type { Grid, PixelWindow } from '../../../core/raster/grid.js';
import { memoryByteSource } from '../../../core/raster/byte-source.js';
import { mix } from '../../helpers/bands.js';
import { TEST_GEOREFERENCE, makeSceneTiff } from '../../helpers/tiff.js';

const GRID: Grid = { width: 200, height: 150, transform: TEST_GEOREFERENCE.transform, crs: crsFromEpsg(32610) };
const WHOLE: PixelWindow = { x0: 0, y0: 0, width: GRID.width, height: GRID.height };
const toLonLat = toWgs84(GRID.crs);

/** A ring through pixel corners `(col, row)` of GRID, as lon/lat, closed. */
function ring(points: Array<[number, number]>): LonLat[] {
  const t = GRID.transform;
  const out = points.map(([col, row]) => toLonLat(t.originX + col * t.pixelWidth, t.originY + row * t.pixelHeight) as LonLat);
  return [...out, out[0]];
}

/** Inside test of a pixel centre, written independently of the rasteriser: winding number in projected metres (holes wound the other way, as GeoJSON has them). */
function insideByWinding(polygons: LonLatPolygons, col: number, row: number): boolean {
  const project = fromWgs84(GRID.crs);
  const t = GRID.transform;
  const [px, py] = [t.originX + (col + 0.5) * t.pixelWidth, t.originY + (row + 0.5) * t.pixelHeight];
  return polygons.some((rings) => {
    let winding = 0;
    for (const lonLats of rings) {
      const xy = lonLats.map(([lon, lat]) => project(lon, lat));
      for (let i = 0; i + 1 < xy.length; i++) {
        const [[x0, y0], [x1, y1]] = [xy[i], xy[i + 1]];
        const cross = (x1 - x0) * (py - y0) - (px - x0) * (y1 - y0);
        if (y0 <= py && y1 > py && cross > 0) winding++;
        else if (y0 > py && y1 <= py && cross < 0) winding--;
      }
    }
    return winding !== 0;
  });
}

/** Distance in pixels from the centre of (col, row) to the nearest edge of the polygons, in projected metres ÷ 10. */
function edgeDistancePx(polygons: LonLatPolygons, col: number, row: number): number {
  const project = fromWgs84(GRID.crs);
  const t = GRID.transform;
  const [px, py] = [t.originX + (col + 0.5) * t.pixelWidth, t.originY + (row + 0.5) * t.pixelHeight];
  let best = Infinity;
  for (const lonLats of polygons.flat()) {
    const xy = lonLats.map(([lon, lat]) => project(lon, lat));
    for (let i = 0; i + 1 < xy.length; i++) {
      const [[x0, y0], [x1, y1]] = [xy[i], xy[i + 1]];
      const f = Math.max(0, Math.min(1, ((px - x0) * (x1 - x0) + (py - y0) * (y1 - y0)) / ((x1 - x0) ** 2 + (y1 - y0) ** 2)));
      best = Math.min(best, Math.hypot(px - x0 - f * (x1 - x0), py - y0 - f * (y1 - y0)) / 10);
    }
  }
  return best;
}

/** The mask as a 0/1 image of the window. */
function image(mask: AoiMask): Uint8Array {
  const out = new Uint8Array(mask.width * mask.height);
  for (let r = 0; r < mask.height; r++) for (let k = mask.offsets[r]; k < mask.offsets[r + 1]; k += 2) out.fill(1, r * mask.width + mask.spans[k], r * mask.width + mask.spans[k + 1]);
  return out;
}

describe('rasterizeAoi', () => {
  it('marks exactly the pixels whose centre lies in a polygon with a hole, as an independent winding test does', () => {
    const polygons: LonLatPolygons = [[ring([[20.3, 10.2], [170.6, 30.1], [140.2, 140.7], [35.8, 120.4]]), ring([[70, 60], [70, 90], [100, 90], [100, 60]])]];
    const mask = rasterizeAoi(polygons, GRID, WHOLE);
    const pixels = image(mask);
    // A straight lon/lat edge is a faint curve in UTM: only centres within a hair of an edge may differ.
    const differences: number[] = [];
    for (let row = 0; row < GRID.height; row++) {
      for (let col = 0; col < GRID.width; col++) if (pixels[row * GRID.width + col] !== Number(insideByWinding(polygons, col, row))) differences.push(edgeDistancePx(polygons, col, row));
    }
    expect(differences.filter((distance) => distance > 0.01)).toEqual([]);
    expect(differences.length).toBeLessThan(3);
    expect(mask.inside).toBe(pixels.reduce((sum, v) => sum + v, 0));
    expect(pixels[75 * GRID.width + 85]).toBe(0); // in the hole
    expect(mask.outsideGrid).toBe(0);
  });

  it('takes the union of the polygons of a MultiPolygon, overlapping or not', () => {
    const a = [ring([[10, 10], [60, 10], [60, 60], [10, 60]])];
    const b = [ring([[40, 40], [90, 40], [90, 90], [40, 90]])];
    const mask = rasterizeAoi([a, b], GRID, WHOLE);
    expect(mask.inside).toBe(50 * 50 * 2 - 20 * 20);
  });

  it('counts the part of the area beyond the scene edge, and places spans on a window of the grid', () => {
    const polygons: LonLatPolygons = [[ring([[150, 100], [260, 100], [260, 200], [150, 200]])]];
    const window = { x0: 140, y0: 90, width: 60, height: 60 };
    const mask = rasterizeAoi(polygons, GRID, window);
    expect(mask.inside).toBe(50 * 50);
    expect(mask.outsideGrid).toBe(110 * 100 - 50 * 50);
    expect(mask.offsets[10]).toBe(0); // row 100 of the grid is the first inside
    expect(Array.from(mask.spans.subarray(mask.offsets[10], mask.offsets[11]))).toEqual([10, 60]);
  });

  it('masks a strip from its own rows only, the same as the whole window at once', () => {
    const polygons: LonLatPolygons = [[ring([[5.5, 3.2], [190.1, 40.4], [120.9, 147.3]])]];
    const mask = rasterizeAoi(polygons, GRID, WHOLE);
    const whole = new Uint8Array(GRID.width * GRID.height);
    maskOutsideAoi(mask, 0, GRID.height, whole, 9);
    const strips = new Uint8Array(GRID.width * GRID.height);
    for (let y = 0; y < GRID.height; y += 64) {
      const rows = Math.min(64, GRID.height - y);
      maskOutsideAoi(mask, y, rows, strips.subarray(y * GRID.width, (y + rows) * GRID.width), 9);
    }
    expect(strips).toEqual(whole);
    expect(whole.filter((v) => v === 0).length).toBe(mask.inside);
  });
});

describe('an analysis with an exact area of interest', () => {
  it('counts only the pixels inside it: kelp outside is not counted, and the rest is said in outsideAoi', async () => {
    // Canopy everywhere; the AOI is a triangle.
    const bytes = await makeSceneTiff({ width: 128, height: 128, pixel: () => ({ ...mix(0.9), SCL: 6 }) });
    const grid = { ...GRID, width: 128, height: 128 };
    const t = grid.transform;
    const corner = ([col, row]: [number, number]) => toLonLat(t.originX + col * 10, t.originY - row * 10) as LonLat;
    const aoi: LonLatPolygons = [[[corner([0, 0]), corner([128, 0]), corner([0, 128]), corner([0, 0])]]];
    const expected = rasterizeAoi(aoi, grid, { x0: 0, y0: 0, width: 128, height: 128 }).inside;
    const { result, mask } = await analyzeScene(
      { id: 'aoi', input: { kind: 'multiband', source: memoryByteSource('a.tif', bytes) }, source: { uri: 'a.tif' }, options: parseAnalysisOptions({ minBedAreaM2: 0 }), aoi },
      { clock: { now: () => 0 }, codeVersion: 'test' },
    );
    expect(result.pixels.total).toBe(expected);
    expect(result.pixels.outsideAoi).toBe(128 * 128 - expected);
    expect(result.pixels.nodata).toBe(0);
    expect(result.pixels.kelp).toBe(expected);
    expect(mask[127 * 128 + 127]).toBe(255); // the far corner, outside: not observed
    expect(result.kelp.binaryAreaM2).toBeCloseTo(expected * 100, 0);
  });
});

/**
 * An area of interest as a pixel mask: a WGS 84 polygon rasterised onto the analysed window as
 * row spans, so the scan can leave pixels outside it unobserved, strip by strip. A pixel is
 * inside when its centre is (the rule GDAL's rasteriser uses by default); holes and several
 * polygons are honoured (even-odd within a polygon, union across polygons).
 */
import { fromWgs84 } from '../raster/crs.js';
import type { Grid, PixelWindow } from '../raster/grid.js';

/** A position `[longitude, latitude]`, WGS 84 degrees. */
export type LonLat = [number, number];

/** GeoJSON MultiPolygon coordinates: polygons, each an outer ring then holes; rings closed. */
export type LonLatPolygons = LonLat[][][];

/**
 * Which pixels of a window lie in the AOI: for window row `r`, `spans[offsets[r] … offsets[r + 1])`
 * holds `[x0, x1)` pairs of window columns, sorted and disjoint. Plain typed arrays, so a mask
 * can be handed to a worker thread with the rest of a scan plan.
 */
export interface AoiMask {
  width: number;
  height: number;
  offsets: Int32Array;
  spans: Int32Array;
  /** Pixels of the window inside the AOI. */
  inside: number;
  /** Pixels of the AOI beyond the grid's edge (the scene does not reach them). */
  outsideGrid: number;
}

/** Longest edge, degrees, before it is split: a straight lon/lat edge is slightly curved in UTM. */
const MAX_EDGE_DEG = 0.002;

/**
 * Rasterises `polygons` onto `window` of `grid` (any CRS `fromWgs84` knows). The window may be
 * clipped by the grid; pixels of the AOI beyond the grid are counted in `outsideGrid`.
 *
 * @example
 * ```ts
 * const mask = rasterizeAoi(site.aoi.coordinates, stack.grid, window);
 * mask.inside; // pixels the analysis will count
 * ```
 */
export function rasterizeAoi(polygons: LonLatPolygons, grid: Grid, window: PixelWindow): AoiMask {
  const project = fromWgs84(grid.crs);
  const t = grid.transform;
  // Each polygon's rings as edges in window pixel coordinates (x right, y down).
  const shapes = polygons.map((rings) =>
    rings.map((ring) =>
      densify(ring).map(([lon, lat]) => {
        const [x, y] = project(lon, lat);
        return [(x - t.originX) / t.pixelWidth - window.x0, (y - t.originY) / t.pixelHeight - window.y0] as [number, number];
      }),
    ),
  );
  let [firstRow, lastRow] = [Infinity, -Infinity];
  for (const [, y] of shapes.flat(2)) [firstRow, lastRow] = [Math.min(firstRow, Math.floor(y)), Math.max(lastRow, Math.ceil(y))];
  const offsets = new Int32Array(window.height + 1);
  const spans: number[] = [];
  let inside = 0;
  let outsideGrid = 0;
  const gridX0 = -window.x0;
  const gridX1 = grid.width - window.x0;
  for (let r = firstRow; r <= lastRow; r++) {
    const row = rowSpans(shapes, r + 0.5);
    const inWindow = r >= 0 && r < window.height;
    const inGrid = r + window.y0 >= 0 && r + window.y0 < grid.height;
    for (let k = 0; k < row.length; k += 2) {
      const [a, b] = [row[k], row[k + 1]];
      const gridPart = inGrid ? Math.max(0, Math.min(b, gridX1) - Math.max(a, gridX0)) : 0;
      outsideGrid += b - a - gridPart;
      if (!inWindow) continue;
      const x0 = Math.max(0, a);
      const x1 = Math.min(window.width, b);
      if (x1 > x0) {
        spans.push(x0, x1);
        inside += x1 - x0;
      }
    }
    if (inWindow) offsets[r + 1] = spans.length;
  }
  // Rows of the window the polygon does not reach carry the previous row's end.
  for (let r = 1; r <= window.height; r++) offsets[r] = Math.max(offsets[r], offsets[r - 1]);
  return { width: window.width, height: window.height, offsets, spans: Int32Array.from(spans), inside, outsideGrid };
}

/**
 * Marks every pixel of window rows `[y, y + rows)` outside the AOI with `value` in `classes`
 * (the strip's row-major classes): what the strip kernel calls before it looks at a pixel, so a
 * strip needs only its own rows of the mask.
 *
 * @example
 * ```ts
 * maskOutsideAoi(mask, y, rows, classes, PIXEL.nodata);
 * ```
 */
export function maskOutsideAoi(mask: AoiMask, y: number, rows: number, classes: Uint8Array, value: number): void {
  const { width, offsets, spans } = mask;
  for (let r = 0; r < rows; r++) {
    const o = r * width;
    let x = 0;
    for (let k = offsets[y + r]; k < offsets[y + r + 1]; k += 2) {
      classes.fill(value, o + x, o + spans[k]);
      x = spans[k + 1];
    }
    classes.fill(value, o + x, o + width);
  }
}

/** The `[x0, x1)` column spans (whole pixels whose centre is inside) of one row at height `yc`. */
function rowSpans(shapes: Array<Array<Array<[number, number]>>>, yc: number): number[] {
  const merged: number[] = [];
  for (const rings of shapes) {
    const crossings: number[] = [];
    for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i];
        const [xj, yj] = ring[j];
        if (yi > yc !== yj > yc) crossings.push(xi + ((yc - yi) * (xj - xi)) / (yj - yi));
      }
    }
    crossings.sort((a, b) => a - b);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      // Pixel c is inside when its centre c + 0.5 lies in [a, b).
      const x0 = Math.ceil(crossings[k] - 0.5);
      const x1 = Math.ceil(crossings[k + 1] - 0.5);
      if (x1 > x0) merged.push(x0, x1);
    }
  }
  return unionSpans(merged);
}

/** Sorted, disjoint union of `[x0, x1)` pairs. */
function unionSpans(pairs: number[]): number[] {
  if (pairs.length <= 2) return pairs;
  const order = Array.from({ length: pairs.length / 2 }, (_, k) => k).sort((a, b) => pairs[2 * a] - pairs[2 * b]);
  const out: number[] = [];
  for (const k of order) {
    const [a, b] = [pairs[2 * k], pairs[2 * k + 1]];
    if (out.length && a <= out[out.length - 1]) out[out.length - 1] = Math.max(out[out.length - 1], b);
    else out.push(a, b);
  }
  return out;
}

/** The ring with edges longer than `MAX_EDGE_DEG` split into equal parts. */
function densify(ring: LonLat[]): LonLat[] {
  const out: LonLat[] = [];
  for (let i = 0; i < ring.length; i++) {
    const [x0, y0] = ring[i];
    out.push([x0, y0]);
    if (i + 1 === ring.length) break;
    const [x1, y1] = ring[i + 1];
    const parts = Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0)) / MAX_EDGE_DEG);
    for (let p = 1; p < parts; p++) out.push([x0 + ((x1 - x0) * p) / parts, y0 + ((y1 - y0) * p) / parts]);
  }
  return out;
}

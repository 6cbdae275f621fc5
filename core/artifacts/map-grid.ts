import { layerSize } from '../analysis/layers.js';
import { mercatorToWgs84, toWgs84, wgs84Bounds, wgs84ToMercator } from '../raster/crs.js';
import type { Bbox, Grid } from '../raster/grid.js';

/**
 * Longest side of a map image, in pixels. A full Sentinel-2 tile (10980 px of 10 m) needs about
 * 11,000–12,000 Mercator pixels of the same area (the UTM square is rotated against north by the
 * grid convergence), so it is drawn at about 1/3 of its resolution, roughly 30 m pixels: finer
 * than a web map shows a whole tile at; the kelp map is then 2 MiB of bits, each layer image at
 * most 64 MiB of RGBA while it is encoded. Windows up to about 40 km across keep one map pixel
 * per scene pixel.
 */
export const MAX_MAP_SIDE = 4096;

/**
 * A regular north-up grid in EPSG:3857 (Web Mercator) with square pixels: pixel `(x, y)` covers
 * `[minX + x·pixelSize, minX + (x+1)·pixelSize]` × `[maxY − (y+1)·pixelSize, maxY − y·pixelSize]`.
 */
export interface MapGrid {
  width: number;
  height: number;
  /** Pixel side in EPSG:3857 metres (Mercator metres: ground metres × 1/cos(latitude)). */
  pixelSize: number;
  /** Outer pixel edges in EPSG:3857 metres, `[minX, minY, maxX, maxY]`. */
  bounds: Bbox;
  /** The same edges as WGS 84 degrees, `[west, south, east, north]`: what `L.imageOverlay` takes. */
  boundsWgs84: Bbox;
  /** The side cap applied ({@link MAX_MAP_SIDE} unless a caller chose another). */
  maxSide: number;
  /**
   * Map pixels per layer-image pixel, across and down (1 unless the scene is over 2048 px, when
   * its layers are block-averaged first): `width` and `height` are multiples of it, so the layer
   * images cover exactly the same bounds, coarser ({@link layerMapGrid}).
   */
  layerScale: number;
}

/**
 * The Mercator grid a scene's map images are drawn on: its bounds are the Mercator extent of the
 * scene grid (edges densified, as {@link wgs84Bounds}: x depends only on longitude and y only on
 * latitude, both monotonic, so the Mercator extent is the projected lon/lat extent), its pixel is
 * the area of one scene pixel at the scene's centre measured in Mercator metres (about one output
 * pixel per input pixel), enlarged if needed so that neither side passes `maxSide`. The grid is
 * anchored at the north-west corner; east and south edges are rounded out to whole layer pixels.
 *
 * @example
 * ```ts
 * const map = chooseMapGrid(windowGrid(stack.grid, window));
 * L.imageOverlay(url, [[map.boundsWgs84[1], map.boundsWgs84[0]], [map.boundsWgs84[3], map.boundsWgs84[2]]]);
 * ```
 */
export function chooseMapGrid(grid: Grid, maxSide = MAX_MAP_SIDE): MapGrid {
  const [west, south, east, north] = wgs84Bounds(grid);
  const [minX, minY] = wgs84ToMercator(west, south);
  const [maxX, maxY] = wgs84ToMercator(east, north);
  const spanX = maxX - minX;
  const spanY = maxY - minY;
  const scenePixel = centrePixelSize(grid);
  let pixelSize = Math.max(scenePixel, Math.max(spanX, spanY) / maxSide);
  // A layer pixel is `factor` scene pixels: draw layers no finer than that (never finer than kelp).
  const layerScale = Math.max(1, Math.floor((layerSize(grid.width, grid.height).factor * scenePixel) / pixelSize + 1e-9));
  // Sides in whole layer pixels; shave a rounding hair before ceil so an exact fit stays exact.
  const cells = (span: number) => Math.max(1, Math.ceil(span / (pixelSize * layerScale) - 1e-9));
  if (Math.max(cells(spanX), cells(spanY)) * layerScale > maxSide) {
    pixelSize = Math.max(spanX, spanY) / (Math.floor(maxSide / layerScale) * layerScale);
  }
  const width = cells(spanX) * layerScale;
  const height = cells(spanY) * layerScale;
  const bounds: Bbox = [minX, maxY - height * pixelSize, minX + width * pixelSize, maxY];
  const [w, s] = mercatorToWgs84(bounds[0], bounds[1]);
  const [e, n] = mercatorToWgs84(bounds[2], bounds[3]);
  return { width, height, pixelSize, bounds, boundsWgs84: [w, s, e, n], maxSide, layerScale };
}

/**
 * The grid of the layer images: the same bounds as `map`, `layerScale` times coarser. Layers are
 * block-averaged to at most 2048 px (`MAX_LAYER_SIDE`), so drawing them on the kelp map's finer
 * grid would only repeat pixels, at up to 4× the bytes to encode.
 *
 * @example
 * ```ts
 * layerMapGrid(chooseMapGrid(tileGrid)).width; // about 2040 for a full tile (kelp map: about 4080)
 * ```
 */
export function layerMapGrid(map: MapGrid): MapGrid {
  const k = map.layerScale;
  return { ...map, width: map.width / k, height: map.height / k, pixelSize: map.pixelSize * k, layerScale: 1 };
}

/**
 * √(area) in Mercator metres² of the scene pixel at the grid's centre: the determinant of the
 * Jacobian of scene pixel → Mercator, taken by one-pixel differences.
 */
function centrePixelSize(grid: Grid): number {
  const project = toWgs84(grid.crs);
  const t = grid.transform;
  const at = (col: number, row: number) => wgs84ToMercator(...project(t.originX + col * t.pixelWidth, t.originY + row * t.pixelHeight));
  const [cx, cy] = [grid.width / 2, grid.height / 2];
  const [x0, y0] = at(cx, cy);
  const [x1, y1] = at(cx + 1, cy);
  const [x2, y2] = at(cx, cy + 1);
  return Math.sqrt(Math.abs((x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0)));
}

/**
 * A north-up affine geotransform in GDAL order: `x = originX + col * pixelWidth`,
 * `y = originY + row * pixelHeight` (pixelHeight is negative for north-up images).
 * Coordinates are in the CRS's units (metres for UTM, degrees for geographic).
 */
export interface GeoTransform {
  originX: number;
  originY: number;
  pixelWidth: number;
  pixelHeight: number;
}

/** A coordinate reference system the analysis can measure area in. */
export interface Crs {
  /** EPSG code, e.g. 32629 for WGS 84 / UTM zone 29N, 4326 for WGS 84 lon/lat. */
  epsg: number;
  /** `projected` (metres) or `geographic` (degrees). */
  kind: 'projected' | 'geographic';
  /** proj4 definition string. */
  proj4: string;
}

/** The pixel grid of an image or of the analysis (the 10 m grid). */
export interface Grid {
  width: number;
  height: number;
  transform: GeoTransform;
  crs: Crs;
}

/** A rectangle of pixels on a grid: columns `[x0, x0 + width)`, rows `[y0, y0 + height)`. */
export interface PixelWindow {
  x0: number;
  y0: number;
  width: number;
  height: number;
}

/** `[minX, minY, maxX, maxY]` in the grid's CRS (or WGS84 where named so). */
export type Bbox = [number, number, number, number];

/** The grid's extent in its own CRS. */
export function gridBounds(grid: Grid): Bbox {
  const { originX, originY, pixelWidth, pixelHeight } = grid.transform;
  const x1 = originX + grid.width * pixelWidth;
  const y1 = originY + grid.height * pixelHeight;
  return [Math.min(originX, x1), Math.min(originY, y1), Math.max(originX, x1), Math.max(originY, y1)];
}

/** Pixel corner `(col, row)` to CRS coordinates. */
export function pixelToCrs(transform: GeoTransform, col: number, row: number): [number, number] {
  return [transform.originX + col * transform.pixelWidth, transform.originY + row * transform.pixelHeight];
}

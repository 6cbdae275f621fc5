import { InvalidRequestError } from '../errors.js';
import type { LonLatBbox } from '../ports/scene-catalog.js';
import { fromWgs84 } from '../raster/crs.js';
import type { Grid, PixelWindow } from '../raster/grid.js';

/** WGS 84 semi-major axis (m) and first eccentricity squared. */
const WGS84_A = 6378137;
const WGS84_E2 = 0.00669437999014;

/** Largest AOI side, km (about one Sentinel-2 tile). */
const MAX_AOI_SIDE_KM = 110;

/** An area of interest as a request gives it: a point with a buffer, or a WGS 84 bbox. */
export type AoiInput = { point: { lat: number; lng: number }; bufferKm: number } | { bbox: LonLatBbox };

/**
 * Length of one degree of latitude and of longitude at `latDeg`, in km, on the WGS 84
 * ellipsoid: a degree of latitude is 110.57 km at the equator and 111.69 km at the poles; a
 * degree of longitude shrinks with cos(latitude) (111.32 km at the equator, 55.8 km at 60°).
 *
 * @example
 * ```ts
 * kmPerDegree(60); // { lat: 111.41…, lon: 55.80… }
 * ```
 */
export function kmPerDegree(latDeg: number): { lat: number; lon: number } {
  const phi = (latDeg * Math.PI) / 180;
  const w = 1 - WGS84_E2 * Math.sin(phi) ** 2;
  const meridional = (WGS84_A * (1 - WGS84_E2)) / w ** 1.5;
  const primeVertical = WGS84_A / Math.sqrt(w);
  const perRadianToPerDegreeKm = Math.PI / 180 / 1000;
  return { lat: meridional * perRadianToPerDegreeKm, lon: primeVertical * Math.cos(phi) * perRadianToPerDegreeKm };
}

/**
 * The WGS 84 bbox of an AOI. A point with `bufferKm` becomes the square reaching `bufferKm`
 * from the point in each direction: `bufferKm` over the length of a degree of latitude north
 * and south, and over the (cos-latitude-shrunk) length of a degree of longitude east and west,
 * so the box is square on the ground at any latitude. Throws `InvalidRequestError` for boxes
 * that are reversed, cross the antimeridian, reach the poles or exceed `MAX_AOI_SIDE_KM`.
 *
 * @example
 * ```ts
 * aoiBbox({ point: { lat: 60, lng: 5 }, bufferKm: 1 }); // ≈ [4.98208, 59.99102, 5.01792, 60.00898]
 * ```
 */
export function aoiBbox(input: AoiInput): LonLatBbox {
  let bbox: LonLatBbox;
  if ('point' in input) {
    const { lat, lng } = input.point;
    if (!(Math.abs(lat) <= 85) || !(Math.abs(lng) <= 180)) {
      throw new InvalidRequestError(`point ${lat}, ${lng} is outside latitude −85…85 and longitude −180…180`, { point: input.point });
    }
    if (!(input.bufferKm > 0)) throw new InvalidRequestError(`bufferKm must be above 0, got ${input.bufferKm}`);
    const perDegree = kmPerDegree(lat);
    const dLat = input.bufferKm / perDegree.lat;
    const dLon = input.bufferKm / perDegree.lon;
    bbox = [lng - dLon, lat - dLat, lng + dLon, lat + dLat];
  } else {
    bbox = input.bbox;
  }
  checkBbox(bbox);
  return bbox.map((value) => Math.round(value * 1e7) / 1e7) as LonLatBbox;
}

function checkBbox([west, south, east, north]: LonLatBbox): void {
  if (![west, south, east, north].every(Number.isFinite)) throw new InvalidRequestError('bbox must be four numbers: west, south, east, north');
  if (west < -180 || east > 180 || south < -85 || north > 85) {
    throw new InvalidRequestError(`bbox ${[west, south, east, north].join(',')} reaches past longitude ±180 or latitude ±85 (Sentinel-2 covers 56° S to 84° N)`);
  }
  if (west >= east) throw new InvalidRequestError(`bbox west (${west}) must be less than east (${east}); boxes across the antimeridian are not supported, split them`);
  if (south >= north) throw new InvalidRequestError(`bbox south (${south}) must be less than north (${north})`);
  const perDegree = kmPerDegree((south + north) / 2);
  const widthKm = (east - west) * perDegree.lon;
  const heightKm = (north - south) * perDegree.lat;
  if (widthKm > MAX_AOI_SIDE_KM || heightKm > MAX_AOI_SIDE_KM) {
    throw new InvalidRequestError(`the area of interest is ${widthKm.toFixed(1)} × ${heightKm.toFixed(1)} km; at most ${MAX_AOI_SIDE_KM} km a side`);
  }
}

/** Points along the edges of a bbox (a lon/lat rectangle is curved in UTM). */
function edgePoints([west, south, east, north]: LonLatBbox, perEdge = 16): Array<[number, number]> {
  const points: Array<[number, number]> = [];
  for (let i = 0; i <= perEdge; i++) {
    const f = i / perEdge;
    const lon = west + f * (east - west);
    const lat = south + f * (north - south);
    points.push([lon, south], [lon, north], [west, lat], [east, lat]);
  }
  return points;
}

/**
 * The pixels of `grid` (the scene's 10 m grid, in its UTM CRS) that the WGS 84 `bbox` touches:
 * the bbox's densified edges are projected into the grid's CRS and their envelope taken, then
 * clipped to the grid. Undefined when the AOI misses the grid; `clipped` when it overhangs it.
 *
 * @example
 * ```ts
 * const aoi = aoiWindow(stack.grid, [-121.95, 36.55, -121.93, 36.57]);
 * // { window: { x0: 812, y0: 240, width: 180, height: 223 }, clipped: false }
 * ```
 */
export function aoiWindow(grid: Grid, bbox: LonLatBbox): { window: PixelWindow; clipped: boolean } | undefined {
  const project = fromWgs84(grid.crs);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [lon, lat] of edgePoints(bbox)) {
    const [x, y] = project(lon, lat);
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const t = grid.transform;
  const cols = [(minX - t.originX) / t.pixelWidth, (maxX - t.originX) / t.pixelWidth];
  const rows = [(maxY - t.originY) / t.pixelHeight, (minY - t.originY) / t.pixelHeight];
  const x0 = Math.floor(Math.min(...cols));
  const x1 = Math.ceil(Math.max(...cols));
  const y0 = Math.floor(Math.min(...rows));
  const y1 = Math.ceil(Math.max(...rows));
  const cx0 = Math.max(0, x0);
  const cy0 = Math.max(0, y0);
  const cx1 = Math.min(grid.width, x1);
  const cy1 = Math.min(grid.height, y1);
  if (!(cx1 > cx0 && cy1 > cy0)) return undefined;
  return { window: { x0: cx0, y0: cy0, width: cx1 - cx0, height: cy1 - cy0 }, clipped: cx0 !== x0 || cy0 !== y0 || cx1 !== x1 || cy1 !== y1 };
}

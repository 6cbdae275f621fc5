import proj4 from 'proj4';
import { UnsupportedCrsError } from '../errors.js';
import type { Bbox, Crs, GeoTransform, Grid } from './grid.js';

/**
 * EPSG code ranges we can measure area in, with the proj4 template for each.
 * UTM on WGS 84 (326zz north, 327zz south), ETRS89 (258zz, GRS80) and NAD83 (269zz, GRS80),
 * plus WGS 84 geographic (4326), where area is computed per row on the ellipsoid.
 */
const UTM_FAMILIES: ReadonlyArray<{ base: number; zones: [number, number]; datum: string; south: boolean }> = [
  { base: 32600, zones: [1, 60], datum: '+datum=WGS84', south: false },
  { base: 32700, zones: [1, 60], datum: '+datum=WGS84', south: true },
  { base: 25800, zones: [28, 38], datum: '+ellps=GRS80 +towgs84=0,0,0', south: false },
  { base: 26900, zones: [1, 23], datum: '+datum=NAD83', south: false },
];

/** WGS 84 semi-major axis (m) and flattening. */
const WGS84_A = 6378137;
const WGS84_F = 1 / 298.257223563;

/**
 * The CRS for an EPSG code, or `UnsupportedCrsError` naming what is supported.
 *
 * @example
 * ```ts
 * crsFromEpsg(32629).proj4; // '+proj=utm +zone=29 +datum=WGS84 +units=m +no_defs'
 * ```
 */
export function crsFromEpsg(epsg: number): Crs {
  if (epsg === 4326) return { epsg, kind: 'geographic', proj4: '+proj=longlat +datum=WGS84 +no_defs' };
  for (const family of UTM_FAMILIES) {
    const zone = epsg - family.base;
    if (zone >= family.zones[0] && zone <= family.zones[1]) {
      const south = family.south ? ' +south' : '';
      return { epsg, kind: 'projected', proj4: `+proj=utm +zone=${zone}${south} ${family.datum} +units=m +no_defs` };
    }
  }
  throw new UnsupportedCrsError(
    `EPSG:${epsg} is not supported; reproject to the scene's UTM zone (EPSG:326zz/327zz, as Sentinel-2 L2A is delivered) or to EPSG:4326`,
    { epsg },
  );
}

/** A function from the CRS's coordinates to WGS 84 `[lon, lat]` in degrees. */
export function toWgs84(crs: Crs): (x: number, y: number) => [number, number] {
  if (crs.epsg === 4326) return (x, y) => [x, y];
  const converter = proj4(crs.proj4, 'EPSG:4326');
  return (x, y) => converter.forward([x, y]) as [number, number];
}

/** A function from WGS 84 `[lon, lat]` to the CRS's coordinates. */
export function fromWgs84(crs: Crs): (lon: number, lat: number) => [number, number] {
  if (crs.epsg === 4326) return (lon, lat) => [lon, lat];
  const converter = proj4('EPSG:4326', crs.proj4);
  return (lon, lat) => converter.forward([lon, lat]) as [number, number];
}

/**
 * The grid's bounds in WGS 84, `[west, south, east, north]`, from its edges densified
 * (a UTM rectangle is not a lon/lat rectangle).
 */
export function wgs84Bounds(grid: Grid, pointsPerEdge = 21): Bbox {
  const project = toWgs84(grid.crs);
  const t = grid.transform;
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (let i = 0; i <= pointsPerEdge; i++) {
    const f = i / pointsPerEdge;
    const edgePoints: Array<[number, number]> = [
      [f * grid.width, 0],
      [f * grid.width, grid.height],
      [0, f * grid.height],
      [grid.width, f * grid.height],
    ];
    for (const [col, row] of edgePoints) {
      const [lon, lat] = project(t.originX + col * t.pixelWidth, t.originY + row * t.pixelHeight);
      west = Math.min(west, lon);
      east = Math.max(east, lon);
      south = Math.min(south, lat);
      north = Math.max(north, lat);
    }
  }
  return [west, south, east, north];
}

/**
 * Area of one pixel of each row in m². Projected grids: the geotransform's cell area, the same
 * for every row (grid distance, as docs/design.md specifies; the UTM scale factor changes true area
 * by under 0.1 % within a Sentinel-2 tile). Geographic grids: the exact area of the
 * latitude-longitude cell on the WGS 84 ellipsoid (Snyder 1987, eq. 3-12 authalic q).
 */
export function pixelAreaByRow(crs: Crs, transform: GeoTransform, height: number): Float64Array {
  const areas = new Float64Array(height);
  if (crs.kind === 'projected') {
    areas.fill(Math.abs(transform.pixelWidth * transform.pixelHeight));
    return areas;
  }
  const e2 = WGS84_F * (2 - WGS84_F);
  const e = Math.sqrt(e2);
  const b2 = WGS84_A * WGS84_A * (1 - e2);
  const q = (latDeg: number) => {
    const s = Math.sin((latDeg * Math.PI) / 180);
    return s / (1 - e2 * s * s) + (1 / (2 * e)) * Math.log((1 + e * s) / (1 - e * s));
  };
  const dLon = (Math.abs(transform.pixelWidth) * Math.PI) / 180;
  for (let row = 0; row < height; row++) {
    const lat0 = transform.originY + row * transform.pixelHeight;
    const lat1 = lat0 + transform.pixelHeight;
    areas[row] = ((b2 * dLon) / 2) * Math.abs(q(lat1) - q(lat0));
  }
  return areas;
}

/**
 * EPSG:3857 (Web Mercator) works on a sphere whose radius is the WGS 84 semi-major axis, fed
 * WGS 84 lon/lat as if they were spherical (Leaflet's `L.Projection.SphericalMercator.R`).
 * Latitudes are clamped to ±85.0511287798°, where the square world of web maps ends.
 */
const MERCATOR_MAX_LAT = 85.0511287798;
const DEG = Math.PI / 180;

/**
 * WGS 84 `[lon, lat]` in degrees to EPSG:3857 `[x, y]` in metres (closed formula, no proj4).
 *
 * @example
 * ```ts
 * wgs84ToMercator(180, 0); // [20037508.342789244, 0]
 * ```
 */
export function wgs84ToMercator(lon: number, lat: number): [number, number] {
  const phi = Math.max(-MERCATOR_MAX_LAT, Math.min(MERCATOR_MAX_LAT, lat)) * DEG;
  return [WGS84_A * lon * DEG, WGS84_A * Math.log(Math.tan(Math.PI / 4 + phi / 2))];
}

/**
 * EPSG:3857 `[x, y]` in metres to WGS 84 `[lon, lat]` in degrees, the inverse of
 * {@link wgs84ToMercator}.
 *
 * @example
 * ```ts
 * mercatorToWgs84(0, 20037508.342789244); // [0, 85.0511287798…]
 * ```
 */
export function mercatorToWgs84(x: number, y: number): [number, number] {
  return [x / WGS84_A / DEG, (2 * Math.atan(Math.exp(y / WGS84_A)) - Math.PI / 2) / DEG];
}

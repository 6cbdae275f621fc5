/**
 * A site's area of interest: a point with a buffer, a box, or a GeoJSON Polygon or MultiPolygon,
 * always kept as a MultiPolygon so every observation honours it exactly (core/analysis/aoi-mask.ts).
 * What a site may be, and why (docs/sites.md, "Limits"):
 *
 * | limit | value | why |
 * |---|---|---|
 * | area | 1,000 m² – 100 km² | ten 10 m pixels at least; a site is a bed or a stretch of coast, not a region |
 * | bounding box | ≤ 400 km² | the window every scene of the site is read over |
 * | vertices | ≤ 1,000 | the site is stored, sent to workers and rasterised per scene |
 * | antimeridian | not crossed | a longitude range that wraps has no one window; split the site in two |
 * | rings | simple, holes inside their polygon, polygons apart | a ring that crosses itself has no inside |
 */
import type { LonLat, LonLatPolygons } from '../analysis/aoi-mask.js';
import { InvalidRequestError, UnusableAoiError } from '../errors.js';
import type { LonLatBbox } from '../ports/scene-catalog.js';
import { aoiBbox, kmPerDegree } from '../stac/aoi.js';
import { inRing } from '../stac/choose-scene.js';
import { ringsCross } from './segments.js';

export const SITE_LIMITS = { minAreaM2: 1000, maxAreaKm2: 100, maxBboxKm2: 400, maxVertices: 1000 } as const;

/** Mean radius of the WGS 84 authalic sphere, m (areas on it are within 0.3 % of the ellipsoid's). */
const EARTH_RADIUS_M = 6_371_007.2;

/** The area of interest as a request gives it. */
export type SiteAoiInput =
  | { point: { lat: number; lng: number }; bufferKm: number }
  | { bbox: LonLatBbox }
  | { type: 'Polygon'; coordinates: unknown }
  | { type: 'MultiPolygon'; coordinates: unknown };

/** A site's area of interest, checked. */
export interface SiteAoi {
  /** How it was given. */
  kind: 'point' | 'bbox' | 'polygon';
  point?: { lat: number; lng: number };
  bufferKm?: number;
  geometry: { type: 'MultiPolygon'; coordinates: LonLatPolygons };
  bboxWgs84: LonLatBbox;
  /** Area on the ground, m² (holes excluded). */
  areaM2: number;
  vertices: number;
}

/**
 * Checks an area of interest and returns it as a MultiPolygon with its box and area. Malformed
 * coordinates throw `InvalidRequestError` (400); a well-formed shape a site cannot be (crossing
 * itself, across the antimeridian, over the limits) throws `UnusableAoiError` (422), each saying
 * what to change.
 *
 * @example
 * ```ts
 * parseSiteAoi({ point: { lat: 36.6, lng: -121.9 }, bufferKm: 1 }).areaM2; // ≈ 4,000,000
 * ```
 */
export function parseSiteAoi(input: SiteAoiInput): SiteAoi {
  if ('point' in input) {
    const bbox = aoiBbox({ point: input.point, bufferKm: input.bufferKm });
    return finish('point', [[boxRing(bbox)]], { point: input.point, bufferKm: input.bufferKm });
  }
  if ('bbox' in input) return finish('bbox', [[boxRing(aoiBbox({ bbox: input.bbox }))]], {});
  const polygons = input.type === 'Polygon' ? [readPolygon(input.coordinates, 'coordinates')] : readMulti(input.coordinates);
  return finish('polygon', polygons, {});
}

function finish(kind: SiteAoi['kind'], polygons: LonLatPolygons, extra: Pick<SiteAoi, 'point' | 'bufferKm'>): SiteAoi {
  const vertices = polygons.flat().reduce((sum, ring) => sum + ring.length - 1, 0);
  if (vertices > SITE_LIMITS.maxVertices) {
    throw new UnusableAoiError(`the area has ${vertices} vertices; a site has at most ${SITE_LIMITS.maxVertices}: simplify the outline (a 10 m pixel needs no finer detail)`, { vertices, maxVertices: SITE_LIMITS.maxVertices });
  }
  checkAntimeridian(polygons);
  checkSimple(polygons);
  const bbox = boundsOf(polygons);
  const areaM2 = polygons.reduce((sum, [outer, ...holes]) => sum + ringAreaM2(outer) - holes.reduce((h, hole) => h + ringAreaM2(hole), 0), 0);
  if (areaM2 > SITE_LIMITS.maxAreaKm2 * 1e6) {
    throw new UnusableAoiError(`the area is ${(areaM2 / 1e6).toFixed(1)} km²; a site covers at most ${SITE_LIMITS.maxAreaKm2} km²: split it into several sites`, { areaKm2: areaM2 / 1e6, maxAreaKm2: SITE_LIMITS.maxAreaKm2 });
  }
  if (areaM2 < SITE_LIMITS.minAreaM2) {
    throw new UnusableAoiError(`the area is ${Math.round(areaM2)} m²; a site covers at least ${SITE_LIMITS.minAreaM2} m² (ten 10 m pixels)`, { areaM2, minAreaM2: SITE_LIMITS.minAreaM2 });
  }
  const km = kmPerDegree((bbox[1] + bbox[3]) / 2);
  const bboxKm2 = (bbox[2] - bbox[0]) * km.lon * (bbox[3] - bbox[1]) * km.lat;
  if (bboxKm2 > SITE_LIMITS.maxBboxKm2) {
    throw new UnusableAoiError(`the area's bounding box is ${bboxKm2.toFixed(0)} km²; at most ${SITE_LIMITS.maxBboxKm2} km² (every scene is read over the box): split a long, thin site into several`, { bboxKm2, maxBboxKm2: SITE_LIMITS.maxBboxKm2 });
  }
  return { kind, ...extra, geometry: { type: 'MultiPolygon', coordinates: polygons }, bboxWgs84: bbox, areaM2: Math.round(areaM2), vertices };
}

function readMulti(coordinates: unknown): LonLatPolygons {
  if (!Array.isArray(coordinates) || coordinates.length === 0) throw new InvalidRequestError('MultiPolygon coordinates must be a non-empty array of polygons');
  return coordinates.map((polygon, p) => readPolygon(polygon, `coordinates[${p}]`));
}

function readPolygon(coordinates: unknown, path: string): LonLat[][] {
  if (!Array.isArray(coordinates) || coordinates.length === 0) throw new InvalidRequestError(`${path} must be a non-empty array of rings (the outer ring, then holes)`);
  return coordinates.map((ring, r) => readRing(ring, `${path}[${r}]`));
}

function readRing(ring: unknown, path: string): LonLat[] {
  if (!Array.isArray(ring) || ring.length < 4) throw new InvalidRequestError(`${path} must be a closed ring of at least 4 positions (the first repeated last)`);
  if (ring.length > SITE_LIMITS.maxVertices + 1) {
    throw new UnusableAoiError(`${path} has ${ring.length - 1} vertices; a site has at most ${SITE_LIMITS.maxVertices}: simplify the outline`, { maxVertices: SITE_LIMITS.maxVertices });
  }
  const positions = ring.map((position, i) => {
    if (!Array.isArray(position) || position.length < 2 || !Number.isFinite(position[0]) || !Number.isFinite(position[1])) {
      throw new InvalidRequestError(`${path}[${i}] must be a position [longitude, latitude] of two numbers`);
    }
    const [lon, lat] = position as [number, number];
    if (Math.abs(lon) > 180 || Math.abs(lat) > 85) throw new InvalidRequestError(`${path}[${i}] (${lon}, ${lat}) is outside longitude −180…180 and latitude −85…85`);
    return [lon, lat] as LonLat;
  });
  const [first, last] = [positions[0], positions[positions.length - 1]];
  if (first[0] !== last[0] || first[1] !== last[1]) throw new InvalidRequestError(`${path} is not closed: its last position must repeat its first (GeoJSON, RFC 7946 §3.1.6)`);
  return positions;
}

/** An edge spanning more than 180° of longitude goes the short way round, across ±180°. */
function checkAntimeridian(polygons: LonLatPolygons): void {
  for (const ring of polygons.flat()) {
    for (let i = 0; i + 1 < ring.length; i++) {
      if (Math.abs(ring[i + 1][0] - ring[i][0]) > 180) {
        throw new UnusableAoiError('the area crosses the antimeridian (longitude ±180°); make it two sites, one on each side', { edge: [ring[i], ring[i + 1]] });
      }
    }
  }
  const [west, , east] = boundsOf(polygons);
  if (east - west > 180) throw new UnusableAoiError('the area spans more than 180° of longitude; make it two sites, one on each side of the antimeridian');
}

/** Rings that cross themselves or each other, holes outside their polygon, polygons that overlap: all refused. */
function checkSimple(polygons: LonLatPolygons): void {
  const rings = polygons.flatMap((polygon, p) => polygon.map((ring, r) => ({ ring, p, r })));
  for (let a = 0; a < rings.length; a++) {
    for (let b = a; b < rings.length; b++) {
      const crossing = ringsCross(rings[a].ring, rings[b].ring, a === b);
      if (!crossing) continue;
      const where = `near ${crossing[0].toFixed(5)}, ${crossing[1].toFixed(5)}`;
      if (a === b) throw new UnusableAoiError(`the outline crosses itself ${where}; draw it without crossing lines`, { at: crossing });
      throw new UnusableAoiError(`two rings of the area cross or touch ${where}; rings must not meet`, { at: crossing });
    }
  }
  for (const [p, [outer, ...holes]] of polygons.entries()) {
    if (holes.some((hole) => !inRing(hole[0], outer))) throw new UnusableAoiError(`a hole of polygon ${p + 1} lies outside its outer ring`);
    for (const [q, other] of polygons.entries()) {
      if (q !== p && inRing(outer[0], other[0]) && !other.slice(1).some((hole) => inRing(outer[0], hole))) {
        throw new UnusableAoiError(`polygons ${q + 1} and ${p + 1} of the area overlap; merge them into one`);
      }
    }
  }
}

/**
 * Area of a ring on the authalic sphere, m²: the spherical-excess sum of Chamberlain & Duquette
 * (2007, JPL "Some algorithms for polygons on a sphere"), as turf and d3 compute it.
 */
export function ringAreaM2(ring: readonly LonLat[]): number {
  let sum = 0;
  const rad = Math.PI / 180;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [lon1, lat1] = ring[i];
    const [lon2, lat2] = ring[i + 1];
    sum += (lon2 - lon1) * rad * (2 + Math.sin(lat1 * rad) + Math.sin(lat2 * rad));
  }
  return Math.abs((sum * EARTH_RADIUS_M * EARTH_RADIUS_M) / 2);
}

function boxRing([west, south, east, north]: LonLatBbox): LonLat[] {
  return [[west, south], [east, south], [east, north], [west, north], [west, south]];
}

function boundsOf(polygons: LonLatPolygons): LonLatBbox {
  const positions = polygons.flat(2);
  const lons = positions.map(([lon]) => lon);
  const lats = positions.map(([, lat]) => lat);
  return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
}

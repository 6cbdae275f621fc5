// The web map's offline basemap: land (and so the coastline, its edge) from Natural Earth's
// 1:50m land polygons, and the borders between countries (1:50m admin-0, the arcs two countries
// share), both public domain, as the `world-atlas` package ships them in TopoJSON.
// Converted at build time (by scripts/build-web.mjs) into rings of delta-encoded integers on the
// TopoJSON's own grid (0.0036° × 0.0017°, so nothing is lost), which web/basemap.ts decodes in a
// few lines: no TopoJSON code in the page.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { feature, mesh } from 'topojson-client';

const require = createRequire(import.meta.url);
const LAND = 'world-atlas/land-50m.json';
const COUNTRIES = 'world-atlas/countries-50m.json';
const readJson = async (name) => JSON.parse(await readFile(require.resolve(name), 'utf8'));

/**
 * A ring or line that crosses the antimeridian (TopoJSON of a sphere jumps from 180° to −180°)
 * made continuous (a longitude past 180°), and, when it then reaches past ±180°, also its copy
 * a turn over, so a flat map draws it on both sides instead of a line across the world.
 */
function unwrap(points) {
  let shift = 0;
  const out = points.map(([lon, lat], i) => {
    if (i > 0) {
      const jump = lon - points[i - 1][0];
      if (jump > 180) shift -= 360;
      else if (jump < -180) shift += 360;
    }
    return [lon + shift, lat];
  });
  const lons = out.map(([lon]) => lon);
  const copies = [out];
  if (Math.max(...lons) > 180) copies.push(out.map(([lon, lat]) => [lon - 360, lat]));
  if (Math.min(...lons) < -180) copies.push(out.map(([lon, lat]) => [lon + 360, lat]));
  return copies;
}

/** A polygon's rings unwrapped together (holes follow their outline's copy). */
function unwrapPolygon(polygon) {
  const rings = polygon.map(unwrap);
  return rings[0].map((_, copy) => rings.map((versions) => versions[Math.min(copy, versions.length - 1)]));
}

/** One ring as `[x0, y0, dx1, dy1, …]` on the topology's integer grid. */
function encodeRing(ring, [sx, sy], [tx, ty]) {
  const out = [];
  let [px, py] = [0, 0];
  for (const [lon, lat] of ring) {
    const [x, y] = [Math.round((lon - tx) / sx), Math.round((lat - ty) / sy)];
    out.push(x - px, y - py);
    [px, py] = [x, y];
  }
  return out;
}

/**
 * The basemap data (JSON text): `polygons` (land; each a list of rings, the first the outline)
 * and `borders` (lines), all on the land topology's grid, with where they came from.
 */
export async function buildBasemapData() {
  const [topology, countries, { version }] = await Promise.all([readJson(LAND), readJson(COUNTRIES), readJson('world-atlas/package.json')]);
  const { scale, translate } = topology.transform;
  const land = feature(topology, topology.objects.land);
  const polygons = land.features.flatMap((f) => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates));
  const borders = mesh(countries, countries.objects.countries, (a, b) => a !== b).coordinates;
  const data = {
    source: `Natural Earth 1:50m land and country borders, public domain (naturalearthdata.com), from world-atlas ${version}`,
    scale,
    translate,
    polygons: polygons.flatMap(unwrapPolygon).map((polygon) => polygon.map((ring) => encodeRing(ring, scale, translate))),
    borders: borders.flatMap(unwrap).map((line) => encodeRing(line, scale, translate)),
  };
  return JSON.stringify(data);
}

/**
 * The offline basemap's data as scripts/basemap-data.mjs writes it: land polygons and country
 * borders from Natural Earth, each ring or line `[x0, y0, dx1, dy1, …]` in integer steps of
 * `scale` degrees from `translate`. No Leaflet here, so it is unit-tested in Node.
 */
/** The basemap's colours: land a pale sand over the sea's blue-grey (styles.css `--sea`), the coast a darker line. */
export const BASEMAP_COLOURS = { land: '#ece5d3', coast: '#6f8797', border: '#b3a88d' } as const;

export interface BasemapData {
  source: string;
  scale: [number, number];
  translate: [number, number];
  /** Land: polygons of rings (the first the outline, then holes). */
  polygons: number[][][];
  borders?: number[][];
}

/** `[lat, lng]` pairs, as Leaflet takes them. */
export type LatLngs = Array<[number, number]>;

/** One delta-encoded ring or line as `[lat, lng]` pairs. */
export function decodeLine(encoded: readonly number[], [sx, sy]: readonly number[], [tx, ty]: readonly number[]): LatLngs {
  const out: LatLngs = [];
  let [x, y] = [0, 0];
  for (let i = 0; i + 1 < encoded.length; i += 2) {
    x += encoded[i];
    y += encoded[i + 1];
    out.push([y * sy + ty, x * sx + tx]);
  }
  return out;
}

/** Checks the shape of the data and decodes it; an error saying what is wrong otherwise. */
export function decodeBasemap(value: unknown): { land: LatLngs[][]; borders: LatLngs[]; source: string } {
  const data = value as Partial<BasemapData> | null;
  const pair = (v: unknown) => Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number' && Number.isFinite(n));
  if (!data || !pair(data.scale) || !pair(data.translate) || !Array.isArray(data.polygons)) throw new Error('the basemap data is not in the expected form');
  const { scale, translate } = data as BasemapData;
  return {
    land: data.polygons.map((polygon) => polygon.map((ring) => decodeLine(ring, scale, translate))),
    borders: (data.borders ?? []).map((line) => decodeLine(line, scale, translate)),
    source: typeof data.source === 'string' ? data.source : 'Natural Earth',
  };
}

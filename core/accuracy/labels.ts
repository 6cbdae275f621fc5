/**
 * Reference labels on a scene's grid, from a label raster (GeoTIFF: kelp 1 / not kelp 0, or a
 * canopy fraction 0–1) or from GeoJSON polygons (drone surveys, Kelpwatch, hand digitising).
 * A label raster in another supported CRS is reprojected (nearest neighbour at each scene
 * pixel's centre); GeoJSON coordinates are WGS 84 longitude/latitude (RFC 7946).
 */
import { fromArrayBuffer } from 'geotiff';
import { MissingGeoreferenceError, UnsupportedCrsError, UnusableLabelsError } from '../errors.js';
import { BandFileReader, sampleAt } from '../raster/band-file.js';
import type { ByteSource } from '../raster/byte-source.js';
import { fromWgs84, toWgs84 } from '../raster/crs.js';
import type { Grid } from '../raster/grid.js';
import { openTiff } from '../raster/open-tiff.js';

/** Labels on a scene grid: canopy fraction or 0/1 per pixel, NaN where unlabelled. */
export interface SceneLabels {
  values: Float32Array;
  /** Pixels of the scene that carry a label, and of them labelled kelp (value > 0). */
  labelled: number;
  kelp: number;
  /** What the labels were and how they were placed. */
  description: string;
}

/** Largest label raster read, pixels (a full Sentinel-2 tile at 10 m). */
const MAX_LABEL_PIXELS = 130_000_000;
/** Without a survey footprint, GeoJSON labels cover the kelp polygons' bounding box grown by this. */
export const GEOJSON_MARGIN_M = 100;

/**
 * Labels from a GeoTIFF onto `grid`. Values outside 0–1, non-finite or equal to the file's nodata
 * are unlabelled. An ungeoreferenced raster is accepted only at exactly the scene's size.
 */
export async function labelsFromTiff(source: ByteSource, grid: Grid, signal?: AbortSignal): Promise<SceneLabels> {
  try {
    const info = await openTiff(source, { maxPixels: MAX_LABEL_PIXELS, signal });
    const block = await new BandFileReader(info, [0]).readRows(0, info.height, signal);
    const nodata = info.nodata;
    const read = (col: number, row: number) => {
      const v = Number(sampleAt(block.grids[0], block.offsets[0], col, row));
      return v === nodata || !Number.isFinite(v) || v < 0 || v > 1 ? NaN : v;
    };
    const toLabel = pixelMapping(grid, info.grid);
    const values = new Float32Array(grid.width * grid.height).fill(NaN);
    const cols = new Float64Array(grid.width);
    const rowsAt = new Float64Array(grid.width);
    for (let y = 0; y < grid.height; y++) {
      labelPositionsRow(toLabel, grid.width, y + 0.5, cols, rowsAt);
      for (let x = 0; x < grid.width; x++) {
        const c = Math.floor(cols[x]);
        const r = Math.floor(rowsAt[x]);
        if (c >= 0 && r >= 0 && c < info.width && r < info.height) values[y * grid.width + x] = read(c, r);
      }
    }
    const same = info.grid.crs.epsg === grid.crs.epsg ? 'on the scene’s CRS' : `reprojected from EPSG:${info.grid.crs.epsg}`;
    return summarize(values, source.name, `label raster ${source.name} (${info.width} × ${info.height}, ${same})`);
  } catch (error) {
    if (error instanceof UnsupportedCrsError) throw new UnusableLabelsError(`labels ${source.name}: ${error.message}`, error.details);
    if (!(error instanceof MissingGeoreferenceError)) throw error;
    return ungeoreferenced(source, grid, signal);
  }
}

/** A label raster without georeference: only at exactly the scene's size, pixel for pixel. */
async function ungeoreferenced(source: ByteSource, grid: Grid, signal?: AbortSignal): Promise<SceneLabels> {
  const bytes = await source.read(0, source.size, signal);
  const image = await (await fromArrayBuffer(bytes.slice().buffer)).getImage();
  if (image.getWidth() !== grid.width || image.getHeight() !== grid.height) {
    throw new UnusableLabelsError(
      `${source.name} has no georeference and is ${image.getWidth()} × ${image.getHeight()} pixels, not the scene's ${grid.width} × ${grid.height}; give labels as a GeoTIFF with its CRS and geotransform, or at exactly the scene's size`,
      { labelSize: [image.getWidth(), image.getHeight()], sceneSize: [grid.width, grid.height] },
    );
  }
  const raster = (await image.readRasters({ samples: [0], interleave: true, signal })) as unknown as ArrayLike<number>;
  const nodata = image.getGDALNoData();
  const values = new Float32Array(grid.width * grid.height);
  for (let i = 0; i < values.length; i++) {
    const v = Number(raster[i]);
    values[i] = v === nodata || !Number.isFinite(v) || v < 0 || v > 1 ? NaN : v;
  }
  return summarize(values, source.name, `label raster ${source.name} (no georeference, pixel for pixel)`);
}

/** Label pixel positions of one scene row's pixel centres: exact every `STEP` columns, linear between (as GDAL's approximate transformer; far below a pixel over 160 m). */
const STEP = 16;
function labelPositionsRow(toLabel: (x: number, y: number) => [number, number], width: number, cy: number, cols: Float64Array, rows: Float64Array): void {
  let [pc, pr] = toLabel(0.5, cy);
  for (let x0 = 0; x0 < width; x0 += STEP) {
    const x1 = Math.min(width - 1, x0 + STEP);
    const [nc, nr] = x1 === x0 ? [pc, pr] : toLabel(x1 + 0.5, cy);
    for (let x = x0; x <= x1; x++) {
      const t = x1 === x0 ? 0 : (x - x0) / (x1 - x0);
      cols[x] = pc + (nc - pc) * t;
      rows[x] = pr + (nr - pr) * t;
    }
    [pc, pr] = [nc, nr];
  }
}

/** Scene pixel position → label pixel position (continuous), through WGS 84 when the CRSs differ. */
function pixelMapping(scene: Grid, labels: Grid): (x: number, y: number) => [number, number] {
  const s = scene.transform;
  const l = labels.transform;
  const toLabelPixel = (cx: number, cy: number): [number, number] => [(cx - l.originX) / l.pixelWidth, (cy - l.originY) / l.pixelHeight];
  if (scene.crs.epsg === labels.crs.epsg) return (x, y) => toLabelPixel(s.originX + x * s.pixelWidth, s.originY + y * s.pixelHeight);
  const toLonLat = toWgs84(scene.crs);
  const toLabelCrs = fromWgs84(labels.crs);
  return (x, y) => {
    const [lon, lat] = toLonLat(s.originX + x * s.pixelWidth, s.originY + y * s.pixelHeight);
    return toLabelPixel(...toLabelCrs(lon, lat));
  };
}

function summarize(values: Float32Array, name: string, description: string): SceneLabels {
  let labelled = 0;
  let kelp = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) continue;
    labelled++;
    if (values[i] > 0) kelp++;
  }
  if (labelled === 0) {
    throw new UnusableLabelsError(`${name} does not overlap the scene: no scene pixel falls on a label; check that the labels and the scene cover the same place`);
  }
  return { values, labelled, kelp, description };
}

type Ring = Array<[number, number]>;
/** A polygon as rings of scene pixel coordinates (outer first, then holes). */
type PixelPolygon = Ring[];

/**
 * Labels from GeoJSON (a FeatureCollection, Feature or geometry of Polygons and MultiPolygons).
 * A feature is kelp unless its `kelp` property is `false` or `0`; a kelp feature's `fraction`
 * property (0–1), when present, is its canopy fraction. Features that are not kelp mark the
 * surveyed area (pixels there are "not kelp"); without any, the surveyed area is the kelp
 * polygons' bounding box grown by `GEOJSON_MARGIN_M`. Pixels are inside a polygon when their
 * centre is (even-odd rule, so holes are honoured).
 */
export function labelsFromGeoJson(text: string, name: string, grid: Grid): SceneLabels {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new UnusableLabelsError(`${name} is not valid JSON; expected GeoJSON polygons of kelp`);
  }
  const features = collectFeatures(document, name);
  const fromLonLat = fromWgs84(grid.crs);
  const t = grid.transform;
  const toPixel = ([lon, lat]: number[]): [number, number] => {
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) {
      throw new UnusableLabelsError(`${name} has a coordinate [${lon}, ${lat}] that is not WGS 84 longitude/latitude (GeoJSON is always EPSG:4326)`);
    }
    const [x, y] = fromLonLat(lon, lat);
    return [(x - t.originX) / t.pixelWidth, (y - t.originY) / t.pixelHeight];
  };
  const values = new Float32Array(grid.width * grid.height).fill(NaN);
  const kelp = features.filter((f) => f.kelp).map((f) => ({ value: f.fraction, polygons: f.polygons.map((p) => p.map((ring) => ring.map(toPixel))) }));
  const survey = features.filter((f) => !f.kelp).map((f) => f.polygons.map((p) => p.map((ring) => ring.map(toPixel))));
  if (!kelp.length && !survey.length) throw new UnusableLabelsError(`${name} has no polygon; expected Polygon or MultiPolygon features of kelp`);
  if (survey.length) for (const polygons of survey) for (const polygon of polygons) fillPolygon(values, grid, polygon, 0);
  else fillBox(values, grid, kelp.flatMap((k) => k.polygons), GEOJSON_MARGIN_M / Math.abs(t.pixelWidth));
  for (const { value, polygons } of kelp) for (const polygon of polygons) fillPolygon(values, grid, polygon, value);
  const placed = survey.length ? 'inside the survey footprint' : `within ${GEOJSON_MARGIN_M} m of the kelp polygons`;
  return summarize(values, name, `GeoJSON ${name}: ${kelp.length} kelp feature(s), labelled ${placed}`);
}

interface LabelFeature {
  kelp: boolean;
  fraction: number;
  /** Polygons as rings of [lon, lat]. */
  polygons: number[][][][];
}

function collectFeatures(document: unknown, name: string): LabelFeature[] {
  const bad = (why: string) => new UnusableLabelsError(`${name} is not usable GeoJSON: ${why}`);
  const asFeature = (value: unknown): LabelFeature[] => {
    if (!value || typeof value !== 'object') throw bad('a feature or geometry is not an object');
    const object = value as Record<string, unknown>;
    if (object.type === 'FeatureCollection') {
      if (!Array.isArray(object.features)) throw bad('a FeatureCollection without a features array');
      return object.features.flatMap(asFeature);
    }
    const properties = (object.type === 'Feature' ? (object.properties ?? {}) : {}) as Record<string, unknown>;
    const geometry = (object.type === 'Feature' ? object.geometry : object) as Record<string, unknown> | null;
    if (!geometry || typeof geometry !== 'object') return [];
    const kelp = !(properties.kelp === false || properties.kelp === 0);
    const fraction = properties.fraction === undefined ? 1 : Number(properties.fraction);
    if (!(fraction >= 0 && fraction <= 1)) throw bad(`a "fraction" property must be from 0 to 1 (got ${String(properties.fraction)})`);
    const coordinates = geometry.coordinates;
    if (geometry.type === 'Polygon') return [{ kelp, fraction, polygons: [checkPolygon(coordinates, bad)] }];
    if (geometry.type === 'MultiPolygon') {
      if (!Array.isArray(coordinates)) throw bad('MultiPolygon coordinates are not an array');
      return [{ kelp, fraction, polygons: coordinates.map((polygon) => checkPolygon(polygon, bad)) }];
    }
    throw bad(`geometry type ${String(geometry.type)} is not a Polygon or MultiPolygon (label areas, not points or lines)`);
  };
  return asFeature(document);
}

function checkPolygon(value: unknown, bad: (why: string) => Error): number[][][] {
  if (!Array.isArray(value) || !value.length) throw bad('a polygon has no rings');
  for (const ring of value) {
    if (!Array.isArray(ring) || ring.length < 4 || !ring.every((p) => Array.isArray(p) && p.length >= 2)) {
      throw bad('a polygon ring needs at least four [longitude, latitude] positions');
    }
  }
  return value as number[][][];
}

/** Sets `value` at every pixel whose centre lies inside `polygon` (even-odd over its rings). */
function fillPolygon(values: Float32Array, grid: Grid, polygon: PixelPolygon, value: number): void {
  let minY = Infinity;
  let maxY = -Infinity;
  for (const ring of polygon) for (const [, y] of ring) [minY, maxY] = [Math.min(minY, y), Math.max(maxY, y)];
  const y0 = Math.max(0, Math.floor(minY));
  const y1 = Math.min(grid.height - 1, Math.ceil(maxY));
  for (let row = y0; row <= y1; row++) {
    const cy = row + 0.5;
    const crossings: number[] = [];
    for (const ring of polygon) {
      for (let i = 0; i < ring.length - 1; i++) {
        const [ax, ay] = ring[i];
        const [bx, by] = ring[i + 1];
        if (ay <= cy === by <= cy) continue;
        crossings.push(ax + ((cy - ay) / (by - ay)) * (bx - ax));
      }
    }
    crossings.sort((a, b) => a - b);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      const from = Math.max(0, Math.ceil(crossings[k] - 0.5));
      const to = Math.min(grid.width - 1, Math.floor(crossings[k + 1] - 0.5));
      for (let col = from; col <= to; col++) values[row * grid.width + col] = value;
    }
  }
}

/** Sets 0 over the bounding box of `polygons` grown by `marginPx`. */
function fillBox(values: Float32Array, grid: Grid, polygons: PixelPolygon[], marginPx: number): void {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygon of polygons) for (const ring of polygon) for (const [x, y] of ring) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
  const c0 = Math.max(0, Math.floor(x0 - marginPx));
  const c1 = Math.min(grid.width - 1, Math.ceil(x1 + marginPx));
  const r0 = Math.max(0, Math.floor(y0 - marginPx));
  const r1 = Math.min(grid.height - 1, Math.ceil(y1 + marginPx));
  for (let row = r0; row <= r1; row++) values.fill(0, row * grid.width + c0, row * grid.width + c1 + 1);
}

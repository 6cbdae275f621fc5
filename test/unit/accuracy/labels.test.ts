import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../../core/bytes.js';
import { memoryByteSource } from '../../../core/raster/byte-source.js';
import { crsFromEpsg, toWgs84 } from '../../../core/raster/crs.js';
import type { Grid } from '../../../core/raster/grid.js';
import { TiffEncoder } from '../../../core/raster/tiff-encoder.js';
import { labelsFromGeoJson, labelsFromTiff } from '../../../core/accuracy/labels.js';

/** A 40 × 40 scene at 10 m in UTM 10N. */
const GRID: Grid = { width: 40, height: 40, crs: crsFromEpsg(32610), transform: { originX: 590000, originY: 4060000, pixelWidth: 10, pixelHeight: -10 } };
const lonLat = toWgs84(GRID.crs);
/** WGS 84 position of scene pixel corner (x, y). */
const at = (x: number, y: number) => lonLat(590000 + 10 * x, 4060000 - 10 * y);
const ring = (x0: number, y0: number, x1: number, y1: number) => [at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)];

async function tiff(values: Float32Array, width: number, height: number, georeference?: { epsg: number; transform: Grid['transform'] }) {
  const encoder = new TiffEncoder({ width, height, bands: 1, sampleType: 'float32', tileSize: 16, nodata: -1, ...(georeference ? { georeference } : {}) });
  for (let row = 0; row < encoder.tilesDown; row++) await encoder.addTileRow(0, row, values.subarray(row * 16 * width, Math.min(height, (row + 1) * 16) * width));
  return memoryByteSource('labels.tif', concatBytes(encoder.finish()));
}

describe('labelsFromGeoJson', () => {
  it('marks pixels whose centre is inside a kelp polygon, honouring holes, and the box around it as not kelp', () => {
    const geojson = { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring(10, 10, 20, 20), ring(14, 14, 16, 16)] } };
    const labels = labelsFromGeoJson(JSON.stringify(geojson), 'beds.geojson', GRID);
    expect(labels.values[12 * 40 + 12]).toBe(1);
    expect(labels.values[15 * 40 + 15]).toBe(0); // the hole
    expect(labels.values[10 * 40 + 25]).toBe(0); // within 100 m of the polygon
    expect(labels.values[35 * 40 + 35]).toBeNaN(); // outside the labelled area
    expect(labels.kelp).toBe(100 - 4);
  });

  it('takes a survey footprint as the labelled area and a fraction property as the cover', () => {
    const geojson = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { kelp: false }, geometry: { type: 'Polygon', coordinates: [ring(0, 0, 30, 30)] } },
        { type: 'Feature', properties: { fraction: 0.5 }, geometry: { type: 'MultiPolygon', coordinates: [[ring(2, 2, 4, 4)]] } },
      ],
    };
    const labels = labelsFromGeoJson(JSON.stringify(geojson), 'survey.geojson', GRID);
    expect(labels.values[3 * 40 + 3]).toBe(0.5);
    expect(labels.values[25 * 40 + 25]).toBe(0);
    expect(labels.values[35 * 40 + 35]).toBeNaN();
    expect(labels.labelled).toBe(900);
  });

  it.each([
    ['not JSON', 'not json', /not valid JSON/],
    ['points', JSON.stringify({ type: 'Point', coordinates: [0, 0] }), /not a Polygon or MultiPolygon/],
    ['projected coordinates', JSON.stringify({ type: 'Polygon', coordinates: [[[590000, 4060000], [590100, 4060000], [590100, 4059900], [590000, 4060000]]] }), /not WGS 84/],
    ['a place elsewhere', JSON.stringify({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }), /does not overlap/],
    ['a bad fraction', JSON.stringify({ type: 'Feature', properties: { fraction: 2 }, geometry: { type: 'Polygon', coordinates: [ring(1, 1, 3, 3)] } }), /from 0 to 1/],
  ])('refuses %s with a message that says what is wrong', (_, text, message) => {
    expect(() => labelsFromGeoJson(text, 'labels.geojson', GRID)).toThrow(message);
  });
});

describe('labelsFromTiff', () => {
  it('reads labels on the scene grid, and treats nodata and values outside 0–1 as unlabelled', async () => {
    const values = new Float32Array(40 * 40).fill(0);
    values[5] = 1;
    values[6] = -1; // nodata
    values[7] = 7; // not a label
    values[8] = 0.4;
    const labels = await labelsFromTiff(await tiff(values, 40, 40, { epsg: 32610, transform: GRID.transform }), GRID);
    expect(Array.from(labels.values.subarray(4, 9))).toEqual([0, 1, NaN, NaN, 0.4].map(Math.fround));
    expect(labels.kelp).toBe(2);
  });

  it('reprojects labels given in WGS 84 onto the scene grid', async () => {
    // The scene's 40 × 40 area as a lon/lat raster: label 1 in its western half.
    const [west, north] = at(0, 0);
    const [east, south] = at(40, 40);
    const width = 80;
    const height = 80;
    const values = new Float32Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width / 2; x++) values[y * width + x] = 1;
    const transform = { originX: west, originY: north, pixelWidth: (east - west) / width, pixelHeight: (south - north) / height };
    const labels = await labelsFromTiff(await tiff(values, width, height, { epsg: 4326, transform }), GRID);
    expect(labels.description).toMatch(/reprojected from EPSG:4326/);
    expect(labels.values[20 * 40 + 5]).toBe(1);
    expect(labels.values[20 * 40 + 35]).toBe(0);
  });

  it('accepts an ungeoreferenced raster only at exactly the scene size', async () => {
    const same = await labelsFromTiff(await tiff(new Float32Array(40 * 40).fill(1), 40, 40), GRID);
    expect(same.kelp).toBe(1600);
    await expect(labelsFromTiff(await tiff(new Float32Array(32 * 32), 32, 32), GRID)).rejects.toThrow(/no georeference and is 32 × 32 pixels, not the scene's 40 × 40/);
  });

  it('refuses labels in a CRS it cannot reproject, naming the file', async () => {
    const source = await tiff(new Float32Array(16 * 16), 16, 16, { epsg: 3857, transform: { originX: 0, originY: 0, pixelWidth: 10, pixelHeight: -10 } });
    await expect(labelsFromTiff(source, GRID)).rejects.toThrow(/labels labels.tif: EPSG:3857 is not supported/);
  });
});

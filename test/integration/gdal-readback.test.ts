/**
 * Reads files written by our TIFF and PNG encoders with the real GDAL command line (gdal-bin),
 * the reference reader for GeoTIFF: size, CRS, geotransform, band metadata, nodata and pixels.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '../../core/raster/png-encoder.js';
import { TiffEncoder, encodeTiff } from '../../core/raster/tiff-encoder.js';
import type { TiffSpec } from '../../core/raster/tiff-encoder.js';
import { runGdal } from '../helpers/gdal.js';

/** Runs a GDAL tool (the shared runner); throws with its stderr if it fails. */
const gdal = runGdal;

/** `gdalinfo -json`, asserting GDAL printed no warning while reading. */
function gdalinfo(path: string): GdalInfo {
  const { stdout, stderr } = gdal('gdalinfo', ['-json', path]);
  expect(stderr, 'gdalinfo warnings').toBe('');
  return JSON.parse(stdout) as GdalInfo;
}

/** Band `band` (1-based) as GDAL decodes it, via `gdal_translate` to raw ENVI (host byte order). */
function gdalPixels(path: string, band: number): Buffer {
  const raw = join(dir, `band-${band}-${Math.random().toString(36).slice(2)}.bin`);
  gdal('gdal_translate', ['-q', '-of', 'ENVI', '-b', String(band), path, raw]);
  return readFileSync(raw);
}

interface GdalInfo {
  size: [number, number];
  geoTransform: number[];
  stac: { 'proj:epsg': number };
  metadata: Record<string, Record<string, string>>;
  bands: { type: string; description?: string; scale?: number; offset?: number; noDataValue?: number | string }[];
}

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kelpie-gdal-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('GDAL reads our GeoTIFFs', () => {
  const [width, height] = [300, 200]; // two tile columns and one tile row at 256, so edge tiles
  const utm29n = { transform: { originX: 499980, originY: 6000040, pixelWidth: 10, pixelHeight: -10 }, epsg: 32629 };

  it('reads a multi-band uint16 scene: size, CRS, geotransform, band metadata, nodata and pixels', async () => {
    const bandNames = ['B02', 'B04', 'B08'];
    const bands = bandNames.map((_, b) => Uint16Array.from({ length: width * height }, (_, i) => (i * 3 + b * 1000) % 65536));
    const spec: TiffSpec = {
      width, height, bands: 3, sampleType: 'uint16', georeference: utm29n, nodata: 0,
      bandDescriptions: bandNames, bandScales: [0.0001, 0.0001, 0.0001], bandOffsets: [-0.1, -0.1, -0.1],
      metadata: { PROCESSING_BASELINE: '05.00', NOTE: 'a & b <c>' },
    };
    const path = join(dir, 'scene.tif');
    writeFileSync(path, await encodeTiff(spec, bands));

    const info = gdalinfo(path);

    expect(info.size).toEqual([width, height]);
    expect(info.stac['proj:epsg']).toBe(32629);
    expect(info.geoTransform).toEqual([499980, 10, 0, 6000040, 0, -10]);
    expect(info.metadata['']).toMatchObject({ AREA_OR_POINT: 'Area', PROCESSING_BASELINE: '05.00', NOTE: 'a & b <c>' });
    expect(info.metadata.IMAGE_STRUCTURE).toMatchObject({ COMPRESSION: 'DEFLATE', INTERLEAVE: 'BAND' });
    expect(info.bands.map((band) => [band.type, band.description, band.scale, band.offset, band.noDataValue])).toEqual(
      bandNames.map((name) => ['UInt16', name, 0.0001, -0.1, 0]),
    );
    bands.forEach((band, b) => {
      const pixels = gdalPixels(path, b + 1);
      expect(Buffer.from(band.buffer).equals(pixels), `band ${bandNames[b]} pixels`).toBe(true);
    });
  });

  it('reads a uint8 kelp mask written tile by tile in EPSG:4326', async () => {
    const mask = Uint8Array.from({ length: width * height }, (_, i) => [0, 1, 255][i % 7 % 3]);
    const georeference = { transform: { originX: -123.5, originY: 48.5, pixelWidth: 0.0001, pixelHeight: -0.0001 }, epsg: 4326 };
    const encoder = new TiffEncoder({ width, height, bands: 1, sampleType: 'uint8', georeference, nodata: 255, tileSize: 128 });
    for (let row = encoder.tilesDown - 1; row >= 0; row--) {
      const y0 = row * encoder.tileSize;
      await encoder.addTileRow(0, row, mask.subarray(y0 * width, Math.min(height, y0 + encoder.tileSize) * width));
    }
    const path = join(dir, 'kelp-mask.tif');
    writeFileSync(path, Buffer.concat(encoder.finish()));

    const info = gdalinfo(path);

    expect(info.size).toEqual([width, height]);
    expect(info.stac['proj:epsg']).toBe(4326);
    expect(info.geoTransform).toEqual([-123.5, 0.0001, 0, 48.5, 0, -0.0001]);
    expect(info.bands[0]).toMatchObject({ type: 'Byte', noDataValue: 255 });
    expect(Buffer.from(mask).equals(gdalPixels(path, 1))).toBe(true);
    const { stdout } = gdal('gdallocationinfo', ['-valonly', path, String(width - 1), String(height - 1)]);
    expect(Number(stdout.trim())).toBe(mask[width * height - 1]);
  });

  it('reads an uncompressed float32 raster with NaN nodata', async () => {
    const truth = Float32Array.from({ length: width * height }, (_, i) => (i % 11 === 0 ? NaN : i * 0.5 - 100));
    const path = join(dir, 'truth.tif');
    writeFileSync(path, await encodeTiff({ width, height, bands: 1, sampleType: 'float32', georeference: utm29n, nodata: NaN, compression: 'none' }, [truth]));

    const info = gdalinfo(path);

    expect(info.bands[0]).toMatchObject({ type: 'Float32', noDataValue: 'NaN' });
    expect(info.metadata.IMAGE_STRUCTURE?.COMPRESSION).toBeUndefined();
    expect(Buffer.from(truth.buffer).equals(gdalPixels(path, 1))).toBe(true);
  });
});

describe('GDAL reads our PNGs', () => {
  it('reads an RGBA overlay as four bands of the right size and pixels', async () => {
    const [width, height] = [33, 17];
    const rgba = Uint8Array.from({ length: width * height * 4 }, (_, i) => (i * 37) % 256);
    const path = join(dir, 'overlay.png');
    writeFileSync(path, await encodePng({ width, height, rgba }));

    const info = gdalinfo(path);

    expect(info.size).toEqual([width, height]);
    expect(info.bands).toHaveLength(4);
    for (let band = 0; band < 4; band++) {
      const expected = rgba.filter((_, i) => i % 4 === band);
      expect(Buffer.from(expected).equals(gdalPixels(path, band + 1)), `PNG band ${band + 1}`).toBe(true);
    }
  });
});

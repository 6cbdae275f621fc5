/**
 * A Landsat sample written as USGS ships Collection 2 Level-2 (per-band files, MTL.json and
 * MTL.txt) and as one multiband file; and the Sentinel-2 files byte for byte as before.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fromArrayBuffer } from 'geotiff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSampleScene } from '../../../adapters/local/sample-writer.js';
import { createSampleScene } from '../../../core/sample/scene.js';

async function openTiff(path: string) {
  const bytes = await readFile(path);
  const tiff = await fromArrayBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return tiff.getImage();
}

function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const ID = 'LC08_L2SP_044034_20230815_20230823_02_T1';

describe('writeSampleScene for a Landsat scene', () => {
  // 70 × 57 pixels at 30 m with 32-pixel tiles: edge tiles in both directions.
  const scene = createSampleScene({ width: 210, height: 170, seed: 8, sensor: 'landsat-8', variation: 'natural' });
  const window = { x0: 0, y0: 0, width: scene.grid.width, height: scene.grid.height };
  let dir = '';
  let paths: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kelpie-landsat-sample-'));
    paths = await writeSampleScene(scene, dir, { layout: 'both', tileSize: 32 });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the USGS file set, the multiband file and the truth, and nothing else', async () => {
    const bands = ['SR_B1', 'SR_B2', 'SR_B3', 'SR_B4', 'SR_B5', 'SR_B6', 'SR_B7', 'QA_PIXEL'].map((band) => `${ID}_${band}.TIF`);
    const expected = [...bands, `${ID}_MTL.json`, `${ID}_MTL.txt`, 'sample.tif', 'truth-fraction.tif', 'truth-flags.tif'].sort();
    expect(paths.map((p) => basename(p)).sort()).toEqual(expected);
    expect((await readdir(dir)).sort()).toEqual(expected);
  });

  it('writes SR bands as uint16 with nodata 0 and no scale or offset, QA_PIXEL with nodata 1, on the 30 m grid', async () => {
    const values = scene.readBands(scene.bands, window);
    for (const band of scene.bands) {
      const image = await openTiff(join(dir, `${ID}_${band}.TIF`));
      expect([image.getWidth(), image.getHeight(), image.getBitsPerSample()]).toEqual([70, 57, 16]);
      expect(image.getGDALNoData()).toBe(band === 'QA_PIXEL' ? 1 : 0);
      expect(image.getResolution()).toEqual([30, -30, 0]);
      expect(image.getOrigin()).toEqual([590000, 4060000, 0]);
      const items = ((await image.getGDALMetadata(0)) ?? {}) as Record<string, string>;
      expect(items.SCALE).toBeUndefined();
      expect(items.OFFSET).toBeUndefined();
      const [raster] = await image.readRasters();
      expect(same(raster as unknown as ArrayLike<number>, values[band]), band).toBe(true);
    }
  });

  it('writes MTL.json and MTL.txt naming the files written', async () => {
    const json = JSON.parse(await readFile(join(dir, `${ID}_MTL.json`), 'utf8'));
    const mtl = json.LANDSAT_METADATA_FILE;
    expect(mtl.PRODUCT_CONTENTS.LANDSAT_PRODUCT_ID).toBe(ID);
    expect(mtl.IMAGE_ATTRIBUTES).toMatchObject({ SPACECRAFT_ID: 'LANDSAT_8', SENSOR_ID: 'OLI_TIRS', DATE_ACQUIRED: '2023-08-15' });
    const listed = Object.entries(mtl.PRODUCT_CONTENTS as Record<string, string>)
      .filter(([key]) => key.startsWith('FILE_NAME_'))
      .map(([, name]) => name);
    const written = await readdir(dir);
    for (const name of listed) expect(written).toContain(name);
    const text = await readFile(join(dir, `${ID}_MTL.txt`), 'utf8');
    expect(text).toContain(`LANDSAT_PRODUCT_ID = "${ID}"`);
    expect(text).toContain('REFLECTANCE_ADD_BAND_4 = -0.2');
  });

  it('writes the multiband file with SR_B2 … SR_B7, QA_PIXEL described, and no scale or offset', async () => {
    const image = await openTiff(join(dir, 'sample.tif'));
    const order = ['SR_B2', 'SR_B3', 'SR_B4', 'SR_B5', 'SR_B6', 'SR_B7', 'QA_PIXEL'];
    expect(image.getSamplesPerPixel()).toBe(order.length);
    const rasters = await image.readRasters();
    const values = scene.readBands(order, window);
    for (const [i, band] of order.entries()) {
      const items = (await image.getGDALMetadata(i)) as Record<string, string>;
      expect(items.DESCRIPTION).toBe(band);
      expect(items.SCALE).toBeUndefined();
      expect(same(rasters[i] as unknown as ArrayLike<number>, values[band]), band).toBe(true);
    }
    expect(await image.getGDALMetadata()).toMatchObject({ LANDSAT_PRODUCT_ID: ID, SPACECRAFT_ID: 'LANDSAT_8', DATE_ACQUIRED: '2023-08-15' });
  });

  it('writes the 30 m truth', async () => {
    const truth = scene.readTruth(window);
    const [fraction] = await (await openTiff(join(dir, 'truth-fraction.tif'))).readRasters();
    const [flags] = await (await openTiff(join(dir, 'truth-flags.tif'))).readRasters();
    expect(same(fraction as unknown as ArrayLike<number>, truth.canopyFraction)).toBe(true);
    expect(same(flags as unknown as ArrayLike<number>, truth.flags)).toBe(true);
  });

  it('defaults to the USGS per-band layout', async () => {
    const other = await mkdtemp(join(tmpdir(), 'kelpie-landsat-default-'));
    try {
      const written = (await writeSampleScene(createSampleScene({ width: 96, height: 96, sensor: 'landsat-9' }), other)).map((p) => basename(p));
      expect(written).toContain('LC09_L2SP_044034_20230815_20230823_02_T1_QA_PIXEL.TIF');
      expect(written).not.toContain('sample.tif');
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});

describe('writeSampleScene for a Sentinel-2 scene', () => {
  it('writes the same bytes as before the sensor option', async () => {
    // SHA-256 over (name, bytes) of every file, sorted by name, computed with the code of commit
    // 80a396b (before the sensor option) by the same procedure.
    const dir = await mkdtemp(join(tmpdir(), 'kelpie-s2-bytes-'));
    try {
      await writeSampleScene(createSampleScene({ width: 150, height: 130, seed: 3, variation: 'natural' }), dir, { layout: 'both', tileSize: 64 });
      const hash = createHash('sha256');
      for (const name of (await readdir(dir)).sort()) {
        hash.update(name);
        hash.update(await readFile(join(dir, name)));
      }
      expect(hash.digest('hex')).toBe('a3c851a3b3c24bb463508e4523efda58fdc336b745486143efde3261e71e3d59');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fromArrayBuffer } from 'geotiff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSampleScene } from '../../../adapters/local/sample-writer.js';
import { createSampleScene } from '../../../core/sample/scene.js';
import { fullWindow, fullWindow20 } from './scene-helpers.js';

/** Opens a GeoTIFF file with geotiff.js. */
async function openTiff(path: string) {
  const bytes = await readFile(path);
  const tiff = await fromArrayBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return tiff.getImage();
}

/** Reads every band of a GeoTIFF image as flat arrays. */
async function readBandsOf(image: Awaited<ReturnType<typeof openTiff>>): Promise<ArrayLike<number>[]> {
  const rasters = await image.readRasters();
  return Array.from({ length: image.getSamplesPerPixel() }, (_, i) => rasters[i] as unknown as ArrayLike<number>);
}

/** True when two arrays hold the same numbers. */
function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

describe('writeSampleScene', () => {
  // Odd height and a tile size that does not divide it: edge tiles and the last 20 m row are exercised.
  const scene = createSampleScene({ width: 200, height: 171, seed: 5 });
  let dir = '';
  let paths: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kelpie-sample-'));
    paths = await writeSampleScene(scene, dir, { layout: 'both', tileSize: 64 });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the multiband file, one file per band and both truth rasters, and nothing else', async () => {
    const bands = ['B02', 'B03', 'B04', 'B05', 'B06', 'B08', 'B11', 'B12', 'SCL'].map((band) => `${band}.tif`);
    const expected = ['sample.tif', ...bands, 'truth-fraction.tif', 'truth-flags.tif'].sort();

    expect(paths.map((path) => basename(path)).sort()).toEqual(expected);
    expect((await readdir(dir)).sort()).toEqual(expected);
  });

  it('names the multiband bands in order and sets nodata, scale, offset and metadata', async () => {
    const image = await openTiff(join(dir, 'sample.tif'));
    const order = ['B02', 'B03', 'B04', 'B05', 'B06', 'B08', 'B11', 'B12', 'SCL'];

    expect(image.getSamplesPerPixel()).toBe(9);
    expect(image.getGDALNoData()).toBe(0);
    for (const [i, band] of order.entries()) {
      const items = (await image.getGDALMetadata(i)) as Record<string, string>;
      expect(items.DESCRIPTION, band).toBe(band);
      expect(Number(items.SCALE), band).toBe(band === 'SCL' ? 1 : 0.0001);
      expect(Number(items.OFFSET), band).toBe(band === 'SCL' ? 0 : -0.1);
    }
    const dataset = (await image.getGDALMetadata()) as Record<string, string>;
    expect(dataset.PROCESSING_BASELINE).toBe('04.00');
    expect(dataset.BOA_ADD_OFFSET).toBe('-1000');
  });

  it('georeferences the multiband file on the 10 m grid in the scene CRS', async () => {
    const image = await openTiff(join(dir, 'sample.tif'));

    expect([image.getWidth(), image.getHeight()]).toEqual([200, 171]);
    expect(image.getOrigin().slice(0, 2)).toEqual([scene.grid.transform.originX, scene.grid.transform.originY]);
    expect(image.getResolution().slice(0, 2)).toEqual([10, -10]);
    expect(image.getGeoKeys()?.ProjectedCSTypeGeoKey).toBe(32610);
  });

  it('stores the same DNs the scene reads, with 20 m bands repeated 2 × 2', async () => {
    const image = await openTiff(join(dir, 'sample.tif'));
    const order = ['B02', 'B03', 'B04', 'B05', 'B06', 'B08', 'B11', 'B12', 'SCL'] as const;

    const stored = await readBandsOf(image);
    const expected = scene.readBands(order, fullWindow(scene), 10);

    for (const [i, band] of order.entries()) expect(sameValues(stored[i], expected[band]), band).toBe(true);
  });

  it('writes each 20 m band at native resolution with its own 20 m georeference', async () => {
    const image = await openTiff(join(dir, 'B11.tif'));

    const [stored] = await readBandsOf(image);

    expect([image.getWidth(), image.getHeight()]).toEqual([100, 86]);
    expect(image.getResolution().slice(0, 2)).toEqual([20, -20]);
    expect(image.getOrigin().slice(0, 2)).toEqual([scene.grid.transform.originX, scene.grid.transform.originY]);
    expect(sameValues(stored, scene.readBands(['B11'], fullWindow20(scene), 20).B11)).toBe(true);
    expect(((await image.getGDALMetadata(0)) as Record<string, string>).DESCRIPTION).toBe('B11');
  });

  it('writes each 10 m band alone on the 10 m grid', async () => {
    const image = await openTiff(join(dir, 'B08.tif'));

    const [stored] = await readBandsOf(image);

    expect(image.getSamplesPerPixel()).toBe(1);
    expect(sameValues(stored, scene.readBands(['B08'], fullWindow(scene), 10).B08)).toBe(true);
  });

  it('writes the truth as float32 canopy fraction and uint8 flags on the 10 m grid', async () => {
    const fractionImage = await openTiff(join(dir, 'truth-fraction.tif'));
    const flagsImage = await openTiff(join(dir, 'truth-flags.tif'));
    const truth = scene.readTruth(fullWindow(scene));

    const [fraction] = await readBandsOf(fractionImage);
    const [flags] = await readBandsOf(flagsImage);

    expect(fraction).toBeInstanceOf(Float32Array);
    expect(flags).toBeInstanceOf(Uint8Array);
    expect(sameValues(fraction, truth.canopyFraction)).toBe(true);
    expect(sameValues(flags, truth.flags)).toBe(true);
  });

  it('writes only the multiband file and the truth by default', async () => {
    const only = await mkdtemp(join(tmpdir(), 'kelpie-sample-'));
    try {
      const written = await writeSampleScene(createSampleScene({ width: 40, height: 40 }), only);

      expect(written.map((path) => basename(path))).toEqual(['sample.tif', 'truth-fraction.tif', 'truth-flags.tif']);
    } finally {
      await rm(only, { recursive: true, force: true });
    }
  });

  it('writes offset 0 and BOA_ADD_OFFSET 0 for a baseline before 04.00', async () => {
    const old = await mkdtemp(join(tmpdir(), 'kelpie-sample-'));
    try {
      await writeSampleScene(createSampleScene({ width: 40, height: 40, processingBaseline: '02.14' }), old);
      const image = await openTiff(join(old, 'sample.tif'));

      expect(Number(((await image.getGDALMetadata(2)) as Record<string, string>).OFFSET)).toBe(0);
      expect(((await image.getGDALMetadata()) as Record<string, string>).BOA_ADD_OFFSET).toBe('0');
    } finally {
      await rm(old, { recursive: true, force: true });
    }
  });
});

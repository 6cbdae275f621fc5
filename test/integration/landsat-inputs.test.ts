/**
 * A Landsat Collection 2 Level-2 product as users have it: its folder, its files listed one by
 * one, its zip (read in place), and uploaded to the imagery store (a folder with a manifest, or
 * a zip). The product is the synthetic one of `test/helpers/landsat-stac-fixtures.ts`.
 */
import { copyFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalScene, openLocalScene } from '../../adapters/local/cli/scene-paths.js';
import { MemoryBlobStore } from '../../adapters/memory/memory-blob-store.js';
import { analyzeScene, sceneBands } from '../../core/analysis/analyze.js';
import { type AnalysisOptions, parseAnalysisOptions } from '../../core/analysis/options.js';
import { systemClock } from '../../core/ports/clock.js';
import { silentLogger } from '../../core/ports/logger.js';
import { analyzeObject } from '../../core/usecases/analyze-object.js';
import { parseMtl } from '../../core/landsat/mtl.js';
import { LANDSAT, coastalLandsatDir, coastalLandsatScene, landsatSceneDir } from '../helpers/landsat-stac-fixtures.js';
import { makeZip } from '../helpers/zip.js';
import { createSmallApi } from '../helpers/small-api.js';

let dir: string;
let work: string;
let files: string[];
const options = parseAnalysisOptions({});
const deps = { clock: systemClock, codeVersion: 'test' };

async function analyse(scene: LocalScene, opts: AnalysisOptions = options) {
  try {
    return (await analyzeScene({ id: 'x', input: scene.input, ...(scene.sensor ? { sensor: scene.sensor } : {}), options: opts, source: scene.source }, deps)).result;
  } finally {
    await scene.close();
  }
}

beforeAll(async () => {
  dir = await landsatSceneDir();
  files = (await readdir(dir)).filter((name) => name.startsWith('LC08_')).sort();
  work = join(tmpdir(), `kelpie-landsat-inputs-${process.pid}`);
  await mkdir(work, { recursive: true });
});
afterAll(() => rm(work, { recursive: true, force: true }));

const bandsFor = (sensor: Parameters<typeof sceneBands>[1]) => sceneBands(options, sensor);

describe('a Landsat product on disk', () => {
  it('analyses the folder with the sensor default method (fai), naming Landsat bands in the source', async () => {
    const result = await analyse(await openLocalScene([dir], bandsFor));
    expect(result.source).toMatchObject({ sensor: 'landsat-8', sceneId: LANDSAT.productId, acquiredAt: '2023-07-09T18:42:38.997Z', pixelSizeM: 30 });
    expect(Object.keys(result.source.files ?? {}).sort()).toEqual(['QA_PIXEL', 'SR_B2', 'SR_B3', 'SR_B4', 'SR_B5', 'SR_B6']);
    expect(result.method).toMatchObject({ name: 'fai' });
    expect(result.kelp.areaHa).toBeGreaterThan(100);
    expect(result.pixels.cloud).toBeGreaterThan(0);
    expect(result.pixels.shadow).toBeGreaterThan(0);
  });

  it('gives the same answer for the files listed one by one and for their zip', async () => {
    const folder = await analyse(await openLocalScene([dir], bandsFor));
    const listed = await analyse(await openLocalScene(files.map((name) => join(dir, name)), bandsFor));
    const members = await Promise.all(files.map(async (name) => ({ path: `${LANDSAT.productId}/${name}`, data: new Uint8Array(await readFile(join(dir, name))), method: 'deflate' as const })));
    const zipPath = join(work, `${LANDSAT.productId}.zip`);
    await writeFile(zipPath, makeZip(members));
    const zipped = await analyse(await openLocalScene([zipPath], bandsFor));
    for (const other of [listed, zipped]) {
      expect(other.kelp).toEqual(folder.kelp);
      expect(other.pixels).toEqual(folder.pixels);
      expect(other.source.sceneId).toBe(LANDSAT.productId);
    }
  });

  it('opens a folder without QA_PIXEL and warns that the masks are weaker', async () => {
    const bare = join(work, 'no-qa');
    await mkdir(bare, { recursive: true });
    for (const name of files.filter((file) => !file.includes('QA_PIXEL'))) await copyFile(join(dir, name), join(bare, name));
    const result = await analyse(await openLocalScene([bare], bandsFor));
    expect(result.warnings.map((warning) => warning.code)).toContain('NO_QUALITY_BAND');
    expect(result.source.files).not.toHaveProperty('QA_PIXEL');
    expect(result.kelp.areaHa).toBeGreaterThan(100);
  });

  it('refuses a Level-1 band given alone, saying what to download', async () => {
    const level1 = join(work, 'LC08_L1TP_044034_20230709_20230718_02_T1_B4.TIF');
    await copyFile(join(dir, `${LANDSAT.productId}_SR_B4.TIF`), level1);
    await expect(openLocalScene([level1], bandsFor)).rejects.toMatchObject({ code: 'NOT_SURFACE_REFLECTANCE', message: expect.stringMatching(/Level-1 product \(L1TP.*Collection 2 Level-2 surface reflectance product instead/) });
  });

  it("reads the sample generator's product, both of its MTL forms saying the same", async () => {
    const sample = await coastalLandsatDir();
    const { productId } = coastalLandsatScene().acquisition;
    const [json, text] = await Promise.all(['json', 'txt'].map(async (ext) => parseMtl(await readFile(join(sample, `${productId}_MTL.${ext}`), 'utf8'), `${productId}_MTL.${ext}`)));
    expect(text).toEqual(json);
    const result = await analyse(await openLocalScene([sample], bandsFor));
    expect(result.source).toMatchObject({ sensor: 'landsat-8', sceneId: productId, acquiredAt: json.acquiredAt });
    expect(result.kelp.areaHa).toBeGreaterThan(0);
  });

  it('refuses kd on a Landsat folder, naming the methods that work', async () => {
    await expect(openLocalScene([dir], (sensor) => sceneBands(parseAnalysisOptions({ method: 'kd' }), sensor))).rejects.toMatchObject({ code: 'UNSUPPORTED_METHOD', message: expect.stringMatching(/"fai", "ndvi", "consensus"/) });
  });
});

describe('a Landsat product uploaded to the imagery store', () => {
  const objectDeps = (imageStore: MemoryBlobStore) => ({ imageStore, imageStoreName: 'mem://imagery', resultStore: new MemoryBlobStore(), clock: systemClock, codeVersion: 'test', logger: silentLogger, maxImagePixels: 2e8 });

  it('analyses a folder announced by its manifest, and the zip, alike', async () => {
    const imageStore = new MemoryBlobStore();
    for (const name of files) await imageStore.put(`uploads/l8/${name}`, new Uint8Array(await readFile(join(dir, name))));
    await imageStore.put('uploads/l8/manifest.json', new TextEncoder().encode('{}'));
    await imageStore.put('uploads/l8.zip', new Uint8Array(await readFile(join(work, `${LANDSAT.productId}.zip`))));
    const deps = objectDeps(imageStore);
    const [folder, zipped] = await Promise.all([analyzeObject({ key: 'uploads/l8/manifest.json', options }, deps), analyzeObject({ key: 'uploads/l8.zip', options }, deps)]);
    expect(folder.result.source).toMatchObject({ sensor: 'landsat-8', sceneId: LANDSAT.productId });
    expect(zipped.result.kelp).toEqual(folder.result.kelp);
  });

  it('plans and analyses an uploaded product through POST /api/analyses, and refuses kd on it with 400', async () => {
    const { api, store } = createSmallApi();
    for (const name of files) await store.put(`uploads/l8/${name}`, new Uint8Array(await readFile(join(dir, name))));
    await store.put('uploads/l8/manifest.json', new TextEncoder().encode('{}'));
    const post = async (body: unknown) => {
      const response = await api({ method: 'POST', path: '/api/analyses', query: {}, headers: { 'content-type': 'application/json' }, json: body, requestId: 'r' });
      return { status: response.status, body: JSON.parse(String(response.body)) };
    };
    const done = await post({ source: { key: 'uploads/l8/manifest.json' } });
    expect(done.status).toBe(201);
    expect(done.body.source).toMatchObject({ sensor: 'landsat-8', sceneId: LANDSAT.productId });
    const kd = await post({ source: { key: 'uploads/l8/manifest.json' }, method: 'kd' });
    expect(kd).toMatchObject({ status: 400, body: { error: { code: 'UNSUPPORTED_METHOD' } } });
  });

  it('refuses one band of a product uploaded alone, saying how to upload the product', async () => {
    const imageStore = new MemoryBlobStore();
    const key = `uploads/${LANDSAT.productId}_SR_B4.TIF`;
    await imageStore.put(key, new Uint8Array(await readFile(join(dir, `${LANDSAT.productId}_SR_B4.TIF`))));
    await expect(analyzeObject({ key, options }, objectDeps(imageStore))).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT', message: expect.stringMatching(/one band \(SR_B4\) of the Landsat product .* followed by its manifest\.json, or the product as one \.zip/) });
  });
});

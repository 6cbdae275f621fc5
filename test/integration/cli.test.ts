import { execFile, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHaFromM2, formatRangeTonnes } from '../../core/report/format.js';
import { SPECTRA } from '../helpers/bands.js';
import { makeSceneTiff, patchTag } from '../helpers/tiff.js';

const ROOT = join(import.meta.dirname, '../..');
const SAMPLE = join(ROOT, 'samples/coastal-sample.tif');
const run = promisify(execFile);

/** Runs the real CLI entry point in a child process; never throws, returns code and output. */
async function kelpie(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'adapters/local/cli/bin.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kelpie-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('kelpie analyze on the bundled sample', () => {
  it('prints both areas, biomass and carbon with ranges, as the web map writes them', async () => {
    const { code, stdout } = await kelpie(['analyze', SAMPLE, '--json']);
    const result = JSON.parse(stdout);
    const summary = await kelpie(['analyze', SAMPLE]);
    expect([code, summary.code]).toEqual([0, 0]);
    const range = (r: { low: number; high: number }) => `(${formatHaFromM2(r.low).replace(' ha', '')}–${formatHaFromM2(r.high)})`;
    expect(summary.stdout).toContain(
      `Kelp      binary ${formatHaFromM2(result.kelp.binaryAreaM2)} ${range(result.kelp.binaryAreaRangeM2)} (used), fractional ${formatHaFromM2(result.kelp.fractionalAreaM2)} ${range(result.kelp.fractionalAreaRangeM2)}; ${result.kelp.beds} beds`,
    );
    expect(summary.stdout).toContain(`Biomass   wet ${formatRangeTonnes(result.biomass.wetKg, 't')}; dry ${formatRangeTonnes(result.biomass.dryKg, 't')}`);
    expect(summary.stdout).toContain(`Carbon    ${formatRangeTonnes(result.carbon.kgC, 't C')}; ${formatRangeTonnes(result.carbon.kgCO2e, 't CO₂e')}`);
    expect(summary.stdout).toMatch(/Pixels    kelp [\d.]+ %, open water [\d.]+ %/);
    expect(summary.stdout).not.toMatch(/\bkg\b/);
  });

  it('prints the AnalysisResult alone on stdout with --json', async () => {
    const { code, stdout } = await kelpie(['analyze', SAMPLE, '--json', '--method', 'consensus', '--species', 'nereocystis']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ schemaVersion: 1, method: { name: 'consensus', species: 'nereocystis' } });
    expect(result.kelp.areaM2).toBeGreaterThan(0);
    expect(result.warnings.map((w: { code: string }) => w.code)).toContain('SPECIES_FACTORS');
  });

  it('removes the temporary files a killed run left in --out, and keeps those of a run still writing', async () => {
    const out = join(dir, 'out-killed');
    await mkdir(join(out, 'layers'), { recursive: true });
    const gone = spawnSync(process.execPath, ['-e', '']).pid; // a process that has exited
    const orphans = [`.result.json.p${gone}.0123456789abcdef.tmp`, `layers/.kd.png.p${gone}.fedcba9876543210.tmp`];
    const live = `.overlay.png.p${process.pid}.00112233445566ff.tmp`;
    for (const name of [...orphans, live]) await writeFile(join(out, name), 'half a file');

    const { code } = await kelpie(['analyze', SAMPLE, '--out', out]);

    expect(code).toBe(0);
    expect([...(await readdir(out)), ...(await readdir(join(out, 'layers')))].filter((name) => name.endsWith('.tmp'))).toEqual([live]);
  });

  it('writes result.json and artifacts to --out, and GDAL reads the mask on the input grid', async () => {
    const out = join(dir, 'out-ok');
    const { code } = await kelpie(['analyze', SAMPLE, '--out', out, '--layers', 'rgb,kd', '--area-mode', 'fractional']);
    expect(code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['beds.geojson', 'kelp-mask.tif', 'layers', 'map', 'overlay.png', 'result.json']);
    expect((await readdir(join(out, 'layers'))).sort()).toEqual(['kd.png', 'rgb.png']);
    expect((await readdir(join(out, 'map'))).sort()).toEqual(['kd.png', 'kelp.png', 'rgb.png']);
    const result = JSON.parse(await readFile(join(out, 'result.json'), 'utf8'));
    expect(result.kelp.areaMode).toBe('fractional');
    expect(result.map).toMatchObject({ crs: 'EPSG:3857', kelp: 'map/kelp.png', layers: { rgb: 'map/rgb.png', kd: 'map/kd.png' } });
    const { stdout: mapInfo } = await run('gdalinfo', ['-json', join(out, 'map/kelp.png')]);
    expect(JSON.parse(mapInfo).size).toEqual([result.map.width, result.map.height]);
    const { stdout: maskInfo } = await run('gdalinfo', ['-json', '-hist', join(out, 'kelp-mask.tif')]);
    const { stdout: inputInfo } = await run('gdalinfo', ['-json', SAMPLE]);
    const mask = JSON.parse(maskInfo);
    const input = JSON.parse(inputInfo);
    expect(mask.size).toEqual(input.size);
    expect(mask.geoTransform).toEqual(input.geoTransform);
    expect(mask.stac['proj:epsg']).toBe(32610);
    expect(mask.bands[0]).toMatchObject({ type: 'Byte', noDataValue: 255 });
    const histogram = mask.bands[0].histogram;
    const kelpPixels = histogram.buckets[Math.floor((1 - histogram.min) / ((histogram.max - histogram.min) / histogram.count))];
    expect(kelpPixels * 100).toBeCloseTo(result.kelp.binaryAreaM2, -1);
  });
});

describe('kelpie analyze refuses bad input with exit 3, a message and nothing in --out', () => {
  const water = () => ({ ...SPECTRA.water, SCL: 6 });
  const cases: Array<[string, () => Promise<Uint8Array | string>, RegExp, string[]?, Record<string, string>?]> = [
    ['an empty file', async () => new Uint8Array(0), /is empty/],
    ['a text file', async () => 'not an image', /not a TIFF/],
    ['a truncated TIFF', async () => {
      const whole = await makeSceneTiff({ width: 64, height: 64, pixel: water });
      return whole.subarray(0, Math.floor(whole.byteLength * 0.6));
    }, /truncated/],
    ['a TIFF without georeference', () => makeSceneTiff({ width: 16, height: 16, pixel: water, georeference: null }), /no georeference/],
    ['a missing required band', () => makeSceneTiff({ width: 16, height: 16, pixel: water, bands: ['B03', 'B04', 'B08', 'B11'] }), /missing required band B06/],
    ['unknown band names', () => makeSceneTiff({ width: 16, height: 16, pixel: water, bands: ['B04', 'B06', 'B08', 'B11'], unnamed: true }), /unknown band "REDDISH"/, ['--bands', 'REDDISH,B06,B08,B11']],
    ['an image over KELPIE_MAX_IMAGE_PIXELS', () => makeSceneTiff({ width: 64, height: 64, pixel: water }), /over the limit of 1000/, [], { KELPIE_MAX_IMAGE_PIXELS: '1000' }],
    ['an unsupported compression', async () => patchTag(await makeSceneTiff({ width: 16, height: 16, pixel: water }), 259, 34712), /compression 34712/],
    ['all-NaN data', () => makeSceneTiff({ width: 16, height: 16, sampleType: 'float32', bands: ['B03', 'B04', 'B06', 'B08', 'B11'], pixel: () => ({}) }), /no valid pixel/],
  ];

  for (const [name, make, message, extra = [], env = {}] of cases) {
    it(name, async () => {
      const file = join(dir, `${name.replace(/\W+/g, '-')}.tif`);
      await writeFile(file, await make());
      const out = join(dir, `out-${name.replace(/\W+/g, '-')}`);
      const { code, stdout, stderr } = await kelpie(['analyze', file, '--out', out, ...extra], env);
      expect(code).toBe(3);
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(stdout).toBe('');
      await expect(readdir(out)).rejects.toThrow(/ENOENT/);
    });
  }

  it('a file that does not exist', async () => {
    const { code, stderr } = await kelpie(['analyze', join(dir, 'nope.tif')]);
    expect(code).toBe(3);
    expect(stderr).toMatch(/does not exist/);
  });
});

describe('kelpie usage errors exit 2', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['no scene', ['analyze'], /which scene\? e\.g\. kelpie analyze samples\/coastal-sample\.tif .*\.SAFE/],
    ['an unknown flag', ['analyze', SAMPLE, '--colour', 'red'], /Unknown option '--colour'/],
    ['an unknown method', ['analyze', SAMPLE, '--method', 'magic'], /--method: Invalid option/],
    ['a non-numeric offset', ['analyze', SAMPLE, '--boa-offset', 'minus'], /--boa-offset takes a whole number/],
    ['an unknown command', ['analyse-everything'], /unknown command/],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const { code, stderr } = await kelpie(args);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
    });
  }
});

describe('kelpie sample', () => {
  it('writes a scene the analysis finds kelp in, with its truth rasters', async () => {
    const out = join(dir, 'sample');
    const made = await kelpie(['sample', '--out', out, '--size', '256', '--seed', '3']);
    expect(made.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['sample.tif', 'truth-flags.tif', 'truth-fraction.tif']);
    const { code, stdout } = await kelpie(['analyze', join(out, 'sample.tif'), '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).kelp.beds).toBeGreaterThan(0);
  });
  it('writes a Landsat 8 scene as USGS ships Collection 2 Level-2, with its 30 m truth', async () => {
    const out = join(dir, 'landsat');
    const made = await kelpie(['sample', '--sensor', 'landsat-8', '--out', out, '--size', '192', '--date', '2019-07-04']);
    expect(made.code).toBe(0);
    expect(made.stdout).toContain('64 × 64 synthetic landsat-8 scene at 30 m');
    const id = 'LC08_L2SP_044034_20190704_20190712_02_T1';
    const bands = ['SR_B1', 'SR_B2', 'SR_B3', 'SR_B4', 'SR_B5', 'SR_B6', 'SR_B7', 'QA_PIXEL'].map((b) => `${id}_${b}.TIF`);
    expect((await readdir(out)).sort()).toEqual([...bands, `${id}_MTL.json`, `${id}_MTL.txt`, 'truth-flags.tif', 'truth-fraction.tif'].sort());
  });

  it('analyses the Landsat product folder as Landsat without being told, refuses kd with exit 2 and a Level-1 file with exit 3', async () => {
    const out = join(dir, 'landsat-folder');
    expect((await kelpie(['sample', '--sensor', 'landsat-8', '--out', out, '--size', '384', '--seed', '4'])).code).toBe(0);
    const analysed = await kelpie(['analyze', out, '--json']);
    expect(analysed.code).toBe(0);
    const result = JSON.parse(analysed.stdout);
    expect(result.source).toMatchObject({ sensor: 'landsat-8', pixelSizeM: 30, sceneId: 'LC08_L2SP_044034_20230815_20230823_02_T1' });
    expect([result.method.name, result.kelp.areaMode]).toEqual(['fai', 'fractional']);
    const kd = await kelpie(['analyze', out, '--method', 'kd']);
    expect(kd.code).toBe(2);
    expect(kd.stderr).toMatch(/"kd" cannot run on Landsat 8 OLI.*"fai", "ndvi", "consensus"/);
    // A Level-1 band (top-of-atmosphere, not surface reflectance), named as USGS names it.
    const level1 = join(dir, 'LC08_L1TP_044034_20230815_20230823_02_T1_B4.TIF');
    await writeFile(level1, await readFile(join(out, 'LC08_L2SP_044034_20230815_20230823_02_T1_SR_B4.TIF')));
    const refused = await kelpie(['analyze', level1]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/NOT_SURFACE_REFLECTANCE/);
  });

  it('writes a Landsat 9 multiband sample that analyze --sensor landsat-9 reads with FAI on 30 m pixels', async () => {
    const out = join(dir, 'landsat-stack');
    expect((await kelpie(['sample', '--sensor', 'landsat-9', '--layout', 'multiband', '--out', out, '--size', '384', '--seed', '2'])).code).toBe(0);
    const { code, stdout } = await kelpie(['analyze', join(out, 'sample.tif'), '--sensor', 'landsat-9', '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.source).toMatchObject({ sensor: 'landsat-9', pixelSizeM: 30, bandRoles: { nir: 'SR_B5', quality: 'QA_PIXEL' } });
    expect(result.method.name).toBe('fai');
    expect(result.kelp.beds).toBeGreaterThan(0);
  });

  it.each([
    [['--sensor', 'landsat-7'], /--sensor takes one of sentinel-2, landsat-8, landsat-9/],
    [['--date', '2023-08-15'], /--date is for Landsat samples/],
    [['--sensor', 'landsat-9', '--baseline', '04.00'], /--baseline is a Sentinel-2 processing baseline/],
    [['--sensor', 'landsat-9', '--date', '2020-01-01'], /launched on 2021-09-27/],
  ])('refuses %j with exit 2', async (flags, message) => {
    const { code, stderr } = await kelpie(['sample', '--out', join(dir, 'refused'), '--size', '64', ...flags]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});

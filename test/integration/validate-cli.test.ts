/**
 * `kelpie validate` through the real CLI entry point: on a generated scene with its truth files
 * it gives exactly the figures the canopy-area tests compute, and bad labels get clear errors
 * with nothing written.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeGenerated, scoreRun } from '../helpers/science.js';

const ROOT = join(import.meta.dirname, '../..');
const run = promisify(execFile);

async function kelpie(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'adapters/local/cli/bin.ts'), ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let dir: string;
let sceneDir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kelpie-validate-'));
  const { code, stderr } = await kelpie(['sample', '--out', join(dir, 'scene'), '--size', '512', '--seed', '7', '--variation', 'natural']);
  expect(code, stderr).toBe(0);
  sceneDir = join(dir, 'scene');
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('kelpie validate', () => {
  it('gives, with the scene’s truth as labels, the figures the accuracy tests compute', async () => {
    const { code, stdout, stderr } = await kelpie(['validate', join(sceneDir, 'sample.tif'), join(sceneDir, 'truth-fraction.tif'), '--methods', 'kd,fai', '--json']);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout);
    const kd = report.methods.find((m: { method: string }) => m.method === 'kd');
    // The same scene analysed in-process (the accuracy tests' path, kd by default).
    const reference = scoreRun(await analyzeGenerated(dir, { size: 512, seed: 7 })).accuracy;
    expect(kd.figures.confusion).toEqual(reference.confusion);
    expect(kd.figures.kappa).toBeCloseTo(reference.kappa, 12);
    expect(kd.figures.iou).toBeCloseTo(reference.iou, 12);
    expect(report.methods.map((m: { method: string }) => m.method)).toEqual(['kd', 'fai']);
  }, 120_000);

  it('prints a table of the standard figures per method and writes validation.json', async () => {
    const out = join(dir, 'report');
    const { code, stdout } = await kelpie(['validate', join(sceneDir, 'sample.tif'), join(sceneDir, 'truth-fraction.tif'), '--methods', 'kd', '--out', out]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/method\s+overall\s+kappa\s+kelp found \(PA\)\s+kelp right \(UA\)\s+IoU\s+area bias/);
    expect(stdout).toMatch(/^kd\s+\d+\.\d %\s+0\.\d{3}/m);
    expect(JSON.parse(await readFile(join(out, 'validation.json'), 'utf8'))).toMatchObject({ schemaVersion: 1, methods: [{ method: 'kd' }] });
  }, 120_000);

  it.each([
    ['labels in a CRS it cannot reproject', 'web-mercator.tif', /EPSG:3857 is not supported/],
    ['labels somewhere else', 'elsewhere.geojson', /does not overlap the scene/],
    ['ungeoreferenced labels of another size', 'small.tif', /no georeference and is 100 × 100 pixels, not the scene's 512 × 512/],
  ])('refuses %s with exit 3, a clear message and nothing written', async (_, file, message) => {
    const labels = join(dir, file);
    if (file === 'web-mercator.tif') await run('gdalwarp', ['-q', '-overwrite', '-t_srs', 'EPSG:3857', join(sceneDir, 'truth-fraction.tif'), labels]);
    if (file === 'small.tif') await run('gdal_translate', ['-q', '-srcwin', '0', '0', '100', '100', '-co', 'PROFILE=BASELINE', join(sceneDir, 'truth-fraction.tif'), labels]);
    if (file === 'elsewhere.geojson') await writeFile(labels, JSON.stringify({ type: 'Polygon', coordinates: [[[0, 0], [0.01, 0], [0.01, 0.01], [0, 0]]] }));
    const out = join(dir, `out-${file}`);
    const { code, stderr, stdout } = await kelpie(['validate', join(sceneDir, 'sample.tif'), labels, '--methods', 'kd', '--out', out]);
    expect(code).toBe(3);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\bat \w+ \(/); // no stack trace
    expect(stdout).toBe('');
    await expect(readdir(out)).rejects.toThrow();
  }, 120_000);
});

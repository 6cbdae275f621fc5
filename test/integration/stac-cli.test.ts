import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AOI, startFixtureServer } from '../helpers/stac-setup.js';
import type { StacServer } from '../helpers/stac-server.js';

const ROOT = join(import.meta.dirname, '../..');
const run = promisify(execFile);
let server: StacServer;
let dir: string;

/** Runs the real CLI in a child process with 127.0.0.1 allowed; returns code and output. */
async function kelpie(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'adapters/local/cli/bin.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, KELPIE_OUTBOUND_HOSTS: '127.0.0.1', KELPIE_STAC_URL: '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const point = `${AOI.kelp.lat},${AOI.kelp.lng}`;

beforeAll(async () => {
  ({ server } = await startFixtureServer());
  dir = await mkdtemp(join(tmpdir(), 'kelpie-stac-cli-'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('kelpie analyze --stac-url', () => {
  it('analyses a point and buffer from the catalog and prints the result as JSON', async () => {
    const { code, stdout, stderr } = await kelpie(['analyze', '--stac-url', server.earthSearchUrl, '--point', point, '--buffer-km', '1', '--from', '2023-06-01', '--to', '2023-08-31', '--max-cloud', '30', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.source).toMatchObject({ sceneId: 'S2X_COAST_20230701', processingBaseline: '04.00', stac: { boaAddOffset: -1000 } });
  });

  it('takes the catalog from KELPIE_STAC_URL and writes the artifacts with --out', async () => {
    const out = join(dir, 'single');
    const bbox = [AOI.kelp.lng - 0.01, AOI.kelp.lat - 0.01, AOI.kelp.lng + 0.01, AOI.kelp.lat + 0.01].join(',');
    const { code, stdout } = await kelpie(['analyze', '--bbox', bbox, '--from', '2023-06-01', '--to', '2023-08-31', '--max-cloud', '30', '--out', out], { KELPIE_STAC_URL: server.planetaryComputerUrl });
    expect(code).toBe(0);
    expect(stdout).toMatch(/Kelp\s+binary [\d,.]+ ha/);
    expect((await readdir(out)).sort()).toEqual(['beds.geojson', 'kelp-mask.tif', 'map', 'overlay.png', 'result.json']);
  });

  it('analyses a series, prints kelp area by date and writes series.json', async () => {
    const out = join(dir, 'series');
    const { code, stdout } = await kelpie(['analyze', '--stac-url', server.earthSearchUrl, '--point', point, '--from', '2023-06-01', '--to', '2023-08-31', '--max-cloud', '30', '--series', '--out', out]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/2023-07-11\s+S2X_COAST_20230711/);
    expect(stdout).toMatch(/2023-07-16\s+S2X_NOREDEDGE_20230716.*skipped/);
    const series = JSON.parse(await readFile(join(out, 'series.json'), 'utf8'));
    expect(series.scenes).toHaveLength(4);
    expect((await readdir(out)).sort()).toContain('2023-07-26-S2X_COAST_20230726');
  });

  it.each([
    [['--point', point, '--from', '2023-08-01', '--to', '2023-07-01'], /is before start/],
    [['--point', point, '--bbox', '1,2,3,4', '--from', '2023-08-01', '--to', '2023-09-01'], /--point LAT,LNG .* or --bbox/],
    [['--point', '36.6', '--from', '2023-08-01', '--to', '2023-09-01'], /--point takes 2 comma-separated numbers/],
    [['--point', point], /--from YYYY-MM-DD --to YYYY-MM-DD/],
  ])('exits 2 for %j', async (args, message) => {
    const { code, stderr } = await kelpie(['analyze', '--stac-url', server.earthSearchUrl, ...args]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('exits 2 asking for a catalog when none is given', async () => {
    const { code, stderr } = await kelpie(['analyze', '--point', point, '--from', '2023-06-01', '--to', '2023-06-30']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--stac-url URL or set KELPIE_STAC_URL/);
  });

  it('exits 3 with the hint when nothing is found', async () => {
    const { code, stderr } = await kelpie(['analyze', '--stac-url', server.earthSearchUrl, '--point', point, '--from', '2019-01-01', '--to', '2019-02-01']);
    expect(code).toBe(3);
    expect(stderr).toMatch(/widen the dates or raise --max-cloud \[NOTHING_FOUND\]/);
  });
});

/**
 * Monitored sites on a laptop, with the STAC fixture server holding three years of a bed in
 * decline: the `kelpie sites` and `kelpie monitor` commands on the filesystem store and the
 * local folder queue; and `npm start` for real (serverless offline, with `kelpie watch` running
 * the folder queue), a site created over HTTP and backfilled by the local worker.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OfflineServer, startOffline } from '../helpers/offline-server.js';
import { DECLINE_SCENES, declineItems, declineSceneDirs, declineSitePolygon } from '../helpers/site-fixtures.js';
import { type StacServer, startStacServer } from '../helpers/stac-server.js';

const ROOT = join(import.meta.dirname, '../..');
const run = promisify(execFile);
/** Six quarters (2022-Q3 … 2023-Q4), 13 scenes: enough for a significant trend. */
const SINCE = '2022-07-01';
const EXPECTED = DECLINE_SCENES.filter((s) => s.datetime >= SINCE).length;

let stac: StacServer;
let dataDir: string;

beforeAll(async () => {
  stac = await startStacServer({ earthSearch: declineItems, planetaryComputer: () => [], files: await declineSceneDirs(), pageSize: 10 });
  dataDir = await mkdtemp(join(tmpdir(), 'kelpie-sites-cli-'));
}, 120_000);
afterAll(async () => {
  await stac?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** The real CLI in a child process on the fs store and folder queue of `dir`; never throws. */
async function kelpie(args: string[], dir = dataDir) {
  const env = { ...process.env, KELPIE_STORE: 'fs', KELPIE_DATA_DIR: dir, KELPIE_STAC_URL: stac.earthSearchUrl, KELPIE_OUTBOUND_HOSTS: '127.0.0.1', KELPIE_LOG_LEVEL: 'error' };
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'adapters/local/cli/bin.ts'), ...args], { cwd: ROOT, env, timeout: 240_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('kelpie sites and kelpie monitor', () => {
  let id: string;

  it('adds a site, refusing a self-crossing one with exit code 3 and nothing stored', async () => {
    const bowTie = join(dataDir, 'bow-tie.json');
    await writeFile(bowTie, JSON.stringify({ type: 'Polygon', coordinates: [[[-121.95, 36.51], [-121.93, 36.525], [-121.93, 36.51], [-121.95, 36.525], [-121.95, 36.51]]] }));
    const refused = await kelpie(['sites', 'add', '--name', 'Bow tie', '--geojson', bowTie]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/crosses itself/);
    expect((await kelpie(['sites', 'list'])).stdout).toMatch(/No sites yet/);

    const polygon = join(dataDir, 'site.json');
    await writeFile(polygon, JSON.stringify(declineSitePolygon()));
    const added = await kelpie(['sites', 'add', '--name', 'Declining bed', '--geojson', polygon, '--since', SINCE, '--json']);
    expect(added.code, added.stderr).toBe(0);
    const site = JSON.parse(added.stdout);
    id = site.id;
    expect(site).toMatchObject({ name: 'Declining bed', since: SINCE, backfill: 'queued' });
    expect((await kelpie(['sites', 'list'])).stdout).toContain(`${id}  Declining bed`);
  }, 120_000);

  it('kelpie monitor --wait checks the site and runs the local queue: every scene observed', async () => {
    const monitored = await kelpie(['monitor', '--wait', '--json']);
    expect(monitored.code, monitored.stderr).toBe(0);
    expect(JSON.parse(monitored.stdout)).toMatchObject({ sites: 1, skipped: 0 });
    const series = JSON.parse((await kelpie(['sites', 'series', id, '--json'])).stdout);
    expect(series.counts.observations).toBe(EXPECTED);
    expect(series.trend.trend.direction).toBe('decline');
    const csv = (await kelpie(['sites', 'series', id, '--csv'])).stdout.trim().split('\r\n');
    expect(csv[0]).toMatch(/^quarter,start,end,good_observations/);
    expect(csv.slice(1).map((line) => line.split(',')[0])).toEqual(['2022-Q3', '2022-Q4', '2023-Q1', '2023-Q2', '2023-Q3', '2023-Q4']);
    expect((await kelpie(['sites', 'show', id])).stdout).toMatch(/Observations: 13 \(12 good, 1 flagged/);
  }, 300_000);

  it('a second kelpie monitor the same day queues nothing; remove deletes the site', async () => {
    const again = JSON.parse((await kelpie(['monitor', '--json'])).stdout);
    expect(again).toMatchObject({ sites: 1, queued: 0 });
    expect((await kelpie(['sites', 'remove', id])).code).toBe(0);
    const gone = await kelpie(['sites', 'show', id]);
    expect(gone.code).toBe(3);
    expect(gone.stderr).toMatch(/no site/);
  }, 120_000);
});

describe('monitored sites under npm start (serverless offline and the local queue)', () => {
  let server: OfflineServer;
  beforeAll(async () => {
    server = await startOffline('sites', { KELPIE_STAC_URL: stac.earthSearchUrl, KELPIE_OUTBOUND_HOSTS: '127.0.0.1', KELPIE_LOG_LEVEL: 'warn' });
  }, 180_000);
  afterAll(() => server?.stop());

  it('creates a site over HTTP, the local worker backfills it, and kelpie monitor then queues nothing', async () => {
    const created = await fetch(`${server.base}/api/sites`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Declining bed', aoi: declineSitePolygon(), since: SINCE }) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    let series: { counts: { observations: number } } | undefined;
    for (const deadline = Date.now() + 240_000; Date.now() < deadline; ) {
      series = (await (await fetch(`${server.base}/api/sites/${id}/series`)).json()) as typeof series;
      if (series?.counts.observations === EXPECTED) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(series?.counts.observations).toBe(EXPECTED);
    const trend = (await (await fetch(`${server.base}/api/sites/${id}/trend`)).json()) as { trend: { direction: string } };
    expect(trend.trend.direction).toBe('decline');
    const again = JSON.parse((await kelpie(['monitor', '--json'], server.dataDir)).stdout);
    expect(again).toMatchObject({ sites: 1, queued: 0 });
  }, 300_000);
});

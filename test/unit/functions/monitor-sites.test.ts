import { InvocationContext, type Timer, app } from '@azure/functions';
import { getFunction } from '@google-cloud/functions-framework/testing';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FsBlobStore } from '../../../adapters/fs/fs-blob-store.js';
import { parseNewSite } from '../../../core/sites/site-input.js';
import { newSiteId } from '../../../core/sites/site.js';
import { writeSite } from '../../../core/sites/site-store.js';
import { loadCloudEvent } from '../../helpers/cloud-events.js';
import { GOOD_ENV, coldStart } from '../../helpers/cold-start.js';
import { loadEvent } from '../../helpers/events.js';
import { fakeLambdaContext } from '../../helpers/lambda-context.js';
import { DECLINE_SCENES, declineItems, declineSitePolygon } from '../../helpers/site-fixtures.js';
import { type StacServer, startStacServer } from '../../helpers/stac-server.js';

/**
 * The scheduled `monitorSites` of each platform, from its function file as deployed, on the
 * filesystem store and the folder job queue, against the STAC fixture server (search only: no
 * scene is read here): one queued job per new scene, and nothing the second time.
 */
const PLATFORMS = {
  aws: async () => {
    const { handler } = await import('../../../functions/monitor-sites.aws.js');
    return () => handler(loadEvent('aws/eventbridge-scheduled.json'), fakeLambdaContext({ remainingMs: 300_000 }), () => undefined) as Promise<unknown>;
  },
  gcp: async () => {
    const { monitorSites } = await import('../../../functions/monitor-sites.gcp.js');
    expect(getFunction('monitorSites')).toBe(monitorSites);
    return () => monitorSites(loadCloudEvent('gcp/pubsub-scheduler-backup.json'));
  },
  azure: async () => {
    const register = vi.spyOn(app, 'timer').mockImplementation(() => {});
    const { monitorSites, MONITOR_SCHEDULE } = await import('../../../functions/monitor-sites.azure.js');
    expect(register).toHaveBeenCalledWith('monitorSites', expect.objectContaining({ schedule: MONITOR_SCHEDULE, handler: monitorSites }));
    return () => monitorSites(loadEvent<Timer>('azure/timer-backup.json'), new InvocationContext({ invocationId: 'inv-1', logHandler: () => {} }));
  },
} as const;

let stac: StacServer;
beforeAll(async () => {
  stac = await startStacServer({ earthSearch: declineItems, planetaryComputer: () => [], files: {}, pageSize: 10 });
});
afterAll(() => stac?.close());
beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => {}); // Azure's "test mode": no Functions host here
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe.each(Object.keys(PLATFORMS) as Array<keyof typeof PLATFORMS>)('functions/monitor-sites.%s.ts', (platform) => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), `kelpie-monitor-${platform}-`));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const env = () => ({ ...GOOD_ENV, KELPIE_STORE: 'fs', KELPIE_DATA_DIR: dir, KELPIE_STAC_URL: stac.earthSearchUrl, KELPIE_OUTBOUND_HOSTS: '127.0.0.1' });
  const queued = async () => {
    const names = await readdir(join(dir, '.queue', 'pending')).catch(() => [] as string[]);
    return Promise.all(names.map(async (name) => JSON.parse(JSON.parse(await readFile(join(dir, '.queue', 'pending', name), 'utf8')).body)));
  };

  it('queues one job per scene of a site once, and nothing on a second run', async () => {
    // The first check searches 2023 (four 92-day windows); the rest of the history is left to a site-check message.
    const site = parseNewSite({ name: 'Declining bed', aoi: declineSitePolygon(), since: '2023-01-01' }, newSiteId(Date.now()), { nowMs: Date.now(), outboundHosts: [] });
    await writeSite(new FsBlobStore({ root: dir }), site);
    const run = await coldStart(PLATFORMS[platform], env());
    await run();
    const first = await queued();
    const scenes = first.filter((m) => m.kind === 'site').map((m) => m.item.id).sort();
    expect(scenes).toEqual(DECLINE_SCENES.filter((s) => s.datetime >= '2023-01-01').map((s) => s.id).sort());
    expect(first.filter((m) => m.kind === 'site-check')).toEqual([{ v: 1, kind: 'site-check', siteId: site.id }]);
    await run();
    expect((await queued()).filter((m) => m.kind === 'site')).toHaveLength(scenes.length);
  });

  it('does nothing without sites, and fails naming the setting when sites exist and no catalog is set', async () => {
    const empty = await coldStart(PLATFORMS[platform], { ...env(), KELPIE_STAC_URL: '' });
    await expect(empty()).resolves.not.toThrow();
    expect(await queued()).toEqual([]);
    const site = parseNewSite({ name: 'x', aoi: declineSitePolygon() }, newSiteId(Date.now()), { nowMs: Date.now(), outboundHosts: [] });
    await writeSite(new FsBlobStore({ root: dir }), site);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await expect(empty()).rejects.toMatchObject({ message: expect.stringMatching(/KELPIE_STAC_URL/) });
  });
});

import { describe, expect, it } from 'vitest';
import { MemoryBlobStore } from '../../../adapters/memory/memory-blob-store.js';
import { silentLogger } from '../../../core/ports/logger.js';
import type { SceneCatalog } from '../../../core/ports/scene-catalog.js';
import { WINDOWS_PER_CHECK, checkSite } from '../../../core/sites/check-site.js';
import { type MonitorDeps, SITES_PER_RUN, monitorSites, parseSiteTask, runSiteTask } from '../../../core/sites/monitor.js';
import { parseNewSite } from '../../../core/sites/site-input.js';
import { newSiteId } from '../../../core/sites/site.js';
import { writeSite } from '../../../core/sites/site-store.js';
import { recordingQueue } from '../../helpers/job-queue.js';

/** A catalog with no scene, counting its searches. */
function emptyCatalog(): SceneCatalog & { searches: number } {
  const catalog = {
    url: 'https://catalog.example.org/v1',
    searches: 0,
    async search() {
      catalog.searches++;
      return { items: [], complete: true };
    },
    async signHref(_item: unknown, href: string) {
      return href;
    },
  };
  return catalog as unknown as SceneCatalog & { searches: number };
}

function world() {
  const store = new MemoryBlobStore();
  const queue = recordingQueue();
  const catalog = emptyCatalog();
  const now = Date.now();
  const deps: MonitorDeps = { resultStore: store, queue, catalog, now: () => now, logger: silentLogger, staleAfterMs: 60_000, sites: { queue, fetch: globalThis.fetch, outboundHosts: [] } };
  const addSite = async (since: string, at = now) => {
    const site = parseNewSite({ name: 'Bed', aoi: { bbox: [-121.95, 36.51, -121.93, 36.525] }, since }, newSiteId(at), { nowMs: now, outboundHosts: [] });
    await writeSite(store, site);
    return site;
  };
  return { store, queue, catalog, deps, addSite };
}

describe('monitorSites', () => {
  it('checks one page of sites and hands the next page to the queue', async () => {
    const { queue, deps, addSite } = world();
    const since = new Date(Date.now() - 100 * 86_400_000).toISOString().slice(0, 10);
    for (let i = 0; i < SITES_PER_RUN + 3; i++) await addSite(since, Date.now() - 1000 + i);
    const report = await monitorSites({}, deps);
    expect(report).toMatchObject({ sites: SITES_PER_RUN, continued: true, queued: 0 });
    const next = queue.messages.map((m) => JSON.parse(m)).filter((m) => m.kind === 'monitor-sites');
    expect(next).toHaveLength(1);
    queue.messages.length = 0;
    await runSiteTask(parseSiteTask(JSON.stringify(next[0]))!, deps);
    expect(queue.messages).toEqual([]);
  });

  it('searches a long history in bounded steps, continued as site-check tasks, and leaves a running backfill to its chain', async () => {
    const { queue, catalog, deps, addSite } = world();
    const site = await addSite('2016-01-01');
    await monitorSites({}, deps);
    expect(catalog.searches).toBe(WINDOWS_PER_CHECK);
    expect(queue.messages.map((m) => JSON.parse(m))).toEqual([{ v: 1, kind: 'site-check', siteId: site.id }]);

    // The scheduled run again while the chain runs: nothing searched, no second chain.
    const again = await monitorSites({}, deps);
    expect(again).toMatchObject({ skipped: 1, queued: 0 });
    expect(catalog.searches).toBe(WINDOWS_PER_CHECK);
    expect(queue.messages).toHaveLength(1);

    // The chain runs to the present, a bounded number of windows per task.
    for (let links = 0; queue.messages.length && links < 100; links++) await runSiteTask(parseSiteTask(queue.messages.shift())!, deps);
    expect(queue.messages).toEqual([]);
    const windows = Math.ceil((Date.now() - Date.parse('2016-01-01')) / (92 * 86_400_000));
    expect(catalog.searches).toBe(windows);
    // Done: the scheduled check runs again, over the last 30 days only.
    expect(await monitorSites({}, deps)).toMatchObject({ skipped: 0, checked: [{ more: false }] });
    expect(catalog.searches).toBe(windows + 1);
  });

  it('tells site tasks from analysis jobs and refuses a malformed one', () => {
    expect(parseSiteTask(JSON.stringify({ v: 1, kind: 'object', id: 'x' }))).toBeUndefined();
    expect(parseSiteTask('not json')).toBeUndefined();
    expect(() => parseSiteTask({ v: 1, kind: 'site-check', siteId: '../etc' })).toThrow(/not a site task/);
  });
});

describe('checkSite of a site watching Sentinel-2 and Landsat', () => {
  it('searches each collection and queues its Sentinel-2 and Landsat 8/9 scenes, not a Landsat 7 one', async () => {
    const store = new MemoryBlobStore();
    const queue = recordingQueue();
    const now = Date.parse('2023-09-01T00:00:00Z');
    const site = parseNewSite({ name: 'Bed', aoi: { bbox: [-121.95, 36.51, -121.93, 36.525] }, since: '2023-07-01', collections: ['sentinel-2-l2a', 'landsat-c2-l2'] }, newSiteId(now), { nowMs: now, outboundHosts: [] });
    const footprint = { type: 'Polygon', coordinates: [[[-122.2, 36.3], [-121.7, 36.3], [-121.7, 36.8], [-122.2, 36.8], [-122.2, 36.3]]] };
    const item = (id: string, collection: string, platform: string, datetime: string) => ({ type: 'Feature', id, collection, geometry: footprint, bbox: [-122.2, 36.3, -121.7, 36.8], properties: { datetime, platform, 'eo:cloud_cover': 5 }, assets: {} });
    const items: Record<string, unknown[]> = {
      'sentinel-2-l2a': [item('S2B_10SEG_20230711_0_L2A', 'sentinel-2-l2a', 'sentinel-2b', '2023-07-11T19:03:00Z')],
      'landsat-c2-l2': [
        item('LC08_L2SP_044034_20230709_02_T1', 'landsat-c2-l2', 'landsat-8', '2023-07-09T18:42:38Z'),
        item('LE07_L2SP_044034_20230705_02_T1', 'landsat-c2-l2', 'landsat-7', '2023-07-05T18:30:00Z'),
      ],
    };
    const asked: string[] = [];
    const catalog = {
      url: 'https://catalog.example.org/v1',
      async search(query: { collection?: string }) {
        asked.push(String(query.collection));
        return { items: items[String(query.collection)] ?? [], complete: true };
      },
      async signHref(_item: unknown, href: string) {
        return href;
      },
    } as unknown as SceneCatalog;
    const report = await checkSite(site, { resultStore: store, queue, catalog, now: () => now, logger: silentLogger, staleAfterMs: 60_000 });
    expect(new Set(asked)).toEqual(new Set(['sentinel-2-l2a', 'landsat-c2-l2']));
    expect(report).toMatchObject({ scenes: 2, queued: 2 });
    const jobs = queue.messages.map((m) => JSON.parse(m)).filter((m) => m.kind === 'site');
    expect(jobs.map((job) => job.item.id).sort()).toEqual(['LC08_L2SP_044034_20230709_02_T1', 'S2B_10SEG_20230711_0_L2A']);
    expect(jobs.every((job) => job.options.method === 'fai')).toBe(true);
  });
});

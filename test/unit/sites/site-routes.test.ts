import { describe, expect, it } from 'vitest';
import { MemoryBlobStore } from '../../../adapters/memory/memory-blob-store.js';
import type { ApiRequest } from '../../../core/api/types.js';
import { SITE_LIMITS } from '../../../core/sites/site-aoi.js';
import { recordingQueue } from '../../helpers/job-queue.js';
import { createSmallApi } from '../../helpers/small-api.js';

/** A small stretch of coast off Point Lobos: 0.02° × 0.015°, 1.79 km × 1.66 km ≈ 2.98 km². */
const POLYGON = { type: 'Polygon', coordinates: [[[-121.95, 36.51], [-121.93, 36.51], [-121.93, 36.525], [-121.95, 36.525], [-121.95, 36.51]]] };

function siteApi(options: { stacUrl?: string; queue?: boolean } = {}) {
  const store = new MemoryBlobStore();
  const queue = recordingQueue();
  const { api } = createSmallApi(
    {
      config: { env: 'test', apiKeys: [], allowedOrigins: [], maxImagePixels: 1e7, stacUrl: options.stacUrl ?? 'https://catalog.example.org/v1', outboundHosts: ['hooks.example.org'] },
      ...(options.queue === false ? {} : { jobQueue: queue }),
    },
    store,
  );
  const call = async (method: ApiRequest['method'], path: string, body?: unknown, query: Record<string, string> = {}) => {
    const response = await api({
      method,
      path,
      query,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      requestId: 'test',
      ...(body === undefined ? {} : { body: new TextEncoder().encode(JSON.stringify(body)) }),
    });
    const text = typeof response.body === 'string' ? response.body : new TextDecoder().decode(response.body);
    return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
  };
  const keys = async () => (await store.list('')).items.map((item) => item.key);
  return { call, store, queue, keys };
}

/** A ring of `n` vertices around a centre, closed. */
function circle(n: number, radiusDeg = 0.01, lon = -121.94, lat = 36.52): number[][] {
  const ring = Array.from({ length: n }, (_, i) => [lon + radiusDeg * Math.cos((2 * Math.PI * i) / n), lat + radiusDeg * Math.sin((2 * Math.PI * i) / n)]);
  return [...ring, ring[0]];
}

describe('POST /api/sites', () => {
  it('stores a polygon site, answers 201 with its secret once, and queues its backfill', async () => {
    const { call, queue, keys } = siteApi();
    const response = await call('POST', '/api/sites', { name: 'Point Lobos', aoi: POLYGON, alert: { webhookUrl: 'https://hooks.example.org/kelp' } });
    expect(response.status).toBe(201);
    const body = response.json();
    expect(body.id).toMatch(/^site-[0-9a-f]{20}$/);
    expect(response.headers.location).toBe(`/api/sites/${body.id}`);
    expect(body.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(body.alert).toMatchObject({ webhookUrl: 'https://hooks.example.org/kelp', thresholdPercent: 20, direction: 'drop', secretHint: `…${body.secret.slice(-4)}` });
    expect(body.aoi.kind).toBe('polygon');
    expect(body.aoi.areaM2).toBeGreaterThan(2.95e6);
    expect(body.aoi.areaM2).toBeLessThan(3.0e6);
    expect(body.backfill).toBe('queued');
    expect(queue.messages.map((m) => JSON.parse(m))).toEqual([{ v: 1, kind: 'site-check', siteId: body.id }]);
    expect(await keys()).toEqual([`site-index/${body.id}.json`, `sites/${body.id}/site.json`]);
    const shown = (await call('GET', `/api/sites/${body.id}`)).json();
    expect(shown.secret).toBeUndefined();
    expect(JSON.stringify(shown)).not.toContain(body.secret);
  });

  it.each([
    ['a body that is not an object', [1, 2], 400, /invalid site/],
    ['a missing name', { aoi: POLYGON }, 400, /name/],
    ['an unknown field', { name: 'x', aoi: POLYGON, colour: 'red' }, 400, /colour/],
    ['a ring that is not closed', { name: 'x', aoi: { type: 'Polygon', coordinates: [[[-121.95, 36.51], [-121.93, 36.51], [-121.93, 36.525], [-121.95, 36.525]]] } }, 400, /not closed/],
    ['a position off the globe', { name: 'x', aoi: { type: 'Polygon', coordinates: [[[-221.95, 36.51], [-121.93, 36.51], [-121.93, 36.525], [-221.95, 36.51]]] } }, 400, /outside longitude/],
    ['a self-intersecting polygon (a bow tie)', { name: 'x', aoi: { type: 'Polygon', coordinates: [[[-121.95, 36.51], [-121.93, 36.525], [-121.93, 36.51], [-121.95, 36.525], [-121.95, 36.51]]] } }, 422, /crosses itself/],
    ['a polygon over the area limit', { name: 'x', aoi: { type: 'Polygon', coordinates: [[[-122.2, 36.4], [-121.9, 36.4], [-121.9, 36.7], [-122.2, 36.7], [-122.2, 36.4]]] } }, 422, new RegExp(`at most ${SITE_LIMITS.maxAreaKm2} km²`)],
    ['a polygon across the antimeridian', { name: 'x', aoi: { type: 'Polygon', coordinates: [[[179.99, -16.5], [-179.99, -16.5], [-179.99, -16.49], [179.99, -16.49], [179.99, -16.5]]] } }, 422, /antimeridian/],
    ['a polygon with too many vertices', { name: 'x', aoi: { type: 'Polygon', coordinates: [circle(SITE_LIMITS.maxVertices + 5)] } }, 422, /vertices/],
    ['a webhook to a loopback address', { name: 'x', aoi: POLYGON, alert: { webhookUrl: 'http://127.0.0.1:8080/hook' } }, 422, /loopback/],
    ['a webhook to a private address', { name: 'x', aoi: POLYGON, alert: { webhookUrl: 'http://10.0.0.7/hook' } }, 422, /private/],
    ['a webhook to cloud metadata', { name: 'x', aoi: POLYGON, alert: { webhookUrl: 'http://169.254.169.254/latest/meta-data/' } }, 422, /link-local/],
    ['a webhook to a host off the allow-list', { name: 'x', aoi: POLYGON, alert: { webhookUrl: 'https://evil.example.net/hook' } }, 422, /allow-list/],
    ['a webhook that is not a URL', { name: 'x', aoi: POLYGON, alert: { webhookUrl: 'hooks.example.org/kelp' } }, 400, /absolute URL/],
    ['a start date in the future', { name: 'x', aoi: POLYGON, since: '2999-01-01' }, 400, /future/],
    ['kd on a site watching Landsat too', { name: 'x', aoi: POLYGON, method: 'kd', collections: ['sentinel-2-l2a', 'landsat-c2-l2'] }, 400, /"kd" cannot run on Landsat 8 OLI.*use "fai", "ndvi", "consensus"$/],
    ['ndre on a Landsat site', { name: 'x', aoi: POLYGON, method: 'ndre', collections: ['landsat-c2-l2'] }, 400, /"ndre" cannot run on Landsat 8 OLI.*"fai", "ndvi", "consensus"/],
    ['a Landsat collection the analysis does not read', { name: 'x', aoi: POLYGON, collections: ['landsat-c2-l1'] }, 400, /collections/],
  ])('refuses %s with its status and stores nothing', async (_name, body, status, message) => {
    const { call, queue, keys } = siteApi();
    const response = await call('POST', '/api/sites', body);
    expect(response.status).toBe(status);
    expect(response.json().error.message).toMatch(message);
    expect(response.text).not.toMatch(/at .*\.ts:\d+/);
    expect(await keys()).toEqual([]);
    expect(queue.messages).toEqual([]);
  });

  it('answers 503 naming the setting, and stores nothing, without a job queue', async () => {
    const { call, keys } = siteApi({ queue: false });
    const response = await call('POST', '/api/sites', { name: 'x', aoi: POLYGON });
    expect(response.status).toBe(503);
    expect(response.json().error.message).toMatch(/KELPIE_JOB_QUEUE/);
    expect(await keys()).toEqual([]);
  });
});

describe('site ids that do not exist', () => {
  it.each([
    ['GET', '/api/sites/site-0000000000000000abcd'],
    ['PATCH', '/api/sites/site-0000000000000000abcd'],
    ['DELETE', '/api/sites/site-0000000000000000abcd'],
    ['GET', '/api/sites/site-0000000000000000abcd/series'],
    ['GET', '/api/sites/site-0000000000000000abcd/trend'],
    ['GET', '/api/sites/not-a-site'],
  ] as const)('%s %s answers 404 and stores nothing', async (method, path) => {
    const { call, keys } = siteApi();
    const response = await call(method, path, method === 'PATCH' ? { name: 'y' } : undefined);
    expect(response.status).toBe(404);
    expect(response.json().error.message).toMatch(/no site/);
    expect(await keys()).toEqual([]);
  });
});

describe('PATCH and DELETE /api/sites/{id}', () => {
  it('changes the name, refuses a change of area (400) and a loopback webhook (422) without changing the site', async () => {
    const { call } = siteApi();
    const { id } = (await call('POST', '/api/sites', { name: 'Point Lobos', aoi: POLYGON })).json();
    expect((await call('PATCH', `/api/sites/${id}`, { name: 'Point Lobos north' })).json().name).toBe('Point Lobos north');
    expect((await call('PATCH', `/api/sites/${id}`, { aoi: POLYGON })).status).toBe(400);
    expect((await call('PATCH', `/api/sites/${id}`, { alert: { webhookUrl: 'http://localhost:9/x' } })).status).toBe(422);
    const site = (await call('GET', `/api/sites/${id}`)).json();
    expect(site.name).toBe('Point Lobos north');
    expect(site.alert).toBeUndefined();
  });

  it('rotates the webhook secret, showing the new one once, and removes alert settings with null', async () => {
    const { call } = siteApi();
    const created = (await call('POST', '/api/sites', { name: 'Point Lobos', aoi: POLYGON, alert: { webhookUrl: 'https://hooks.example.org/kelp' } })).json();
    const rotated = (await call('PATCH', `/api/sites/${created.id}`, { rotateSecret: true })).json();
    expect(rotated.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(rotated.secret).not.toBe(created.secret);
    expect(rotated.alert).toMatchObject({ webhookUrl: 'https://hooks.example.org/kelp', secretHint: `…${rotated.secret.slice(-4)}` });
    expect((await call('PATCH', `/api/sites/${created.id}`, { name: 'x' })).json().secret).toBeUndefined();
    expect((await call('PATCH', `/api/sites/${created.id}`, { alert: null })).json().alert).toBeUndefined();
    expect((await call('PATCH', `/api/sites/${created.id}`, { rotateSecret: true })).status).toBe(400);
  });

  it('deletes the site and everything under it, then answers 404', async () => {
    const { call, keys } = siteApi();
    const { id } = (await call('POST', '/api/sites', { name: 'Point Lobos', aoi: POLYGON })).json();
    expect((await call('DELETE', `/api/sites/${id}`)).status).toBe(200);
    expect(await keys()).toEqual([]);
    expect((await call('GET', `/api/sites/${id}`)).status).toBe(404);
  });
});

describe('GET /api/sites and /api/alerts', () => {
  it('pages sites oldest first with a cursor, and refuses unknown query parameters', async () => {
    const { call } = siteApi();
    for (const name of ['a', 'b', 'c']) await call('POST', '/api/sites', { name, aoi: POLYGON });
    const first = (await call('GET', '/api/sites', undefined, { limit: '2' })).json();
    expect(first.items.map((s: { name: string }) => s.name).sort()).toHaveLength(2);
    const second = (await call('GET', '/api/sites', undefined, { limit: '2', cursor: first.cursor })).json();
    expect([...first.items, ...second.items].map((s: { name: string }) => s.name).sort()).toEqual(['a', 'b', 'c']);
    expect((await call('GET', '/api/sites', undefined, { colour: 'red' })).status).toBe(400);
  });

  it('lists no alerts for a new site, 400 for a malformed site id and 404 for an unknown one', async () => {
    const { call } = siteApi();
    const { id } = (await call('POST', '/api/sites', { name: 'Point Lobos', aoi: POLYGON })).json();
    expect((await call('GET', '/api/alerts')).json()).toEqual({ items: [] });
    expect((await call('GET', '/api/alerts', undefined, { site: id })).json()).toEqual({ items: [] });
    expect((await call('GET', '/api/alerts', undefined, { site: 'nope' })).status).toBe(400);
    expect((await call('GET', '/api/alerts', undefined, { site: 'site-0000000000000000abcd' })).status).toBe(404);
  });

  it('answers an empty series as JSON and CSV before any observation', async () => {
    const { call } = siteApi();
    const { id } = (await call('POST', '/api/sites', { name: 'Point Lobos', aoi: POLYGON })).json();
    const series = (await call('GET', `/api/sites/${id}/series`)).json();
    expect(series).toMatchObject({ siteId: id, quarters: [], counts: { observations: 0 } });
    const csv = await call('GET', `/api/sites/${id}/series`, undefined, { format: 'csv' });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.split('\r\n')[0]).toMatch(/^quarter,start,end,good_observations/);
    const trend = (await call('GET', `/api/sites/${id}/trend`)).json();
    expect(trend.notes.join(' ')).toMatch(/at least 4 quarters/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/processes.js';
import { createSmallApi } from '../helpers/small-api.js';
import { AOI, fixtureRuntime, startFixtureServer } from '../helpers/stac-setup.js';
import type { StacServer } from '../helpers/stac-server.js';
import type { ApiHandler } from '../../core/api/types.js';

let server: StacServer;
let api: ApiHandler;
const JULY = { start: '2023-06-01', end: '2023-08-31', maxCloudCover: 30 };

/** POSTs `body` to /api/analyses and returns status and parsed JSON. */
async function post(handler: ApiHandler, body: unknown) {
  const response = await handler({ method: 'POST', path: '/api/analyses', query: {}, headers: { 'content-type': 'application/json' }, json: body, requestId: 'r1' });
  return { status: response.status, body: JSON.parse(String(response.body)) };
}

beforeAll(async () => {
  ({ server } = await startFixtureServer());
  ({ api } = createSmallApi({ stac: fixtureRuntime(server.earthSearchUrl) }));
});
afterAll(() => server.close());

describe('POST /api/analyses with a stac source', () => {
  it('analyses a point and buffer (201), then answers the same request from the store (200)', async () => {
    const body = { source: { stac: { point: AOI.kelp, bufferKm: 1, ...JULY } } };
    const first = await post(api, body);
    expect(first.status).toBe(201);
    expect(first.body.source).toMatchObject({ sceneId: 'S2X_COAST_20230701', stac: { aoi: { point: AOI.kelp, bufferKm: 1 } } });
    const again = await post(api, body);
    expect(again).toMatchObject({ status: 200, body: { id: first.body.id } });
    const stored = await api({ method: 'GET', path: `/api/analyses/${first.body.id}`, query: {}, headers: {}, requestId: 'r2' });
    expect(stored.status).toBe(200);
  });

  it('analyses a bbox', async () => {
    const [w, s] = [AOI.kelp.lng - 0.01, AOI.kelp.lat - 0.01];
    const { status, body } = await post(api, { source: { stac: { bbox: [w, s, w + 0.02, s + 0.02], ...JULY } }, method: 'fai' });
    expect(status).toBe(201);
    expect(body.method.name).toBe('fai');
  });

  it('builds the catalog from the configuration when none is injected', async () => {
    const { api: configured } = createSmallApi({ config: { env: 'test', apiKeys: [], allowedOrigins: [], maxImagePixels: 2e8, stacUrl: server.earthSearchUrl, outboundHosts: ['127.0.0.1'] } });
    const { status, body } = await post(configured, { source: { stac: { point: AOI.real, bufferKm: 1, start: '2020-02-01', end: '2020-02-29' } } });
    expect(status).toBe(201);
    expect(body.source.sceneId).toBe('S2A_29RKH_20200219_0_L2A');
  });
});

describe('POST /api/analyses with series: true', () => {
  it('analyses every usable scene of the range and sums up kelp area by date', async () => {
    const { status, body } = await post(api, { source: { stac: { point: AOI.kelp, bufferKm: 1, ...JULY, series: true } } });
    expect(status).toBe(200);
    expect(body.kind).toBe('series');
    expect(body.scenes.map((scene: { date: string; status: string }) => [scene.date, scene.status])).toEqual([
      ['2023-07-01', expect.stringMatching(/analysed|reused/)],
      ['2023-07-11', 'analysed'],
      ['2023-07-16', 'skipped'],
      ['2023-07-26', 'analysed'],
    ]);
    expect(body.scenes[2].reason.code).toBe('MISSING_ASSET');
    expect(body.kelpAreaHa.count).toBe(3);
    expect(body.kelpAreaHa.min).toBeGreaterThan(5);
    const one = await api({ method: 'GET', path: `/api/analyses/${body.scenes[1].analysisId}`, query: {}, headers: {}, requestId: 'r3' });
    expect(JSON.parse(String(one.body)).source.sceneId).toBe('S2X_COAST_20230711');
  });
});

describe('clear errors', () => {
  it('503 naming the catalog when it is unreachable', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/v1`;
    const { api: down } = createSmallApi({ stac: fixtureRuntime(closed) });
    const { status, body } = await post(down, { source: { stac: { point: AOI.kelp, ...JULY } } });
    expect(status).toBe(503);
    expect(body.error).toMatchObject({ code: 'CATALOG_UNAVAILABLE', details: { catalog: closed } });
    expect(body.error.message).toContain(`the STAC catalog ${closed} is unreachable`);
  });

  it('503 when the catalog keeps answering with server errors', async () => {
    server.searchStatus = 503;
    try {
      const { status, body } = await post(api, { source: { stac: { point: AOI.kelp, ...JULY } } });
      expect(status).toBe(503);
      expect(body.error.message).toMatch(/HTTP 503, also after retries/);
    } finally {
      server.searchStatus = undefined;
    }
  });

  it('404 with a hint when nothing is found', async () => {
    const { status, body } = await post(api, { source: { stac: { point: AOI.kelp, start: '2019-01-01', end: '2019-03-01', maxCloudCover: 10 } } });
    expect(status).toBe(404);
    expect(body.error.code).toBe('NOTHING_FOUND');
    expect(body.error.message).toMatch(/widen the dates or raise maxCloudCover/);
  });

  it('422 when the AOI lies outside the scene pixels', async () => {
    const { status, body } = await post(api, { source: { stac: { point: AOI.offScene, start: '2022-05-01', end: '2022-05-31' } } });
    expect(status).toBe(422);
    expect(body.error.code).toBe('AOI_OUTSIDE_SCENE');
  });

  it('422 naming the asset when a required band is missing', async () => {
    const { status, body } = await post(api, { source: { stac: { point: AOI.kelp, start: '2023-07-16', end: '2023-07-16' } } });
    expect(status).toBe(422);
    expect(body.error).toMatchObject({ code: 'MISSING_ASSET', details: { missing: ['B06'], assetKeys: ['rededge2'] } });
  });

  it.each([
    [{ start: '2022-01-01', end: '2023-06-01' }, /at most 366/],
    [{ start: '2023-08-01', end: '2023-07-01' }, /is before start/],
  ])('400 for a date range %j', async (dates, message) => {
    const { status, body } = await post(api, { source: { stac: { point: AOI.kelp, ...dates } } });
    expect(status).toBe(400);
    expect(body.error.message).toMatch(message);
  });

  it('400 for a source that is neither a key nor a stac search', async () => {
    const { status, body } = await post(api, { source: { stac: { point: AOI.kelp, ...JULY }, key: 'uploads/a.tif' } });
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/expected \{ "key"/);
  });

  it('refuses a loopback catalog the operator did not list', async () => {
    const { api: unlisted } = createSmallApi({ stac: fixtureRuntime(server.earthSearchUrl, []) });
    const { status, body } = await post(unlisted, { source: { stac: { point: AOI.kelp, ...JULY } } });
    expect(status).toBe(422);
    expect(body.error).toMatchObject({ code: 'OUTBOUND_BLOCKED' });
    expect(body.error.message).toMatch(/list it in KELPIE_OUTBOUND_HOSTS/);
  });

  it('503 saying how to configure a catalog when there is none', async () => {
    const { api: none } = createSmallApi();
    const { status, body } = await post(none, { source: { stac: { point: AOI.kelp, ...JULY } } });
    expect(status).toBe(503);
    expect(body.error.message).toMatch(/KELPIE_STAC_URL/);
  });
});

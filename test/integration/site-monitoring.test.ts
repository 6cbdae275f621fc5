import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monitorSites } from '../../core/sites/monitor.js';
import { mannKendallSen } from '../../core/sites/trend-stats.js';
import { quarterBounds } from '../../core/sites/quarters.js';
import { SIGNATURE_HEADER, verifySignature } from '../../core/sites/webhook.js';
import type { StacRuntime } from '../../core/stac/stac-runtime.js';
import { DECLINE_SCENES, declineItems, declineSceneDirs, declineSitePolygon, trueCanopyM2 } from '../helpers/site-fixtures.js';
import { fixtureRuntime } from '../helpers/stac-setup.js';
import { type StacServer, startStacServer } from '../helpers/stac-server.js';
import { callApi, siteWorld } from '../helpers/site-world.js';

/**
 * The monitoring loop end to end, in one process with real parts: the STAC fixture server (real
 * COGs over HTTP) holding three years of a bed in decline, the API creating the site, every
 * queue message (site checks, one job per scene) run by the job worker exactly as a platform
 * delivers it, and alerts POSTed to a webhook receiver on 127.0.0.1.
 */
const NOW = Date.parse('2024-01-10T06:00:00Z');
const clock = { now: () => NOW };
let server: StacServer;
let runtime: StacRuntime;
let receiver: { server: Server; url: string; received: Array<{ headers: IncomingHttpHeaders; body: string }> };

beforeAll(async () => {
  const files = await declineSceneDirs();
  server = await startStacServer({ earthSearch: declineItems, planetaryComputer: () => [], files, pageSize: 10 });
  runtime = fixtureRuntime(server.earthSearchUrl);
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const http = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  receiver = { server: http, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/kelp-alerts`, received };
}, 120_000);
afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => receiver?.server.close(resolve));
});

const world = () => siteWorld(runtime, server.earthSearchUrl, clock);
const call = callApi;

describe('a monitored site over three years of a bed in decline', () => {
  it('finds the decline, keeps cloudy scenes out of the quarters, fires one signed alert, and a second run the same day queues nothing', async () => {
    const { api, queue, drain, monitor } = world();
    const created = await call(api, 'POST', '/api/sites', { name: 'Declining bed', aoi: declineSitePolygon(), since: '2021-01-01', alert: { webhookUrl: receiver.url, thresholdPercent: 20 } });
    expect(created.status).toBe(201);
    const { id, secret } = created.json();
    expect(JSON.parse(queue.messages[0])).toEqual({ v: 1, kind: 'site-check', siteId: id });

    const outcomes = await drain();
    expect(outcomes.filter((o) => o === 'succeeded').length).toBeGreaterThanOrEqual(DECLINE_SCENES.length);

    const series = (await call(api, 'GET', `/api/sites/${id}/series`)).json();
    expect(series.counts.observations).toBe(DECLINE_SCENES.length);
    const flagged = series.observations.filter((o: { flagged: boolean }) => o.flagged).map((o: { sceneId: string }) => o.sceneId).sort();
    expect(flagged).toEqual(DECLINE_SCENES.filter((s) => s.sky !== 'clear').map((s) => s.id).sort());
    const partly = series.observations.find((o: { sceneId: string }) => o.sceneId.includes('PARTLY'));
    expect(partly.observableShare).toBeGreaterThan(0.3);
    expect(partly.observableShare).toBeLessThan(0.8);
    expect(series.quarters).toHaveLength(12);
    for (const quarter of series.quarters) expect(quarter.count).toBe(2);
    expect(series.quarters.filter((q: { flagged: number }) => q.flagged === 1).map((q: { quarter: string }) => q.quarter)).toEqual(['2021-Q3', '2022-Q2', '2023-Q1']);

    // The truth: the generator's canopy inside the same polygon, quarter by quarter, and its Sen slope.
    const scales = new Map(DECLINE_SCENES.map((s) => [s.quarter, s.scale]));
    const truth = mannKendallSen([...scales].map(([quarter, scale]) => ({ t: quarterBounds(quarter).midYear, value: trueCanopyM2(scale), season: quarterBounds(quarter).season })), { seasonal: false });
    const trend = (await call(api, 'GET', `/api/sites/${id}/trend`)).json();
    expect(trend.trend.direction).toBe('decline');
    expect(trend.trend.pValue).toBeLessThan(0.05);
    expect(Math.abs(trend.trend.slopeM2PerYear - truth.slope!) / Math.abs(truth.slope!)).toBeLessThan(0.1);
    expect(trend.trend.percentPerYear).toBeLessThan(0);
    expect(trend.seasonallyAdjusted.slopeM2PerYear).toBeLessThan(0);

    // One alert, for the first quarter after the baseline more than 20 % below it.
    const expected = series.quarters.find((q: { start: string; valueM2: number }) => q.start > trend.baseline.end && q.valueM2 < 0.8 * trend.baseline.valueM2);
    const alerts = (await call(api, 'GET', '/api/alerts')).json().items;
    expect(alerts.map((a: { id: string }) => a.id)).toEqual([`${expected.quarter}-drop`]);
    expect(alerts[0].delivery).toMatchObject({ status: 'delivered', attempts: 1, responseStatus: 204 });
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(await verifySignature(secret, delivery.body, String(delivery.headers[SIGNATURE_HEADER]), NOW / 1000)).toBe(true);
    expect(await verifySignature(`${secret}x`, delivery.body, String(delivery.headers[SIGNATURE_HEADER]), NOW / 1000)).toBe(false);
    expect(JSON.parse(delivery.body)).toMatchObject({ type: 'kelpie.site.alert', quarter: expected.quarter, kind: 'drop', site: { id } });

    // The scheduled run the same day: nothing new to queue, no alert again.
    const report = await monitorSites({}, monitor);
    expect(report).toMatchObject({ sites: 1, queued: 0, continued: false, alertsFired: 0 });
    expect(queue.messages).toEqual([]);
    expect(receiver.received).toHaveLength(1);

    // The scenes' analyses open by id (the Sites view links them) and stay out of the list of analyses.
    expect((await call(api, 'GET', `/api/analyses/${series.observations[0].analysisId}`)).status).toBe(200);
    expect((await call(api, 'GET', '/api/analyses')).json().items).toEqual([]);

    const csv = await call(api, 'GET', `/api/sites/${id}/series`, undefined, { format: 'csv', rows: 'observations' });
    expect(csv.text.trim().split('\r\n')).toHaveLength(DECLINE_SCENES.length + 1);
  }, 300_000);
});

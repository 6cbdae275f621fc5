import { describe, expect, it } from 'vitest';
import { MemoryBlobStore } from '../../../adapters/memory/memory-blob-store.js';
import { silentLogger } from '../../../core/ports/logger.js';
import type { SiteAlertRecord } from '../../../core/sites/alerts.js';
import { fireAlerts } from '../../../core/sites/fire-alerts.js';
import { quarterBounds } from '../../../core/sites/quarters.js';
import type { QuarterValue } from '../../../core/sites/seasonal.js';
import { parseNewSite } from '../../../core/sites/site-input.js';
import type { SiteSeries } from '../../../core/sites/site-series.js';
import { SITE_KEYS } from '../../../core/sites/site.js';
import { readJson } from '../../../core/sites/site-store.js';
import { siteTrend } from '../../../core/sites/site-trend.js';
import { SIGNATURE_HEADER, verifySignature } from '../../../core/sites/webhook.js';

const T0 = Date.parse('2024-01-10T06:00:00Z');
const SITE = parseNewSite(
  { name: 'Bed', aoi: { bbox: [-121.95, 36.51, -121.93, 36.525] }, since: '2022-01-01', alert: { webhookUrl: 'https://hooks.example.org/kelp', thresholdPercent: 20 } },
  'site-0190f3a2b4c19f3e2a1b',
  { nowMs: T0, outboundHosts: ['hooks.example.org'] },
);
const quarter = (name: string, valueM2: number): QuarterValue => ({ ...quarterBounds(name), count: 1, flagged: 0, unobservable: 0, valueM2, maxM2: valueM2, medianM2: valueM2 });
const QUARTERS = ['2022-Q1', '2022-Q2', '2022-Q3', '2022-Q4', '2023-Q1', '2023-Q2'].map((q, i) => quarter(q, [1000, 1000, 1000, 1000, 900, 700][i]));
const derived = { series: { quarters: QUARTERS } as SiteSeries, trend: siteTrend(QUARTERS, SITE, T0) };

/** A webhook receiver answering `statuses` in turn (then 204), recording each delivery. */
function receiver(...statuses: number[]) {
  const received: Array<{ body: string; signature: string }> = [];
  const fetch = async (_url: string, init: RequestInit = {}) => {
    received.push({ body: String(init.body), signature: (init.headers as Record<string, string>)[SIGNATURE_HEADER] });
    return new Response(null, { status: statuses.shift() ?? 204 });
  };
  return { fetch, received };
}

describe('fireAlerts', () => {
  it('records one alert per crossing, delivers it signed, and records nothing new when the crossing is found again', async () => {
    const store = new MemoryBlobStore();
    const { fetch, received } = receiver();
    const deps = { resultStore: store, now: () => T0, logger: silentLogger, fetch, outboundHosts: ['hooks.example.org'], sleep: async () => undefined };
    const first = await fireAlerts(SITE, derived, deps);
    expect(first.fired.map((a) => a.id)).toEqual(['2023-Q2-drop']);
    expect(received).toHaveLength(1);
    expect(await verifySignature(SITE.alert!.secret!, received[0].body, received[0].signature, T0 / 1000)).toBe(true);
    expect(await fireAlerts(SITE, derived, deps)).toEqual({ fired: [], delivered: 0 });
    expect(received).toHaveLength(1);
  });

  it('keeps a failed delivery pending and delivers it on a later check once its backoff has passed', async () => {
    const store = new MemoryBlobStore();
    const { fetch, received } = receiver(503, 503, 503, 503);
    let now = T0;
    const deps = { resultStore: store, now: () => now, logger: silentLogger, fetch, outboundHosts: ['hooks.example.org'], sleep: async () => undefined };
    await fireAlerts(SITE, derived, deps);
    const key = SITE_KEYS.alert(SITE.id, '2023-Q2-drop');
    expect((await readJson<SiteAlertRecord>(store, key))?.delivery).toMatchObject({ status: 'pending', attempts: 1, responseStatus: 503 });
    expect(received).toHaveLength(4); // one delivery: four tries

    now = T0 + 10 * 60_000; // before the 15-minute backoff: not tried
    expect((await fireAlerts(SITE, derived, deps)).delivered).toBe(0);
    expect(received).toHaveLength(4);

    now = T0 + 16 * 60_000;
    expect((await fireAlerts(SITE, derived, deps)).delivered).toBe(1);
    expect((await readJson<SiteAlertRecord>(store, key))?.delivery).toMatchObject({ status: 'delivered', attempts: 2, responseStatus: 204 });
    expect(new Set(received.map((r) => JSON.parse(r.body).id))).toEqual(new Set([`${SITE.id}/2023-Q2-drop`]));
  });

  it('does not deliver to a host taken off the allow-list since the site was made', async () => {
    const store = new MemoryBlobStore();
    const { fetch, received } = receiver();
    await fireAlerts(SITE, derived, { resultStore: store, now: () => T0, logger: silentLogger, fetch, outboundHosts: [], sleep: async () => undefined });
    expect(received).toHaveLength(0);
    expect((await readJson<SiteAlertRecord>(store, SITE_KEYS.alert(SITE.id, '2023-Q2-drop')))?.delivery).toMatchObject({ status: 'pending', error: expect.stringMatching(/allow-list/) });
  });
});

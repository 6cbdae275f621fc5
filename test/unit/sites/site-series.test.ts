import { describe, expect, it } from 'vitest';
import { MemoryBlobStore } from '../../../adapters/memory/memory-blob-store.js';
import type { Observation } from '../../../core/sites/observation.js';
import { quarterlyValues } from '../../../core/sites/seasonal.js';
import { parseNewSite } from '../../../core/sites/site-input.js';
import { SITE_KEYS } from '../../../core/sites/site.js';
import { readSiteSeries, refreshSiteSeries } from '../../../core/sites/site-series.js';
import { readJson, writeJson } from '../../../core/sites/site-store.js';

const SITE = parseNewSite({ name: 'Bed', aoi: { bbox: [-121.95, 36.51, -121.93, 36.525] }, since: '2022-01-01' }, 'site-0190f3a2b4c19f3e2a1b', { nowMs: Date.parse('2024-01-10T00:00:00Z'), outboundHosts: [] });

function observation(sceneId: string, date: string, areaM2: number, observableShare = 1): Observation {
  const range = { low: areaM2 * 0.8, central: areaM2, high: areaM2 * 1.2 };
  return {
    schemaVersion: 1, siteId: SITE.id, sceneId, acquiredAt: `${date}T19:00:00Z`, date, quarter: `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`,
    analysisId: '0123456789abcdef0123', status: 'observed', observableShare,
    pixels: { site: 100, observable: Math.round(100 * observableShare), cloud: 100 - Math.round(100 * observableShare), shadow: 0, nodata: 0, outsideScene: 0 },
    kelp: { areaMode: 'fractional', areaM2, areaRangeM2: range, binaryAreaM2: areaM2, binaryAreaRangeM2: range, fractionalAreaM2: areaM2, fractionalAreaRangeM2: range, beds: 1 },
    recordedAt: '2024-01-10T00:00:00Z',
  };
}

describe('quarterlyValues', () => {
  it('keeps flagged observations out of the values, shows gap quarters, and takes max and median of the good ones', () => {
    const { observations, quarters } = quarterlyValues(
      [observation('a', '2022-01-05', 100), observation('b', '2022-02-05', 300), observation('c', '2022-03-05', 900, 0.5), observation('d', '2022-02-20', 200), observation('e', '2022-08-01', 50)],
      { observableMin: 0.8, statistic: 'median' },
    );
    expect(observations.filter((o) => o.flagged).map((o) => o.sceneId)).toEqual(['c']);
    expect(quarters.map((q) => [q.quarter, q.count, q.flagged, q.maxM2, q.medianM2, q.valueM2])).toEqual([
      ['2022-Q1', 3, 1, 300, 200, 200],
      ['2022-Q2', 0, 0, undefined, undefined, undefined],
      ['2022-Q3', 1, 0, 50, 50, 50],
    ]);
  });
});

describe('a series derived from one object per observation', () => {
  it('loses none of 20 observations recorded at once, whichever derivation was stored last', async () => {
    const store = new MemoryBlobStore();
    // Each worker lists right after its own write, so most miss the others: the stored series is whoever came last.
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const date = `2022-${String((i % 12) + 1).padStart(2, '0')}-${String(i + 1).padStart(2, '0')}`;
        await writeJson(store, SITE_KEYS.obs(SITE.id, `S${i}`), observation(`S${i}`, date, 1000 - i * 10));
        await refreshSiteSeries(store, SITE, Date.now());
      }),
    );
    const { series } = await readSiteSeries(store, SITE, Date.now());
    expect(series.observations.map((o) => o.sceneId).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `S${i}`).sort());
    expect(series.quarters.reduce((sum, q) => sum + q.count, 0)).toBe(20);
    // The reader stored what it derived, so the next reader finds it current.
    expect((await readJson<{ observations: unknown[] }>(store, SITE_KEYS.series(SITE.id)))?.observations).toHaveLength(20);
  });

  it('derives again when an observation changed or the site settings did', async () => {
    const store = new MemoryBlobStore();
    await writeJson(store, SITE_KEYS.obs(SITE.id, 'A'), observation('A', '2022-01-05', 100, 0.7));
    expect((await readSiteSeries(store, SITE, Date.now())).series.counts).toMatchObject({ good: 0, flagged: 1 });
    expect((await readSiteSeries(store, { ...SITE, observableMin: 0.5 }, Date.now())).series.counts).toMatchObject({ good: 1, flagged: 0 });
    await writeJson(store, SITE_KEYS.obs(SITE.id, 'A'), observation('A', '2022-01-05', 400, 0.9));
    const { series } = await readSiteSeries(store, SITE, Date.now());
    expect(series.quarters[0].valueM2).toBe(400);
  });
});

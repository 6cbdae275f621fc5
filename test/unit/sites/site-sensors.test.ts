import { describe, expect, it } from 'vitest';
import { MemoryBlobStore } from '../../../adapters/memory/memory-blob-store.js';
import { parseAnalysisOptions } from '../../../core/analysis/options.js';
import type { AnalysisResult } from '../../../core/analysis/result.js';
import type { StacItem } from '../../../core/ports/scene-catalog.js';
import { LANDSAT_8 } from '../../../core/sensors/landsat.js';
import { SENTINEL_2 } from '../../../core/sensors/sentinel-2.js';
import { type Observation, observationOf, unobservableOf } from '../../../core/sites/observation.js';
import { observationsCsv } from '../../../core/sites/series-csv.js';
import { SITE_COLLECTIONS, parseNewSite, siteMethod } from '../../../core/sites/site-input.js';
import { SITE_KEYS } from '../../../core/sites/site.js';
import { refreshSiteSeries } from '../../../core/sites/site-series.js';
import { writeJson } from '../../../core/sites/site-store.js';

/**
 * Sites of both sensors: which collections and methods a site may have, and how its observations
 * and series name the sensor of each point (a site of Sentinel-2 and Landsat 8/9 together).
 */
const CONTEXT = { nowMs: Date.parse('2024-01-10T00:00:00Z'), outboundHosts: [] };
const AOI = { bbox: [-121.95, 36.51, -121.93, 36.525] };
const site = (body: Record<string, unknown>) => parseNewSite({ name: 'Bed', aoi: AOI, since: '2013-04-01', ...body }, 'site-0190f3a2b4c19f3e2a1b', CONTEXT);

describe('a site watching Landsat', () => {
  it('accepts landsat-c2-l2 alone or beside Sentinel-2, with FAI as the method every sensor runs', () => {
    expect(SITE_COLLECTIONS).toContain('landsat-c2-l2');
    const mixed = site({ collections: ['sentinel-2-l2a', 'landsat-c2-l2'] });
    expect(mixed.collections).toEqual(['sentinel-2-l2a', 'landsat-c2-l2']);
    expect(mixed.options.method).toBe('fai');
    expect(site({ collections: ['landsat-c2-l2'] }).options.method).toBe('fai');
    expect(site({ collections: ['landsat-c2-l2', 'sentinel-2-l2a'], method: 'consensus' }).options.method).toBe('consensus');
    expect(site({ collections: ['landsat-c2-l2'], method: 'ndvi' }).options.method).toBe('ndvi');
  });

  it('keeps a Sentinel-2 site as it was: KD, the same options', () => {
    const before = parseAnalysisOptions({ method: 'kd', species: 'macrocystis', areaMode: 'fractional' });
    expect(site({}).options).toEqual(before);
    expect(site({}).collections).toEqual(['sentinel-2-l2a']);
    expect(site({ collections: ['sentinel-2-c1-l2a'], method: 'ndre' }).options.method).toBe('ndre');
  });

  it('refuses KD and NDRE when Landsat is watched, naming the methods of both sensors', () => {
    for (const method of ['kd', 'ndre'] as const) {
      expect(() => site({ collections: ['sentinel-2-l2a', 'landsat-c2-l2'], method })).toThrow(
        expect.objectContaining({ code: 'UNSUPPORTED_METHOD', kind: 'invalid', details: expect.objectContaining({ methods: ['fai', 'ndvi', 'consensus'], sensors: ['landsat-8'] }) }),
      );
    }
    expect(() => siteMethod(['landsat-c2-l2'], 'kd')).toThrow(/"kd" cannot run on Landsat 8 OLI \(no red-edge bands\).*use "fai", "ndvi", "consensus"/);
    expect(siteMethod(['sentinel-2-l2a'])).toBe(SENTINEL_2.defaultMethod);
    expect(siteMethod(['landsat-c2-l2'])).toBe(LANDSAT_8.defaultMethod);
  });
});

const SITE = site({ collections: ['sentinel-2-l2a', 'landsat-c2-l2'] });

/** An item of each kind (only what an observation reads). */
const item = (id: string, platform: string, collection: string, extra: Record<string, unknown> = {}): StacItem =>
  ({ id, collection, properties: { datetime: '2023-07-09T18:42:38Z', platform, 'eo:cloud_cover': 7, ...extra }, assets: {} }) as unknown as StacItem;

/** The parts of a result an observation reads. */
function result(sensor: string, pixelSizeM: number): AnalysisResult {
  const range = { low: 900, central: 1000, high: 1100 };
  return {
    id: `analysis-${sensor}`,
    source: { sensor },
    grid: { pixelSizeM },
    pixels: { total: 100, nodata: 0, cloud: 10, shadow: 0 },
    kelp: { areaMode: 'fractional', areaM2: 1000, areaRangeM2: range, binaryAreaM2: 1800, binaryAreaRangeM2: range, fractionalAreaM2: 1000, fractionalAreaRangeM2: range, beds: 2 },
  } as unknown as AnalysisResult;
}

describe('observations and series of both sensors', () => {
  it('records the sensor analysed and its pixel size beside the item\'s platform', () => {
    const landsat = observationOf(SITE.id, item('LC09_L2SP_044034_20230709_02_T1', 'landsat-9', 'landsat-c2-l2'), result('landsat-9', 30), 0);
    expect(landsat).toMatchObject({ sensor: 'landsat-9', sensorId: 'landsat-9', pixelSizeM: 30, observableShare: 0.9 });
    const s2 = observationOf(SITE.id, item('S2B_10SEG_20230711_0_L2A', 'sentinel-2b', 'sentinel-2-l2a'), result('sentinel-2', 10), 0);
    expect(s2).toMatchObject({ sensor: 'sentinel-2b', sensorId: 'sentinel-2', pixelSizeM: 10 });
    // Unobservable: the item's sensor, none for a product the analysis refuses.
    const reason = { code: 'X', message: 'x' };
    expect(unobservableOf(SITE.id, item('LC08_L2SP_044034_20230725_02_T1', 'landsat-8', 'landsat-c2-l2'), 'a', reason, 0).sensorId).toBe('landsat-8');
    expect(unobservableOf(SITE.id, item('LC08_L1TP_044034_20230725_02_T1', 'landsat-8', 'landsat-c2-l1', { 'landsat:correction': 'L1TP' }), 'a', reason, 0)).not.toHaveProperty('sensorId');
  });

  function observation(sceneId: string, date: string, areaM2: number, sensorId?: 'sentinel-2' | 'landsat-8', status: Observation['status'] = 'observed'): Observation {
    const range = { low: areaM2 * 0.8, central: areaM2, high: areaM2 * 1.2 };
    return {
      schemaVersion: 1, siteId: SITE.id, sceneId, acquiredAt: `${date}T19:00:00Z`, date, quarter: `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`,
      ...(sensorId ? { sensor: sensorId === 'landsat-8' ? 'landsat-8' : 'sentinel-2a', sensorId, pixelSizeM: sensorId === 'landsat-8' ? 30 : 10 } : {}),
      analysisId: `a-${sceneId}`, status, observableShare: status === 'observed' ? 1 : 0,
      pixels: { site: 100, observable: 100, cloud: 0, shadow: 0, nodata: 0, outsideScene: 0 },
      ...(status === 'observed' ? { kelp: { areaMode: 'fractional' as const, areaM2, areaRangeM2: range, binaryAreaM2: areaM2, binaryAreaRangeM2: range, fractionalAreaM2: areaM2, fractionalAreaRangeM2: range, beds: 1 } } : {}),
      recordedAt: '2024-01-10T00:00:00Z',
    };
  }

  it('counts each sensor, says in words that 30 m and 10 m areas differ, and keeps every point in the quarters', async () => {
    const store = new MemoryBlobStore();
    const observations = [
      observation('L1', '2014-07-01', 5000, 'landsat-8'),
      observation('L2', '2016-07-20', 4000, 'landsat-8'),
      observation('L3', '2016-08-20', 0, 'landsat-8', 'unobservable'),
      observation('S1', '2016-07-10', 4200, 'sentinel-2'),
      observation('S2', '2017-07-10', 3000, 'sentinel-2'),
    ];
    for (const o of observations) await writeJson(store, SITE_KEYS.obs(SITE.id, o.sceneId), o);
    const { series } = await refreshSiteSeries(store, SITE, CONTEXT.nowMs);
    expect(series.sensors).toEqual([
      { sensor: 'sentinel-2', label: SENTINEL_2.label, pixelSizeM: 10, observations: 2 },
      { sensor: 'landsat-8', label: LANDSAT_8.label, pixelSizeM: 30, observations: 2 },
    ]);
    expect(series.resolutionNote).toContain('30 m and 10 m areas differ in what they resolve');
    expect(series.resolutionNote).toContain(SENTINEL_2.resolutionNote);
    expect(series.resolutionNote).toContain(LANDSAT_8.resolutionNote);
    expect(series.resolutionNote).toMatch(/fractional canopy cover/);
    // The 2016 quarter takes both sensors' points: max of 4000 (Landsat) and 4200 (Sentinel-2).
    expect(series.quarters.find((q) => q.quarter === '2016-Q3')).toMatchObject({ count: 2, unobservable: 1, valueM2: 4200 });

    const csv = observationsCsv(series).trim().split('\r\n');
    expect(csv[0].split(',').slice(-2)).toEqual(['sensor_id', 'pixel_size_m']);
    expect(csv[0].split(',')[4]).toBe('sensor');
    const row = (sceneId: string) => csv.find((line) => line.includes(`,${sceneId},`))?.split(',');
    expect(row('L1')?.slice(-2)).toEqual(['landsat-8', '30']);
    expect(row('S1')?.slice(-2)).toEqual(['sentinel-2', '10']);
    expect(row('S1')?.[4]).toBe('sentinel-2a');
  });

  it('says nothing of pixel sizes for one sensor, and lists no sensors for observations recorded before Landsat', async () => {
    const one = new MemoryBlobStore();
    await writeJson(one, SITE_KEYS.obs(SITE.id, 'S1'), observation('S1', '2022-07-10', 4200, 'sentinel-2'));
    const { series } = await refreshSiteSeries(one, SITE, CONTEXT.nowMs);
    expect(series.sensors).toEqual([{ sensor: 'sentinel-2', label: SENTINEL_2.label, pixelSizeM: 10, observations: 1 }]);
    expect(series).not.toHaveProperty('resolutionNote');

    const old = new MemoryBlobStore();
    await writeJson(old, SITE_KEYS.obs(SITE.id, 'S1'), observation('S1', '2022-07-10', 4200));
    const { series: before } = await refreshSiteSeries(old, SITE, CONTEXT.nowMs);
    expect(before).not.toHaveProperty('sensors');
    expect(before).not.toHaveProperty('resolutionNote');
    expect(observationsCsv(before).trim().split('\r\n')[1].endsWith(',a-S1,,')).toBe(true);
  });

  it('says binary areas differ more when the site counts whole pixels', async () => {
    const binary = { ...SITE, options: { ...SITE.options, areaMode: 'binary' as const } };
    const store = new MemoryBlobStore();
    await writeJson(store, SITE_KEYS.obs(SITE.id, 'L1'), observation('L1', '2014-07-01', 5000, 'landsat-8'));
    await writeJson(store, SITE_KEYS.obs(SITE.id, 'S1'), observation('S1', '2016-07-10', 4200, 'sentinel-2'));
    const { series } = await refreshSiteSeries(store, binary, CONTEXT.nowMs);
    expect(series.resolutionNote).toMatch(/binary \(whole pixels counted\)/);
  });
});

import { describe, expect, it } from 'vitest';
import { type SeriesEntry, summarizeSeries } from '../../../core/stac/series.js';
import { parseStacRequest } from '../../../core/stac/stac-request.js';

const head = { id: 's', catalog: 'c', aoi: { bboxWgs84: [0, 0, 1, 1] as [number, number, number, number] }, start: '2023-01-01', end: '2023-12-31', maxCloudCover: 20 };
const entry = (date: string, sensor: SeriesEntry['sensor'], kelpAreaHa: number): SeriesEntry => ({ date, acquiredAt: `${date}T18:00:00Z`, sceneId: date, sensor, status: 'analysed', kelpAreaHa });

describe('a series of more than one sensor', () => {
  it('counts scenes per sensor and says in words that 30 m and 10 m areas differ', () => {
    const series = summarizeSeries(head, [entry('2023-07-01', 'sentinel-2', 4), entry('2023-07-09', 'landsat-8', 3.5), entry('2023-07-11', 'sentinel-2', 4.2)]);
    expect(series.sensors).toEqual([
      { sensor: 'sentinel-2', label: 'Sentinel-2 MSI', pixelSizeM: 10, scenes: 2 },
      { sensor: 'landsat-8', label: 'Landsat 8 OLI', pixelSizeM: 30, scenes: 1 },
    ]);
    expect(series.resolutionNote).toMatch(/mixes pixel sizes.*Sentinel-2 MSI \(2 scenes\): 10 m pixels.*Landsat 8 OLI \(1 scene\): 30 m pixels.*30 m and 10 m areas.*part of a change in area is the pixel size/);
  });

  it('adds no note when every scene has the same pixel size, and nothing when entries name no sensor', () => {
    expect(summarizeSeries(head, [entry('2023-07-01', 'landsat-8', 1), entry('2023-07-09', 'landsat-9', 2)]).resolutionNote).toBeUndefined();
    const plain = summarizeSeries(head, [{ ...entry('2023-07-01', undefined, 1) }]);
    expect(plain).not.toHaveProperty('sensors');
    expect(plain).not.toHaveProperty('resolutionNote');
  });
});

describe('collections of a STAC request', () => {
  const place = { point: { lat: 36.6, lng: -121.9 }, start: '2023-06-01', end: '2023-08-31' };

  it('searches Sentinel-2 L2A unless asked', () => {
    expect(parseStacRequest(place).collections).toEqual(['sentinel-2-l2a']);
    expect(parseStacRequest({ ...place, collections: ['landsat-c2-l2', 'sentinel-2-l2a'] }).collections).toEqual(['landsat-c2-l2', 'sentinel-2-l2a']);
  });

  it('refuses an unknown collection, naming the known ones, and a collection named twice', () => {
    expect(() => parseStacRequest({ ...place, collections: ['landsat-c2-l1'] })).toThrow(/collections\.0: .*"sentinel-2-l2a"\|"landsat-c2-l2"/);
    expect(() => parseStacRequest({ ...place, collections: ['landsat-c2-l2', 'landsat-c2-l2'] })).toThrow(/name each collection once/);
  });
});

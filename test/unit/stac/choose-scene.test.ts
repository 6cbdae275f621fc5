import { describe, expect, it } from 'vitest';
import type { LonLatBbox, StacItem } from '../../../core/ports/scene-catalog.js';
import { chooseScene, coverage, usableScenes } from '../../../core/stac/choose-scene.js';
import { summarizeSeries } from '../../../core/stac/series.js';

/** An item whose footprint is the lon/lat box `box`. */
function item(id: string, box: LonLatBbox, cloud: number, datetime = '2023-07-01T19:00:00Z'): StacItem {
  const [w, s, e, n] = box;
  return {
    id,
    bbox: box,
    geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] },
    properties: { datetime, 'eo:cloud_cover': cloud },
    assets: {},
  };
}

const AOI: LonLatBbox = [0.4, 0.4, 0.6, 0.6];

describe('coverage', () => {
  it('is full, partial or none', () => {
    expect(coverage(item('a', [0, 0, 1, 1], 0), AOI)).toBe('full');
    expect(coverage(item('b', [0.5, 0, 1, 1], 0), AOI)).toBe('partial');
    expect(coverage(item('c', [2, 2, 3, 3], 0), AOI)).toBe('none');
  });
});

describe('chooseScene', () => {
  it('takes the least cloudy scene that covers the whole AOI', () => {
    const items = [item('cloudy', [0, 0, 1, 1], 30), item('clear-partial', [0.5, 0, 1, 1], 1), item('clear', [0, 0, 1, 1], 5)];
    expect(chooseScene(items, AOI)).toEqual({ item: items[2], coverage: 'full' });
  });

  it('falls back to a partial cover when nothing covers it all', () => {
    expect(chooseScene([item('p', [0.5, 0, 1, 1], 1)], AOI)?.coverage).toBe('partial');
  });

  it('finds nothing when no item touches the AOI', () => {
    expect(chooseScene([item('far', [5, 5, 6, 6], 0)], AOI)).toBeUndefined();
  });
});

describe('usableScenes', () => {
  it('keeps one scene per day, oldest first, preferring full cover', () => {
    const items = [
      item('d2', [0, 0, 1, 1], 10, '2023-07-06T19:00:00Z'),
      item('d1-partial', [0.5, 0, 1, 1], 1, '2023-07-01T19:00:00Z'),
      item('d1-full', [0, 0, 1, 1], 20, '2023-07-01T19:00:01Z'),
      item('far', [5, 5, 6, 6], 0, '2023-07-03T19:00:00Z'),
    ];
    expect(usableScenes(items, AOI).map((entry) => entry.item.id)).toEqual(['d1-full', 'd2']);
  });
});

describe('summarizeSeries', () => {
  it('orders by date and gives the range and median of kelp area', () => {
    const base = { sceneId: 's', status: 'analysed' as const };
    const summary = summarizeSeries({ id: 'x', catalog: 'c', aoi: { bboxWgs84: AOI }, start: 'a', end: 'b', maxCloudCover: 20 }, [
      { ...base, date: '2023-07-06', acquiredAt: '2023-07-06T19:00:00Z', kelpAreaHa: 4 },
      { ...base, date: '2023-07-01', acquiredAt: '2023-07-01T19:00:00Z', kelpAreaHa: 2 },
      { date: '2023-07-03', acquiredAt: '2023-07-03T19:00:00Z', sceneId: 'skip', status: 'skipped', reason: { code: 'NO_VALID_DATA', message: 'all cloud' } },
      { ...base, date: '2023-07-11', acquiredAt: '2023-07-11T19:00:00Z', kelpAreaHa: 9 },
    ]);
    expect(summary.scenes.map((s) => s.date)).toEqual(['2023-07-01', '2023-07-03', '2023-07-06', '2023-07-11']);
    expect(summary.kelpAreaHa).toEqual({ count: 3, min: 2, median: 4, max: 9 });
  });
});

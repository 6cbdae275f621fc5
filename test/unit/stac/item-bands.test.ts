import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MissingAssetError } from '../../../core/errors.js';
import type { StacItem } from '../../../core/ports/scene-catalog.js';
import { mapItemBands } from '../../../core/stac/item-bands.js';
import { REAL_SCENE, coastalEarthSearchItem, coastalPlanetaryComputerItem } from '../../helpers/stac-fixtures.js';

const WANTED = ['B02', 'B03', 'B04', 'B06', 'B08', 'B11', 'SCL'] as const;
const REQUIRED = ['B04', 'B06', 'B08', 'B11'] as const;
const realItem = () => JSON.parse(readFileSync(join(REAL_SCENE.dir, 'item.json'), 'utf8')) as StacItem;
const coastal = { id: 'S2X', datetime: '2023-07-01T19:00:00Z', cloudCover: 3 };

describe('mapItemBands', () => {
  it('maps Earth Search keys to bands, COG assets only', () => {
    const bands = mapItemBands(realItem(), [...WANTED], [...REQUIRED]);
    expect(bands.convention).toBe('earth-search');
    expect(bands.keys).toEqual({ B02: 'blue', B03: 'green', B04: 'red', B06: 'rededge2', B08: 'nir', B11: 'swir16', SCL: 'scl' });
    expect(bands.hrefs.B04).toMatch(/\/B04\.tif$/);
  });

  it('maps Planetary Computer keys to bands', () => {
    const bands = mapItemBands(coastalPlanetaryComputerItem(coastal) as StacItem, [...WANTED], [...REQUIRED]);
    expect(bands.convention).toBe('planetary-computer');
    expect(bands.keys.B06).toBe('B06');
  });

  it('takes the offset from raster:bands on Earth Search items (0 for the real 2020 scene)', () => {
    expect(mapItemBands(realItem(), [...WANTED], [...REQUIRED])).toMatchObject({ boaAddOffset: 0, offsetSource: 'raster:bands', processingBaseline: '02.14' });
    expect(mapItemBands(coastalEarthSearchItem(coastal) as StacItem, [...WANTED], [...REQUIRED])).toMatchObject({ boaAddOffset: -1000, offsetSource: 'raster:bands' });
  });

  it('uses 0 when Earth Search says the offset is already in the pixels', () => {
    const item = coastalEarthSearchItem(coastal) as StacItem;
    item.properties['earthsearch:boa_offset_applied'] = true;
    expect(mapItemBands(item, [...WANTED], [...REQUIRED])).toMatchObject({ boaAddOffset: 0, offsetSource: 'earthsearch:boa_offset_applied' });
  });

  it('follows the processing baseline on Planetary Computer items (no scale or offset there)', () => {
    const item = coastalPlanetaryComputerItem(coastal) as StacItem;
    expect(mapItemBands(item, [...WANTED], [...REQUIRED])).toMatchObject({ boaAddOffset: -1000, offsetSource: 's2:processing_baseline', processingBaseline: '04.00' });
    item.properties['s2:processing_baseline'] = '03.01';
    expect(mapItemBands(item, [...WANTED], [...REQUIRED]).boaAddOffset).toBe(0);
  });

  it('leaves the offset to the files when the item gives none', () => {
    const item = coastalPlanetaryComputerItem(coastal) as StacItem;
    delete item.properties['s2:processing_baseline'];
    expect(mapItemBands(item, [...WANTED], [...REQUIRED]).boaAddOffset).toBeUndefined();
  });

  it('notes when raster:bands and the baseline disagree', () => {
    const item = coastalEarthSearchItem(coastal) as StacItem;
    item.properties['s2:processing_baseline'] = '02.14';
    expect(mapItemBands(item, [...WANTED], [...REQUIRED]).notes[0]).toMatch(/disagrees with its processing baseline 02.14/);
  });

  it('names the missing asset key when a required band is absent', () => {
    const item = coastalEarthSearchItem({ ...coastal, bands: ['B02', 'B03', 'B04', 'B08', 'B11', 'SCL'] }) as StacItem;
    expect(() => mapItemBands(item, [...WANTED], [...REQUIRED])).toThrow(MissingAssetError);
    expect(() => mapItemBands(item, [...WANTED], [...REQUIRED])).toThrow(/B06 \("rededge2"\)/);
  });

  it('skips a missing optional band', () => {
    const item = coastalEarthSearchItem({ ...coastal, bands: ['B04', 'B06', 'B08', 'B11'] }) as StacItem;
    expect(Object.keys(mapItemBands(item, [...WANTED], [...REQUIRED]).hrefs).sort()).toEqual(['B04', 'B06', 'B08', 'B11']);
  });

  it('refuses an item with neither convention', () => {
    const item = { id: 'x', properties: { datetime: null }, assets: { thumbnail: { href: 'https://x/t.jpg' } } } as StacItem;
    expect(() => mapItemBands(item, [...WANTED], [...REQUIRED])).toThrow(/neither Earth Search keys/);
  });
});

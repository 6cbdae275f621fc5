import { describe, expect, it } from 'vitest';
import type { StacItem } from '../../../core/ports/scene-catalog.js';
import { isAnalysableItem, itemSensor, mapItemBands } from '../../../core/stac/item-bands.js';
import { LANDSAT, landsatEarthSearchItem, landsatPlanetaryComputerItem } from '../../helpers/landsat-stac-fixtures.js';
import { coastalEarthSearchItem } from '../../helpers/stac-fixtures.js';

const FAI = { wanted: ['B04', 'B08', 'B11', 'B02', 'B03', 'SCL'] as const, required: ['B04', 'B08', 'B11'] as const };
const BASE = 'https://stac.example';
/** The item with its `{{base}}` hrefs on a server, as the test server serves them. */
const served = (item: Record<string, unknown>) => JSON.parse(JSON.stringify(item).replaceAll('{{base}}', BASE)) as StacItem;
const map = (item: Record<string, unknown>) => mapItemBands(served(item), [...FAI.wanted], [...FAI.required]);

describe('Landsat items of landsat-c2-l2', () => {
  it('maps the common-name asset keys of a Planetary Computer item to analysis slots', () => {
    const bands = map(landsatPlanetaryComputerItem());
    expect(bands).toMatchObject({ sensor: 'landsat-8', convention: 'planetary-computer', notes: [] });
    expect(bands.keys).toEqual({ B02: 'blue', B03: 'green', B04: 'red', B08: 'nir08', B11: 'swir16', SCL: 'qa_pixel' });
    expect(bands.hrefs.B08).toBe(`${BASE}/blob/${LANDSAT.itemId}/${LANDSAT.productId}_SR_B5.TIF`);
    expect(bands.boaAddOffset).toBeUndefined();
  });

  it("reads Earth Search's https alternate when the href is the requester-pays bucket", () => {
    const bands = map(landsatEarthSearchItem({ httpsAlternate: true }));
    expect(bands.convention).toBe('earth-search');
    expect(bands.hrefs.B04).toBe(`${BASE}/files/${LANDSAT.itemId}/${LANDSAT.productId}_SR_B4.TIF`);
  });

  it('refuses an asset that is only in the requester-pays bucket, saying where to search instead', () => {
    expect(() => map(landsatEarthSearchItem())).toThrow(
      expect.objectContaining({ code: 'REQUESTER_PAYS_ASSET', kind: 'unusable', message: expect.stringMatching(/only in a requester-pays bucket \(s3:\/\/usgs-landsat\/….*Planetary Computer's landsat-c2-l2/) }),
    );
  });

  it('knows Landsat 9 by its platform, whatever the spelling', () => {
    expect(itemSensor(landsatPlanetaryComputerItem({ properties: { platform: 'LANDSAT_9' } }) as StacItem)).toBe('landsat-9');
    expect(itemSensor(coastalEarthSearchItem({ id: 'S2X', datetime: '2023-07-01T00:00:00Z', cloudCover: 1 }) as StacItem)).toBe('sentinel-2');
  });

  it.each([
    ['Level-1', { 'landsat:correction': 'L1TP' }, /Level-1 product \(L1TP/],
    ['Collection 1', { 'landsat:collection_number': '01' }, /Landsat Collection 1/],
  ])('refuses a %s item as not surface reflectance', (_, properties, message) => {
    expect(() => map(landsatPlanetaryComputerItem({ properties }))).toThrow(expect.objectContaining({ code: 'NOT_SURFACE_REFLECTANCE', message: expect.stringMatching(message) }));
  });

  it('refuses a Landsat 7 item, and leaves it out of the scenes to choose from', () => {
    const item = landsatPlanetaryComputerItem({ id: 'LE07_L2SP_044034_20230701_02_T1', properties: { platform: 'landsat-7' } }) as StacItem;
    expect(() => map(item)).toThrow(/Landsat 7; the analysis reads Landsat 8 and 9/);
    expect(isAnalysableItem(item)).toBe(false);
    expect(isAnalysableItem(landsatPlanetaryComputerItem({ properties: { 'landsat:correction': 'L1TP' } }) as StacItem)).toBe(true);
  });

  it('names the missing asset by its key', () => {
    expect(() => map(landsatPlanetaryComputerItem({ without: ['swir16'] }))).toThrow(expect.objectContaining({ code: 'MISSING_ASSET', message: expect.stringContaining('lacks the asset "swir16"') }));
  });

  it("notes raster:bands that disagree with the sensor's rule, and still applies the rule", () => {
    const bands = map(landsatPlanetaryComputerItem({ raster: { scale: 0.0001, offset: 0, nodata: 0 } }));
    expect(bands.notes).toHaveLength(5);
    expect(bands.notes[0]).toMatch(/raster:bands for "red" \(scale 0\.0001, offset 0, nodata 0\) differ from Landsat 8 OLI's Collection 2 Level-2 rule \(DN × 0\.0000275 \+ -0\.2, 0 fill\); the rule was used/);
  });
});

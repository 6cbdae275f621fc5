import type { BandName } from '../analysis/bands.js';
import { MissingAssetError } from '../errors.js';
import type { StacAsset, StacItem } from '../ports/scene-catalog.js';
import { L2A_QUANTIFICATION, boaOffsetForBaseline } from '../raster/reflectance.js';
import type { SensorId } from '../sensors/sensor.js';
import { isLandsatItem, landsatItemSensor, mapLandsatItemBands } from './landsat-item.js';

/** The two catalogs' asset-key conventions (Sentinel-2 L2A keys differ; Landsat's are the same, its locations differ). */
export type AssetConvention = 'earth-search' | 'planetary-computer';

/**
 * Asset key of each band per convention: Earth Search (element84, `sentinel-2-l2a` v1) names
 * assets by common name; the Planetary Computer by band id.
 */
const ASSET_KEYS: Record<AssetConvention, Partial<Record<BandName, string>>> = {
  'earth-search': {
    B01: 'coastal',
    B02: 'blue',
    B03: 'green',
    B04: 'red',
    B05: 'rededge1',
    B06: 'rededge2',
    B07: 'rededge3',
    B08: 'nir',
    B8A: 'nir08',
    B09: 'nir09',
    B11: 'swir16',
    B12: 'swir22',
    SCL: 'scl',
  },
  'planetary-computer': {
    B01: 'B01',
    B02: 'B02',
    B03: 'B03',
    B04: 'B04',
    B05: 'B05',
    B06: 'B06',
    B07: 'B07',
    B08: 'B08',
    B8A: 'B8A',
    B09: 'B09',
    B11: 'B11',
    B12: 'B12',
    SCL: 'SCL',
  },
};

/** Where the BOA offset of a STAC scene came from. */
export type OffsetSource = 'earthsearch:boa_offset_applied' | 'raster:bands' | 's2:processing_baseline';

/** The band files of an item and how to turn their DN into reflectance. */
export interface ItemBands {
  /** The sensor of the item (`sentinel-2`, `landsat-8`, `landsat-9`). */
  sensor: SensorId;
  convention: AssetConvention;
  /** Asset URL per band found (unsigned), by analysis slot. */
  hrefs: Partial<Record<BandName, string>>;
  /** Asset key per band found. */
  keys: Partial<Record<BandName, string>>;
  processingBaseline?: string;
  /** BOA_ADD_OFFSET in DN, when the item says; undefined leaves it to the files (and a warning). */
  boaAddOffset?: number;
  offsetSource?: OffsetSource;
  /** Disagreements between the item's fields, worth a warning in the result. */
  notes: string[];
}

/**
 * False for an item of a Landsat the analysis does not read (Landsat 4–7 share the
 * `landsat-c2-l2` collection): such items are left out before a scene is chosen.
 */
export function isAnalysableItem(item: StacItem): boolean {
  if (!isLandsatItem(item)) return true;
  try {
    landsatItemSensor(item);
    return true;
  } catch (error) {
    // A Level-1 or Collection 1 item stays, to be refused with what to search instead.
    return (error as { code?: string }).code !== 'UNSUPPORTED_FORMAT';
  }
}

/**
 * The sensor of an item: a Landsat one (refused unless Collection 2 Level-2 of Landsat 8 or 9),
 * else Sentinel-2.
 */
export function itemSensor(item: StacItem): SensorId {
  return isLandsatItem(item) ? landsatItemSensor(item) : 'sentinel-2';
}

/** The convention an item follows, from its asset keys. */
function detectConvention(item: StacItem): AssetConvention | undefined {
  if ('red' in item.assets || 'nir' in item.assets) return 'earth-search';
  if ('B04' in item.assets || 'B08' in item.assets) return 'planetary-computer';
  return undefined;
}

/** True for a GeoTIFF asset (the COG, not `red-jp2`). */
function isGeoTiff(asset: StacAsset): boolean {
  return asset.type ? /image\/tiff/i.test(asset.type) : /\.tiff?(\?|$)/i.test(asset.href);
}

/**
 * Maps an item's assets to bands for `wanted` (Earth Search or Planetary Computer keys), and
 * works out the BOA offset: an Earth Search item flagged `earthsearch:boa_offset_applied` has
 * it in the pixels already (0); else `raster:bands` scale and offset (offset ÷ scale in DN);
 * else the `s2:processing_baseline` (−1000 from 04.00). Throws `MissingAssetError` (naming
 * keys) when a band of `required` has no GeoTIFF asset. A Landsat item (`landsat-c2-l2`) is
 * mapped by `mapLandsatItemBands` instead: common-name keys to analysis slots, no BOA offset.
 *
 * @example
 * ```ts
 * const bands = mapItemBands(item, ['B02', 'B03', 'B04', 'B06', 'B08', 'B11', 'SCL'], ['B04', 'B06', 'B08', 'B11']);
 * bands.hrefs.B04; // 'https://…/B04.tif'
 * ```
 */
export function mapItemBands(item: StacItem, wanted: readonly BandName[], required: readonly BandName[]): ItemBands {
  if (isLandsatItem(item)) return mapLandsatItemBands(item, wanted, required);
  const convention = detectConvention(item);
  if (!convention) {
    throw new MissingAssetError(
      `scene ${item.id} has none of the band assets the analysis reads (neither Earth Search keys such as "red", "nir" nor Planetary Computer keys such as "B04", "B08"); its assets are ${Object.keys(item.assets).join(', ') || 'none'}`,
      { sceneId: item.id, assets: Object.keys(item.assets) },
    );
  }
  const keyTable = ASSET_KEYS[convention];
  const hrefs: ItemBands['hrefs'] = {};
  const keys: ItemBands['keys'] = {};
  for (const band of wanted) {
    const key = keyTable[band];
    const asset = key ? item.assets[key] : undefined;
    if (key && asset && isGeoTiff(asset)) {
      hrefs[band] = asset.href;
      keys[band] = key;
    }
  }
  const missing = required.filter((band) => !hrefs[band]);
  if (missing.length) {
    const names = missing.map((band) => `${band} ("${keyTable[band]}")`);
    throw new MissingAssetError(`scene ${item.id} lacks the asset${missing.length > 1 ? 's' : ''} ${names.join(', ')} the analysis needs`, {
      sceneId: item.id,
      missing,
      assetKeys: missing.map((band) => keyTable[band]),
    });
  }
  return { sensor: 'sentinel-2', convention, hrefs, keys, ...itemOffset(item, convention, keys) };
}

/** The BOA offset of an item, where it came from, and any disagreement between its fields. */
function itemOffset(item: StacItem, convention: AssetConvention, keys: ItemBands['keys']): Pick<ItemBands, 'processingBaseline' | 'boaAddOffset' | 'offsetSource' | 'notes'> {
  const baseline = validBaseline(item.properties['s2:processing_baseline']);
  const fromBaseline = baseline === undefined ? undefined : boaOffsetForBaseline(baseline);
  const notes: string[] = [];
  const result = (boaAddOffset: number | undefined, offsetSource: OffsetSource | undefined) => ({
    ...(baseline ? { processingBaseline: baseline } : {}),
    ...(boaAddOffset !== undefined ? { boaAddOffset, offsetSource } : {}),
    notes,
  });
  if (convention === 'earth-search') {
    if (item.properties['earthsearch:boa_offset_applied'] === true) return result(0, 'earthsearch:boa_offset_applied');
    const fromRaster = rasterBandsOffset(item, keys);
    if (fromRaster !== undefined) {
      if (fromBaseline !== undefined && fromBaseline !== fromRaster) {
        notes.push(`the item's raster:bands offset (${fromRaster} DN) disagrees with its processing baseline ${baseline} (${fromBaseline} DN); the raster:bands offset was used`);
      }
      return result(fromRaster, 'raster:bands');
    }
  }
  return result(fromBaseline, fromBaseline === undefined ? undefined : 's2:processing_baseline');
}

/** offset ÷ scale of the first reflectance band with `raster:bands`, in DN; undefined without them. */
function rasterBandsOffset(item: StacItem, keys: ItemBands['keys']): number | undefined {
  for (const [band, key] of Object.entries(keys)) {
    if (band === 'SCL' || !key) continue;
    const raster = item.assets[key]['raster:bands']?.[0];
    if (raster?.scale && Math.abs(raster.scale * L2A_QUANTIFICATION - 1) < 1e-6) return Math.round((raster.offset ?? 0) / raster.scale);
  }
  return undefined;
}

function validBaseline(value: unknown): string | undefined {
  return typeof value === 'string' && /^\d{1,2}\.\d{1,2}$/.test(value) ? value : undefined;
}

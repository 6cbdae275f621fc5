/**
 * Landsat Collection 2 Level-2 STAC items (`landsat-c2-l2`) of Earth Search and the Planetary
 * Computer. Both name assets by common name (`blue`, `green`, `red`, `nir08`, `swir16`,
 * `swir22`, `qa_pixel`; also `coastal`, `lwir11`); both describe the product with the Landsat
 * extension (`landsat:collection_number` "02", `landsat:correction` L2SP or L2SR) and `platform`
 * (`landsat-8`, `landsat-9`; USGS's own items write `LANDSAT_8`). They differ in where the files
 * are: the Planetary Computer's in Azure blob storage over https (signed with a SAS token of the
 * collection), Earth Search's in the USGS requester-pays bucket `s3://usgs-landsat/…`, sometimes
 * with an https copy among the asset's `alternate` locations.
 */
import type { BandName } from '../analysis/bands.js';
import { MissingAssetError, NotSurfaceReflectanceError, RequesterPaysAssetError, UnsupportedFormatError } from '../errors.js';
import { LANDSAT_DOWNLOAD_HINT, parseLandsatProductId } from '../landsat/product-names.js';
import type { StacAsset, StacItem } from '../ports/scene-catalog.js';
import { getSensor } from '../sensors/registry.js';
import { type BandRole, SLOT_ROLES, type SensorDescription, type SensorId } from '../sensors/sensor.js';

/** The Level-2 collection's id in both catalogs. */
export const LANDSAT_C2_L2 = 'landsat-c2-l2';

/** Asset key of each role in `landsat-c2-l2`, the same in Earth Search and the Planetary Computer. */
export const LANDSAT_ASSET_KEYS: Partial<Record<BandRole, string>> = {
  coastal: 'coastal',
  blue: 'blue',
  green: 'green',
  red: 'red',
  nir: 'nir08',
  swir1: 'swir16',
  swir2: 'swir22',
  quality: 'qa_pixel',
};

/** `landsat-8`, `LANDSAT_8`, `landsat_8` → `landsat-8`. */
const PLATFORM = /^landsat[-_ ]?(\d+)$/i;

/**
 * True for an item of a Landsat collection (by its collection, platform or product id), whose
 * assets are read by {@link mapLandsatItemBands} rather than as Sentinel-2's.
 */
export function isLandsatItem(item: StacItem): boolean {
  const platform = item.properties.platform;
  return /^landsat/i.test(item.collection ?? '') || (typeof platform === 'string' && PLATFORM.test(platform)) || idFacts(item) !== undefined;
}

/**
 * The sensor of a Landsat item, after refusing what the analysis cannot read: anything but
 * Collection 2 Level-2 (`NotSurfaceReflectanceError`, saying what to use instead) and Landsats
 * other than 8 and 9 (`UnsupportedFormatError`).
 *
 * @example
 * ```ts
 * landsatItemSensor(item); // 'landsat-9'
 * ```
 */
export function landsatItemSensor(item: StacItem): SensorId {
  const props = item.properties;
  const product = idFacts(item);
  const collection = String(props['landsat:collection_number'] ?? product?.collection ?? '');
  const correction = String(props['landsat:correction'] ?? product?.correction ?? '').toUpperCase();
  if (collection !== '' && collection !== '02') {
    throw new NotSurfaceReflectanceError(`scene ${item.id} is of Landsat Collection ${Number(collection)}; the analysis reads Collection 2 Level-2 only: ${LANDSAT_DOWNLOAD_HINT}`, { sceneId: item.id, collection });
  }
  if (correction !== '' && !correction.startsWith('L2')) {
    throw new NotSurfaceReflectanceError(`scene ${item.id} is a Level-1 product (${correction}: top-of-atmosphere, not surface reflectance); search the ${LANDSAT_C2_L2} collection instead`, { sceneId: item.id, correction });
  }
  const number = PLATFORM.exec(String(props.platform ?? ''))?.[1] ?? (product ? String(Number(product.satellite)) : '');
  const sensor = `landsat-${number}`;
  if (sensor !== 'landsat-8' && sensor !== 'landsat-9') {
    throw new UnsupportedFormatError(`scene ${item.id} is of Landsat ${number || '(unknown)'}; the analysis reads Landsat 8 and 9 (OLI) only`, { sceneId: item.id, platform: props.platform });
  }
  return sensor;
}

/**
 * Satellite, correction and collection from the item's product id (`landsat:product_id`, else its
 * id): a full one (`LC08_L2SP_044034_20230815_20230823_02_T1`, USGS items with `_SR` after it),
 * or Earth Search's, without the processing date (`LC08_L2SP_044034_20230815_02_T1`).
 */
function idFacts(item: StacItem): { satellite: string; correction: string; collection: string } | undefined {
  const named = item.properties['landsat:product_id'];
  const id = (typeof named === 'string' ? named : item.id).replace(/_(SR|ST)$/i, '');
  const full = parseLandsatProductId(id);
  if (full) return full;
  const short = /^L[COTEM](\d{2})_(L[12][A-Z]{2})_\d{6}_\d{8}_(\d{2})_(?:T1|T2|RT)$/i.exec(id);
  return short ? { satellite: short[1], correction: short[2].toUpperCase(), collection: short[3] } : undefined;
}

/** What a Landsat item gives the analysis (the fields of `ItemBands`). */
export interface LandsatItemBands {
  sensor: SensorId;
  convention: 'earth-search' | 'planetary-computer';
  hrefs: Partial<Record<BandName, string>>;
  keys: Partial<Record<BandName, string>>;
  notes: string[];
}

/**
 * Maps a Landsat item's assets to analysis slots for `wanted` (a band of `required` missing is a
 * `MissingAssetError` naming its key), choosing an https location of each (the asset's href, else
 * an `alternate` one; only `s3://` is a `RequesterPaysAssetError`), and notes where the item's
 * `raster:bands` disagree with the sensor's reflectance rule (the rule is applied all the same).
 *
 * @example
 * ```ts
 * const bands = mapLandsatItemBands(item, ['B04', 'B08', 'B11', 'SCL'], ['B04', 'B08', 'B11']);
 * bands.keys.B08; // 'nir08'
 * ```
 */
export function mapLandsatItemBands(item: StacItem, wanted: readonly BandName[], required: readonly BandName[]): LandsatItemBands {
  const sensor = getSensor(landsatItemSensor(item));
  const hrefs: LandsatItemBands['hrefs'] = {};
  const keys: LandsatItemBands['keys'] = {};
  const notes: string[] = [];
  const keyOf = (slot: BandName) => LANDSAT_ASSET_KEYS[SLOT_ROLES[slot]];
  for (const slot of wanted) {
    const key = keyOf(slot);
    const asset = key ? item.assets[key] : undefined;
    if (!key || !asset) continue;
    hrefs[slot] = readableHref(item, key, asset);
    keys[slot] = key;
    const note = slot === 'SCL' ? undefined : rasterNote(key, asset, sensor);
    if (note) notes.push(note);
  }
  const missing = required.filter((slot) => !hrefs[slot]);
  if (missing.length) {
    const names = missing.map((slot) => `"${keyOf(slot) ?? slot}"`);
    throw new MissingAssetError(`scene ${item.id} lacks the asset${missing.length > 1 ? 's' : ''} ${names.join(', ')} the analysis needs`, { sceneId: item.id, missing, assetKeys: missing.map(keyOf) });
  }
  const earthSearch = Object.values(item.assets).some((asset) => asset.href.startsWith('s3://') || asset.alternate !== undefined);
  return { sensor: sensor.id, convention: earthSearch ? 'earth-search' : 'planetary-computer', hrefs, keys, notes };
}

/** The asset's href if it is http(s), else an http(s) alternate (`alternate.https` first); s3 only is refused. */
function readableHref(item: StacItem, key: string, asset: StacAsset): string {
  const alternates = typeof asset.alternate === 'object' && asset.alternate !== null ? (asset.alternate as Record<string, { href?: unknown }>) : {};
  const candidates = [asset.href, alternates.https?.href, ...Object.values(alternates).map((alternate) => alternate?.href)];
  const https = candidates.find((href): href is string => typeof href === 'string' && /^https?:\/\//i.test(href));
  if (https) return https;
  if (!candidates.some((href) => typeof href === 'string' && /^s3:\/\//i.test(href))) {
    throw new MissingAssetError(`scene ${item.id}'s "${key}" has no http(s) location (${asset.href.slice(0, 80)}); the analysis reads band files over http(s)`, { sceneId: item.id, asset: key });
  }
  throw new RequesterPaysAssetError(
    `scene ${item.id}'s "${key}" is only in a requester-pays bucket (${asset.href.split('/').slice(0, 3).join('/')}/…): reading it bills an AWS account, which the analysis does not use. Search the Planetary Computer's ${LANDSAT_C2_L2} (https://planetarycomputer.microsoft.com/api/stac/v1), whose files are free over https, or download the product from USGS and analyse its files`,
    { sceneId: item.id, asset: key, href: asset.href },
  );
}

/** A note when the asset's `raster:bands` give another scale, offset or fill than the sensor's rule. */
function rasterNote(key: string, asset: StacAsset, sensor: SensorDescription): string | undefined {
  const rule = sensor.reflectance;
  const raster = asset['raster:bands']?.[0];
  if (!raster || rule.kind !== 'linear') return undefined;
  const scaleOff = raster.scale !== undefined && Math.abs(raster.scale - rule.scale) > rule.scale * 1e-6;
  const offsetOff = raster.offset !== undefined && Math.abs(raster.offset - rule.offset) > 1e-9;
  const fillOff = raster.nodata !== undefined && raster.nodata !== rule.fill;
  if (!scaleOff && !offsetOff && !fillOff) return undefined;
  return `the item's raster:bands for "${key}" (scale ${raster.scale ?? '–'}, offset ${raster.offset ?? '–'}, nodata ${raster.nodata ?? '–'}) differ from ${sensor.label}'s Collection 2 Level-2 rule (DN × ${rule.scale} + ${rule.offset}, ${rule.fill} fill); the rule was used`;
}

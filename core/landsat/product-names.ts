/**
 * Landsat Collection 2 product and file names as USGS delivers them (Landsat 8–9 OLI/TIRS
 * Collection 2 Level-2 Data Format Control Book, LSDS-1328, "Product identifier"):
 * `LXSS_LLLL_PPPRRR_YYYYMMDD_yyyymmdd_CC_TX`, and each file of the product as
 * `<product id>_<suffix>.<ext>` (`…_SR_B4.TIF`, `…_QA_PIXEL.TIF`, `…_MTL.json`). Names are read
 * case-insensitively (downloads get lower-cased on some systems).
 */
import type { SensorId } from '../sensors/sensor.js';

/** What a Landsat product id says. */
export interface LandsatProductId {
  /** As written in the id, upper case (`LC08_L2SP_044034_20230815_20230823_02_T1`). */
  id: string;
  /** `C` OLI/TIRS, `O` OLI only, `T` TIRS only (or TM), `E` ETM+, `M` MSS. */
  sensorCode: string;
  /** `08`, `09`, `07`… */
  satellite: string;
  /** Processing correction level: `L1TP`, `L1GT`, `L1GS` (Level-1), `L2SP`, `L2SR` (Level-2). */
  correction: string;
  /** Acquisition day, `YYYY-MM-DD`. */
  acquiredOn: string;
  /** `02` for Collection 2. */
  collection: string;
  /** `T1`, `T2`, `RT`. */
  category: string;
}

/** One file of a Landsat product, by its name. */
export interface LandsatFile {
  path: string;
  product: LandsatProductId;
  /** What follows the product id, upper case: `SR_B4`, `QA_PIXEL`, `B4`, `MTL`, `ST_B10`… */
  suffix: string;
  /** The file's extension, lower case: `tif`, `json`, `txt`, `xml`. */
  extension: string;
}

const PRODUCT_ID = /^L([COTEM])(\d{2})_(L1TP|L1GT|L1GS|L2SP|L2SR)_(\d{6})_(\d{4})(\d{2})(\d{2})_(\d{8})_(\d{2})_(T1|T2|RT)$/;
const FILE_NAME = /^(L[COTEM]\d{2}_[A-Z0-9]{4}_\d{6}_\d{8}_\d{8}_\d{2}_(?:T1|T2|RT))_(.+)\.([A-Z0-9]+)$/;

/**
 * Collection 1 ESPA surface reflectance names (`…_sr_band4.tif`, `…_pixel_qa.tif`), and
 * pre-collection scene ids (`LC80440342017227LGN00_B4.TIF`): products USGS stopped making at the
 * end of 2021, whose numbers do not follow the Collection 2 reflectance rule.
 */
const COLLECTION1_FILE = /_(sr_band\d+|pixel_qa|sr_aerosol|radsat_qa|toa_band\d+|bt_band\d+)\.tiff?$|^L[COTEM]\d{14}[A-Z]{3}\d{2}_/i;

/** The sensor of our registry for a product's satellite, or undefined for a Landsat we do not analyse. */
const SENSOR_OF_SATELLITE: Readonly<Record<string, SensorId>> = { '08': 'landsat-8', '09': 'landsat-9' };

/**
 * The parts of a Landsat product id, or undefined when `id` is not one.
 *
 * @example
 * ```ts
 * parseLandsatProductId('LC09_L2SP_044034_20230823_20230825_02_T1')?.correction; // 'L2SP'
 * ```
 */
export function parseLandsatProductId(id: string): LandsatProductId | undefined {
  const match = PRODUCT_ID.exec(id.toUpperCase());
  if (!match) return undefined;
  const [whole, sensorCode, satellite, correction, , year, month, day, , collection, category] = match;
  return { id: whole, sensorCode, satellite, correction, acquiredOn: `${year}-${month}-${day}`, collection, category };
}

/**
 * The Landsat product and suffix a file name carries, or undefined when the name is not that of
 * a Collection 2 product's file (folders in `path` are ignored).
 *
 * @example
 * ```ts
 * landsatFileOf('scene/LC08_L2SP_044034_20230815_20230823_02_T1_SR_B4.TIF')?.suffix; // 'SR_B4'
 * ```
 */
export function landsatFileOf(path: string): LandsatFile | undefined {
  const base = (path.split('/').pop() ?? '').toUpperCase();
  const match = FILE_NAME.exec(base);
  if (!match) return undefined;
  const product = parseLandsatProductId(match[1]);
  if (!product) return undefined;
  return { path, product, suffix: match[2], extension: match[3].toLowerCase() };
}

/** True for the file name of a Collection 1 ESPA product (`…_sr_band4.tif`) or a pre-collection scene (`LC8…LGN00_B4.TIF`). */
export function isCollection1File(path: string): boolean {
  return COLLECTION1_FILE.test(path.split('/').pop() ?? '');
}

/** The registry's sensor for a product (`LC08` → `landsat-8`), or undefined (Landsat 4–7, MSS). */
export function sensorOfProduct(product: Pick<LandsatProductId, 'satellite'>): SensorId | undefined {
  return SENSOR_OF_SATELLITE[product.satellite];
}

/** True for a Level-2 correction (`L2SP`, `L2SR`). */
export function isLevel2(product: Pick<LandsatProductId, 'correction'>): boolean {
  return product.correction.startsWith('L2');
}

/** How to name Landsat files, for messages. */
export const LANDSAT_FILE_NAMING = 'LC08_L2SP_044034_20230815_20230823_02_T1_SR_B4.TIF, …_QA_PIXEL.TIF, …_MTL.json';

/** What to download instead of a product we refuse, for messages. */
export const LANDSAT_DOWNLOAD_HINT =
  'download the Collection 2 Level-2 surface reflectance product instead (an LC08_L2SP_… or LC09_L2SP_… product with _02_ in its name; its SR_B2…SR_B7 and QA_PIXEL files, from EarthExplorer "Landsat Collection 2 Level-2" or a landsat-c2-l2 STAC collection)';

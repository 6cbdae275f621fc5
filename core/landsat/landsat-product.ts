/**
 * A Landsat 8 or 9 Collection 2 Level-2 product found in a file tree (a folder of the files USGS
 * delivers, the files listed one by one, or their zip), and the products we refuse with what to
 * download instead: Level-1 (top-of-atmosphere), Collection 1 and pre-collection products, and a
 * Level-2 product whose metadata states another reflectance rule than the one the analysis applies.
 */
import { NotSurfaceReflectanceError, UnsupportedFormatError } from '../errors.js';
import type { FileTree } from '../inputs/file-tree.js';
import { getSensor } from '../sensors/registry.js';
import type { SensorDescription } from '../sensors/sensor.js';
import { type LandsatMetadata, parseMtl } from './mtl.js';
import { LANDSAT_DOWNLOAD_HINT, type LandsatFile, type LandsatProductId, isCollection1File, isLevel2, landsatFileOf, sensorOfProduct } from './product-names.js';

/** Largest MTL read whole (they are about 20 kB). */
const MAX_MTL_BYTES = 1024 * 1024;
/** Files named in a message at most. */
const LISTED = 4;

/** What was found of a Landsat product. */
export interface LandsatProduct {
  productId: string;
  sensor: SensorDescription;
  /** The MTL's content, when the tree has one (JSON preferred over text). */
  metadata?: LandsatMetadata;
  metadataFile?: string;
  /** ISO 8601: the MTL's date and scene centre time, else the day in the product id. */
  acquiredAt: string;
  /** The file of each of the sensor's bands present, by the sensor's band name (`SR_B4`, `QA_PIXEL`). */
  bandFiles: Map<string, string>;
}

/**
 * The Landsat product in `tree`, or undefined when no file is named like one. Refuses
 * (`NotSurfaceReflectanceError`) what is not Collection 2 Level-2 surface reflectance and
 * (`UnsupportedFormatError`) two products at once, a Landsat other than 8 or 9, or an MTL that
 * contradicts the files.
 *
 * @example
 * ```ts
 * const product = await findLandsatProduct(await directoryTree('LC08_L2SP_044034_20230815_20230823_02_T1'));
 * product?.bandFiles.get('SR_B5'); // 'LC08_L2SP_044034_20230815_20230823_02_T1_SR_B5.TIF'
 * ```
 */
export async function findLandsatProduct(tree: FileTree, signal?: AbortSignal): Promise<LandsatProduct | undefined> {
  const files = tree.files.flatMap((file) => landsatFileOf(file.path) ?? []);
  const collection1 = tree.files.filter((file) => isCollection1File(file.path));
  if (collection1.length && !files.some((file) => isLevel2(file.product) && file.product.collection === '02')) {
    throw new NotSurfaceReflectanceError(
      `${tree.name} holds a Landsat Collection 1 or pre-collection product (${listed(collection1.map((file) => file.path))}); USGS retired those at the end of 2021 and their numbers do not follow the Collection 2 rule; ${LANDSAT_DOWNLOAD_HINT}`,
      { files: collection1.slice(0, LISTED).map((file) => file.path) },
    );
  }
  if (files.length === 0) return undefined;
  const product = oneProduct(tree, files);
  refuseProduct(tree.name, product);
  const sensor = getSensor(sensorOfProduct(product) ?? unsupportedLandsat(tree.name, product));
  const mtl = files.find((file) => file.suffix === 'MTL' && file.extension === 'json') ?? files.find((file) => file.suffix === 'MTL' && file.extension === 'txt');
  const metadata = mtl ? parseMtl(await readText(tree, mtl.path, signal), mtl.path) : undefined;
  if (metadata && mtl) checkMetadata(mtl.path, metadata, product, sensor);
  return {
    productId: product.id,
    sensor,
    ...(metadata && mtl ? { metadata, metadataFile: mtl.path } : {}),
    acquiredAt: metadata?.acquiredAt ?? product.acquiredOn,
    bandFiles: bandFiles(tree, files, sensor),
  };
}

/** The one product the files belong to; files of two products are ambiguous. */
function oneProduct(tree: FileTree, files: LandsatFile[]): LandsatProductId {
  const ids = [...new Set(files.map((file) => file.product.id))];
  if (ids.length > 1) {
    throw new UnsupportedFormatError(`${tree.name} holds files of ${ids.length} Landsat products (${listed(ids)}); give the files of one product at a time`, { products: ids });
  }
  return files[0].product;
}

/** Level-1 and Collection 1 products are not the surface reflectance the analysis reads. */
function refuseProduct(where: string, product: LandsatProductId): void {
  if (product.collection !== '02') {
    throw new NotSurfaceReflectanceError(`${where} holds ${product.id}, a Collection ${Number(product.collection)} product; the analysis reads Collection 2 only: ${LANDSAT_DOWNLOAD_HINT}`, {
      productId: product.id,
      collection: product.collection,
    });
  }
  if (!isLevel2(product)) {
    throw new NotSurfaceReflectanceError(
      `${where} holds ${product.id}, a Level-1 product (${product.correction}: top-of-atmosphere numbers, not surface reflectance); ${LANDSAT_DOWNLOAD_HINT}`,
      { productId: product.id, correction: product.correction },
    );
  }
}

function unsupportedLandsat(where: string, product: LandsatProductId): never {
  throw new UnsupportedFormatError(
    `${where} holds ${product.id}, a Landsat ${Number(product.satellite)} product; the analysis reads Landsat 8 and 9 (OLI), whose band numbers it knows: give an LC08_… or LC09_… product`,
    { productId: product.id },
  );
}

/** The MTL must describe the files beside it, as Collection 2 Level-2 with the reflectance rule the sensor applies. */
function checkMetadata(name: string, metadata: LandsatMetadata, product: LandsatProductId, sensor: SensorDescription): void {
  if (metadata.collectionNumber !== '02' || !metadata.processingLevel.startsWith('L2')) {
    throw new NotSurfaceReflectanceError(
      `${name} describes a ${metadata.processingLevel || 'Level-1'} product of Collection ${Number(metadata.collectionNumber) || '1'}, not Collection 2 Level-2 surface reflectance; ${LANDSAT_DOWNLOAD_HINT}`,
      { file: name, processingLevel: metadata.processingLevel, collection: metadata.collectionNumber },
    );
  }
  if (metadata.productId !== product.id) {
    throw new UnsupportedFormatError(`${name} describes ${metadata.productId}, but the files beside it are of ${product.id}; keep the MTL of the product given`, { file: name });
  }
  const spacecraft = `LANDSAT_${Number(product.satellite)}`;
  if (metadata.spacecraft !== spacecraft) {
    throw new UnsupportedFormatError(`${name} gives SPACECRAFT_ID ${metadata.spacecraft}, but the product id ${product.id} is of ${spacecraft}; download the product again`, { file: name });
  }
  const rule = sensor.reflectance;
  if (rule.kind !== 'linear') return;
  for (const [band, { mult, add }] of Object.entries(metadata.reflectance)) {
    if (Math.abs(mult - rule.scale) > rule.scale * 1e-6 || Math.abs(add - rule.offset) > 1e-9) {
      throw new NotSurfaceReflectanceError(
        `${name} gives band ${band} the reflectance rule DN × ${mult} + ${add}; Collection 2 Level-2 surface reflectance is DN × ${rule.scale} + ${rule.offset}, the only rule the analysis applies, so this is not a product it can read; ${LANDSAT_DOWNLOAD_HINT}`,
        { file: name, band: Number(band), mult, add },
      );
    }
  }
}

/** The GeoTIFF of each of the sensor's bands; two files of one band (a .TIF and a copy) are ambiguous. */
function bandFiles(tree: FileTree, files: LandsatFile[], sensor: SensorDescription): Map<string, string> {
  const names = new Set(sensor.bands.map((band) => band.name));
  const found = new Map<string, string>();
  for (const file of files) {
    if (!/^tiff?$/.test(file.extension) || !names.has(file.suffix)) continue;
    const twin = found.get(file.suffix);
    if (twin) throw new UnsupportedFormatError(`${tree.name} has two files for band ${file.suffix} (${twin} and ${file.path}); keep one`, { band: file.suffix });
    found.set(file.suffix, file.path);
  }
  return found;
}

async function readText(tree: FileTree, path: string, signal?: AbortSignal): Promise<string> {
  const source = await tree.open(path, signal);
  if (source.size > MAX_MTL_BYTES) throw new UnsupportedFormatError(`${path} is ${source.size} bytes, more than a Landsat MTL ever is (${MAX_MTL_BYTES})`, { file: path });
  return new TextDecoder().decode(await source.read(0, source.size, signal));
}

function listed(paths: readonly string[]): string {
  return `${paths.slice(0, LISTED).join(', ')}${paths.length > LISTED ? ', …' : ''}`;
}

/**
 * The band files of a scene in a file tree: a Level-2A .SAFE (a folder, or a zip read in place),
 * a Landsat 8/9 Collection 2 Level-2 product (its `…_SR_B4.TIF`, `…_QA_PIXEL.TIF` and MTL), or
 * any set of per-band Sentinel-2 files named for their bands. One file per band the analysis
 * reads, the finest there is (the 10 m file of a band the product has at 10 and 20 m); only
 * those are opened. A required band that is missing fails here, naming what was found and how
 * to add it.
 */
import type { BandName } from '../analysis/bands.js';
import { MissingBandError, UnsupportedFormatError } from '../errors.js';
import { type LandsatProduct, findLandsatProduct } from '../landsat/landsat-product.js';
import { LANDSAT_FILE_NAMING } from '../landsat/product-names.js';
import { DEFAULT_SENSOR } from '../sensors/registry.js';
import { ROLE_SLOTS, SLOT_ROLES, type SensorId } from '../sensors/sensor.js';
import type { ByteSource } from '../raster/byte-source.js';
import { BAND_FILE_EXTENSION, BAND_FILE_NAMING, bandOfFileName } from '../sentinel2/band-file-names.js';
import type { ProductMetadata, TileMetadata } from '../sentinel2/product-metadata.js';
import { findSafeProduct } from '../sentinel2/safe-product.js';
import type { FileTree } from './file-tree.js';

/** The bands an analysis needs (`required`) and reads when present (`wanted`), as `sceneBands` gives them. */
export interface BandSet {
  required: readonly BandName[];
  wanted: readonly BandName[];
}

/**
 * The bands to open: a set, or the set for the sensor the tree turns out to hold (the method,
 * and so the bands, can depend on it: `(sensor) => sceneBands(options, sensor)`).
 */
export type BandsFor = BandSet | ((sensor: SensorId) => BandSet);

/** The chosen files, opened. */
export interface SceneFiles {
  /** The sensor whose product or files these are. */
  sensor: SensorId;
  /** One source per band, keyed by band name (the analysis slot: a Landsat `SR_B5` is `B08`). */
  sources: Partial<Record<BandName, ByteSource>>;
  /** The path of each band's file in the tree. */
  paths: Partial<Record<BandName, string>>;
  /** Each chosen file's resolution in metres, where its name or folder says (`_20m`, `R20m/`). */
  resolutions: Partial<Record<BandName, number>>;
  /** What the product's metadata says, for a .SAFE. */
  product?: { metadata: ProductMetadata; tile?: TileMetadata };
  /** For a Landsat product: its id, acquisition, MTL, and the sensor's name of each slot's file. */
  landsat?: { productId: string; acquiredAt: string; metadataFile?: string; bandNames: Partial<Record<BandName, string>> };
}

/** Files listed in a message at most. */
const LISTED = 8;

/**
 * Finds and opens the band files of `tree`.
 *
 * @example
 * ```ts
 * const files = await openSceneFiles(await openZipTree(source), sceneBands(options));
 * files.product?.metadata.processingBaseline; // '05.11'
 * ```
 */
export async function openSceneFiles(tree: FileTree, bandsFor: BandsFor, signal?: AbortSignal): Promise<SceneFiles> {
  const forSensor = (sensor: SensorId) => (typeof bandsFor === 'function' ? bandsFor(sensor) : bandsFor);
  const landsat = await findLandsatProduct(tree, signal);
  if (landsat) return openLandsatFiles(tree, landsat, forSensor(landsat.sensor.id), signal);
  const bands = forSensor(DEFAULT_SENSOR);
  const product = await findSafeProduct(tree, signal);
  const candidates = product ? product.bandFiles : bandFilesByName(tree);
  const paths: Partial<Record<BandName, string>> = {};
  const resolutions: Partial<Record<BandName, number>> = {};
  for (const [band, files] of candidates) {
    if (!bands.wanted.includes(band)) continue;
    paths[band] = files[0].path;
    if (files[0].resolutionM > 0) resolutions[band] = files[0].resolutionM;
  }
  const found = [...candidates.keys()];
  const missing = bands.required.filter((band) => !candidates.has(band));
  if (found.length === 0) throw noBands(tree, product !== undefined);
  if (missing.length) throw new MissingBandError(missing, found, product ? productHint(tree, missing) : filesHint(tree, candidates));
  const entries = Object.entries(paths) as Array<[BandName, string]>;
  const opened = await Promise.all(entries.map(([, path]) => tree.open(path, signal)));
  return {
    sensor: DEFAULT_SENSOR,
    sources: Object.fromEntries(entries.map(([band], i) => [band, opened[i]])),
    paths,
    resolutions,
    ...(product ? { product: { metadata: product.metadata, ...(product.tile ? { tile: product.tile } : {}) } } : {}),
  };
}

/**
 * The files of a Landsat product for the analysis' slots (`SR_B5`, the NIR, as `B08`); a
 * missing required band is named as the sensor names it, with the file to add.
 */
async function openLandsatFiles(tree: FileTree, product: LandsatProduct, bands: BandSet, signal?: AbortSignal): Promise<SceneFiles> {
  const bySlot = new Map(product.sensor.bands.map((band) => [ROLE_SLOTS[band.role], band] as const));
  const nameOf = (slot: BandName) => bySlot.get(slot)?.name ?? slot;
  const paths: Partial<Record<BandName, string>> = {};
  const bandNames: Partial<Record<BandName, string>> = {};
  for (const slot of bands.wanted) {
    const path = product.bandFiles.get(nameOf(slot));
    if (!path) continue;
    paths[slot] = path;
    bandNames[slot] = nameOf(slot);
  }
  const missing = bands.required.filter((slot) => !product.bandFiles.has(nameOf(slot)));
  const absent = missing.filter((slot) => !bySlot.has(slot));
  if (absent.length) {
    // Bands of another sensor's method (a red edge for kd or ndre): no file can supply them.
    throw new MissingBandError(absent, [...product.bandFiles.keys()], `${product.sensor.label} has no band for ${absent.join(', ')} (${absent.map((slot) => SLOT_ROLES[slot]).join(', ')}), which the method asked for needs; on Landsat use the methods ${product.sensor.methods.join(', ')} (default ${product.sensor.defaultMethod})`);
  }
  if (missing.length) {
    const found = [...product.bandFiles.keys()];
    const add = missing.map((slot) => `${product.productId}_${nameOf(slot)}.TIF`).join(', ');
    throw new MissingBandError(missing.map(nameOf), found, `${tree.name} holds ${product.productId} without ${missing.map(nameOf).join(', ')}; add ${add} from the same product beside the others (files are named like ${LANDSAT_FILE_NAMING})`);
  }
  const entries = Object.entries(paths) as Array<[BandName, string]>;
  const opened = await Promise.all(entries.map(([, path]) => tree.open(path, signal)));
  const resolutionM = product.sensor.pixelSizeM;
  return {
    sensor: product.sensor.id,
    sources: Object.fromEntries(entries.map(([slot], i) => [slot, opened[i]])),
    paths,
    resolutions: Object.fromEntries(entries.map(([slot]) => [slot, resolutionM])),
    landsat: { productId: product.productId, acquiredAt: product.acquiredAt, ...(product.metadataFile ? { metadataFile: product.metadataFile } : {}), bandNames },
  };
}

/** Band files by their names, finest first where a band comes at several resolutions; two files of one band and resolution are ambiguous. */
function bandFilesByName(tree: FileTree): Map<BandName, Array<{ path: string; resolutionM: number }>> {
  const bands = new Map<BandName, Array<{ path: string; resolutionM: number }>>();
  for (const file of tree.files) {
    const named = bandOfFileName(file.path);
    if (!named) continue;
    const files = bands.get(named.band) ?? [];
    const resolutionM = named.resolutionM ?? 0;
    const twin = files.find((other) => other.resolutionM === resolutionM);
    if (twin) throw new UnsupportedFormatError(`${tree.name} has two files for band ${named.band} (${twin.path} and ${file.path}); keep one`, { band: named.band });
    files.push({ path: file.path, resolutionM });
    bands.set(named.band, files.sort((a, b) => a.resolutionM - b.resolutionM));
  }
  return bands;
}

function noBands(tree: FileTree, isProduct: boolean): UnsupportedFormatError {
  if (isProduct) return new UnsupportedFormatError(`${tree.name} is a Sentinel-2 product without band files (no IMG_DATA); download the whole product again`);
  const shown = tree.files.slice(0, LISTED).map((file) => file.path);
  const rasters = tree.files.filter((file) => BAND_FILE_EXTENSION.test(file.path)).length;
  return new UnsupportedFormatError(
    `${tree.name} is not a Sentinel-2 Level-2A product (no MTD_MSIL2A.xml) and holds no file named for a band (such as ${BAND_FILE_NAMING})${
      tree.files.length ? `; it has ${tree.files.length} file${tree.files.length === 1 ? '' : 's'} (${rasters} raster${rasters === 1 ? '' : 's'}): ${shown.join(', ')}${tree.files.length > LISTED ? ', …' : ''}` : '; it is empty'
    }`,
    { files: tree.files.length },
  );
}

function productHint(tree: FileTree, missing: readonly BandName[]): string {
  return `${tree.name} is an incomplete Level-2A product: it has no band file for ${missing.join(', ')}; download the whole product again`;
}

function filesHint(tree: FileTree, candidates: Map<BandName, Array<{ path: string }>>): string {
  const found = [...candidates].map(([band, files]) => `${band} (${files[0].path})`);
  return `Found in ${tree.name}: ${found.slice(0, LISTED).join(', ')}${found.length > LISTED ? ', …' : ''}. Add a file for each missing band, named for it (${BAND_FILE_NAMING}), beside the others (or give the whole .SAFE)`;
}

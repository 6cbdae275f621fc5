/**
 * What an object of the imagery store holds, as the analysis' input: a multi-band GeoTIFF
 * (`uploads/scene.tif`), a zipped Sentinel-2 .SAFE or Landsat Collection 2 Level-2 product read in
 * place (`uploads/S2B_MSIL2A_….zip`, `uploads/LC08_L2SP_….zip`), or a folder of band files (a
 * Landsat product's `…_SR_B4.TIF`, `…_QA_PIXEL.TIF`, `…_MTL.json` among them) announced by its
 * manifest (`uploads/<folder>/manifest.json`, written after the band files; see README, "Your own
 * Sentinel-2 data").
 */
import { sceneBands } from '../analysis/analyze.js';
import type { AnalyzeCommand } from '../analysis/command.js';
import type { AnalysisOptions } from '../analysis/options.js';
import { InvalidRequestError, NotSurfaceReflectanceError, UnsupportedFormatError } from '../errors.js';
import { type FileTree, blobTree, openZipTree } from '../inputs/file-tree.js';
import { openTreeScene } from '../inputs/tree-scene.js';
import { LANDSAT_DOWNLOAD_HINT, isLevel2, landsatFileOf } from '../landsat/product-names.js';
import type { SensorId } from '../sensors/sensor.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { ByteSource } from '../raster/byte-source.js';

/** The name of a folder upload's manifest: its arrival starts the analysis of the folder. */
export const MANIFEST_NAME = 'manifest.json';
/** Largest manifest read (a list of a few band files). */
const MAX_MANIFEST_BYTES = 64 * 1024;

/** How the bytes under a key are read. */
export type ObjectForm = 'geotiff' | 'zip' | 'manifest';

/**
 * The form of `key` by its name: `….zip`, `…/manifest.json`, else a GeoTIFF.
 *
 * @example
 * ```ts
 * objectForm('uploads/monterey/manifest.json'); // 'manifest'
 * ```
 */
export function objectForm(key: string): ObjectForm {
  if (/\.zip$/i.test(key)) return 'zip';
  if (key.endsWith(`/${MANIFEST_NAME}`)) return 'manifest';
  return 'geotiff';
}

/**
 * The scene input and source fields of the object `key`, read through `source` (its bytes).
 *
 * @example
 * ```ts
 * const scene = await openObjectScene('uploads/S2B_MSIL2A_….zip', source, options, { imageStore });
 * ```
 */
export async function openObjectScene(
  key: string,
  source: ByteSource,
  options: AnalysisOptions,
  deps: { imageStore: BlobStore; signal?: AbortSignal },
): Promise<Pick<AnalyzeCommand, 'input'> & { source: Omit<AnalyzeCommand['source'], 'uri'>; sensor?: SensorId }> {
  const form = objectForm(key);
  if (form === 'geotiff') {
    refuseLandsatBandFile(key);
    return { input: { kind: 'multiband', source }, source: {} };
  }
  if (options.bands) throw new InvalidRequestError('bands: names the samples of one multi-band GeoTIFF; a .SAFE or band files are named by their files, so leave it out');
  const tree = form === 'zip' ? await openZipTree(source, undefined, deps.signal) : await manifestTree(key, source, deps);
  const scene = await openTreeScene(tree, (sensor) => sceneBands(options, sensor), deps.signal);
  return { input: scene.input, source: scene.source, sensor: scene.sensor };
}

/**
 * One file of a Landsat product uploaded on its own is one band, not a scene: the analysis needs
 * several, so say how to upload the product (a Level-1 file is refused as such).
 */
function refuseLandsatBandFile(key: string): void {
  const file = landsatFileOf(key);
  if (!file) return;
  if (!isLevel2(file.product) || file.product.collection !== '02') {
    throw new NotSurfaceReflectanceError(`${key} is a file of ${file.product.id}, a ${file.product.correction} Collection ${Number(file.product.collection)} product, not Collection 2 Level-2 surface reflectance; ${LANDSAT_DOWNLOAD_HINT}`, { productId: file.product.id });
  }
  throw new UnsupportedFormatError(
    `${key} is one band (${file.suffix}) of the Landsat product ${file.product.id}; upload the product's files (…_SR_B2.TIF to …_SR_B7.TIF, …_QA_PIXEL.TIF, …_MTL.json) into a folder followed by its ${MANIFEST_NAME}, or the product as one .zip`,
    { productId: file.product.id },
  );
}

/** The band files beside a manifest (those it lists under `files`, or all of them). */
async function manifestTree(key: string, source: ByteSource, deps: { imageStore: BlobStore; signal?: AbortSignal }): Promise<FileTree> {
  const prefix = key.slice(0, key.length - MANIFEST_NAME.length);
  if (source.size > MAX_MANIFEST_BYTES) throw new UnsupportedFormatError(`${key} is over ${MAX_MANIFEST_BYTES} bytes; a manifest lists a scene's band files, e.g. {"files": ["B04.tif", "B08.tif"]}`);
  const listed = parseManifest(key, new TextDecoder().decode(await source.read(0, source.size, deps.signal)));
  const tree = await blobTree(deps.imageStore, prefix, deps.signal);
  const files = tree.files.filter((file) => file.path !== MANIFEST_NAME && (!listed || listed.includes(file.path)));
  const absent = listed?.filter((name) => !files.some((file) => file.path === name)) ?? [];
  if (absent.length) throw new UnsupportedFormatError(`${key} lists ${absent.join(', ')}, not (yet) under ${prefix}; upload every band file before the manifest`, { missing: absent });
  return { ...tree, files };
}

/** `{}` or `{"files": ["B04.tif", …]}`: the names listed, or undefined for all. */
function parseManifest(key: string, text: string): string[] | undefined {
  let manifest: unknown;
  try {
    manifest = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new UnsupportedFormatError(`${key} is not JSON; a manifest is {} or {"files": ["B04.tif", "B08.tif", …]}`);
  }
  const files = (manifest as { files?: unknown }).files;
  if (files === undefined) return undefined;
  if (!Array.isArray(files) || files.length === 0 || files.length > 64 || !files.every((name) => typeof name === 'string' && name.length > 0 && !name.includes('..'))) {
    throw new UnsupportedFormatError(`${key}: "files" must list the folder's band files by name (at most 64), e.g. ["B04.tif", "B08.tif"]`);
  }
  return files as string[];
}

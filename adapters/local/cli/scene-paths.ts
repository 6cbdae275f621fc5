import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AnalyzeCommand } from '../../../core/analysis/command.js';
import { NotFoundError } from '../../../core/errors.js';
import { type BandsFor } from '../../../core/inputs/scene-files.js';
import { openZipTree } from '../../../core/inputs/file-tree.js';
import { openTreeScene } from '../../../core/inputs/tree-scene.js';
import { isCollection1File, landsatFileOf } from '../../../core/landsat/product-names.js';
import type { SensorId } from '../../../core/sensors/sensor.js';
import { bandOfFileName } from '../../../core/sentinel2/band-file-names.js';
import { openFileSource } from '../file-source.js';
import { type LocalTree, directoryTree, fileListTree } from '../file-trees.js';

/** A scene on disk, opened: the analysis' input and source, the parts of its id, and how to close it. */
export interface LocalScene {
  /** The sensor a product or band files were found to be of; undefined for one multi-band GeoTIFF (the request says). */
  sensor?: SensorId;
  input: AnalyzeCommand['input'];
  source: AnalyzeCommand['source'];
  /** What identifies this version of the input (paths, sizes, modification times), for the analysis id. */
  idParts: string[];
  close(): Promise<void>;
}

/** Zip archives by name; a .SAFE comes zipped from the Copernicus Data Space. */
const ZIP = /\.zip$/i;
/** A single file that is a band of a scene rather than a whole scene. */
const BAND_FILE = /\.(jp2|j2k|j2c)$/i;

/**
 * Opens what `kelpie analyze` was given: one multi-band GeoTIFF; several band files; a folder
 * of band files, a .SAFE or a Landsat product's files; a zipped .SAFE or Landsat product (read in
 * place, never unpacked). `bands` may depend on the sensor found.
 *
 * @example
 * ```ts
 * const scene = await openLocalScene(['LC08_L2SP_044034_20230815_20230823_02_T1'], (sensor) => sceneBands(options, sensor));
 * ```
 */
export async function openLocalScene(paths: readonly string[], bands: BandsFor): Promise<LocalScene> {
  // One file named for a band (B04.tif, …_SR_B4.TIF) is a band of a scene, not a scene: say which others to add.
  if (paths.length > 1 || BAND_FILE.test(paths[0]) || isBandOfScene(paths[0])) return treeScene(paths.join(', '), await fileListTree(paths), bands, await versions(paths));
  const [path] = paths;
  const stats = await stat(path).catch(() => {
    throw new NotFoundError(`${path} does not exist`);
  });
  if (stats.isDirectory()) return treeScene(path, await directoryTree(path), bands, [resolve(path), String(stats.mtimeMs)]);
  const source = await openFileSource(path);
  const idParts = [resolve(path), String(source.size), String(source.mtimeMs)];
  if (!ZIP.test(path)) return { input: { kind: 'multiband', source }, source: { uri: path }, idParts: ['file', ...idParts], close: () => source.close() };
  try {
    const tree = await openZipTree(source);
    return await treeScene(path, { tree, close: () => source.close() }, bands, idParts);
  } catch (error) {
    await source.close();
    throw error;
  }
}

/** A Sentinel-2 band file, or a file of a Landsat product (refused there if it is Level-1 or Collection 1). */
function isBandOfScene(path: string): boolean {
  return bandOfFileName(path) !== undefined || landsatFileOf(path) !== undefined || isCollection1File(path);
}

async function treeScene(uri: string, local: LocalTree, bands: BandsFor, idParts: string[]): Promise<LocalScene> {
  try {
    const scene = await openTreeScene(local.tree, bands);
    // Sizes of the files read stand in for their contents; a folder's listing for its version.
    const files = local.tree.files.map((file) => `${file.path}:${file.size}`);
    return { sensor: scene.sensor, input: scene.input, source: { uri, ...scene.source }, idParts: ['tree', ...idParts, ...files], close: local.close };
  } catch (error) {
    await local.close();
    throw error;
  }
}

/** Each file's path, size and modification time. */
async function versions(paths: readonly string[]): Promise<string[]> {
  return (await Promise.all(paths.map(async (path) => {
    const stats = await stat(path).catch(() => {
      throw new NotFoundError(`${path} does not exist`);
    });
    return [resolve(path), String(stats.size), String(stats.mtimeMs)];
  }))).flat();
}

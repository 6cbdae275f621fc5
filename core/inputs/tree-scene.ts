/**
 * A scene given as a tree of files (a .SAFE folder or zip, a Landsat product's files, a folder of
 * band files, files listed one by one) turned into what the analysis reads: its sensor, its
 * per-band input keyed by analysis slot, with what the product's metadata says about each band
 * file (BOA_ADD_OFFSET, the tile's georeference), and the fields of `result.source` the metadata
 * fills (product id, acquisition time, processing baseline, the file of each band).
 */
import { type BandName, BAND_NAMES } from '../analysis/bands.js';
import type { ResultSource } from '../analysis/result.js';
import type { BandFileFacts } from '../raster/band-reader.js';
import type { SceneInput } from '../raster/band-stack.js';
import type { ByteSource } from '../raster/byte-source.js';
import type { SensorId } from '../sensors/sensor.js';
import type { ProductMetadata, TileMetadata } from '../sentinel2/product-metadata.js';
import type { FileTree } from './file-tree.js';
import { type BandsFor, type SceneFiles, openSceneFiles } from './scene-files.js';

/** What a tree gives the analysis. */
export interface TreeScene {
  /** Whose product or files these are (the analysis command's `sensor`). */
  sensor: SensorId;
  input: Extract<SceneInput, { kind: 'per-band' }>;
  /**
   * For `result.source`: the product (or folder) and the file read for each band, by the
   * sensor's band name (`B04` for Sentinel-2, `SR_B4` for Landsat).
   */
  source: Pick<ResultSource, 'sceneId' | 'acquiredAt' | 'processingBaseline' | 'files'>;
}

/**
 * Finds the band files of `tree` that an analysis reads (`bands`, as `sceneBands(options, sensor)`
 * gives them for the sensor found), opens them, and reads what a .SAFE's or a Landsat MTL's
 * metadata says of them.
 *
 * @example
 * ```ts
 * const scene = await openTreeScene(await openZipTree(source), (sensor) => sceneBands(options, sensor));
 * await analyzeScene({ id, input: scene.input, sensor: scene.sensor, options, source: { uri: key, ...scene.source } }, deps);
 * ```
 */
export async function openTreeScene(tree: FileTree, bands: BandsFor, signal?: AbortSignal): Promise<TreeScene> {
  const files = await openSceneFiles(tree, bands, signal);
  if (files.landsat) return landsatScene(files, files.landsat);
  const opened = Object.keys(files.sources) as BandName[];
  const product = files.product;
  const facts = product ? Object.fromEntries(opened.map((band) => [band, productFacts(band, files.resolutions[band], product.metadata, product.tile)])) : undefined;
  const metadata = product?.metadata;
  return {
    sensor: files.sensor,
    input: { kind: 'per-band', sources: files.sources as Record<string, ByteSource>, ...(facts ? { facts } : {}) },
    source: {
      ...(metadata ? { sceneId: metadata.productId } : {}),
      ...(metadata?.acquiredAt ? { acquiredAt: metadata.acquiredAt } : {}),
      ...(metadata?.processingBaseline ? { processingBaseline: metadata.processingBaseline } : {}),
      files: Object.fromEntries(BAND_NAMES.flatMap((band) => (files.paths[band] ? [[band, files.paths[band]]] : []))),
    },
  };
}

/** A Landsat product's files: by slot for the analysis, by the sensor's band names in `source.files`. */
function landsatScene(files: SceneFiles, landsat: NonNullable<SceneFiles['landsat']>): TreeScene {
  const slots = BAND_NAMES.filter((band) => files.paths[band]);
  return {
    sensor: files.sensor,
    input: { kind: 'per-band', sources: files.sources as Record<string, ByteSource> },
    source: {
      sceneId: landsat.productId,
      acquiredAt: landsat.acquiredAt,
      files: Object.fromEntries(slots.map((slot) => [landsat.bandNames[slot] ?? slot, files.paths[slot] as string])),
    },
  };
}

/**
 * What the product says of one band file: its BOA_ADD_OFFSET (else the baseline, from which the
 * offset follows) as the metadata items a GeoTIFF would carry, and the tile's geoposition at the
 * file's resolution.
 */
function productFacts(band: BandName, resolutionM: number | undefined, metadata: ProductMetadata, tile: TileMetadata | undefined): BandFileFacts {
  const offset = metadata.boaAddOffsets[band];
  const items: Record<string, string> = {};
  if (band !== 'SCL' && offset !== undefined) items.BOA_ADD_OFFSET = String(offset);
  if (metadata.processingBaseline) items.PROCESSING_BASELINE = metadata.processingBaseline;
  const transform = resolutionM !== undefined ? tile?.geopositions[resolutionM] : undefined;
  return { metadata: items, ...(tile && transform ? { georeference: { epsg: tile.epsg, transform } } : {}) };
}

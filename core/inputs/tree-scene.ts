/**
 * A scene given as a tree of files (a .SAFE folder or zip, a folder of band files, files listed
 * one by one) turned into what the analysis reads: its per-band input, with what the product's
 * metadata says about each band file (BOA_ADD_OFFSET, the tile's georeference), and the fields of
 * `result.source` the metadata fills (product id, acquisition time, processing baseline).
 */
import { type BandName, BAND_NAMES } from '../analysis/bands.js';
import type { ResultSource } from '../analysis/result.js';
import type { BandFileFacts } from '../raster/band-reader.js';
import type { SceneInput } from '../raster/band-stack.js';
import type { ByteSource } from '../raster/byte-source.js';
import type { ProductMetadata, TileMetadata } from '../sentinel2/product-metadata.js';
import type { FileTree } from './file-tree.js';
import { type BandSet, openSceneFiles } from './scene-files.js';

/** What a tree gives the analysis. */
export interface TreeScene {
  input: Extract<SceneInput, { kind: 'per-band' }>;
  /** For `result.source`: the product (or folder) and the file read for each band. */
  source: Pick<ResultSource, 'sceneId' | 'acquiredAt' | 'processingBaseline' | 'files'>;
}

/**
 * Finds the band files of `tree` that an analysis reads (`bands`, as `sceneBands(options)` gives
 * them), opens them, and reads what a .SAFE's metadata says of them.
 *
 * @example
 * ```ts
 * const scene = await openTreeScene(await openZipTree(source), sceneBands(options));
 * await analyzeScene({ id, input: scene.input, options, source: { uri: key, ...scene.source } }, deps);
 * ```
 */
export async function openTreeScene(tree: FileTree, bands: BandSet, signal?: AbortSignal): Promise<TreeScene> {
  const files = await openSceneFiles(tree, bands, signal);
  const opened = Object.keys(files.sources) as BandName[];
  const product = files.product;
  const facts = product ? Object.fromEntries(opened.map((band) => [band, productFacts(band, files.resolutions[band], product.metadata, product.tile)])) : undefined;
  const metadata = product?.metadata;
  return {
    input: { kind: 'per-band', sources: files.sources as Record<string, ByteSource>, ...(facts ? { facts } : {}) },
    source: {
      ...(metadata ? { sceneId: metadata.productId } : {}),
      ...(metadata?.acquiredAt ? { acquiredAt: metadata.acquiredAt } : {}),
      ...(metadata?.processingBaseline ? { processingBaseline: metadata.processingBaseline } : {}),
      files: Object.fromEntries(BAND_NAMES.flatMap((band) => (files.paths[band] ? [[band, files.paths[band]]] : []))),
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

/**
 * A Sentinel-2 Level-2A product in the SAFE format (ESA S2 PSD: `S2x_MSIL2A_….SAFE/` with
 * `MTD_MSIL2A.xml` at its root, the tile's `GRANULE/<granule>/MTD_TL.xml`, and the band files
 * under `GRANULE/<granule>/IMG_DATA/R10m|R20m|R60m/`), found in a file tree (a folder, or a
 * zip read in place).
 */
import type { BandName } from '../analysis/bands.js';
import { UnsupportedFormatError } from '../errors.js';
import type { FileTree } from '../inputs/file-tree.js';
import { bandOfFileName } from './band-file-names.js';
import { type ProductMetadata, type TileMetadata, parseProductMetadata, parseTileMetadata } from './product-metadata.js';

/** Largest metadata file read whole (MTD_TL.xml is about 0.5 MB, with its angle grids). */
const MAX_METADATA_BYTES = 16 * 1024 * 1024;

/** Product metadata file names: Level-2A (read) and Level-1C (refused with a reason). */
const PRODUCT_METADATA = /(^|\/)MTD_MSIL(2A|1C)\.xml$/;

/** A band file of the product and its resolution in metres. */
export interface ProductBandFile {
  path: string;
  resolutionM: number;
}

/** What was found of the product. */
export interface SafeProduct {
  /** The product's folder in the tree (`S2B_MSIL2A_….SAFE/`, or `''` at the root). */
  root: string;
  metadata: ProductMetadata;
  tile?: TileMetadata;
  /** Each band's files, finest resolution first. */
  bandFiles: Map<BandName, ProductBandFile[]>;
}

/**
 * The product in `tree`, or undefined when there is no `MTD_MSIL2A.xml` (not a .SAFE). Reads
 * the two metadata files whole; the band files are only listed.
 *
 * @example
 * ```ts
 * const product = await findSafeProduct(await openZipTree(source));
 * product?.bandFiles.get('B04'); // [{ path: 'S2B….SAFE/GRANULE/…/R10m/T32TQM_…_B04_10m.jp2', resolutionM: 10 }, …]
 * ```
 */
export async function findSafeProduct(tree: FileTree, signal?: AbortSignal): Promise<SafeProduct | undefined> {
  const candidates = tree.files.filter((file) => PRODUCT_METADATA.test(file.path)).sort((a, b) => depth(a.path) - depth(b.path));
  if (candidates.length === 0) return undefined;
  if (candidates.length > 1 && depth(candidates[1].path) === depth(candidates[0].path)) {
    throw new UnsupportedFormatError(`${tree.name} holds ${candidates.length} Sentinel-2 products (${candidates.map((c) => c.path).join(', ')}); give one product at a time`);
  }
  const metadataFile = candidates[0];
  const root = metadataFile.path.slice(0, metadataFile.path.length - 'MTD_MSIL2A.xml'.length);
  const metadata = parseProductMetadata(await readText(tree, metadataFile, signal), metadataFile.path);
  const tileFile = tree.files.find((file) => file.path.startsWith(`${root}GRANULE/`) && file.path.endsWith('/MTD_TL.xml'));
  const tile = tileFile ? parseTileMetadata(await readText(tree, tileFile, signal), tileFile.path) : undefined;
  return { root, metadata, ...(tile ? { tile } : {}), bandFiles: listBandFiles(tree, root, metadata) };
}

function depth(path: string): number {
  return path.split('/').length;
}

async function readText(tree: FileTree, file: { path: string }, signal?: AbortSignal): Promise<string> {
  const source = await tree.open(file.path, signal);
  if (source.size > MAX_METADATA_BYTES) throw new UnsupportedFormatError(`${file.path} is ${source.size} bytes, more than product metadata ever is (${MAX_METADATA_BYTES})`);
  return new TextDecoder().decode(await source.read(0, source.size, signal));
}

/**
 * The product's band files: those its metadata lists (`IMAGE_FILE`, without extension) that the
 * tree holds, else any band-named file under its `IMG_DATA/`; resolution from the name
 * (`_20m`) or the folder (`R20m`).
 */
function listBandFiles(tree: FileTree, root: string, metadata: ProductMetadata): Map<BandName, ProductBandFile[]> {
  const listed = new Set(metadata.imageFiles.map((file) => `${root}${file}`));
  const imageData = tree.files.filter((file) => file.path.startsWith(root) && /\/IMG_DATA\//.test(file.path));
  const inMetadata = imageData.filter((file) => listed.has(file.path.replace(/\.[^./]+$/, '')));
  const bands = new Map<BandName, ProductBandFile[]>();
  for (const file of inMetadata.length ? inMetadata : imageData) {
    const named = bandOfFileName(file.path);
    const resolutionM = named?.resolutionM ?? Number(/\/R(\d+)m\//.exec(file.path)?.[1]);
    if (!named || !Number.isFinite(resolutionM)) continue;
    const files = bands.get(named.band) ?? [];
    files.push({ path: file.path, resolutionM });
    bands.set(named.band, files.sort((a, b) => a.resolutionM - b.resolutionM));
  }
  return bands;
}

/**
 * Opens a JPEG 2000 band file (JP2, or a bare J2K codestream) from its headers alone: the image
 * and tile geometry, every tile's place in the file, and the georeference. Everything declared
 * is checked before anything is decoded: a header that declares more than the file holds, or
 * more pixels than the limit, fails here with a typed error, with nothing large allocated.
 */
import { CorruptImageError, ImageTooLargeError, UnsupportedFormatError } from '../errors.js';
import type { ByteSource } from '../raster/byte-source.js';
import { crsFromEpsg } from '../raster/crs.js';
import type { Grid } from '../raster/grid.js';
import { type Jp2Layout, readJp2Layout } from './boxes.js';
import { type MainHeader, NeedMoreBytes, parseMainHeader } from './codestream.js';
import { type Georeference, georeferenceOf } from './georeference.js';
import { decodesAlone } from './tile-codestream.js';
import { type TilePart, indexTileParts } from './tile-parts.js';

/** First read of the main header; it grows (to `MAX_MAIN_HEADER`) only when the header is longer. */
const FIRST_HEADER_READ = 64 * 1024;
/** Longest main header read (TLM for thousands of tiles fits many times over). */
const MAX_MAIN_HEADER = 4 * 1024 * 1024;

/** A JPEG 2000 image ready to be decoded tile by tile (or whole, see `decodeWhole`). */
export interface Jp2Image {
  name: string;
  source: ByteSource;
  width: number;
  height: number;
  /** Bits per sample (1–16) and whether samples are signed. */
  bits: number;
  signed: boolean;
  header: MainHeader;
  /** The main header's bytes, from SOC to the first tile-part. */
  mainHeader: Uint8Array;
  /** Where the codestream is in the file. */
  codestream: { offset: number; length: number };
  /** Each tile's tile-parts, in order. */
  tiles: TilePart[][];
  /**
   * False when some tile cannot be decoded on its own (its offset moves a partition, see
   * tile-codestream.ts): the image is then decoded whole.
   */
  decodeByTile: boolean;
  /** Where the pixels are: from the file, or from the product metadata given to `openJp2`. */
  grid: Grid | undefined;
}

/** Options of {@link openJp2}. */
export interface OpenJp2Options {
  /** Largest width × height accepted. */
  maxPixels?: number;
  /** The georeference when the file's own is absent or to be overridden (a .SAFE's MTD_TL.xml). */
  georeference?: Georeference;
  signal?: AbortSignal;
}

/**
 * Opens `source` as a JPEG 2000 band file.
 *
 * @example
 * ```ts
 * const image = await openJp2(source, { maxPixels: 130e6 });
 * image.header.geometry.tileWidth; // 1024
 * ```
 */
export async function openJp2(source: ByteSource, options: OpenJp2Options = {}): Promise<Jp2Image> {
  const { signal } = options;
  const name = source.name;
  const layout = await readJp2Layout(source, name, signal);
  const { header, bytes } = await readMainHeader(source, layout, name, signal);
  const { geometry } = header;
  const width = geometry.x1 - geometry.x0;
  const height = geometry.y1 - geometry.y0;
  checkHeaderBox(layout, header, name);
  if (geometry.components.length !== 1) {
    throw new UnsupportedFormatError(`${name} has ${geometry.components.length} bands; give each Sentinel-2 band as a file of its own (B04, B08, …), not a colour composite such as TCI`);
  }
  const [{ bits, signed }] = geometry.components;
  if (bits > 16) throw new UnsupportedFormatError(`${name} has ${bits}-bit samples; Sentinel-2 bands are 15-bit unsigned (uint16)`);
  if (geometry.tileX0 !== geometry.x0 || geometry.tileY0 !== geometry.y0) {
    throw new UnsupportedFormatError(`${name} has JPEG 2000 tiles offset from its image origin; rewrite it with gdal_translate -of JP2OpenJPEG`);
  }
  const tiles = await indexTileParts(source, layout.codestream, header, name, signal);
  if (options.maxPixels !== undefined && width * height > options.maxPixels) {
    throw new ImageTooLargeError(
      `${name} is ${width} × ${height} = ${width * height} pixels, over the limit of ${options.maxPixels} (KELPIE_MAX_IMAGE_PIXELS); crop it or raise the limit`,
      { width, height, maxPixels: options.maxPixels },
    );
  }
  const georeference = options.georeference ?? (await georeferenceOf(layout, name));
  const grid = georeference && { width, height, transform: georeference.transform, crs: crsFromEpsg(georeference.epsg) };
  const decodeByTile = tiles.every((_, index) => decodesAlone(header, index));
  return { name, source, width, height, bits, signed, header, mainHeader: bytes, codestream: layout.codestream, tiles, decodeByTile, grid };
}

/** Reads the main header, growing the read until it holds the whole header. */
async function readMainHeader(source: ByteSource, layout: Jp2Layout, name: string, signal?: AbortSignal): Promise<{ header: MainHeader; bytes: Uint8Array }> {
  const { offset, length } = layout.codestream;
  let size = Math.min(FIRST_HEADER_READ, length);
  for (;;) {
    const bytes = await source.read(offset, size, signal);
    try {
      const header = parseMainHeader(bytes, name);
      return { header, bytes: bytes.slice(0, header.firstTilePart) };
    } catch (error) {
      if (!(error instanceof NeedMoreBytes)) throw error;
      if (error.needed > length || bytes.byteLength < size) {
        throw new CorruptImageError(`${name} is truncated: its JPEG 2000 header runs past the end of the file (${source.size} bytes)`, { size: source.size });
      }
      if (error.needed > MAX_MAIN_HEADER) throw new CorruptImageError(`${name} is not a readable JPEG 2000 file: its main header is over ${MAX_MAIN_HEADER} bytes`);
      size = Math.min(length, Math.max(error.needed, size * 2));
    }
  }
}

/** The JP2 image header box must agree with the codestream it describes. */
function checkHeaderBox(layout: Jp2Layout, header: MainHeader, name: string): void {
  const box = layout.imageHeader;
  if (!box) return;
  const { geometry } = header;
  const [component] = geometry.components;
  const agrees =
    box.width === geometry.x1 - geometry.x0 &&
    box.height === geometry.y1 - geometry.y0 &&
    box.components === geometry.components.length &&
    (box.bits === undefined || (box.bits === component.bits && box.signed === component.signed));
  if (!agrees) {
    throw new CorruptImageError(
      `${name} is damaged: its JP2 header declares ${box.width} × ${box.height} pixels in ${box.components} band(s) but its codestream ${geometry.x1 - geometry.x0} × ${geometry.y1 - geometry.y0} in ${geometry.components.length}`,
    );
  }
}

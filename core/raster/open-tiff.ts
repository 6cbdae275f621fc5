import { GeoTIFF, type GeoTIFFImage } from 'geotiff';
import {
  CorruptImageError,
  ImageTooLargeError,
  MissingGeoreferenceError,
  NotATiffError,
  UnsupportedFormatError,
  isKelpieError,
} from '../errors.js';
import type { ByteSource } from './byte-source.js';
import { crsFromEpsg, wgs84Bounds } from './crs.js';
import { registerBoundedDecoders } from './geotiff-decoders.js';
import type { Grid } from './grid.js';
import { type TileLayout, readTileLayout } from './tile-layout.js';

/** TIFF compression codes geotiff.js decodes losslessly (TIFF 6.0, Adobe, zstd and LERC registrations). */
const SUPPORTED_COMPRESSION: Record<number, string> = {
  1: 'none',
  5: 'LZW',
  8: 'deflate',
  32946: 'deflate',
  32773: 'PackBits',
  34887: 'LERC',
  50000: 'ZSTD',
};

/** Sample formats (TIFF SampleFormat) and bit depths we turn into reflectance or classes. */
const SUPPORTED_SAMPLES = new Set(['1:8', '1:16', '1:32', '2:16', '2:32', '3:32', '3:64']);

/** GeoTIFF GTRasterTypeGeoKey value for PixelIsPoint: the tie point names a pixel centre. */
const RASTER_PIXEL_IS_POINT = 2;

/** What the analysis needs to know about one TIFF, read from its header only. */
export interface TiffInfo {
  name: string;
  /** Where the bytes come from; tile reads go through it (merged, when it can). */
  source: ByteSource;
  image: GeoTIFFImage;
  width: number;
  height: number;
  samples: number;
  /** TIFF SampleFormat of the first sample: 1 unsigned, 2 signed, 3 float. */
  sampleFormat: number;
  bitsPerSample: number;
  /** Block (tile or strip) height in rows; reads are aligned to it. */
  blockHeight: number;
  /** How blocks are laid out, when they can be decoded block by block (see tile-layout.ts); else geotiff.js reads them. */
  layout: TileLayout | undefined;
  grid: Grid;
  /** GDAL band descriptions per sample ('' when absent). */
  descriptions: string[];
  /** GDAL per-band scale and offset, when present. */
  scales: Array<number | undefined>;
  offsets: Array<number | undefined>;
  nodata: number | undefined;
  /** Dataset-level GDAL metadata items (e.g. BOA_ADD_OFFSET, PROCESSING_BASELINE). */
  metadata: Record<string, string>;
}

export interface OpenTiffOptions {
  /** Largest width × height accepted; checked from the header before any pixel is read. */
  maxPixels?: number;
  signal?: AbortSignal;
}

/** Turns a `ByteSource` into the duck-typed source geotiff.js reads from. */
function geotiffSource(source: ByteSource) {
  return {
    get fileSize() {
      return source.size;
    },
    async fetch(slices: Array<{ offset: number; length: number }>, signal?: AbortSignal) {
      return Promise.all(
        slices.map(async ({ offset, length }) => {
          const bytes = await source.read(offset, length, signal);
          return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
        }),
      );
    },
    async close() {},
  };
}

/** Names common non-TIFF files by their first bytes so the message says what was uploaded. */
function describeSignature(head: Uint8Array): string {
  const ascii = String.fromCharCode(...head.subarray(0, 8));
  if (ascii.startsWith('\x89PNG')) return 'a PNG image';
  if (head[0] === 0xff && head[1] === 0xd8) return 'a JPEG image';
  if (ascii.startsWith('PK')) return 'a ZIP archive (a .SAFE product must be unzipped and its bands stacked)';
  if (ascii.startsWith('%PDF')) return 'a PDF document';
  if (ascii.startsWith('\x89HDF') || ascii.startsWith('CDF')) return 'a NetCDF/HDF file';
  return 'not a TIFF';
}

async function checkSignature(source: ByteSource, signal?: AbortSignal): Promise<void> {
  if (source.size === 0) throw new NotATiffError(`${source.name} is empty (0 bytes)`);
  const head = await source.read(0, 16, signal);
  const order = head.byteLength >= 4 ? String.fromCharCode(head[0], head[1]) : '';
  const magic = order === 'II' ? head[2] | (head[3] << 8) : order === 'MM' ? (head[2] << 8) | head[3] : -1;
  if (magic === 42 || magic === 43) {
    if (head.byteLength < 8) throw new CorruptImageError(`${source.name} is truncated: ${source.size} bytes, shorter than a TIFF header`);
    return;
  }
  throw new NotATiffError(`${source.name} is ${describeSignature(head)}; expected a GeoTIFF (.tif) of Sentinel-2 bands`);
}

/**
 * Opens a GeoTIFF and validates everything the analysis relies on, from the header alone:
 * size against `maxPixels`, compression, sample format, georeference and CRS, and that every
 * tile or strip lies inside the file (so a truncated upload fails here, not mid-analysis).
 *
 * @example
 * ```ts
 * const info = await openTiff(blobByteSource(store, key, size), { maxPixels: 121e6 });
 * ```
 */
export async function openTiff(source: ByteSource, options: OpenTiffOptions = {}): Promise<TiffInfo> {
  const { signal } = options;
  await checkSignature(source, signal);
  await registerBoundedDecoders();
  try {
    const tiff = await GeoTIFF.fromSource(geotiffSource(source) as never, {}, signal);
    const image = await tiff.getImage(0);
    return await describeImage(source, image, options);
  } catch (error) {
    if (isKelpieError(error)) throw error;
    if (signal?.aborted) throw error;
    throw new CorruptImageError(`${source.name} is not a readable TIFF: its header is damaged or truncated`, undefined, {
      cause: error,
    });
  }
}

async function describeImage(source: ByteSource, image: GeoTIFFImage, options: OpenTiffOptions): Promise<TiffInfo> {
  const width = image.getWidth();
  const height = image.getHeight();
  const samples = image.getSamplesPerPixel();
  if (options.maxPixels !== undefined && width * height > options.maxPixels) {
    throw new ImageTooLargeError(
      `${source.name} is ${width} × ${height} = ${width * height} pixels, over the limit of ${options.maxPixels} (KELPIE_MAX_IMAGE_PIXELS); crop it or raise the limit`,
      { width, height, maxPixels: options.maxPixels },
    );
  }
  const directory = image.getFileDirectory();
  const compression = Number(directory.getValue('Compression') ?? 1);
  if (!(compression in SUPPORTED_COMPRESSION)) {
    throw new UnsupportedFormatError(
      `${source.name} uses TIFF compression ${compression}, which is not supported; rewrite it with DEFLATE, LZW, ZSTD or no compression (e.g. gdal_translate -co COMPRESS=DEFLATE)`,
      { compression, supported: Object.values(SUPPORTED_COMPRESSION) },
    );
  }
  const sampleFormat = image.getSampleFormat(0);
  const bitsPerSample = image.getBitsPerSample(0);
  if (!SUPPORTED_SAMPLES.has(`${sampleFormat}:${bitsPerSample}`)) {
    throw new UnsupportedFormatError(
      `${source.name} has ${bitsPerSample}-bit samples of format ${sampleFormat}; expected uint16 digital numbers or float reflectance`,
    );
  }
  await checkDataExtent(source, image);
  const grid = readGrid(source.name, image);
  const metadata = await readDatasetMetadata(image);
  const descriptions: string[] = [];
  const scales: Array<number | undefined> = [];
  const offsets: Array<number | undefined> = [];
  for (let sample = 0; sample < samples; sample++) {
    const items = (await image.getGDALMetadata(sample)) ?? {};
    descriptions.push(String(items.DESCRIPTION ?? '').trim());
    scales.push(parseOptionalNumber(items.SCALE));
    offsets.push(parseOptionalNumber(items.OFFSET));
  }
  const nodata = image.getGDALNoData() ?? undefined;
  const isTiled = directory.hasTag('TileWidth');
  const blockHeight = isTiled ? image.getTileHeight() : Number(directory.getValue('RowsPerStrip') ?? height);
  return {
    name: source.name,
    source,
    image,
    width,
    height,
    samples,
    sampleFormat,
    bitsPerSample,
    blockHeight: Math.max(1, Math.min(blockHeight, height)),
    layout: await readTileLayout(image),
    grid,
    descriptions,
    scales,
    offsets,
    nodata: Number.isFinite(nodata) ? nodata : undefined,
    metadata,
  };
}

function parseOptionalNumber(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

async function readDatasetMetadata(image: GeoTIFFImage): Promise<Record<string, string>> {
  const items = (await image.getGDALMetadata()) ?? {};
  return Object.fromEntries(Object.entries(items).map(([key, value]) => [key, String(value).trim()]));
}

/** Every tile or strip must end inside the file; a shorter file was truncated in transit. */
async function checkDataExtent(source: ByteSource, image: GeoTIFFImage): Promise<void> {
  const directory = image.getFileDirectory();
  const tiled = directory.hasTag('TileOffsets');
  const offsets = (await directory.loadValue(tiled ? 'TileOffsets' : 'StripOffsets')) as ArrayLike<number> | undefined;
  const counts = (await directory.loadValue(tiled ? 'TileByteCounts' : 'StripByteCounts')) as ArrayLike<number> | undefined;
  if (!offsets || !counts || offsets.length !== counts.length) {
    throw new CorruptImageError(`${source.name} has no valid ${tiled ? 'tile' : 'strip'} index`);
  }
  let end = 0;
  for (let i = 0; i < offsets.length; i++) end = Math.max(end, Number(offsets[i]) + Number(counts[i]));
  if (end > source.size) {
    throw new CorruptImageError(
      `${source.name} is truncated: it is ${source.size} bytes but its image data runs to byte ${end}; upload it again`,
      { size: source.size, expected: end },
    );
  }
}

function readGrid(name: string, image: GeoTIFFImage): Grid {
  let origin: number[];
  let resolution: number[];
  try {
    origin = image.getOrigin();
    resolution = image.getResolution();
  } catch {
    throw new MissingGeoreferenceError(
      `${name} has no georeference (no geotransform); export it as a GeoTIFF with its CRS and geotransform`,
    );
  }
  const directory = image.getFileDirectory();
  const transformation = directory.getValue('ModelTransformation') as number[] | undefined;
  if (transformation && (transformation[1] !== 0 || transformation[4] !== 0)) {
    throw new UnsupportedFormatError(`${name} is rotated or sheared; warp it to a north-up grid first (gdalwarp)`);
  }
  const geoKeys = image.getGeoKeys() ?? {};
  const epsg = Number(geoKeys.ProjectedCSTypeGeoKey ?? geoKeys.GeographicTypeGeoKey ?? NaN);
  if (!Number.isInteger(epsg) || epsg <= 0 || epsg === 32767) {
    throw new MissingGeoreferenceError(
      `${name} has a geotransform but no EPSG coordinate reference system; assign one (gdal_edit.py -a_srs EPSG:326zz)`,
    );
  }
  const crs = crsFromEpsg(epsg);
  let [originX, originY] = origin;
  const [pixelWidth, pixelHeight] = resolution;
  if (Number(geoKeys.GTRasterTypeGeoKey) === RASTER_PIXEL_IS_POINT) {
    originX -= pixelWidth / 2;
    originY -= pixelHeight / 2;
  }
  if (!(pixelWidth > 0) || !(pixelHeight < 0)) {
    throw new UnsupportedFormatError(`${name} is not north-up (pixel size ${pixelWidth}, ${pixelHeight}); warp it first`);
  }
  const [width, height] = [image.getWidth(), image.getHeight()];
  const grid = { width, height, transform: { originX, originY, pixelWidth, pixelHeight }, crs };
  if (!placesOnEarth(grid)) {
    throw new MissingGeoreferenceError(
      `${name} has a georeference that places it nowhere on Earth (origin ${originX}, ${originY}; pixel size ${pixelWidth}, ${pixelHeight}); re-export it with its real geotransform`,
    );
  }
  return grid;
}

/**
 * Whether the grid's corners are finite and within {@link MAX_COORDINATE}, its pixels at least
 * {@link MIN_PIXEL_SIZE}, and its bounds map to longitudes and latitudes (a UTM grid millions of
 * metres off its zone maps to NaN, which every later step would trip over).
 */
function placesOnEarth(grid: Grid): boolean {
  const { originX, originY, pixelWidth, pixelHeight } = grid.transform;
  const corners = [originX, originY, originX + grid.width * pixelWidth, originY + grid.height * pixelHeight];
  if (!corners.every((value) => Math.abs(value) <= MAX_COORDINATE) || pixelWidth < MIN_PIXEL_SIZE || -pixelHeight < MIN_PIXEL_SIZE) return false;
  const [west, south, east, north] = wgs84Bounds(grid);
  return west >= -180 && east <= 180 && south >= -90 && north <= 90 && west <= east && south <= north;
}

/** Smallest pixel accepted, in CRS units (metres or degrees): below it a header holds garbage. */
const MIN_PIXEL_SIZE = 1e-9;

/** Largest coordinate of a usable grid corner: 10⁸ m, or degrees, is far beyond any CRS's Earth (and excludes NaN and ±∞). */
const MAX_COORDINATE = 1e8;

/**
 * Checks a `TiffSpec` and resolves its defaults, so `TiffEncoder` only ever sees a valid one.
 */
import { InvalidRequestError } from '../errors.js';
import { compressDeflate } from './deflate.js';
import type { Compress } from './deflate.js';
import type { GeoTransform } from './grid.js';

/** Sample type of every band: unsigned 8 or 16 bit integers, or 32-bit IEEE floats. */
export type TiffSampleType = 'uint8' | 'uint16' | 'float32';

/** The typed array matching a {@link TiffSampleType}. */
export type TiffSampleArray = Uint8Array | Uint16Array | Float32Array;

/** What to write. Bands are stored band-separate (PlanarConfiguration 2), tiles square. */
export interface TiffSpec {
  width: number;
  height: number;
  /** Samples per pixel; each band gets its own tiles. */
  bands: number;
  sampleType: TiffSampleType;
  /** Square tile edge in pixels, a multiple of 16 from 16 to 4096; default 256. */
  tileSize?: number;
  /** Default `'deflate'` (TIFF compression 8, Adobe deflate). */
  compression?: 'deflate' | 'none';
  /** Written as ModelPixelScale, ModelTiepoint and GeoKeyDirectory. North-up only. */
  georeference?: { transform: GeoTransform; epsg: number };
  /** GDAL_NODATA (tag 42113); also the value edge tiles are padded with. */
  nodata?: number;
  /** Per band, GDAL_METADATA `DESCRIPTION` items (e.g. `B04`). */
  bandDescriptions?: string[];
  /** Per band, GDAL_METADATA `SCALE`: physical value = DN * scale + offset. */
  bandScales?: number[];
  /** Per band, GDAL_METADATA `OFFSET`. */
  bandOffsets?: number[];
  /** Dataset-level GDAL_METADATA items. */
  metadata?: Record<string, string>;
  /** Default `compressDeflate`; a Node caller may pass zlib at level 1 for speed. */
  compress?: Compress;
}

/** How each sample type is stored: BitsPerSample, SampleFormat (1 uint, 3 IEEE float), range. */
export const SAMPLE_TYPES = {
  uint8: { bits: 8, sampleFormat: 1, bytes: 1, ArrayType: Uint8Array, min: 0, max: 0xff },
  uint16: { bits: 16, sampleFormat: 1, bytes: 2, ArrayType: Uint16Array, min: 0, max: 0xffff },
  float32: { bits: 32, sampleFormat: 3, bytes: 4, ArrayType: Float32Array, min: -Infinity, max: Infinity },
} as const satisfies Record<
  TiffSampleType,
  { bits: number; sampleFormat: number; bytes: number; ArrayType: new (length: number) => TiffSampleArray; min: number; max: number }
>;

/** TIFF Compression tag values (TIFF 6.0; 8 is Adobe deflate, zlib format). */
export const COMPRESSION_CODES = { none: 1, deflate: 8 } as const;

/** Default and limits for square tiles; the TIFF spec wants multiples of 16. */
const TILE_SIZE = { default: 256, min: 16, max: 4096, multiple: 16 } as const;

/** Classic TIFF offsets are 32-bit: the file must stay below 4 GiB. */
export const MAX_CLASSIC_TIFF_BYTES = 0xffff_ffff;

/** A spec with defaults applied. */
export type ResolvedTiffSpec = TiffSpec & {
  tileSize: number;
  compression: 'deflate' | 'none';
  compress: Compress;
};

/** Validates `spec` and applies defaults; throws `InvalidRequestError` naming the bad field. */
export function resolveTiffSpec(spec: TiffSpec): ResolvedTiffSpec {
  const fail = (message: string, field: string): never => {
    throw new InvalidRequestError(`TIFF spec: ${message}`, { field });
  };
  const { width, height, bands, sampleType } = spec;
  if (!isIntIn(width, 1, 0xffff_ffff)) fail(`width must be a positive integer, got ${width}`, 'width');
  if (!isIntIn(height, 1, 0xffff_ffff)) fail(`height must be a positive integer, got ${height}`, 'height');
  if (!isIntIn(bands, 1, 0xffff)) fail(`bands must be an integer from 1 to 65535, got ${bands}`, 'bands');
  if (!Object.hasOwn(SAMPLE_TYPES, sampleType)) {
    fail(`sampleType must be one of ${Object.keys(SAMPLE_TYPES).join(', ')}, got ${String(sampleType)}`, 'sampleType');
  }
  const tileSize = spec.tileSize ?? TILE_SIZE.default;
  if (!isIntIn(tileSize, TILE_SIZE.min, TILE_SIZE.max) || tileSize % TILE_SIZE.multiple !== 0) {
    fail(`tileSize must be a multiple of 16 from 16 to 4096, got ${tileSize}`, 'tileSize');
  }
  const compression = spec.compression ?? 'deflate';
  if (!Object.hasOwn(COMPRESSION_CODES, compression)) {
    fail(`compression must be 'deflate' or 'none', got ${String(compression)}`, 'compression');
  }
  if (spec.georeference) checkGeoreference(spec.georeference, fail);
  if (spec.nodata !== undefined) checkNodata(spec.nodata, sampleType, fail);
  checkPerBand(spec.bandDescriptions, bands, 'bandDescriptions', (v) => typeof v === 'string' && !v.includes('\0'), fail);
  checkPerBand(spec.bandScales, bands, 'bandScales', (v) => Number.isFinite(v), fail);
  checkPerBand(spec.bandOffsets, bands, 'bandOffsets', (v) => Number.isFinite(v), fail);
  for (const [key, value] of Object.entries(spec.metadata ?? {})) {
    if (key === '' || key.includes('\0') || typeof value !== 'string' || value.includes('\0')) {
      fail(`metadata keys must be non-empty and keys and values strings without NUL (key "${key}")`, 'metadata');
    }
  }
  if (compression === 'none') {
    const across = Math.ceil(width / tileSize);
    const down = Math.ceil(height / tileSize);
    const bytes = across * down * bands * tileSize * tileSize * SAMPLE_TYPES[sampleType].bytes;
    if (bytes > MAX_CLASSIC_TIFF_BYTES) fail(`uncompressed tiles need ${bytes} bytes, over the 4 GiB classic TIFF limit`, 'compression');
  }
  return { ...spec, tileSize, compression, compress: spec.compress ?? compressDeflate };
}

type Fail = (message: string, field: string) => never;

function checkGeoreference(georeference: NonNullable<TiffSpec['georeference']>, fail: Fail): void {
  const { transform, epsg } = georeference;
  const { originX, originY, pixelWidth, pixelHeight } = transform;
  if (![originX, originY, pixelWidth, pixelHeight].every(Number.isFinite)) {
    fail('georeference.transform values must be finite numbers', 'georeference');
  }
  if (!(pixelWidth > 0) || !(pixelHeight < 0)) {
    fail(`georeference.transform must be north-up (pixelWidth > 0, pixelHeight < 0), got ${pixelWidth}, ${pixelHeight}`, 'georeference');
  }
  if (!isIntIn(epsg, 1, 0xffff)) fail(`georeference.epsg must be an integer EPSG code, got ${epsg}`, 'georeference');
}

function checkNodata(nodata: number, sampleType: TiffSampleType, fail: Fail): void {
  const { min, max } = SAMPLE_TYPES[sampleType];
  // float32: NaN, ±Infinity or any finite value float32 can hold (it is rounded to float32).
  const ok =
    sampleType === 'float32'
      ? typeof nodata === 'number' && (!Number.isFinite(nodata) || Number.isFinite(Math.fround(nodata)))
      : isIntIn(nodata, min, max);
  if (!ok) fail(`nodata ${nodata} is not a ${sampleType} value`, 'nodata');
}

function checkPerBand<T>(
  values: readonly T[] | undefined,
  bands: number,
  field: string,
  isValid: (value: T) => boolean,
  fail: Fail,
): void {
  if (values === undefined) return;
  if (!Array.isArray(values) || values.length !== bands) {
    fail(`${field} must have one entry per band (${bands}), got ${Array.isArray(values) ? values.length : typeof values}`, field);
  }
  const bad = values.findIndex((value) => !isValid(value));
  if (bad >= 0) fail(`${field}[${bad}] is not valid: ${String(values[bad])}`, field);
}

function isIntIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

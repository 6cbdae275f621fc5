/**
 * The header of a classic little-endian TIFF (TIFF 6.0): which tags a spec needs and how an IFD
 * and its values are laid out in bytes. Used by `tiff-encoder.ts`.
 */
import { buildGdalMetadataXml, buildGeoKeyDirectory, formatNodata } from './geo-tags.js';
import { COMPRESSION_CODES, SAMPLE_TYPES } from './tiff-spec.js';
import type { ResolvedTiffSpec } from './tiff-spec.js';

/** TIFF field types we write: type code and size of one value in bytes (TIFF 6.0, section 2). */
const FIELD_TYPES = {
  ascii: { code: 2, size: 1 },
  short: { code: 3, size: 2 },
  long: { code: 4, size: 4 },
  double: { code: 12, size: 8 },
} as const;

/** A TIFF field type this writer emits. */
export type TiffFieldType = keyof typeof FIELD_TYPES;

/** One IFD entry. `ascii` values are bytes that already end in NUL. */
export interface TiffField {
  tag: number;
  type: TiffFieldType;
  values: ArrayLike<number>;
}

/** Tag numbers (TIFF 6.0, GeoTIFF 1.0, GDAL private tags). */
export const TAG = {
  imageWidth: 256,
  imageLength: 257,
  bitsPerSample: 258,
  compression: 259,
  photometricInterpretation: 262,
  samplesPerPixel: 277,
  planarConfiguration: 284,
  tileWidth: 322,
  tileLength: 323,
  tileOffsets: 324,
  tileByteCounts: 325,
  extraSamples: 338,
  sampleFormat: 339,
  modelPixelScale: 33550,
  modelTiepoint: 33922,
  geoKeyDirectory: 34735,
  gdalMetadata: 42112,
  gdalNodata: 42113,
} as const;

/** Bytes of the classic TIFF header: byte order, magic 42, offset of the first IFD. */
export const TIFF_HEADER_BYTES = 8;

/** Size in bytes of an IFD holding `fields` plus its out-of-line values (each word-aligned). */
export function measureIfd(fields: readonly TiffField[]): number {
  let size = 2 + fields.length * 12 + 4;
  for (const field of fields) {
    const bytes = valueBytes(field);
    if (bytes > 4) size += bytes + (bytes & 1);
  }
  return size;
}

/**
 * Writes the 8-byte header followed by one IFD (entries sorted by tag, next-IFD offset 0) and
 * its out-of-line values, so the whole header sits at the start of the file.
 */
export function writeHeaderAndIfd(fields: readonly TiffField[]): Uint8Array {
  const sorted = [...fields].sort((a, b) => a.tag - b.tag);
  const out = new Uint8Array(TIFF_HEADER_BYTES + measureIfd(sorted));
  const view = new DataView(out.buffer);
  view.setUint16(0, 0x4949, true); // "II": little-endian
  view.setUint16(2, 42, true);
  view.setUint32(4, TIFF_HEADER_BYTES, true);
  view.setUint16(TIFF_HEADER_BYTES, sorted.length, true);
  let entry = TIFF_HEADER_BYTES + 2;
  let extra = entry + sorted.length * 12 + 4; // next-IFD offset (0) is already zero
  for (const field of sorted) {
    const { code } = FIELD_TYPES[field.type];
    const bytes = valueBytes(field);
    view.setUint16(entry, field.tag, true);
    view.setUint16(entry + 2, code, true);
    view.setUint32(entry + 4, field.values.length, true);
    if (bytes <= 4) {
      writeValues(view, entry + 8, field); // inline, left-justified
    } else {
      view.setUint32(entry + 8, extra, true);
      writeValues(view, extra, field);
      extra += bytes + (bytes & 1);
    }
    entry += 12;
  }
  return out;
}

function valueBytes(field: TiffField): number {
  return field.values.length * FIELD_TYPES[field.type].size;
}

function writeValues(view: DataView, at: number, field: TiffField): void {
  const { values } = field;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (field.type === 'ascii') view.setUint8(at + i, value);
    else if (field.type === 'short') view.setUint16(at + i * 2, value, true);
    else if (field.type === 'long') view.setUint32(at + i * 4, value, true);
    else view.setFloat64(at + i * 8, value, true);
  }
}

/** UTF-8 bytes of `text` with a terminating NUL, for an ASCII field. */
export function asciiZ(text: string): Uint8Array {
  const encoded = new TextEncoder().encode(text);
  const out = new Uint8Array(encoded.length + 1);
  out.set(encoded);
  return out;
}

/**
 * Every tag for `spec`. `offsets` and `byteCounts` hold one entry per tile, band-major then
 * row-major (the PlanarConfiguration 2 order); only their lengths matter for `measureIfd`.
 */
export function buildTiffFields(spec: ResolvedTiffSpec, offsets: Uint32Array, byteCounts: Uint32Array): TiffField[] {
  const { bits, sampleFormat } = SAMPLE_TYPES[spec.sampleType];
  const perBand = (value: number, count = spec.bands): number[] => new Array<number>(count).fill(value);
  const fields: TiffField[] = [
    { tag: TAG.imageWidth, type: 'long', values: [spec.width] },
    { tag: TAG.imageLength, type: 'long', values: [spec.height] },
    { tag: TAG.bitsPerSample, type: 'short', values: perBand(bits) },
    { tag: TAG.compression, type: 'short', values: [COMPRESSION_CODES[spec.compression]] },
    { tag: TAG.photometricInterpretation, type: 'short', values: [1] }, // min-is-black
    { tag: TAG.samplesPerPixel, type: 'short', values: [spec.bands] },
    { tag: TAG.planarConfiguration, type: 'short', values: [2] }, // band-separate
    { tag: TAG.tileWidth, type: 'long', values: [spec.tileSize] },
    { tag: TAG.tileLength, type: 'long', values: [spec.tileSize] },
    { tag: TAG.tileOffsets, type: 'long', values: offsets },
    { tag: TAG.tileByteCounts, type: 'long', values: byteCounts },
    { tag: TAG.sampleFormat, type: 'short', values: perBand(sampleFormat) },
  ];
  // Bands past the first are "unspecified" extra samples (0); without this tag libtiff warns
  // that min-is-black has one colour channel but SamplesPerPixel is larger.
  if (spec.bands > 1) fields.push({ tag: TAG.extraSamples, type: 'short', values: perBand(0, spec.bands - 1) });
  if (spec.georeference) {
    const { transform, epsg } = spec.georeference;
    fields.push(
      { tag: TAG.modelPixelScale, type: 'double', values: [transform.pixelWidth, -transform.pixelHeight, 0] },
      { tag: TAG.modelTiepoint, type: 'double', values: [0, 0, 0, transform.originX, transform.originY, 0] },
      { tag: TAG.geoKeyDirectory, type: 'short', values: buildGeoKeyDirectory(epsg) },
    );
  }
  const xml = buildGdalMetadataXml(spec);
  if (xml !== undefined) fields.push({ tag: TAG.gdalMetadata, type: 'ascii', values: asciiZ(xml) });
  if (spec.nodata !== undefined) fields.push({ tag: TAG.gdalNodata, type: 'ascii', values: asciiZ(formatNodata(spec.nodata)) });
  return fields;
}

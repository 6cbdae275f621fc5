import type { BandName } from '../../core/analysis/bands.js';
import { type TiffSampleType, type TiffSpec, encodeTiff } from '../../core/raster/tiff-encoder.js';
import type { Spectrum } from './bands.js';

/** A UTM 10N grid off Monterey, 10 m pixels. */
export const TEST_GEOREFERENCE = { transform: { originX: 590_000, originY: 4_050_000, pixelWidth: 10, pixelHeight: -10 }, epsg: 32610 };

export interface SceneTiffOptions {
  width: number;
  height: number;
  bands?: readonly BandName[];
  /** Spectrum of pixel (x, y); SCL read from the `SCL` key. */
  pixel: (x: number, y: number) => Spectrum;
  sampleType?: TiffSampleType;
  /** Omit to write no georeference. */
  georeference?: TiffSpec['georeference'] | null;
  /** Omit band descriptions (unnamed bands). */
  unnamed?: boolean;
  metadata?: Record<string, string>;
}

const DEFAULT_BANDS: BandName[] = ['B02', 'B03', 'B04', 'B05', 'B06', 'B08', 'B11', 'SCL'];

/**
 * A small multi-band GeoTIFF built from per-pixel spectra, as uint16 DN
 * (`reflectance × 10000`, baseline 02.14 stated in metadata) or float32 reflectance.
 */
export async function makeSceneTiff(options: SceneTiffOptions): Promise<Uint8Array> {
  const bands = options.bands ?? DEFAULT_BANDS;
  const sampleType = options.sampleType ?? 'uint16';
  const Array_ = sampleType === 'float32' ? Float32Array : sampleType === 'uint16' ? Uint16Array : Uint8Array;
  const arrays = bands.map(() => new Array_(options.width * options.height));
  for (let y = 0; y < options.height; y++) {
    for (let x = 0; x < options.width; x++) {
      const spectrum = options.pixel(x, y);
      bands.forEach((band, b) => {
        const value = spectrum[band] ?? (sampleType === 'float32' ? NaN : 0);
        arrays[b][y * options.width + x] = band === 'SCL' || sampleType === 'float32' ? value : Math.round(value * 10000);
      });
    }
  }
  return encodeTiff(
    {
      width: options.width,
      height: options.height,
      bands: bands.length,
      sampleType,
      tileSize: 64,
      ...(options.georeference === null ? {} : { georeference: options.georeference ?? TEST_GEOREFERENCE }),
      ...(sampleType === 'float32' ? {} : { nodata: 0 }),
      ...(options.unnamed ? {} : { bandDescriptions: [...bands] }),
      metadata: options.metadata ?? (sampleType === 'float32' ? {} : { PROCESSING_BASELINE: '02.14' }),
    },
    arrays,
  );
}

/**
 * Overwrites the value of a SHORT or LONG tag in the first IFD of a little-endian classic TIFF,
 * to forge headers (huge sizes, exotic compression) without writing the pixels.
 */
export function patchTag(tiff: Uint8Array, tag: number, value: number): Uint8Array {
  const bytes = tiff.slice();
  const view = new DataView(bytes.buffer);
  const ifd = view.getUint32(4, true);
  const count = view.getUint16(ifd, true);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (view.getUint16(entry, true) !== tag) continue;
    const type = view.getUint16(entry + 2, true);
    if (type === 3) view.setUint16(entry + 8, value, true);
    else view.setUint32(entry + 8, value, true);
    return bytes;
  }
  throw new Error(`tag ${tag} not in the first IFD`);
}

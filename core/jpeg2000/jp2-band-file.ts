import { UnsupportedFormatError } from '../errors.js';
import type { Jpeg2000Decoder } from '../ports/jpeg2000-decoder.js';
import type { BandFileInfo, BandReader } from '../raster/band-reader.js';
import type { ByteSource } from '../raster/byte-source.js';
import type { Georeference } from './georeference.js';
import { Jp2BandReader } from './jp2-band-reader.js';
import { openJp2 } from './open-jp2.js';

/** Options of {@link openJp2BandFile}. */
export interface OpenJp2BandOptions {
  decoder: Jpeg2000Decoder;
  maxPixels?: number;
  signal?: AbortSignal;
  /** Where the pixels are, when the product's metadata says (a .SAFE's MTD_TL.xml); else the file's own. */
  georeference?: Georeference;
  /** Metadata items the product gives for this band (BOA_ADD_OFFSET, PROCESSING_BASELINE). */
  metadata?: Record<string, string>;
}

/**
 * Opens a JPEG 2000 band file as a band reader like a GeoTIFF's: one sample, 0 as nodata (as in
 * Sentinel-2 products), its rows decoded tile by tile (see `Jp2BandReader`).
 *
 * @example
 * ```ts
 * const reader = await openJp2BandFile(source, { decoder, metadata: { BOA_ADD_OFFSET: '-1000' } });
 * ```
 */
export async function openJp2BandFile(source: ByteSource, options: OpenJp2BandOptions): Promise<BandReader> {
  const image = await openJp2(source, { maxPixels: options.maxPixels, signal: options.signal, ...(options.georeference ? { georeference: options.georeference } : {}) });
  if (!image.grid) {
    throw new UnsupportedFormatError(`${image.name} has no georeference (no GeoJP2 or GMLJP2 box); give the band files of a whole .SAFE, or GeoTIFFs`);
  }
  const reader = new Jp2BandReader(image, options.decoder);
  const info: BandFileInfo = {
    name: image.name,
    width: image.width,
    height: image.height,
    samples: 1,
    sampleFormat: image.signed ? 2 : 1,
    // Decoded samples are 8- or 16-bit arrays whatever the bit depth (Sentinel-2: 15 bits in 16).
    bitsPerSample: image.bits <= 8 ? 8 : 16,
    blockHeight: reader.blockHeight,
    grid: image.grid,
    descriptions: [''],
    scales: [undefined],
    offsets: [undefined],
    nodata: undefined,
    metadata: options.metadata ?? {},
    jpeg2000: true,
  };
  return {
    info,
    async readRows(y0, y1, signal, columns) {
      return { grids: [await reader.readRows(y0, y1, signal, columns)], offsets: [0] };
    },
  };
}

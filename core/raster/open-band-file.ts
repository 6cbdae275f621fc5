import { UnsupportedFormatError } from '../errors.js';
import { isJpeg2000 } from '../jpeg2000/boxes.js';
import { openJp2BandFile } from '../jpeg2000/jp2-band-file.js';
import type { Jpeg2000Decoder } from '../ports/jpeg2000-decoder.js';
import { BandFileReader } from './band-file.js';
import type { BandFileFacts, BandReader } from './band-reader.js';
import type { ByteSource } from './byte-source.js';
import { type OpenTiffOptions, openTiff } from './open-tiff.js';
import type { Inflate } from './tile-decode.js';

/** Options of {@link openBandFile}. */
export interface OpenBandFileOptions extends OpenTiffOptions {
  inflate?: Inflate;
  /** Decodes JPEG 2000; without it a JPEG 2000 file opens but is refused when read. */
  jpeg2000?: Jpeg2000Decoder;
}

/** The decoder of a process that has none: it says so. */
const noDecoder: Jpeg2000Decoder = {
  async decode(_codestream, request) {
    throw new UnsupportedFormatError(`${request.name} is JPEG 2000, which this function does not decode: JPEG 2000 scenes are analysed by the job worker`);
  },
};

/**
 * Opens one single-band file by what its first bytes say it is: JPEG 2000 (a .SAFE's bands)
 * or a GeoTIFF, with the product's `facts` about it.
 *
 * @example
 * ```ts
 * const reader = await openBandFile(source, { metadata: { BOA_ADD_OFFSET: '-1000' } }, { jpeg2000: decoder });
 * ```
 */
export async function openBandFile(source: ByteSource, facts: BandFileFacts | undefined, options: OpenBandFileOptions): Promise<BandReader> {
  const head = await source.read(0, 12, options.signal);
  if (isJpeg2000(head)) {
    // Without a decoder the headers still open (to plan the work); decoding then fails, typed.
    return openJp2BandFile(source, { decoder: options.jpeg2000 ?? noDecoder, maxPixels: options.maxPixels, signal: options.signal, ...facts });
  }
  const info = await openTiff(source, options);
  const withFacts = facts?.metadata ? { ...info, metadata: { ...facts.metadata, ...info.metadata } } : info;
  return new BandFileReader(withFacts, [0], options.inflate);
}

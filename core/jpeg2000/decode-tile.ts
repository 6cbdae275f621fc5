import { CorruptImageError, UnsupportedFormatError } from '../errors.js';
import type { DecodedSamples, Jpeg2000Decoder } from '../ports/jpeg2000-decoder.js';
import { readRanges } from '../raster/byte-source.js';
import { MARKER, tileArea } from './codestream.js';
import type { Jp2Image } from './open-jp2.js';
import { tileCodestream } from './tile-codestream.js';

/**
 * Most pixels decoded at once when an image cannot be decoded tile by tile (OpenJPEG holds 4
 * bytes per pixel while it decodes, and the samples 2 more): a 20 m Sentinel-2 band (5490² ≈
 * 30 Mpx) fits; a 10 m band (120 Mpx) would not, and is always tiled.
 */
export const MAX_WHOLE_DECODE_PIXELS = 32_000_000;

/**
 * Decodes tile `index` of `image`: reads its tile-parts (together), checks they are the tile's,
 * and hands the decoder a codestream of that tile alone. Resolves with the tile's samples,
 * row-major, as wide as the tile (narrower at the right edge).
 *
 * @example
 * ```ts
 * const samples = await decodeTile(image, 12, decoder); // Uint16Array of 1024 × 1024
 * ```
 */
export async function decodeTile(image: Jp2Image, index: number, decoder: Jpeg2000Decoder, signal?: AbortSignal): Promise<DecodedSamples> {
  const parts = await readRanges(image.source, image.tiles[index], signal);
  parts.forEach((part, i) => {
    const view = new DataView(part.buffer, part.byteOffset, part.byteLength);
    if (part.byteLength !== image.tiles[index][i].length || view.getUint16(0) !== MARKER.SOT || view.getUint16(4) !== index) {
      throw new CorruptImageError(`${image.name} is damaged: tile ${index} is not where its index says`);
    }
  });
  const area = tileArea(image.header.geometry, index);
  const codestream = tileCodestream(image.mainHeader, image.header, index, parts);
  const request = { name: `${image.name} (tile ${index})`, width: area.x1 - area.x0, height: area.y1 - area.y0, bits: image.bits, signed: image.signed };
  return decoder.decode(codestream, request, { signal });
}

/**
 * Decodes the whole image at once: for images whose tiles cannot be decoded alone, up to
 * {@link MAX_WHOLE_DECODE_PIXELS}.
 *
 * @example
 * ```ts
 * const samples = await decodeWhole(image, decoder); // Uint16Array of width × height
 * ```
 */
export async function decodeWhole(image: Jp2Image, decoder: Jpeg2000Decoder, signal?: AbortSignal): Promise<DecodedSamples> {
  const { geometry } = image.header;
  if (image.width * image.height > MAX_WHOLE_DECODE_PIXELS || geometry.x0 !== 0 || geometry.y0 !== 0) {
    throw new UnsupportedFormatError(
      `${image.name} (${image.width} × ${image.height} pixels) has JPEG 2000 tiles that cannot be decoded one at a time, and is too large to decode at once; rewrite it with 1024-pixel tiles (gdal_translate -of JP2OpenJPEG -co BLOCKXSIZE=1024 -co BLOCKYSIZE=1024 -co QUALITY=100 -co REVERSIBLE=YES) or as a GeoTIFF`,
      { width: image.width, height: image.height, maxPixels: MAX_WHOLE_DECODE_PIXELS },
    );
  }
  const { offset, length } = image.codestream;
  const whole = await image.source.read(offset, length, signal);
  if (whole.byteLength !== length) throw new CorruptImageError(`${image.name} is truncated`);
  return decoder.decode(whole, { name: image.name, width: image.width, height: image.height, bits: image.bits, signed: image.signed }, { signal });
}

/**
 * Which Sentinel-2 band a file holds, from its name, in the styles users have them:
 * - a .SAFE's band files, `T10SEG_20240715T185919_B04_10m.jp2` (band, then resolution);
 * - archives and exports that end with the band, `S2A_…_B04.tif`, `B04.tif`;
 * - Earth Search asset keys, `red.tif`, `rededge2.tif`, `swir16.tif`, `scl.tif`.
 */
import { type BandName, normalizeBandName } from '../analysis/bands.js';

/** Extensions of band files: GeoTIFF and JPEG 2000. */
export const BAND_FILE_EXTENSION = /\.(tiff?|jp2|j2k|j2c)$/i;

/** A band recognised in a file name, with the resolution the name states (`_10m`), if any. */
export interface NamedBandFile {
  band: BandName;
  resolutionM?: number;
}

/**
 * The band a file name carries, or undefined (not a band file, or a product layer that is not a
 * band: TCI, AOT, WVP, masks).
 *
 * @example
 * ```ts
 * bandOfFileName('GRANULE/L2A_T10SEG/IMG_DATA/R20m/T10SEG_20240715T185919_B06_20m.jp2'); // { band: 'B06', resolutionM: 20 }
 * bandOfFileName('red.tif'); // { band: 'B04' }
 * ```
 */
export function bandOfFileName(path: string): NamedBandFile | undefined {
  const base = path.split('/').pop() ?? '';
  if (!BAND_FILE_EXTENSION.test(base)) return undefined;
  const tokens = base.replace(BAND_FILE_EXTENSION, '').split(/[_\-.\s]+/).filter(Boolean);
  const resolution = /^(\d+)m$/i.exec(tokens[tokens.length - 1] ?? '');
  const bandToken = resolution ? tokens[tokens.length - 2] : tokens[tokens.length - 1];
  const band = bandToken === undefined ? undefined : normalizeBandName(bandToken);
  if (!band) return undefined;
  return resolution ? { band, resolutionM: Number(resolution[1]) } : { band };
}

/** The naming styles, for messages that say how to name band files. */
export const BAND_FILE_NAMING = 'T10SEG_20240715T185919_B04_10m.jp2, S2A_…_B04.tif, B04.tif or red.tif';

/**
 * What a Sentinel-2 Level-2A product says about itself (ESA S2 PSD, User Product and Tile
 * metadata): `MTD_MSIL2A.xml` names the product, its acquisition, processing baseline, the
 * BOA_ADD_OFFSET of each band and its image files; `MTD_TL.xml` the tile's CRS and geoposition at
 * each resolution. These fill the same result fields a STAC item does, so a .SAFE's reflectance
 * rule comes from the product itself and is never assumed.
 */
import { type BandName, normalizeBandName } from '../analysis/bands.js';
import { UnsupportedFormatError } from '../errors.js';
import type { GeoTransform } from '../raster/grid.js';
import { L2A_QUANTIFICATION } from '../raster/reflectance.js';
import { xmlElements, xmlText } from '../xml.js';

/** The product as `MTD_MSIL2A.xml` describes it. */
export interface ProductMetadata {
  /** `PRODUCT_URI` without `.SAFE`, e.g. `S2B_MSIL2A_20241115T100159_N0511_R122_T32TQM_20241115T125542`. */
  productId: string;
  /** Start of the acquisition (`PRODUCT_START_TIME`), ISO 8601. */
  acquiredAt?: string;
  /** e.g. `05.11`. */
  processingBaseline?: string;
  spacecraft?: string;
  /** BOA_ADD_OFFSET in DN per band (−1000 from baseline 04.00; absent before it). */
  boaAddOffsets: Partial<Record<BandName, number>>;
  /** Image files as listed (`GRANULE/…/IMG_DATA/R10m/T…_B04_10m`, without extension). */
  imageFiles: string[];
}

/** The tile as `MTD_TL.xml` describes it. */
export interface TileMetadata {
  tileId?: string;
  sensingTime?: string;
  /** EPSG code of `HORIZONTAL_CS_CODE`. */
  epsg: number;
  /** Geotransform (pixel corners) per resolution in metres. */
  geopositions: Record<number, GeoTransform>;
}

/**
 * ESA's band index (`band_id`, `bandId`) to band, for products whose metadata does not map them
 * (`Spectral_Information` does in every current product): B1–B8, B8A, B9, B10, B11, B12.
 */
const BAND_IDS = ['B01', 'B02', 'B03', 'B04', 'B05', 'B06', 'B07', 'B08', 'B8A', 'B09', 'B10', 'B11', 'B12'];

/**
 * Reads `MTD_MSIL2A.xml`. A Level-1C product (top-of-atmosphere reflectance) is refused with
 * what to give instead.
 *
 * @example
 * ```ts
 * const product = parseProductMetadata(xml, 'MTD_MSIL2A.xml');
 * product.boaAddOffsets.B04; // -1000
 * ```
 */
export function parseProductMetadata(xml: string, name: string): ProductMetadata {
  if (/Level-1C_User_Product/.test(xml)) {
    throw new UnsupportedFormatError(`${name} describes a Level-1C product (top-of-atmosphere reflectance); the analysis needs Level-2A surface reflectance (an S2*_MSIL2A product)`);
  }
  const uri = xmlText(xml, 'PRODUCT_URI');
  if (!/Level-2A_User_Product/.test(xml) || !uri) throw new UnsupportedFormatError(`${name} is not the metadata of a Sentinel-2 Level-2A product (no Level-2A_User_Product with a PRODUCT_URI)`);
  const quantification = Number(xmlText(xml, 'BOA_QUANTIFICATION_VALUE') ?? L2A_QUANTIFICATION);
  if (quantification !== L2A_QUANTIFICATION) {
    throw new UnsupportedFormatError(`${name} gives a BOA quantification of ${quantification}; Sentinel-2 L2A products use ${L2A_QUANTIFICATION}, the only value the analysis reads`);
  }
  const bandOfId = new Map<string, string>(xmlElements(xml, 'Spectral_Information').map((element) => [element.attributes.bandId, element.attributes.physicalBand]));
  const boaAddOffsets: Partial<Record<BandName, number>> = {};
  for (const element of xmlElements(xml, 'BOA_ADD_OFFSET')) {
    const id = element.attributes.band_id;
    const band = normalizeBandName(bandOfId.get(id) ?? BAND_IDS[Number(id)] ?? '');
    const value = Number(element.text);
    if (band && element.text !== '' && Number.isFinite(value)) boaAddOffsets[band] = value;
  }
  const acquiredAt = xmlText(xml, 'PRODUCT_START_TIME') ?? xmlText(xml, 'DATATAKE_SENSING_START');
  const processingBaseline = xmlText(xml, 'PROCESSING_BASELINE');
  const spacecraft = xmlText(xml, 'SPACECRAFT_NAME');
  return {
    productId: uri.replace(/\.SAFE$/i, ''),
    ...(acquiredAt ? { acquiredAt } : {}),
    ...(processingBaseline ? { processingBaseline } : {}),
    ...(spacecraft ? { spacecraft } : {}),
    boaAddOffsets,
    imageFiles: xmlElements(xml, 'IMAGE_FILE').map((element) => element.text),
  };
}

/**
 * Reads `MTD_TL.xml`: the tile's CRS and, per resolution, its upper-left corner and pixel size.
 *
 * @example
 * ```ts
 * parseTileMetadata(xml, 'MTD_TL.xml').geopositions[10]; // { originX: 699960, originY: 4700040, pixelWidth: 10, pixelHeight: -10 }
 * ```
 */
export function parseTileMetadata(xml: string, name: string): TileMetadata {
  const code = xmlText(xml, 'HORIZONTAL_CS_CODE') ?? '';
  const epsg = Number(/EPSG:(\d+)/i.exec(code)?.[1]);
  if (!Number.isInteger(epsg)) throw new UnsupportedFormatError(`${name} has no EPSG code in HORIZONTAL_CS_CODE ("${code.slice(0, 40)}")`);
  const geopositions: Record<number, GeoTransform> = {};
  for (const element of xmlElements(xml, 'Geoposition')) {
    const [originX, originY, pixelWidth, pixelHeight] = ['ULX', 'ULY', 'XDIM', 'YDIM'].map((tag) => Number(xmlText(element.inner, tag)));
    const resolution = Number(element.attributes.resolution);
    if ([resolution, originX, originY, pixelWidth, pixelHeight].every(Number.isFinite)) geopositions[resolution] = { originX, originY, pixelWidth, pixelHeight };
  }
  const tileId = xmlText(xml, 'TILE_ID');
  const sensingTime = xmlText(xml, 'SENSING_TIME');
  return { epsg, geopositions, ...(tileId ? { tileId } : {}), ...(sensingTime ? { sensingTime } : {}) };
}

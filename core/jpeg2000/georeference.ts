/**
 * Where a JP2 file's pixels are: from its GeoJP2 box (a small GeoTIFF carrying the GeoTIFF tags,
 * read by the GeoTIFF reader itself) or its GMLJP2 XML (OGC 08-085: a `RectifiedGrid` whose
 * origin is the centre of the first pixel). Sentinel-2 band files carry GMLJP2; GDAL writes both.
 */
import { UnsupportedFormatError, isKelpieError } from '../errors.js';
import { memoryByteSource } from '../raster/byte-source.js';
import { isGeographicEpsg } from '../raster/geo-tags.js';
import type { GeoTransform } from '../raster/grid.js';
import { openTiff } from '../raster/open-tiff.js';
import { xmlElements } from '../xml.js';
import type { Jp2Layout } from './boxes.js';

/** A north-up geotransform (pixel corners) and the EPSG code of its CRS. */
export interface Georeference {
  transform: GeoTransform;
  epsg: number;
}

/**
 * The georeference of a JP2 file, or undefined when it has none that can be read.
 *
 * @example
 * ```ts
 * await georeferenceOf(layout, 'B04.jp2'); // { epsg: 32610, transform: { originX: 590000, originY: 4060000, pixelWidth: 10, pixelHeight: -10 } }
 * ```
 */
export async function georeferenceOf(layout: Jp2Layout, name: string): Promise<Georeference | undefined> {
  if (layout.geoTiff) {
    try {
      const info = await openTiff(memoryByteSource(name, layout.geoTiff));
      return { transform: info.grid.transform, epsg: info.grid.crs.epsg };
    } catch (error) {
      // An unreadable GeoJP2 box falls back to GMLJP2; a rotated grid or an unknown CRS does not.
      if (isKelpieError(error) && error.code !== 'CORRUPT_IMAGE' && error.code !== 'NOT_A_TIFF' && error.code !== 'MISSING_GEOREFERENCE') throw error;
    }
  }
  return layout.gml ? readGml(layout.gml, name) : undefined;
}

/** The `RectifiedGrid` of GMLJP2: origin (pixel centre), two offset vectors, and the CRS of `srsName`. */
function readGml(gml: string, name: string): Georeference | undefined {
  const grid = xmlElements(gml, 'RectifiedGrid')[0];
  if (!grid) return undefined;
  const position = numbers(xmlElements(grid.inner, 'pos')[0]?.text ?? xmlElements(grid.inner, 'coordinates')[0]?.text);
  const vectors = xmlElements(grid.inner, 'offsetVector').map((element) => numbers(element.text));
  const srsName = /srsName\s*=\s*"([^"]+)"/.exec(gml)?.[1] ?? '';
  const epsg = Number(/EPSG\D.*?(\d+)\s*$/.exec(srsName)?.[1]);
  if (position.length < 2 || vectors.length < 2 || vectors.some((v) => v.length < 2) || !Number.isInteger(epsg)) return undefined;
  // An EPSG URN or URL names axes in the CRS's own order: latitude first for geographic CRSs.
  const swap = isGeographicEpsg(epsg) && /^(urn:|http)/.test(srsName);
  const [x, y] = swap ? [position[1], position[0]] : position;
  const [[ax, ay], [bx, by]] = swap ? vectors.map(([a, b]) => [b, a]) : vectors;
  const [u, v] = ax !== 0 ? [[ax, ay], [bx, by]] : [[bx, by], [ax, ay]];
  if (u[1] !== 0 || v[0] !== 0) throw new UnsupportedFormatError(`${name} is rotated or sheared; warp it to a north-up grid first (gdalwarp)`);
  const pixelWidth = u[0];
  const pixelHeight = v[1];
  return { epsg, transform: { originX: x - pixelWidth / 2, originY: y - pixelHeight / 2, pixelWidth, pixelHeight } };
}

function numbers(text: string | undefined): number[] {
  return (text ?? '').split(/[\s,]+/).filter(Boolean).map(Number).filter(Number.isFinite);
}

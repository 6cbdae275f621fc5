/**
 * Contents of the GeoTIFF GeoKeyDirectory and of GDAL's private tags (GDAL_METADATA 42112,
 * GDAL_NODATA 42113), written the way GDAL itself writes them so GDAL reads them back.
 */

/**
 * Geographic 2D CRSs (GTModelType 2) we may meet; any other EPSG code is written as projected.
 * Source: EPSG registry (WGS 84, NAD83, ETRS89, NAD27, GDA94, GDA2020, NAD83(CSRS), SIRGAS 2000,
 * CGCS2000, JGD2000, JGD2011).
 */
const GEOGRAPHIC_EPSG: ReadonlySet<number> = new Set([
  4326, 4269, 4258, 4267, 4283, 7844, 4617, 4674, 4490, 4612, 6668,
]);

/** True when `epsg` is written as a geographic (lon/lat) CRS rather than a projected one. */
export function isGeographicEpsg(epsg: number): boolean {
  return GEOGRAPHIC_EPSG.has(epsg);
}

/**
 * GeoKeyDirectory values (GeoTIFF 1.0, section 2.4): header `1,1,0,n`, then keys sorted by id:
 * GTModelType (1 projected, 2 geographic), GTRasterType 1 (PixelIsArea), and
 * GeographicType (2048) or ProjectedCSType (3072) set to the EPSG code.
 */
export function buildGeoKeyDirectory(epsg: number): number[] {
  const geographic = isGeographicEpsg(epsg);
  const keys = [
    [1024, 0, 1, geographic ? 2 : 1],
    [1025, 0, 1, 1],
    [geographic ? 2048 : 3072, 0, 1, epsg],
  ];
  return [1, 1, 0, keys.length, ...keys.flat()];
}

/** What goes into GDAL's `GDAL_METADATA` XML; per-band arrays are indexed by band. */
export interface GdalMetadataInput {
  bandDescriptions?: readonly string[];
  bandScales?: readonly number[];
  bandOffsets?: readonly number[];
  metadata?: Readonly<Record<string, string>>;
}

/** The `GDAL_METADATA` XML document, or `undefined` when there is nothing to write. */
export function buildGdalMetadataXml(input: GdalMetadataInput): string | undefined {
  const items: string[] = [];
  for (const [name, value] of Object.entries(input.metadata ?? {})) {
    items.push(`<Item name="${escapeXml(name)}">${escapeValue(value)}</Item>`);
  }
  const bandItems: [string, string, readonly (string | number)[] | undefined][] = [
    ['DESCRIPTION', 'description', input.bandDescriptions],
    ['SCALE', 'scale', input.bandScales],
    ['OFFSET', 'offset', input.bandOffsets],
  ];
  for (const [name, role, values] of bandItems) {
    values?.forEach((value, band) => {
      items.push(`<Item name="${name}" sample="${band}" role="${role}">${escapeValue(String(value))}</Item>`);
    });
  }
  if (items.length === 0) return undefined;
  return `<GDALMetadata>\n  ${items.join('\n  ')}\n</GDALMetadata>\n`;
}

/** Formats a nodata value the way GDAL writes `GDAL_NODATA` (`nan`, `inf`, `-inf` or a number). */
export function formatNodata(nodata: number): string {
  if (Number.isNaN(nodata)) return 'nan';
  if (nodata === Infinity) return 'inf';
  if (nodata === -Infinity) return '-inf';
  return String(nodata);
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => XML_ESCAPES[char]);
}

/**
 * Item values are escaped twice: GDAL escapes a value before building the XML tree, which escapes
 * it again when serialised, and GDAL unescapes twice on read (`a&b` is stored `a&amp;amp;b`).
 * Names are escaped once. geotiff.js's `getGDALMetadata` returns the raw, still-escaped text.
 */
function escapeValue(text: string): string {
  return escapeXml(escapeXml(text));
}

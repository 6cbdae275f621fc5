import type { Bed } from '../analysis/bed-areas.js';
import { renderOverlay } from '../analysis/layers.js';
import type { Artifact } from '../analysis/result.js';
import { MASK } from '../analysis/mask-values.js';
import type { SceneScan } from '../analysis/scan.js';
import type { Compress } from '../raster/deflate.js';
import type { Grid } from '../raster/grid.js';
import { encodePng } from '../raster/png-encoder.js';
import { TiffEncoder } from '../raster/tiff-encoder.js';
import { bedsToGeoJson } from './beds-geojson.js';
import { renderMapArtifacts } from './map-overlay.js';
import { concatBytes } from '../bytes.js';

export { MAP_ARTIFACT_TYPES } from './map-overlay.js';

/** Tile size of `kelp-mask.tif`: GDAL's default block for tiled GeoTIFFs. */
const MASK_TILE = 256;

/** Artifact names and content types (docs/design.md, "Storage layout"). */
export const ARTIFACT_TYPES: Record<string, string> = {
  'kelp-mask.tif': 'image/tiff; application=geotiff',
  'overlay.png': 'image/png',
  'beds.geojson': 'application/geo+json',
  'result.json': 'application/json',
};

/**
 * `kelp-mask.tif`: uint8 on the analysed grid, 1 kelp, 0 water without kelp, 255 masked
 * (nodata, cloud, shadow, land), deflate-compressed tiles, georeferenced like the input.
 * 255 is declared as nodata so GIS shows masked pixels as empty.
 */
export async function encodeKelpMask(mask: Uint8Array, grid: Grid, compress?: Compress): Promise<Uint8Array> {
  const encoder = new TiffEncoder({
    width: grid.width,
    height: grid.height,
    bands: 1,
    sampleType: 'uint8',
    tileSize: MASK_TILE,
    georeference: { transform: grid.transform, epsg: grid.crs.epsg },
    nodata: 255,
    bandDescriptions: ['kelp'],
    metadata: { KELP_MASK_VALUES: '1 kelp; 0 not kelp; 255 nodata, cloud, shadow or land' },
    ...(compress ? { compress } : {}),
  });
  for (let row = 0; row < encoder.tilesDown; row++) {
    const y0 = row * MASK_TILE;
    const y1 = Math.min(grid.height, y0 + MASK_TILE);
    // In memory, land keeps its own value (mask-values.ts); the file has 255 for all not analysed.
    const rows = mask.slice(y0 * grid.width, y1 * grid.width);
    for (let i = 0; i < rows.length; i++) if (rows[i] > MASK.kelp) rows[i] = MASK.masked;
    await encoder.addTileRow(0, row, rows);
  }
  return concatBytes(encoder.finish());
}

/**
 * All artifacts of an analysis: mask, overlay, beds and any requested layers on the scene's
 * grid, then the map images (`map/kelp.png`, `map/<layer>.png`) on a Web Mercator grid.
 */
export async function renderArtifacts(
  scan: SceneScan,
  beds: readonly Bed[],
  grid: Grid,
  areaMode: 'binary' | 'fractional',
  compress?: Compress,
): Promise<Artifact[]> {
  const { width, height } = scan.window;
  const overlay = renderOverlay(scan.mask, width, height);
  const geojson = bedsToGeoJson(beds, scan.runs, grid, { x0: 0, y0: 0, width, height }, areaMode);
  const artifacts: Artifact[] = [
    { name: 'kelp-mask.tif', contentType: ARTIFACT_TYPES['kelp-mask.tif'], bytes: await encodeKelpMask(scan.mask, grid, compress) },
    { name: 'overlay.png', contentType: 'image/png', bytes: await encodePng(overlay, compress) },
    { name: 'beds.geojson', contentType: ARTIFACT_TYPES['beds.geojson'], bytes: new TextEncoder().encode(JSON.stringify(geojson)) },
  ];
  const layers = scan.layers;
  if (layers) {
    for (const layer of layers.layers) {
      const image = { width: layers.size.width, height: layers.size.height, rgba: layers.render(layer) };
      artifacts.push({ name: `layers/${layer}.png`, contentType: 'image/png', bytes: await encodePng(image, compress) });
    }
  }
  artifacts.push(...(await renderMapArtifacts(scan, grid, compress)));
  return artifacts;
}

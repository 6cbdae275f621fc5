/**
 * Map images: the kelp overlay and the index layers resampled onto a regular EPSG:3857 (Web
 * Mercator) grid, for `L.imageOverlay(url, bounds)` on a Leaflet map.
 *
 * Why server-side: Leaflet stretches an image linearly in Web Mercator between its lat/lng
 * bounds. A PNG on the scene's own UTM grid placed that way is misplaced, because a UTM grid is
 * rotated against north by the grid convergence (Δλ·sin φ: about 2° at 3° from the central
 * meridian at 40° N): stretched over its lat/lng bounding box, a full tile off Monterey is off by
 * up to 2.5 km, one at 60° N past its zone edge by 9 km, the 5 km bundled sample by 57 m.
 * An image that is itself a regular grid in EPSG:3857 lands exactly: the projection is a
 * conformal cylinder, x depending only on longitude and y only on latitude, so the image's
 * lat/lng bounds are an axis-aligned rectangle in Mercator and Leaflet's linear stretch between
 * the two projected corners is the image's own grid: every pixel lands where it belongs, at
 * any zoom. (Conformal on the sphere; with WGS 84 latitudes its pixels are square on the ground
 * to within ~0.3 %, which matters for looks only, not for placement.)
 */
import { LAYER_STYLES } from '../analysis/layers.js';
import type { LayerName } from '../analysis/options.js';
import type { Artifact, ResultMap } from '../analysis/result.js';
import { MASK } from '../analysis/mask-values.js';
import type { SceneScan } from '../analysis/scan.js';
import type { Compress } from '../raster/deflate.js';
import type { Grid } from '../raster/grid.js';
import { encodeBilevelPng, encodePng } from '../raster/png-encoder.js';
import { type MapGrid, chooseMapGrid, layerMapGrid } from './map-grid.js';
import { type MapTransform, createMapTransform } from './map-transform.js';

/** Every map artifact the analysis may write, with its content type. */
export const MAP_ARTIFACT_TYPES: Record<string, string> = {
  'map/kelp.png': 'image/png',
  ...Object.fromEntries(Object.keys(LAYER_STYLES).map((layer) => [`map/${layer}.png`, 'image/png'])),
};

/** A kelp pixel, as `overlay.png` draws a block that is all kelp (core/analysis/layers.ts). */
export const MAP_KELP_RGBA: readonly [number, number, number, number] = [0, 200, 83, 255];

/** An image on the scene window's grid, downsampled by `factor` (1 for full resolution). */
interface SceneImage {
  factor: number;
  width: number;
  height: number;
}

/**
 * Renders `map/kelp.png` (kelp green where the mask is kelp, transparent elsewhere and outside the
 * scene) and `map/<layer>.png` for each layer the scan accumulated, on the Mercator grid of
 * {@link chooseMapGrid} (layers on its {@link layerMapGrid}: same bounds, coarser for scenes over
 * 2048 px), by nearest neighbour through the approximate transform.
 *
 * @example
 * ```ts
 * const artifacts = await renderMapArtifacts(scan, windowGrid(stack.grid, window), compress);
 * artifacts.map((a) => a.name); // ['map/kelp.png', 'map/rgb.png']
 * ```
 */
export async function renderMapArtifacts(scan: SceneScan, grid: Grid, compress?: Compress): Promise<Artifact[]> {
  const map = chooseMapGrid(grid);
  const transform = createMapTransform(grid, map);
  const scene = { width: scan.window.width, height: scan.window.height };
  // Kelp is one colour over transparency: a 1-bit palette PNG, 1/32 of the RGBA bytes to encode.
  const rowBytes = Math.ceil(map.width / 8);
  const bits = new Uint8Array(rowBytes * map.height);
  sampleMap(map, transform, scene, { factor: 1, ...scene }, (y, x, s) => {
    if (scan.mask[s] === MASK.kelp) bits[y * rowBytes + (x >> 3)] |= 0x80 >> (x & 7);
  });
  const kelp = await encodeBilevelPng({ width: map.width, height: map.height, bits }, [[0, 0, 0, 0], MAP_KELP_RGBA], compress);
  const artifacts: Artifact[] = [{ name: 'map/kelp.png', contentType: 'image/png', bytes: kelp }];
  const layers = scan.layers;
  if (layers?.layers.length) {
    const layerMap = layerMapGrid(map);
    const layerTransform = map.layerScale === 1 ? transform : createMapTransform(grid, layerMap);
    for (const layer of layers.layers) {
      const rendered = layers.render(layer);
      // One 32-bit word per RGBA pixel, copied in memory byte order: one load and one store.
      const source = new Uint32Array(rendered.buffer, rendered.byteOffset, rendered.length / 4);
      const pixels = new Uint32Array(layerMap.width * layerMap.height);
      sampleMap(layerMap, layerTransform, scene, layers.size, (y, x, s) => {
        pixels[y * layerMap.width + x] = source[s];
      });
      const image = { width: layerMap.width, height: layerMap.height, rgba: new Uint8Array(pixels.buffer) };
      artifacts.push({ name: `map/${layer}.png`, contentType: 'image/png', bytes: await encodePng(image, compress) });
    }
  }
  return artifacts;
}

/**
 * `AnalysisResult.map` for the map artifacts in `artifacts`: the grid {@link renderMapArtifacts}
 * drew them on (recomputed: it depends on `grid` alone) and their names.
 *
 * @example
 * ```ts
 * const map = describeMap(grid, artifacts);
 * L.imageOverlay(`${base}/${map.kelp}`, [[map.boundsWgs84[1], map.boundsWgs84[0]], [map.boundsWgs84[3], map.boundsWgs84[2]]]);
 * ```
 */
export function describeMap(grid: Grid, artifacts: ReadonlyArray<Pick<Artifact, 'name'>>): ResultMap {
  const map = chooseMapGrid(grid);
  const names = new Set(artifacts.map((artifact) => artifact.name));
  const layers = (Object.keys(LAYER_STYLES) as LayerName[]).filter((layer) => names.has(`map/${layer}.png`));
  return {
    crs: 'EPSG:3857',
    boundsWgs84: map.boundsWgs84,
    bounds: map.bounds,
    width: map.width,
    height: map.height,
    pixelSizeM: map.pixelSize,
    layerWidth: map.width / map.layerScale,
    layerHeight: map.height / map.layerScale,
    maxSide: map.maxSide,
    resampling: 'nearest',
    kelp: 'map/kelp.png',
    layers: Object.fromEntries(layers.map((layer) => [layer, `map/${layer}.png`])),
  };
}

/**
 * Visits every map pixel whose centre falls inside the scene with its row `y`, column `x` and
 * the index `s` of the pixel of `source` (the scene, or an image of it downsampled by `factor`)
 * it lands in: nearest neighbour. Pixels outside the scene are not visited (they stay transparent).
 */
function sampleMap(
  map: MapGrid,
  transform: MapTransform,
  scene: { width: number; height: number },
  source: SceneImage,
  visit: (y: number, x: number, s: number) => void,
): void {
  const cols = new Float64Array(map.width);
  const rows = new Float64Array(map.width);
  const { factor, width: sourceWidth } = source;
  for (let y = 0; y < map.height; y++) {
    transform.positionsRow(y, cols, rows);
    for (let x = 0; x < map.width; x++) {
      const col = cols[x];
      const row = rows[x];
      // Written so NaN (no position) fails too.
      if (!(col >= 0 && col < scene.width && row >= 0 && row < scene.height)) continue;
      visit(y, x, Math.floor(row / factor) * sourceWidth + Math.floor(col / factor));
    }
  }
}

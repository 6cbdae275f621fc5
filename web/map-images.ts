import type * as L from 'leaflet';
import { ApiError } from './api.js';
import { usableMapImages } from './artifacts.js';
import { boundsOf } from './map-view.js';
import { LAYERS, type LayerName, type ResultDocument } from './types.js';

/** Which images of a result go on the map, and the box they fill. */
export interface ImageSet {
  /** True for the Web Mercator `map/` images (exact); false for scene-grid PNGs stretched over `grid.bboxWgs84`. */
  aligned: boolean;
  bounds: L.LatLngBounds;
  kelp: string;
  layers: Partial<Record<LayerName, string>>;
}

/**
 * The result's Web Mercator images (`result.map`), made to be placed with `L.imageOverlay`
 * exactly; undefined when there are none, or their box or kelp image name is not one the page
 * accepts (artifacts.ts). Layer names it does not accept are left out.
 */
export function mapImages(result: ResultDocument): ImageSet | undefined {
  const map = usableMapImages(result.map);
  if (!map) return undefined;
  return { aligned: true, bounds: boundsOf(map.boundsWgs84), kelp: map.kelp, layers: map.layers };
}

/**
 * The scene-grid images (`overlay.png`, `layers/<name>.png`) over the scene's WGS 84 box: for
 * results made before the map images existed. A UTM grid is rotated against north, so this is
 * approximate, and the page says so.
 */
export function sceneImages(result: ResultDocument): ImageSet {
  const names = new Set(result.artifacts.map((artifact) => artifact.name));
  const layers = Object.fromEntries(LAYERS.filter((layer) => names.has(`layers/${layer}.png`)).map((layer) => [layer, `layers/${layer}.png`]));
  return { aligned: false, bounds: boundsOf(result.grid.bboxWgs84), kelp: 'overlay.png', layers };
}

/**
 * The kelp image of the best set this deployment serves: the map images, or the scene-grid ones
 * when the result names map images the API does not have (404, e.g. an older API version).
 */
export async function loadKelpImage(result: ResultDocument, fetchBlob: (artifact: string) => Promise<Blob>): Promise<{ set: ImageSet; kelp: Blob | Error }> {
  const preferred = mapImages(result);
  if (preferred) {
    const kelp = await fetchBlob(preferred.kelp).catch((error: Error) => error);
    if (!(kelp instanceof ApiError && kelp.status === 404)) return { set: preferred, kelp };
  }
  const fallback = sceneImages(result);
  return { set: fallback, kelp: await fetchBlob(fallback.kelp).catch((error: Error) => error) };
}

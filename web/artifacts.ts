/**
 * Which artifact names from a result the page will fetch. The names come from the result
 * document (`result.map`), which the page appends to `api/analyses/<id>/`: only the image names
 * the core writes are taken (`map/kelp.png`, `map/<layer>.png`, `layers/<layer>.png`), so a
 * document naming anything else (another path, a query, `..`) fetches nothing it should not.
 * No Leaflet here, so it is unit-tested in Node.
 */
import { LAYERS, type LayerName, type MapImages } from './types.js';

/** The only image artifact names the page fetches. */
const IMAGE_ARTIFACT = /^(map|layers)\/[a-z-]+\.png$/;

/** `name` when it is an image artifact name of that form, else undefined. */
export function imageArtifact(name: unknown): string | undefined {
  return typeof name === 'string' && IMAGE_ARTIFACT.test(name) ? name : undefined;
}

/**
 * The usable part of `result.map`: its box and kelp image when they are well formed (else
 * undefined, and the page falls back to the scene-grid images), and the layers whose names are.
 */
export function usableMapImages(map: MapImages | undefined): { boundsWgs84: [number, number, number, number]; kelp: string; layers: Partial<Record<LayerName, string>> } | undefined {
  if (!map || typeof map !== 'object') return undefined;
  const kelp = imageArtifact(map.kelp);
  const box = map.boundsWgs84;
  if (!kelp || !Array.isArray(box) || box.length !== 4 || !box.every((value) => typeof value === 'number' && Number.isFinite(value))) return undefined;
  const given = (map.layers && typeof map.layers === 'object' ? map.layers : {}) as Partial<Record<string, unknown>>;
  const layers: Partial<Record<LayerName, string>> = {};
  for (const layer of LAYERS) {
    const name = Object.hasOwn(given, layer) ? imageArtifact(given[layer]) : undefined;
    if (name) layers[layer] = name;
  }
  return { boundsWgs84: [box[0], box[1], box[2], box[3]], kelp, layers };
}

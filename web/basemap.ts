import * as L from 'leaflet';
import { BASEMAP_COLOURS, decodeBasemap } from './basemap-data.js';

/** Below every other layer (Leaflet's tiles are at 200, our result layers from 350). */
const PANE = { name: 'basemap', zIndex: 150 } as const;

/**
 * Draws the offline basemap: Natural Earth land (the coastline is its edge) and country borders,
 * fetched from the page's own assets (`url`, content-hashed) and drawn on one canvas, so the
 * user finds their coast at country and regional zoom without any tile server. At bed scale the
 * scene's own true colour is the context. Resolves once it is drawn; rejects when the data could
 * not be loaded (the map is then the sea colour alone).
 *
 * @example
 * ```ts
 * await addOfflineBasemap(map, 'assets/basemap-1A2B3C4D.json');
 * ```
 */
export async function addOfflineBasemap(map: L.Map, url: string): Promise<void> {
  const response = await fetch(new URL(url, document.baseURI).href);
  if (!response.ok) throw new Error(`the basemap data answered ${response.status}`);
  const { land, borders } = decodeBasemap(await response.json());
  map.createPane(PANE.name).style.zIndex = String(PANE.zIndex);
  const renderer = L.canvas({ pane: PANE.name, padding: 0.5 });
  const common = { pane: PANE.name, renderer, interactive: false } as const;
  L.polygon(land, { ...common, stroke: true, color: BASEMAP_COLOURS.coast, weight: 0.8, fillColor: BASEMAP_COLOURS.land, fillOpacity: 1, smoothFactor: 1 }).addTo(map);
  if (borders.length) L.polyline(borders, { ...common, color: BASEMAP_COLOURS.border, weight: 0.8, smoothFactor: 1 }).addTo(map);
}

import * as L from 'leaflet';
import { addOfflineBasemap } from './basemap.js';
import { el } from './dom.js';
import { MESSAGES } from './messages.js';
import type { PageConfig } from './page-config.js';

/** Where the map starts when the user has no view of their own yet: the whole world. */
const START: L.LatLngTuple = [20, 0];
const START_ZOOM = 2;
/** The user's last view (centre and zoom), kept in this browser so the next visit opens there. */
const VIEW_KEY = 'kelpie.view';

/** A map control whose content is built with DOM calls (Leaflet's attribution would set HTML). */
function textControl(position: L.ControlPosition, build: () => HTMLElement): L.Control {
  const Control = L.Control.extend({
    onAdd: () => {
      const node = build();
      L.DomEvent.disableClickPropagation(node);
      L.DomEvent.disableScrollPropagation(node);
      return node;
    },
  });
  return new Control({ position });
}

/** The view the user left the map at, if this browser kept one. */
export function savedView(): { center: L.LatLngTuple; zoom: number } | undefined {
  try {
    const value = JSON.parse(localStorage.getItem(VIEW_KEY) ?? 'null') as { lat?: unknown; lng?: unknown; zoom?: unknown } | null;
    const numbers = [value?.lat, value?.lng, value?.zoom];
    if (!numbers.every((n) => typeof n === 'number' && Number.isFinite(n))) return undefined;
    const [lat, lng, zoom] = numbers as number[];
    return Math.abs(lat) <= 90 && zoom >= 0 && zoom <= 22 ? { center: [lat, lng], zoom } : undefined;
  } catch {
    return undefined; // storage disabled or unreadable: the world view
  }
}

function keepView(map: L.Map): void {
  try {
    const { lat, lng } = map.getCenter().wrap();
    localStorage.setItem(VIEW_KEY, JSON.stringify({ lat: Math.round(lat * 1e5) / 1e5, lng: Math.round(lng * 1e5) / 1e5, zoom: map.getZoom() }));
  } catch {
    // storage disabled: the next visit opens on the world
  }
}

/**
 * The Leaflet map: the tile basemap of `KELPIE_BASEMAP_URL` when configured (its credit shown as
 * text), else the offline one (Natural Earth land, coast and borders bundled with the page).
 * It opens on the user's last view when this browser kept one, else on the world (the page then
 * moves to the newest analysis). Everything else (overlays, beds, the area being chosen) is added
 * by the other modules.
 *
 * @example
 * ```ts
 * const map = createMap(byId('map'), readPageConfig());
 * ```
 */
export function createMap(container: HTMLElement, config: PageConfig): L.Map {
  const view = savedView();
  const map = L.map(container, { attributionControl: false, zoomSnap: 0.25, worldCopyJump: true }).setView(view?.center ?? START, view?.zoom ?? START_ZOOM);
  map.on('moveend', () => keepView(map));
  container.classList.add('sea');
  const credit = el('span', {});
  if (config.basemapUrl) {
    L.tileLayer(config.basemapUrl, { maxZoom: 19, crossOrigin: true }).addTo(map);
    credit.textContent = config.basemapAttribution ?? `Basemap: ${new URL(config.basemapUrl.replace(/\{s\}\./, '')).host}`;
  } else if (config.basemapData) {
    credit.textContent = MESSAGES.basemapOffline;
    addOfflineBasemap(map, config.basemapData).catch(() => (credit.textContent = MESSAGES.basemapFailed));
  }
  textControl('bottomright', () => el('div', { class: 'leaflet-control-attribution map-credit' }, credit, ' · Leaflet')).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);
  return map;
}

/** Adds a control with DOM content at `position`; returns it so it can be removed. */
export function addPanel(map: L.Map, position: L.ControlPosition, build: () => HTMLElement): L.Control {
  return textControl(position, build).addTo(map);
}

/** `[west, south, east, north]` as Leaflet bounds. */
export function boundsOf([west, south, east, north]: readonly number[]): L.LatLngBounds {
  return L.latLngBounds([south, west], [north, east]);
}

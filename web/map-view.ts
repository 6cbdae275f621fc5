import * as L from 'leaflet';
import { el } from './dom.js';
import type { PageConfig } from './page-config.js';

/** Where the map starts before anything is chosen: the whole world. */
const START: L.LatLngTuple = [20, 0];
const START_ZOOM = 2;

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

/**
 * The Leaflet map: the basemap from `KELPIE_BASEMAP_URL` when configured (its credit shown as
 * text), else a plain sea-coloured background and a note saying how to add one. Everything else
 * (overlays, beds, the area being chosen) is added by the other modules.
 *
 * @example
 * ```ts
 * const map = createMap(byId('map'), readPageConfig());
 * ```
 */
export function createMap(container: HTMLElement, config: PageConfig): L.Map {
  const map = L.map(container, { attributionControl: false, zoomSnap: 0.25, worldCopyJump: true }).setView(START, START_ZOOM);
  container.classList.toggle('no-basemap', !config.basemapUrl);
  if (config.basemapUrl) {
    L.tileLayer(config.basemapUrl, { maxZoom: 19, crossOrigin: true }).addTo(map);
  }
  const credit = config.basemapUrl ? (config.basemapAttribution ?? `Basemap: ${new URL(config.basemapUrl.replace(/\{s\}\./, '')).host}`) : undefined;
  textControl('bottomright', () =>
    el('div', { class: 'leaflet-control-attribution map-credit' }, credit ?? 'No basemap (set KELPIE_BASEMAP_URL to add one)', ' · Leaflet'),
  ).addTo(map);
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

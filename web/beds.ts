import * as L from 'leaflet';
import { el } from './dom.js';
import { formatHa, formatM2 } from './format.js';

/** The properties of one bed in `beds.geojson` (core/artifacts/beds-geojson.ts). */
export interface BedProperties {
  id: number;
  areaM2: number;
  areaMode?: string;
  pixelCount?: number;
}

export type BedCollection = GeoJSON.FeatureCollection<GeoJSON.Geometry, BedProperties>;

/** What a bed's popup says: its number and area (built as text). */
export function bedSummary(bed: BedProperties): HTMLElement {
  return el(
    'div',
    { class: 'bed-popup' },
    el('strong', { text: `Bed ${bed.id}` }),
    el('br'),
    `${formatHa(bed.areaM2 / 10_000)} (${formatM2(bed.areaM2)})${bed.areaMode ? `, ${bed.areaMode}` : ''}`,
  );
}

/**
 * The beds as outlined polygons on `pane`; a click (or {@link BedsLayer.open}, for the keyboard
 * list in the results panel) opens a popup with the bed's area.
 */
export class BedsLayer {
  readonly layer: L.GeoJSON;
  private readonly byId = new Map<number, L.Layer>();

  constructor(collection: BedCollection, pane: string) {
    // smoothFactor 0: outlines exactly as beds.geojson draws them (pixel edges), not simplified.
    const options: L.GeoJSONOptions<BedProperties> & L.PolylineOptions = {
      pane,
      smoothFactor: 0,
      style: { className: 'bed', weight: 2, fillOpacity: 0.15 },
      onEachFeature: (feature: GeoJSON.Feature<GeoJSON.Geometry, BedProperties>, layer) => {
        layer.bindPopup(() => bedSummary(feature.properties));
        this.byId.set(feature.properties.id, layer);
      },
    };
    this.layer = L.geoJSON(collection, options);
  }

  /** Opens bed `id`'s popup and brings it into view. */
  open(id: number, map: L.Map): void {
    const layer = this.byId.get(id) as (L.Layer & { getBounds?: () => L.LatLngBounds }) | undefined;
    if (!layer) return;
    if (layer.getBounds) map.fitBounds(layer.getBounds(), { maxZoom: Math.max(map.getZoom(), 14) });
    layer.openPopup();
  }
}

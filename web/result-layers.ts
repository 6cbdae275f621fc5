import * as L from 'leaflet';
import type { ApiClient } from './api.js';
import { imageArtifact } from './artifacts.js';
import { type BedCollection, BedsLayer } from './beds.js';
import { el } from './dom.js';
import { LAYER_LEGEND, baseLegend, legendFor } from './legend.js';
import { type ImageSet, loadKelpImage, mapImages, sceneImages } from './map-images.js';
import { addPanel, boundsOf } from './map-view.js';
import { MESSAGES, wordsFor } from './messages.js';
import { LAYERS, type LayerName, type ResultDocument } from './types.js';

/** Stacking on the map: index layers under the kelp, beds and the scene outline on top. */
const PANES = { layers: 350, kelp: 420, beds: 440 } as const;

/**
 * Which index layers are on, and at what opacity, kept from one result to the next for this
 * page: true colour starts on (the scene under the kelp is its context), the others off.
 */
const CHOICES = new Map<LayerName, { on: boolean; opacity: number }>([['rgb', { on: true, opacity: 1 }]]);
const choiceOf = (layer: LayerName) => CHOICES.get(layer) ?? { on: false, opacity: 0.8 };

/** One toggle of the layers panel. */
interface Row {
  label: string;
  swatch?: string;
  checked: boolean;
  /** The slider's starting value, 0–1. */
  opacityValue?: number;
  /** Why the layer could not be loaded (shown instead of the toggle working). */
  failed?: string;
  toggle(on: boolean): Promise<void> | void;
  opacity?(value: number): void;
}

/**
 * A result on the map: the kelp image and the scene outline where the result says (its Web
 * Mercator `map` images, exact; else the scene-grid PNGs over `grid.bboxWgs84`, approximate and
 * said so), the beds, optional index layers with opacity, and a legend. Images are fetched with
 * the API key and shown from object URLs, revoked when the next result replaces them.
 */
export class ResultLayers {
  private readonly added: L.Layer[] = [];
  private readonly urls: string[] = [];
  private panel?: L.Control;
  private controller = new AbortController();
  beds?: BedsLayer;

  constructor(
    private readonly map: L.Map,
    private readonly api: ApiClient,
  ) {
    for (const [name, zIndex] of Object.entries(PANES)) map.createPane(name).style.zIndex = String(zIndex);
  }

  /** Removes everything of the previous result. */
  clear(): void {
    this.controller.abort();
    this.controller = new AbortController();
    for (const layer of this.added.splice(0)) layer.remove();
    for (const url of this.urls.splice(0)) URL.revokeObjectURL(url);
    this.panel?.remove();
    this.panel = undefined;
    this.caption?.remove();
    this.caption = this.captionText = undefined;
    this.beds = undefined;
  }

  /** Outlines an area (a series' area of interest) and brings it into view. */
  showArea(bboxWgs84: readonly number[]): void {
    this.clear();
    const bounds = boundsOf(bboxWgs84);
    this.keep(L.rectangle(bounds, { className: 'scene-bounds', weight: 1.5, fill: false, interactive: false, pane: 'beds' }));
    this.map.fitBounds(bounds, { padding: [16, 16] });
  }

  /** Draws `result`; resolves when the kelp image and the beds are on the map. */
  async show(result: ResultDocument): Promise<BedCollection | undefined> {
    this.clear();
    const { signal } = this.controller;
    const base = `api/analyses/${encodeURIComponent(result.id)}/`;
    const fetchBlob = (artifact: string) => this.api.blob(base + artifact, signal);
    this.map.fitBounds((mapImages(result) ?? sceneImages(result)).bounds, { padding: [16, 16] });
    // The kelp image and the beds load side by side; one failing leaves the other on the map.
    const [{ set, kelp }, collection] = await Promise.all([
      loadKelpImage(result, fetchBlob),
      this.api.json<BedCollection>('GET', `${base}beds.geojson`, { signal }).then((reply) => reply.body, (error: Error) => error),
    ]);
    if (signal.aborted) return undefined;
    const overlay = (blob: Blob, pane: string, className: string, alt: string) => {
      const url = URL.createObjectURL(blob);
      this.urls.push(url);
      return this.keep(L.imageOverlay(url, set.bounds, { pane, className, alt, interactive: false }));
    };
    this.keep(L.rectangle(set.bounds, { className: 'scene-bounds', weight: 1.5, fill: false, interactive: false, pane: 'beds' }));

    const rows: Row[] = [];
    if (kelp instanceof Error) rows.push({ label: 'Kelp canopy', swatch: 'swatch-kelp', checked: false, failed: wordsFor(kelp), toggle: () => undefined });
    else {
      const image = overlay(kelp, 'kelp', 'kelp-overlay', 'Kelp canopy');
      rows.push({ label: 'Kelp canopy', swatch: 'swatch-kelp', checked: true, toggle: (on) => this.visible(image, on), opacity: (value) => image.setOpacity(value) });
    }
    if (collection instanceof Error) rows.push({ label: 'Kelp beds', swatch: 'swatch-bed', checked: false, failed: wordsFor(collection), toggle: () => undefined });
    else {
      const beds = this.keep((this.beds = new BedsLayer(collection, 'beds')).layer);
      rows.push({ label: 'Kelp beds', swatch: 'swatch-bed', checked: true, toggle: (on) => this.visible(beds, on), opacity: (value) => beds.setStyle({ opacity: value, fillOpacity: 0.15 * value }) });
    }
    for (const layer of LAYERS) {
      const artifact = imageArtifact(set.layers[layer]); // only `map/…png` and `layers/…png` names are fetched
      if (!artifact) continue;
      let image: L.ImageOverlay | undefined;
      const choice = choiceOf(layer);
      rows.push({
        label: LAYER_LEGEND[layer].label,
        checked: choice.on,
        opacityValue: choice.opacity,
        toggle: async (on) => {
          CHOICES.set(layer, { ...choiceOf(layer), on });
          if (on && !image) image = overlay(await fetchBlob(artifact), 'layers', `layer-${layer}`, LAYER_LEGEND[layer].label);
          if (signal.aborted) return;
          image?.setOpacity(choiceOf(layer).opacity);
          if (image) this.visible(image, on);
          this.legendLine(layer, on);
          this.describe(set.layers);
        },
        opacity: (value) => {
          CHOICES.set(layer, { ...choiceOf(layer), opacity: value });
          image?.setOpacity(value);
        },
      });
    }
    this.panel = addPanel(this.map, 'topright', () => this.buildPanel(rows, set.aligned));
    this.caption = addPanel(this.map, 'bottomleft', () => (this.captionText = el('p', { class: 'leaflet-control map-caption' })));
    this.describe(set.layers);
    return collection instanceof Error ? undefined : collection;
  }

  private caption?: L.Control;
  private captionText?: HTMLElement;

  /** The one-line legend under the map: what each colour is, the true colour when it is on. */
  private describe(layers: ImageSetLayers): void {
    if (!this.captionText) return;
    const rgbOn = layers.rgb !== undefined && choiceOf('rgb').on;
    this.captionText.textContent = mapCaption(rgbOn);
  }

  private legend?: HTMLElement;

  private legendLine(layer: LayerName, on: boolean): void {
    this.legend?.querySelector(`[data-layer="${layer}"]`)?.remove();
    if (!on || !this.legend) return;
    const line = legendFor(layer);
    line.dataset.layer = layer;
    this.legend.append(line);
  }

  private keep<T extends L.Layer>(layer: T): T {
    this.added.push(layer.addTo(this.map));
    return layer;
  }

  private visible(layer: L.Layer, on: boolean): void {
    if (on) layer.addTo(this.map);
    else layer.remove();
  }

  private buildPanel(rows: Row[], aligned: boolean): HTMLElement {
    const list = el('ul', { class: 'layer-list' });
    rows.forEach((row, i) => {
      const box = el('input', { attrs: { type: 'checkbox', id: `layer-${i}` } });
      box.checked = row.checked;
      const status = el('span', { class: row.failed ? 'layer-status error' : 'layer-status', attrs: { 'aria-live': 'polite' }, text: row.failed ?? '' });
      box.disabled = row.failed !== undefined;
      const slider = el('input', { attrs: { type: 'range', min: '0', max: '100', value: String(Math.round(100 * (row.opacityValue ?? 1))), 'aria-label': `Opacity of ${row.label}` } });
      slider.hidden = !row.checked;
      slider.addEventListener('input', () => row.opacity?.(Number(slider.value) / 100));
      const apply = async () => {
        slider.hidden = !box.checked;
        status.textContent = box.checked ? 'loading…' : '';
        try {
          await row.toggle(box.checked);
          status.textContent = '';
        } catch (error) {
          status.textContent = wordsFor(error as Error);
          box.checked = false;
          slider.hidden = true;
        }
      };
      box.addEventListener('change', apply);
      // A layer that starts on (true colour) is loaded as if it had been ticked.
      if (row.checked && row.opacityValue !== undefined && !row.failed) void apply();
      const label = el('label', { attrs: { for: box.id } }, row.swatch ? el('span', { class: `swatch ${row.swatch}`, attrs: { 'aria-hidden': 'true' } }) : null, row.label);
      list.append(el('li', {}, box, label, slider, status));
    });
    this.legend = baseLegend();
    const note = aligned ? null : el('p', { class: 'note' }, MESSAGES.alignmentApproximate);
    return el('div', { class: 'leaflet-control layers-panel' }, el('details', { attrs: window.matchMedia('(min-width: 761px)').matches ? { open: '' } : {} }, el('summary', { text: 'Layers and legend' }), list, note, this.legend));
  }
}

type ImageSetLayers = ImageSet['layers'];

/**
 * The one-line legend of a result on the map: what the colours are, and what is under them.
 *
 * @example
 * ```ts
 * mapCaption(true); // 'Green: kelp canopy · brown outline: a kelp bed · dashed: the analysed scene, in true colour …'
 * ```
 */
export function mapCaption(trueColour: boolean): string {
  const under = trueColour ? 'dashed: the analysed scene, in true colour (as the eye would see it)' : 'dashed: the analysed scene';
  return `Green: kelp canopy · brown outline: a kelp bed · ${under} · around it: land and sea`;
}

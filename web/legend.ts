import { el } from './dom.js';
import type { LayerName } from './types.js';

/**
 * How each index layer is drawn, as core/analysis/layers.ts (LAYER_STYLES) renders it: colour
 * composites stretch reflectance over `range` per channel; ramps map `range` onto viridis.
 * test/unit/web/legend.test.ts checks these against the core's table.
 */
export const LAYER_LEGEND: Record<LayerName, { label: string; kind: 'colour' | 'ramp'; range: [number, number]; sources: string }> = {
  rgb: { label: 'True colour', kind: 'colour', range: [0, 0.25], sources: 'B04, B03, B02' },
  'false-color': { label: 'False colour', kind: 'colour', range: [0, 0.35], sources: 'B08, B04, B03' },
  ndvi: { label: 'NDVI', kind: 'ramp', range: [-0.6, 0.6], sources: '(B08 − B04) / (B08 + B04)' },
  fai: { label: 'FAI', kind: 'ramp', range: [-0.05, 0.15], sources: 'floating algae index' },
  kd: { label: 'KD', kind: 'ramp', range: [-0.03, 0.09], sources: 'B06 − B04' },
};

/** The legend line of a layer: a swatch or ramp, and what the colours mean. */
export function legendFor(layer: LayerName): HTMLElement {
  const style = LAYER_LEGEND[layer];
  const [low, high] = style.range;
  if (style.kind === 'colour') {
    return el('p', { class: 'legend-line' }, el('span', { class: `swatch swatch-${layer}`, attrs: { 'aria-hidden': 'true' } }), `${style.label}: ${style.sources} as red, green, blue; reflectance ${low}–${high}`);
  }
  return el(
    'div',
    { class: 'legend-line' },
    `${style.label} (${style.sources})`,
    el('div', { class: 'ramp-row' }, el('span', { text: String(low) }), el('span', { class: 'ramp', attrs: { 'aria-hidden': 'true' } }), el('span', { text: String(high) })),
  );
}

/** The fixed legend: kelp, beds and the scene's outline. */
export function baseLegend(): HTMLElement {
  return el(
    'div',
    { class: 'legend' },
    el('p', { class: 'legend-line' }, el('span', { class: 'swatch swatch-kelp', attrs: { 'aria-hidden': 'true' } }), 'Kelp canopy'),
    el('p', { class: 'legend-line' }, el('span', { class: 'swatch swatch-bed', attrs: { 'aria-hidden': 'true' } }), 'Kelp bed (select for its area)'),
    el('p', { class: 'legend-line' }, el('span', { class: 'swatch swatch-scene', attrs: { 'aria-hidden': 'true' } }), 'Analysed scene'),
  );
}

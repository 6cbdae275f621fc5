import { AREA_GUIDE, AREA_MODE_LABELS, labelOf, words } from '../core/report/labels.js';
import { observableShare, pixelShares } from '../core/report/pixels.js';
import { append, el, svg } from './dom.js';
import { formatHa, formatHaFromM2, formatNumber, formatPercent, formatRangeTonnes, formatValue } from './format.js';
import type { ResultDocument } from './types.js';

/** The headline figures, each with its unit; `data-figure` names them for tests and styles. */
export function figures(result: ResultDocument): Array<[key: string, label: string, value: string]> {
  const { kelp, biomass, carbon } = result;
  return [
    ['beds', 'Beds', formatNumber(kelp.beds, 0)],
    ['wet', 'Wet biomass', formatRangeTonnes(biomass.wetKg, 't')],
    ['dry', 'Dry biomass', formatRangeTonnes(biomass.dryKg, 't')],
    ['carbon', 'Carbon', formatRangeTonnes(carbon.kgC, 't C')],
    ['co2e', 'CO₂ equivalent', formatRangeTonnes(carbon.kgCO2e, 't CO₂e')],
  ];
}

/** A range a newer result may give beside an area (`{ low, high }` in m²), written in ha. */
function areaRange(value: unknown): string {
  const range = value as { low?: unknown; high?: unknown } | undefined;
  if (!range || typeof range.low !== 'number' || typeof range.high !== 'number') return '';
  return ` (${formatHaFromM2(range.low)} to ${formatHaFromM2(range.high)})`;
}

/**
 * Binary and fractional area side by side, the one the figures below use marked, and the
 * sentence on which to report for what. `data-figure="area"` is the area in the result's mode
 * (what biomass is computed from), `area-binary` and `area-fractional` the two.
 */
export function areasSection(result: ResultDocument): HTMLElement {
  const kelp = result.kelp as ResultDocument['kelp'] & Record<string, unknown>;
  const box = (mode: 'binary' | 'fractional', areaM2: number, title: string) => {
    const used = kelp.areaMode === mode;
    // The area in the result's mode is the API's own `areaHa`; the other one from its m².
    const value = el('strong', { attrs: { 'data-figure': used ? 'area' : `area-${mode}` }, text: used ? formatHa(kelp.areaHa) : formatHaFromM2(areaM2) });
    const node = el('div', { class: used ? 'area used' : 'area', attrs: { 'data-area': mode } }, el('span', { class: 'area-title', text: title }), value);
    if (used) {
      value.dataset.mode = mode;
      node.append(el('span', { class: 'area-note', text: 'used for biomass and carbon' }));
    }
    const range = areaRange(kelp[`${mode}AreaRangeM2`]);
    if (range) node.append(el('span', { class: 'area-note', text: `range${range}` }));
    return node;
  };
  const section = el(
    'section',
    { class: 'areas', attrs: { 'aria-label': 'Kelp area' } },
    el('h3', { text: 'Kelp area' }),
    el('div', { class: 'area-pair' }, box('binary', kelp.binaryAreaM2, 'Binary: extent'), box('fractional', kelp.fractionalAreaM2, 'Fractional: canopy cover')),
    el('p', { class: 'hint', text: `${AREA_GUIDE} This analysis uses the ${labelOf(AREA_MODE_LABELS, kelp.areaMode)} area for biomass and carbon${kelp.areaMode === 'binary' ? ' (choose Fractional under Options → Area to base them on canopy cover)' : ''}.` }),
  );
  // Extra numbers a newer result gives about fractional cover (end-members and more), in words.
  const details = Object.entries(kelp.fraction ?? {}).filter(([, value]) => typeof value === 'number');
  if (details.length) {
    const list = el('dl', { class: 'facts compact' });
    for (const [name, value] of details) append(list, el('dt', { text: FRACTION_WORDS[name] ?? words(name) }), el('dd', { text: formatValue(value) }));
    section.append(el('details', {}, el('summary', { text: 'How canopy cover is measured' }), list));
  }
  return section;
}

/** The fractional cover's end-members, in words. */
const FRACTION_WORDS: Record<string, string> = {
  waterFai: 'FAI of open water in this scene, median (each pixel uses the water around it)',
  canopyFai: 'FAI of full canopy cover, median of the beds (each large bed uses its own)',
  canopyFaiPixels: 'Pixels of dense uniform canopy the full-cover value rests on',
  bedsWithOwnCanopyFai: 'Beds with their own full-cover value',
  waterCells: '320 m cells with enough open water to measure',
};

/**
 * What the analysis could see: a bar of the scene's pixels by class (kelp, open water, coastal
 * strip, land, cloud, shadow, no data) with each share in words, so a figure is read with how
 * much of the scene was looked at.
 */
export function shareSection(result: ResultDocument): HTMLElement {
  const shares = pixelShares(result.pixels as unknown as Record<string, number>);
  const total = (result.pixels as { total?: number }).total ?? 0;
  const seen = observableShare(result.pixels as unknown as Record<string, number>);
  const description = shares.map((s) => `${s.label} ${formatPercent(s.pixels, total)}`).join(', ');
  const bar = svg('svg', { class: 'share-bar', viewBox: '0 0 100 8', preserveAspectRatio: 'none', role: 'img', 'aria-label': `Pixels of the scene: ${description}` });
  let x = 0;
  for (const share of shares) {
    append(bar, svg('rect', { x: x.toFixed(3), y: 0, width: (100 * share.share).toFixed(3), height: 8, class: `share-${share.key}` }, svg('title', {}, `${share.label}: ${formatPercent(share.pixels, total)}`)));
    x += 100 * share.share;
  }
  const legend = el('ul', { class: 'share-legend' });
  for (const share of shares) {
    legend.append(el('li', { attrs: { 'data-share': share.key } }, el('span', { class: `swatch share-${share.key}`, attrs: { 'aria-hidden': 'true' } }), `${share.label} ${formatPercent(share.pixels, total)}`, el('span', { class: 'share-note', text: ` (${share.note})` })));
  }
  return el(
    'section',
    { class: 'shares' },
    el('h3', { text: 'What the analysis could see' }),
    el('p', { class: 'hint', attrs: { 'data-figure': 'observable' }, text: `Kelp was looked for on ${formatPercent(seen, 1)} of the scene (open water and kelp); kelp under cloud or shadow is not counted.` }),
    bar,
    legend,
  );
}

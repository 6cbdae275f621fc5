import type { BedCollection } from './beds.js';
import { append, el } from './dom.js';
import { formatDateTime, formatHa, formatM2, formatNumber, formatRangeTonnes, formatValue } from './format.js';
import type { ResultDocument } from './types.js';

/** The artifacts offered for download, in this order. */
export const DOWNLOADS = ['result.json', 'kelp-mask.tif', 'beds.geojson'] as const;

/** What the results panel asks the page to do. */
export interface ResultActions {
  download(name: (typeof DOWNLOADS)[number]): Promise<void>;
  openBed(id: number): void;
}

/** The headline figures, each with its unit; `data-figure` names them for tests and styles. */
export function figures(result: ResultDocument): Array<[key: string, label: string, value: string]> {
  const { kelp, biomass, carbon } = result;
  return [
    ['area', 'Kelp area', formatHa(kelp.areaHa)],
    ['beds', 'Beds', formatNumber(kelp.beds, 0)],
    ['wet', 'Wet biomass', formatRangeTonnes(biomass.wetKg, 't')],
    ['dry', 'Dry biomass', formatRangeTonnes(biomass.dryKg, 't')],
    ['carbon', 'Carbon', formatRangeTonnes(carbon.kgC, 't C')],
    ['co2e', 'CO₂ equivalent', formatRangeTonnes(carbon.kgCO2e, 't CO₂e')],
  ];
}

function list(entries: Array<[string, string | Node]>, className = 'facts'): HTMLDListElement {
  const dl = el('dl', { class: className });
  for (const [term, value] of entries) append(dl, el('dt', { text: term }), el('dd', {}, value));
  return dl;
}

function methodSection(result: ResultDocument): HTMLElement {
  const { method, kelp } = result;
  const thresholds = Object.entries(method.thresholds).map(([name, value]): [string, string] => [name, formatValue(value)]);
  const factors = Object.entries(method.factors).map(([name, value]): [string, string] => {
    const source = (value as { source?: string })?.source;
    return [name, `${formatValue(value)}${source ? `; ${source}` : ''}`];
  });
  return el(
    'section',
    { class: 'method' },
    el('h3', { text: 'Method' }),
    list([
      ['Method', `${method.name}: ${method.description}`],
      ['Species', method.species],
      ['Area mode', kelp.areaMode],
      ['Smallest bed', formatM2(method.minBedAreaM2)],
      ['Code version', method.codeVersion],
    ]),
    el('h4', { text: 'Thresholds' }),
    list(thresholds, 'facts compact'),
    el('h4', { text: 'Factors' }),
    list(factors, 'facts compact'),
    el('p', { class: 'hint', text: `Uncertainty: ${method.uncertainty}.` }),
  );
}

function downloadsSection(actions: ResultActions): HTMLElement {
  const section = el('section', { class: 'downloads' }, el('h3', { text: 'Downloads' }));
  for (const name of DOWNLOADS) {
    const error = el('span', { class: 'error inline', attrs: { role: 'alert' } });
    const button = el('button', { attrs: { type: 'button', 'data-download': name }, text: name });
    button.addEventListener('click', async () => {
      error.textContent = '';
      button.disabled = true;
      try {
        await actions.download(name);
      } catch (caught) {
        error.textContent = (caught as Error).message;
      } finally {
        button.disabled = false;
      }
    });
    section.append(el('p', {}, button, ' ', error));
  }
  return section;
}

/** The beds, largest first, each a button that opens its popup on the map (the keyboard way to the beds). */
export function bedsSection(collection: BedCollection | undefined, actions: ResultActions): HTMLElement | null {
  if (!collection?.features.length) return null;
  const beds = collection.features.map((feature) => feature.properties).sort((a, b) => b.areaM2 - a.areaM2);
  const items = beds.map((bed) => {
    const button = el('button', { class: 'link', attrs: { type: 'button' }, text: `Bed ${bed.id}: ${formatHa(bed.areaM2 / 10_000)}` });
    button.addEventListener('click', () => actions.openBed(bed.id));
    return el('li', {}, button);
  });
  return el('details', { class: 'beds' }, el('summary', { text: `Beds, largest first (${beds.length})` }), el('ol', {}, ...items));
}

/**
 * Fills the results panel: the figures with units and ranges, warnings, the scene, the method
 * with its thresholds and factors, downloads and the list of beds. Every value is text.
 */
export function renderResult(container: HTMLElement, result: ResultDocument, actions: ResultActions, beds?: BedCollection): void {
  const { source, kelp } = result;
  const headline = el('dl', { class: 'figures' });
  for (const [key, label, value] of figures(result)) append(headline, el('dt', { text: label }), el('dd', { attrs: { 'data-figure': key }, text: value }));
  const dropped = kelp.bedsDropped ? `${kelp.bedsDropped} patches under ${formatM2(result.method.minBedAreaM2)} are left out of every figure. ` : '';
  const warnings = result.warnings.length
    ? el('section', { class: 'warnings' }, el('h3', { text: 'Warnings' }), el('ul', {}, ...result.warnings.map((w) => el('li', { attrs: { 'data-code': w.code } }, el('strong', { text: w.code }), ': ', w.message))))
    : null;
  container.replaceChildren(
    el('h2', { text: 'Result', attrs: { tabindex: '-1' } }),
    headline,
    el('p', { class: 'hint', text: `${dropped}Area in ${kelp.areaMode} mode; biomass and carbon as low–high ranges: ${result.method.standingStockNote}.` }),
    warnings ?? '',
    el('h3', { text: 'Scene' }),
    list([
      ['Scene', source.sceneId ?? '—'],
      ['Acquired', formatDateTime(source.acquiredAt)],
      ['Image', source.uri],
      ['Analysis', result.id],
      ['Analysed', formatDateTime(result.createdAt)],
    ]),
    methodSection(result),
    downloadsSection(actions),
    bedsSection(beds, actions) ?? '',
  );
  container.hidden = false;
}

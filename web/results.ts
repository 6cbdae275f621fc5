import { FACTOR_LABELS, METHOD_LABELS, SPECIES_LABELS, THRESHOLD_LABELS, UNIT_WORDS, WARNING_TITLES, describe, labelOf, words } from '../core/report/labels.js';
import { inPlainWords } from '../core/report/plain-words.js';
import type { BedCollection } from './beds.js';
import { append, el } from './dom.js';
import { formatDateTime, formatHa, formatM2, formatValue } from './format.js';
import { MESSAGES, wordsFor } from './messages.js';
import { areasSection, figures, shareSection } from './result-figures.js';
import type { ResultDocument } from './types.js';

/** The artifacts offered for download, in this order. */
export const DOWNLOADS = ['result.json', 'kelp-mask.tif', 'beds.geojson'] as const;

/** What the results panel asks the page to do. */
export interface ResultActions {
  download(name: (typeof DOWNLOADS)[number]): Promise<void>;
  openBed(id: number): void;
}

function list(entries: Array<[string, string | Node]>, className = 'facts'): HTMLDListElement {
  const dl = el('dl', { class: className });
  for (const [term, value] of entries) append(dl, el('dt', { text: term }), el('dd', {}, value));
  return dl;
}

/** A threshold or factor: its value with unit, and where the value comes from. */
function valueWithSource(value: unknown, unit: string | undefined, source: string | undefined): HTMLElement {
  const shown = typeof value === 'number' ? formatValue(value) : formatValue({ ...(value as object), unit: undefined });
  return el('span', {}, `${shown}${unit && unit !== 'ratio' ? ` ${unit}` : ''}`, source ? el('span', { class: 'source', text: ` (${source})` }) : null);
}

function methodSection(result: ResultDocument): HTMLElement {
  const { method } = result;
  const thresholds = Object.entries(method.thresholds).map(([name, value]): [string, HTMLElement] => {
    const { label, unit, source } = describe(THRESHOLD_LABELS, name);
    return [label, valueWithSource(value, unit, source)];
  });
  const factors = Object.entries(method.factors)
    .filter(([, value]) => value && typeof value === 'object')
    .map(([name, value]): [string, HTMLElement] => {
      const factor = value as { unit?: string; source?: string };
      const { label, unit } = describe(FACTOR_LABELS, name);
      return [label, valueWithSource(value, unit ?? (factor.unit ? (UNIT_WORDS[factor.unit] ?? factor.unit) : undefined), factor.source)];
    });
  const caveat = typeof method.factors.caveat === 'string' ? el('p', { class: 'hint', text: method.factors.caveat }) : null;
  const extra = method as unknown as Record<string, unknown>;
  return el(
    'section',
    { class: 'method' },
    el('h3', { text: 'Method' }),
    list([
      ['Method', `${labelOf(METHOD_LABELS, method.name)}: ${method.description}`],
      ['Species', labelOf(SPECIES_LABELS, method.species)],
      ['Smallest bed', `${formatM2(method.minBedAreaM2)} (smaller patches are left out)`],
      ['Code version', method.codeVersion],
    ]),
    el('h4', { text: 'Thresholds' }),
    list(thresholds, 'facts compact'),
    el('h4', { text: 'Conversion factors (low–high range)' }),
    list(factors, 'facts compact'),
    caveat,
    el('p', { class: 'hint', text: `Uncertainty: ${typeof extra.uncertainty === 'string' ? extra.uncertainty : describeUncertainty(extra.uncertainty)}.` }),
  );
}

/** An uncertainty a newer result gives as an object: what each range includes, in words. */
function describeUncertainty(value: unknown): string {
  if (!value || typeof value !== 'object') return 'not stated';
  const note = value as { combination?: unknown; ranges?: unknown; notIncluded?: unknown };
  const parts: string[] = [];
  if (Array.isArray(note.ranges)) {
    for (const range of note.ranges as Array<{ label?: unknown; includes?: unknown }>) {
      if (typeof range.label === 'string' && Array.isArray(range.includes)) parts.push(`${range.label} range includes ${range.includes.join(', ')}`);
    }
  }
  if (typeof note.combination === 'string') parts.push(note.combination);
  if (Array.isArray(note.notIncluded) && note.notIncluded.length) parts.push(`no range includes ${note.notIncluded.join(', ')}`);
  if (parts.length) return parts.join('. ');
  return Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
    .map(([name, v]) => `${words(name).toLowerCase()}: ${typeof v === 'number' ? formatValue(v) : v}`)
    .join('; ');
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
        error.textContent = wordsFor(caught as Error);
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
 * Fills the results panel: both areas and which to report for what, the other figures with
 * units and ranges, what share of the scene could be seen, warnings, the scene, the method with
 * its thresholds and factors (labelled in words, with units and sources), downloads and the
 * beds. Every value is text.
 */
export function renderResult(container: HTMLElement, result: ResultDocument, actions: ResultActions, beds?: BedCollection): void {
  const { source, kelp } = result;
  const headline = el('dl', { class: 'figures' });
  for (const [key, label, value] of figures(result)) append(headline, el('dt', { text: label }), el('dd', { attrs: { 'data-figure': key }, text: value }));
  const dropped = kelp.bedsDropped ? `${kelp.bedsDropped} patches under ${formatM2(result.method.minBedAreaM2)} are left out of every figure. ` : '';
  const warnings = result.warnings.length
    ? el(
        'section',
        { class: 'warnings' },
        el('h3', { text: 'Warnings' }),
        el('ul', {}, ...result.warnings.map((w) => el('li', { attrs: { 'data-code': w.code } }, el('strong', { text: WARNING_TITLES[w.code] ?? 'Note' }), ': ', inPlainWords(w.message, 'page')))),
      )
    : null;
  container.replaceChildren(
    el('h2', { text: 'Result', attrs: { tabindex: '-1' } }),
    areasSection(result),
    headline,
    el('p', { class: 'hint', text: `${dropped}Biomass and carbon as low–high ranges: ${result.method.standingStockNote}.` }),
    shareSection(result),
    warnings ?? '',
    el('h3', { text: 'Scene' }),
    list([
      ['Scene', source.sceneId ?? 'an image without a scene name'],
      ['Acquired', source.acquiredAt ? formatDateTime(source.acquiredAt) : MESSAGES.acquiredUnknown],
      // Results stored before sensors were told apart are Sentinel-2's.
      ['Sensor', `${source.sensorLabel ?? 'Sentinel-2 MSI, Level-2A surface reflectance'}, ${result.grid.pixelSizeM} m pixels`],
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

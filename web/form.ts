import { ApiError } from './api.js';
import { byId, find, showError } from './dom.js';
import { MESSAGES, wordsFor } from './messages.js';
import type { ServiceInfo } from './service.js';

export type Mode = 'point' | 'box' | 'upload' | 'key';

/** What the form asks for: a request body, or a file to upload first and the options to analyse it with. */
export type Plan = { mode: 'point' | 'box' | 'key'; body: Record<string, unknown> } | { mode: 'upload'; file: File; options: Record<string, unknown> };

/** A problem the page finds before asking the API, tied to the input it concerns. */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The form input an API issue path points at (`source.stac.end` → `end`). */
const FIELD_BY_PATH: Array<[RegExp, string]> = [
  [/^source\.stac\.point(\.lat)?$/, 'lat'],
  [/^source\.stac\.point\.lng$/, 'lng'],
  [/^source\.stac\.bbox/, 'west'],
  [/^source\.stac\.(\w+)/, '$1'],
  [/^source\.key/, 'key'],
  [/^(\w+)/, '$1'],
];
/** Statuses that are about the image or place asked for, shown beside the source. */
const SOURCE_STATUSES = new Set([404, 409, 413, 415, 422, 503]);

const DAY_MS = 86_400_000;
const isoDay = (time: number) => new Date(time).toISOString().slice(0, 10);

/** The analysis form: its modes, what it asks for, and errors beside the inputs they are about. */
export class AnalysisForm {
  constructor(
    private readonly form: HTMLFormElement,
    onMode: (mode: Mode) => void,
    sampleKey?: string,
  ) {
    const input = (name: string) => this.input(name);
    if (!input('end').value) input('end').value = isoDay(Date.now());
    if (!input('start').value) input('start').value = isoDay(Date.now() - 90 * DAY_MS);
    if (sampleKey && !input('key').value) input('key').value = sampleKey;
    const changed = () => {
      const mode = this.mode();
      for (const part of form.querySelectorAll<HTMLElement>('[data-mode]')) part.hidden = !(part.dataset.mode ?? '').split(' ').includes(mode) || (part.id === 'catalog-note' && !part.dataset.set);
      this.clearErrors();
      onMode(mode);
    };
    for (const radio of form.querySelectorAll<HTMLInputElement>('input[name="mode"]')) radio.addEventListener('change', changed);
    for (const button of form.querySelectorAll<HTMLButtonElement>('[data-switch-mode]')) button.addEventListener('click', () => this.switchTo(button.dataset.switchMode as Mode));
    this.changed = changed;
    changed();
  }

  private readonly changed: () => void;

  /** Chooses another mode, as a click on its tab would. */
  switchTo(mode: Mode): void {
    find<HTMLInputElement>(this.form, `input[name="mode"][value="${mode}"]`).checked = true;
    this.changed();
  }

  /**
   * What the service can do: without a catalog a point or a box cannot be analysed, so the form
   * says so there and opens on a mode that works (a stored image when one is offered, else upload).
   */
  useService(service: ServiceInfo, offersStoredImage: boolean): void {
    if (service.catalog?.configured !== false) return;
    const note = byId('catalog-note');
    note.textContent = MESSAGES.noCatalog;
    note.hidden = !['point', 'box'].includes(this.mode());
    note.dataset.set = 'true';
    if (this.mode() === 'point') this.switchTo(offersStoredImage ? 'key' : 'upload');
  }

  /** The catalog could not be searched: says so in words beside the source, with the modes that work. */
  showCatalogProblem(message: string): void {
    this.clearErrors();
    showError(byId('source-error'), message);
    byId('source-alternatives').hidden = false;
  }

  input(name: string): HTMLInputElement {
    return find<HTMLInputElement>(this.form, `[name="${name}"]`);
  }

  mode(): Mode {
    return (find<HTMLInputElement>(this.form, 'input[name="mode"]:checked').value as Mode) ?? 'point';
  }

  private number(name: string, label: string): number {
    const value = this.input(name).value.trim();
    if (value === '' || !Number.isFinite(Number(value))) throw new FieldError(name, `${label}: enter a number`);
    return Number(value);
  }

  /** The options every mode shares. */
  private options(): Record<string, unknown> {
    const value = (name: string) => find<HTMLSelectElement>(this.form, `[name="${name}"]`).value;
    const layers = [...this.form.querySelectorAll<HTMLInputElement>('input[name="layers"]:checked')].map((box) => box.value);
    const offset = this.input('boaOffset').value.trim();
    const boaOffset = offset === '' ? {} : { boaOffset: this.number('boaOffset', 'Reflectance offset') };
    // An empty method means the sensor's default (kd on Sentinel-2, fai on Landsat): not sent, as an upload is analysed.
    const method = value('method');
    const areaMode = value('areaMode');
    return { ...(method ? { method } : {}), species: value('species'), ...(areaMode ? { areaMode } : {}), minBedAreaM2: this.number('minBedAreaM2', 'Smallest bed'), ...boaOffset, ...(layers.length ? { layers } : {}) };
  }

  /**
   * The place the form holds, typed or drawn (a point and buffer, or a box), as the API takes it;
   * throws `FieldError` for an empty or non-numeric input, and when the form is on an image.
   */
  place(): { point: { lat: number; lng: number }; bufferKm: number } | { bbox: number[] } {
    const mode = this.mode();
    if (mode === 'point') return { point: { lat: this.number('lat', 'Latitude'), lng: this.number('lng', 'Longitude') }, bufferKm: this.number('bufferKm', 'Buffer') };
    if (mode === 'box') return { bbox: [this.number('west', 'West'), this.number('south', 'South'), this.number('east', 'East'), this.number('north', 'North')] };
    throw new FieldError('mode', 'Choose "Point and buffer" or "Box" above, and type or draw the place to watch');
  }

  /** What the form asks for; throws `FieldError` for an empty or non-numeric input. */
  read(): Plan {
    const mode = this.mode();
    const options = this.options();
    if (mode === 'upload') {
      const file = byId<HTMLInputElement>('file').files?.[0];
      if (!file) throw new FieldError('file', 'Choose a GeoTIFF file to upload');
      return { mode, file, options };
    }
    if (mode === 'key') {
      const key = this.input('key').value.trim();
      if (!key) throw new FieldError('key', 'Enter the key of an image in the store, e.g. uploads/scene.tif');
      return { mode, body: { source: { key }, ...options } };
    }
    const place = this.place();
    const [start, end] = [this.input('start').value, this.input('end').value];
    if (!start) throw new FieldError('start', 'From: choose a date');
    if (!end) throw new FieldError('end', 'To: choose a date');
    const stac = { ...place, start, end, maxCloudCover: this.number('maxCloudCover', 'Cloud limit'), series: this.input('series').checked };
    return { mode, body: { source: { stac }, ...options } };
  }

  /** Shows `error` beside what caused it: the input an issue names, else the source or the Run button. */
  showError(error: Error): void {
    this.clearErrors();
    const issue = error instanceof ApiError ? error.details?.issues?.[0] : undefined;
    const field = error instanceof FieldError ? error.field : issue ? fieldFor(issue.path) : undefined;
    const aboutSource = field ? !this.isOption(field) : error instanceof ApiError && SOURCE_STATUSES.has(error.status);
    showError(byId(aboutSource ? 'source-error' : 'options-error'), error instanceof FieldError ? error.message : wordsFor(error));
    const input = field ? this.form.querySelector<HTMLElement>(`[name="${field}"]`) : null;
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', aboutSource ? 'source-error' : 'options-error');
      input.focus();
    }
  }

  /** Shows a failed analysis's message beside the image or place it was about. */
  showSourceError(message: string): void {
    this.clearErrors();
    showError(byId('source-error'), message);
  }

  clearErrors(): void {
    showError(byId('source-error'), undefined);
    showError(byId('options-error'), undefined);
    byId('source-alternatives').hidden = true;
    for (const input of this.form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  }

  busy(on: boolean): void {
    const run = byId<HTMLButtonElement>('run');
    run.disabled = on;
    run.textContent = on ? 'Running…' : 'Run analysis';
  }

  private isOption(field: string): boolean {
    return ['method', 'species', 'areaMode', 'minBedAreaM2', 'boaOffset', 'layers'].includes(field);
  }
}

function fieldFor(path: string): string | undefined {
  for (const [pattern, field] of FIELD_BY_PATH) if (pattern.test(path)) return path.replace(pattern, field).split('.')[0];
  return undefined;
}

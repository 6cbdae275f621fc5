import { AREA_MODE_SHORT, METHOD_SHORT, SPECIES_SHORT, labelOf } from '../core/report/labels.js';
import { type ApiClient, ApiError } from './api.js';
import { el, showError } from './dom.js';
import { formatDateTime, formatHa } from './format.js';
import { MESSAGES, wordsFor } from './messages.js';
import type { ListItem } from './types.js';

/** Analyses per page of the list. */
const PAGE = 20;

/** The random prefix `POST /api/uploads` gives an uploaded file's name (core/api/routes/service.ts). */
const UPLOAD_PREFIX = /^uploads\/[0-9a-f]{16}-/;

/** The name of an image from its key or URL: the part after the last `/` (an upload's random prefix left off). */
function imageName(uri: string | undefined): string | undefined {
  return uri ? (uri.replace(UPLOAD_PREFIX, '').split('/').pop() ?? uri) : undefined;
}

/** What tells analyses of one image apart: method, area mode, species (`KD · binary · giant kelp`). */
export function howAnalysed(entry: ListItem): string {
  if (entry.status === 'failed') return MESSAGES.rejectedUpload;
  const parts = [entry.method && labelOf(METHOD_SHORT, entry.method), entry.kelp?.areaMode && labelOf(AREA_MODE_SHORT, entry.kelp.areaMode), entry.species && labelOf(SPECIES_SHORT, entry.species)];
  return parts.filter(Boolean).join(' · ') || entry.kind || 'analysis';
}

/** The image an entry is about: its scene id, else its file name, else the entry alone. */
function imageOf(entry: ListItem): { key: string; name: string } {
  const name = entry.source?.sceneId || imageName(entry.source?.uri);
  return name ? { key: `${entry.source?.sceneId ?? ''}|${entry.source?.uri ?? ''}`, name } : { key: entry.id, name: entry.kind === 'series' ? 'a series' : 'an analysis' };
}

/** One analysis: how it was made and how much kelp it found (or that it failed); a link to `#/analyses/<id>`. */
function row(entry: ListItem): HTMLLIElement {
  const kelp = entry.kelp?.areaHa !== undefined ? formatHa(entry.kelp.areaHa) : entry.status === 'failed' ? '' : (entry.status ?? '');
  const when = `${entry.status === 'failed' ? 'received' : 'analysed'} ${formatDateTime(entry.createdAt ?? entry.submittedAt)}`;
  const link = el(
    'a',
    { attrs: { href: `#/analyses/${encodeURIComponent(entry.id)}` } },
    el('span', { class: entry.status === 'failed' ? 'how failed' : 'how', text: howAnalysed(entry) }),
    el('span', { class: 'when', text: when }),
    el('span', { class: 'kelp', text: kelp }),
  );
  return el('li', { attrs: { 'data-id': entry.id } }, link);
}

/**
 * The entries grouped by image (scene id and key), groups in the order of their newest entry:
 * each group names the image and when it was acquired, then its analyses, newest first.
 */
export function groupByImage(entries: readonly ListItem[]): Array<{ name: string; acquiredAt?: string; entries: ListItem[] }> {
  const groups = new Map<string, { name: string; acquiredAt?: string; entries: ListItem[] }>();
  for (const entry of entries) {
    const { key, name } = imageOf(entry);
    const group = groups.get(key) ?? { name, acquiredAt: entry.source?.acquiredAt, entries: [] };
    group.entries.push(entry);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/**
 * Past analyses (`GET /api/analyses`, newest first), grouped by image, with "More" following the
 * cursor. Only the latest request counts: "More" is disabled while a page loads, and an answer
 * overtaken by a later request (a reload while "More" loads, a second reload) is dropped, so no
 * page is shown twice. A 401 goes to `unauthorized` (the key field shows it); other errors are
 * shown above the list. `onFirstPage` gets the first page of every reload.
 */
export class HistoryList {
  private cursor?: string;
  /** Grows with every request; an answer whose number is no longer the latest is dropped. */
  private latest = 0;
  private entries: ListItem[] = [];

  constructor(
    private readonly api: ApiClient,
    private readonly nodes: { list: HTMLOListElement; more: HTMLButtonElement; error: HTMLElement },
    private readonly unauthorized: () => void,
    private readonly onFirstPage: (items: ListItem[]) => void = () => {},
  ) {
    nodes.more.addEventListener('click', () => void this.load(false));
  }

  /** Loads the first page (`reset`) or the next one. */
  async load(reset = true): Promise<void> {
    if (!reset && (this.nodes.more.disabled || !this.cursor)) return; // "More" is loading already
    const request = ++this.latest;
    const cursor = reset ? undefined : this.cursor;
    this.nodes.more.disabled = true;
    const query = new URLSearchParams({ limit: String(PAGE), ...(cursor ? { cursor } : {}) });
    try {
      const { body } = await this.api.json<{ items: ListItem[]; cursor?: string }>('GET', `api/analyses?${query}`);
      if (request !== this.latest) return;
      showError(this.nodes.error, undefined);
      const known = new Set(reset ? [] : this.entries.map((entry) => entry.id));
      this.entries = [...(reset ? [] : this.entries), ...body.items.filter((item) => !known.has(item.id))];
      this.render();
      this.cursor = body.cursor;
      this.nodes.more.hidden = !body.cursor;
      if (reset) this.onFirstPage(body.items);
    } catch (error) {
      if (request !== this.latest) return;
      if (error instanceof ApiError && error.status === 401) this.unauthorized();
      showError(this.nodes.error, wordsFor(error as Error));
    } finally {
      if (request === this.latest) this.nodes.more.disabled = false;
    }
  }

  /** A line in place of the list (e.g. why it is not shown yet). */
  say(text: string): void {
    this.nodes.list.replaceChildren(el('li', { class: 'hint', text }));
  }

  private render(): void {
    if (!this.entries.length) return this.say(MESSAGES.historyEmpty);
    const groups = groupByImage(this.entries).map((group) =>
      el(
        'li',
        { class: 'group' },
        el('p', { class: 'image' }, el('span', { class: 'what', text: group.name }), group.acquiredAt ? el('span', { class: 'when', text: ` acquired ${formatDateTime(group.acquiredAt)}` }) : null),
        el('ol', {}, ...group.entries.map(row)),
      ),
    );
    this.nodes.list.replaceChildren(...groups);
  }
}

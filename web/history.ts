import { type ApiClient, ApiError } from './api.js';
import { el, showError } from './dom.js';
import { formatDateTime, formatHa } from './format.js';
import type { ListItem } from './types.js';

/** Analyses per page of the list. */
const PAGE = 20;

/** The name of an image from its key or URL: the part after the last `/`. */
function imageName(uri: string | undefined): string {
  return uri ? (uri.split('/').pop() ?? uri) : 'image';
}

/** One line of the list: when, what, how much kelp; a link to `#/analyses/<id>`. */
function item(entry: ListItem): HTMLLIElement {
  const when = formatDateTime(entry.source?.acquiredAt ?? entry.createdAt ?? entry.submittedAt);
  const what = entry.source?.sceneId || imageName(entry.source?.uri) || entry.kind || 'analysis';
  const kelp = entry.kelp?.areaHa !== undefined ? formatHa(entry.kelp.areaHa) : (entry.status ?? '');
  const link = el('a', { attrs: { href: `#/analyses/${encodeURIComponent(entry.id)}` } }, el('span', { class: 'what', text: what }), el('span', { class: 'when', text: when }), el('span', { class: 'kelp', text: kelp }));
  return el('li', { attrs: { 'data-id': entry.id } }, link);
}

/**
 * Past analyses (`GET /api/analyses`, newest first), with "More" following the cursor. Only the
 * latest request counts: "More" is disabled while a page loads, and an answer overtaken by a
 * later request (a reload while "More" loads, a second reload) is dropped, so no page is shown
 * twice. A 401 goes to `unauthorized` (the key field shows it); other errors are shown above the list.
 */
export class HistoryList {
  private cursor?: string;
  /** Grows with every request; an answer whose number is no longer the latest is dropped. */
  private latest = 0;

  constructor(
    private readonly api: ApiClient,
    private readonly nodes: { list: HTMLOListElement; more: HTMLButtonElement; error: HTMLElement },
    private readonly unauthorized: (message: string) => void,
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
      const items = body.items.map(item);
      if (reset) this.nodes.list.replaceChildren(...items);
      else this.nodes.list.append(...items);
      if (reset && !items.length) this.nodes.list.append(el('li', { class: 'hint', text: 'None yet.' }));
      this.cursor = body.cursor;
      this.nodes.more.hidden = !body.cursor;
    } catch (error) {
      if (request !== this.latest) return;
      if (error instanceof ApiError && error.status === 401) this.unauthorized(error.message);
      showError(this.nodes.error, (error as Error).message);
    } finally {
      if (request === this.latest) this.nodes.more.disabled = false;
    }
  }
}

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
 * Past analyses (`GET /api/analyses`, newest first), with "More" following the cursor. A 401
 * goes to `unauthorized` (the key field shows it); other errors are shown above the list.
 */
export class HistoryList {
  private cursor?: string;

  constructor(
    private readonly api: ApiClient,
    private readonly nodes: { list: HTMLOListElement; more: HTMLButtonElement; error: HTMLElement },
    private readonly unauthorized: (message: string) => void,
  ) {
    nodes.more.addEventListener('click', () => void this.load(false));
  }

  /** Loads the first page (`reset`) or the next one. */
  async load(reset = true): Promise<void> {
    if (reset) this.cursor = undefined;
    const query = new URLSearchParams({ limit: String(PAGE), ...(this.cursor ? { cursor: this.cursor } : {}) });
    try {
      const { body } = await this.api.json<{ items: ListItem[]; cursor?: string }>('GET', `api/analyses?${query}`);
      showError(this.nodes.error, undefined);
      const items = body.items.map(item);
      if (reset) this.nodes.list.replaceChildren(...items);
      else this.nodes.list.append(...items);
      if (reset && !items.length) this.nodes.list.append(el('li', { class: 'hint', text: 'None yet.' }));
      this.cursor = body.cursor;
      this.nodes.more.hidden = !body.cursor;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.unauthorized(error.message);
      showError(this.nodes.error, (error as Error).message);
    }
  }
}

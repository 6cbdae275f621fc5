/**
 * The page's address: `#/analyses/<id>` while an analysis is shown or running, so a reload, a
 * bookmark or a shared link comes back to it.
 */

const ROUTE = /^#\/analyses\/([A-Za-z0-9_-]{1,64})$/;

/** The id the page shows now (set by the page itself or read from the address). */
let current: string | undefined;

/** The analysis id in `hash`, if any. */
export function analysisIdFrom(hash: string): string | undefined {
  return ROUTE.exec(hash)?.[1];
}

/**
 * Puts `id` in the address (a new history entry, so Back returns to the previous view) without
 * reopening it: the page already shows it.
 */
export function showAnalysisInAddress(id: string): void {
  current = id;
  const hash = `#/analyses/${encodeURIComponent(id)}`;
  if (window.location.hash !== hash) window.location.hash = hash;
}

/** The analysis id in the address now, if any (to open it again, e.g. once an API key is given). */
export function analysisInAddress(): string | undefined {
  return analysisIdFrom(window.location.hash);
}

/** Calls `open` with the id in the address now, and whenever the user changes it (Back, Forward, links). */
export function followAddress(open: (id: string | undefined) => void): void {
  const check = () => {
    const { hash } = window.location;
    const id = analysisIdFrom(hash);
    if (id === current || (id === undefined && hash !== '' && hash !== '#/')) return; // other anchors are not routes
    current = id;
    open(id);
  };
  window.addEventListener('hashchange', check);
  check();
}

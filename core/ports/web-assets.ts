/** One built file of the web map (a content-hashed script, style sheet or image). */
export interface WebAsset {
  /** E.g. `application/javascript; charset=utf-8`. */
  contentType: string;
  body: Uint8Array;
  /** The same bytes gzip-compressed at build time, served when the client accepts gzip. */
  gzip?: Uint8Array;
}

/**
 * The web map as built by `scripts/build-web.mjs`: the page and its content-hashed assets. The
 * page links its assets by relative URL (`assets/<name>`), so it works under a path prefix too.
 *
 * @example
 * ```ts
 * createApi({ ...deps, webAssets: { indexHtml: '<!doctype html>…', assets: { 'app-3F2A1B9C.js': { contentType, body } } } });
 * ```
 */
export interface WebAssets {
  /** `index.html`, with one `<meta name="kelpie-config" content="">` the server fills in per deployment. */
  indexHtml: string;
  /** Assets by file name (no folder), e.g. `app-3F2A1B9C.js`. */
  assets: Readonly<Record<string, WebAsset>>;
}

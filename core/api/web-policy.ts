/**
 * The web map's security policy: the Content-Security-Policy of the page, and which origins the
 * browser may upload to (presigned URLs of the imagery store are usually another origin).
 */

/** What the page's policy depends on, from the configuration. */
export interface WebPolicy {
  /** Tile URL template of the basemap (`KELPIE_BASEMAP_URL`), e.g. `https://{s}.tile.example.org/{z}/{x}/{y}.png`. */
  basemapUrl?: string;
  /** Origins the page may PUT uploads to, beyond its own (`KELPIE_UPLOAD_ORIGINS`, else by store). */
  uploadOrigins: readonly string[];
}

/** A CSP host source: scheme, host (a leading `*.` allowed) and port; nothing a policy could be broken out of with. */
const SOURCE = /^https?:\/\/(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?$/;

/**
 * Where presigned upload URLs point for each store, when `KELPIE_UPLOAD_ORIGINS` does not say:
 * S3 virtual-hosted bucket endpoints, the Cloud Storage JSON/XML API, Azure Blob accounts. The
 * local stores sign URLs on the API's own origin ('self'), or on `KELPIE_PUBLIC_URL` when set.
 * A custom endpoint (MinIO, moto, Azurite, a GCS emulator) needs `KELPIE_UPLOAD_ORIGINS`.
 */
const STORE_UPLOAD_ORIGINS: Record<string, readonly string[]> = {
  s3: ['https://*.amazonaws.com'],
  gcs: ['https://storage.googleapis.com'],
  azure: ['https://*.blob.core.windows.net'],
  fs: [],
  memory: [],
};

/**
 * The upload origins for `store`: `explicit` when given (it replaces the default), else the
 * store's default plus the origins of `extraUrls` (the public URL, a GCS endpoint).
 *
 * @example
 * ```ts
 * uploadOriginsFor('gcs', [], ['http://127.0.0.1:4443/storage']); // ['https://storage.googleapis.com', 'http://127.0.0.1:4443']
 * ```
 */
export function uploadOriginsFor(store: string, explicit: readonly string[], extraUrls: ReadonlyArray<string | undefined> = []): string[] {
  if (explicit.length) return [...explicit];
  const extras = extraUrls.flatMap((url) => (url ? [new URL(url).origin] : []));
  return [...new Set([...(STORE_UPLOAD_ORIGINS[store] ?? []), ...extras])];
}

/** True when `value` can go into a CSP source list as it is (an origin, optionally `*.`-wildcarded). */
export function isCspSource(value: string): boolean {
  return SOURCE.test(value);
}

/**
 * The origin of a tile URL template as a CSP source: `https://{s}.tile.example.org/{z}/{x}/{y}.png`
 * gives `https://*.tile.example.org`. Undefined for anything else.
 */
export function basemapSource(template: string | undefined): string | undefined {
  const match = template ? /^(https?:\/\/[^/?#]+)/.exec(template) : null;
  const source = match?.[1].replace(/^(https?:\/\/)\{s\}\./, '$1*.');
  return source && isCspSource(source) ? source : undefined;
}

/**
 * The page's Content-Security-Policy: its own scripts and styles only (no inline code, no
 * eval), images from itself, `data:`/`blob:` (artifacts are fetched with the API key and shown
 * from object URLs) and the basemap; fetches to itself and the upload origins; no framing.
 *
 * @example
 * ```ts
 * contentSecurityPolicy({ uploadOrigins: [] }); // "default-src 'none'; script-src 'self'; …"
 * ```
 */
export function contentSecurityPolicy(policy: WebPolicy): string {
  const basemap = basemapSource(policy.basemapUrl);
  const uploads = policy.uploadOrigins.filter(isCspSource);
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    ['img-src', "'self'", 'data:', 'blob:', ...(basemap ? [basemap] : [])].join(' '),
    ['connect-src', "'self'", ...uploads].join(' '),
    "font-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

import { NotFoundError } from '../../errors.js';
import type { WebAssets } from '../../ports/web-assets.js';
import type { ApiDeps } from '../types.js';
import type { Route } from '../router.js';
import type { ApiRequest, ApiResponse } from '../types.js';
import { contentSecurityPolicy } from '../web-policy.js';
import { serviceIndex } from './service.js';

/** Where the page's settings go: the build leaves this tag empty, the server fills it per deployment. */
const CONFIG_META = '<meta name="kelpie-config" content="">';
/** Content-hashed assets never change under their name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const ASSET_NAME = /^[A-Za-z0-9_-]+\.[A-Za-z0-9.]+$/;

/** What the page reads from its `kelpie-config` meta tag (all of it public: no secrets here). */
export interface PageConfig {
  env: string;
  basemapUrl?: string;
  basemapAttribution?: string;
}

/** `value` safe inside a double-quoted HTML attribute. */
function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `index.html` with the page settings in its meta tag. */
function renderIndex(indexHtml: string, config: PageConfig): string {
  if (!indexHtml.includes(CONFIG_META)) throw new Error(`index.html has no ${CONFIG_META} to fill in; rebuild the web map`);
  const filled = `<meta name="kelpie-config" content="${escapeAttribute(JSON.stringify(config))}">`;
  // A replacer function: a string replacement would read `$&`, `$'` and "$`" in the settings as patterns.
  return indexHtml.replace(CONFIG_META, () => filled);
}

/** True when the client asks for JSON and not HTML (API clients, `curl -H 'accept: application/json'`). */
function prefersJson(request: ApiRequest): boolean {
  const accept = (request.headers.accept ?? '').toLowerCase();
  return accept.includes('application/json') && !accept.includes('text/html');
}

function acceptsGzip(request: ApiRequest): boolean {
  return /\bgzip\b/i.test(request.headers['accept-encoding'] ?? '');
}

/**
 * The web map (docs/design.md, `GET /`): the page at `/` (`no-cache`, with its Content-Security-Policy)
 * and its content-hashed files at `/assets/<name>` (cached for a year, gzip when accepted). A
 * client that prefers JSON gets the service index at `/` as before; without built assets every
 * client does. No API key: the page asks for it.
 */
export function webRoutes(deps: ApiDeps): Route[] {
  const assets: WebAssets | undefined = deps.webAssets;
  const { config } = deps;
  let page: string | undefined;
  const pageHtml = (web: WebAssets) =>
    (page ??= renderIndex(web.indexHtml, {
      env: config.env,
      ...(config.basemapUrl ? { basemapUrl: config.basemapUrl } : {}),
      ...(config.basemapAttribution ? { basemapAttribution: config.basemapAttribution } : {}),
    }));
  const csp = contentSecurityPolicy({ basemapUrl: config.basemapUrl, uploadOrigins: config.uploadOrigins ?? [] });

  return [
    {
      method: 'GET',
      pattern: '/',
      auth: false,
      async handle({ request }): Promise<ApiResponse> {
        if (!assets || prefersJson(request)) {
          const index = serviceIndex(deps);
          return { ...index, headers: { ...index.headers, vary: 'Accept' } };
        }
        return {
          status: 200,
          headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'content-security-policy': csp, vary: 'Accept' },
          body: pageHtml(assets),
        };
      },
    },
    {
      method: 'GET',
      pattern: '/assets/{name}',
      auth: false,
      async handle({ request, params }): Promise<ApiResponse> {
        const asset = ASSET_NAME.test(params.name) && assets && Object.hasOwn(assets.assets, params.name) ? assets.assets[params.name] : undefined;
        if (!asset) throw new NotFoundError(`no asset "${params.name.slice(0, 64)}"; reload the page to get the current ones`);
        const gzip = asset.gzip && acceptsGzip(request);
        return {
          status: 200,
          headers: { 'content-type': asset.contentType, 'cache-control': IMMUTABLE, vary: 'Accept-Encoding', ...(gzip ? { 'content-encoding': 'gzip' } : {}) },
          body: gzip ? (asset.gzip as Uint8Array) : asset.body,
        };
      },
    },
  ];
}

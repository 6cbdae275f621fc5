import type { SiteAlertRecord } from '../../sites/alerts.js';
import { type ManageSitesDeps, createSite, updateSite } from '../../sites/manage-sites.js';
import { observationsCsv, quartersCsv, trendCsv } from '../../sites/series-csv.js';
import { SITE_ID, SITE_KEYS, type SiteRecord, viewSite } from '../../sites/site.js';
import { readSiteSeries } from '../../sites/site-series.js';
import { deleteSite, listSiteIds, readJson, readSite } from '../../sites/site-store.js';
import type { CheckState } from '../../sites/check-site.js';
import { readJsonBody, z } from '../body.js';
import { MalformedRequestError } from '../http-errors.js';
import { json } from '../json.js';
import type { RouteContext } from '../router.js';
import type { ApiDeps, ApiRequest, ApiResponse } from '../types.js';

const MAX_LIMIT = 100;
const DEFAULT_LIMIT = 20;

function manageDeps(deps: ApiDeps, request: ApiRequest): ManageSitesDeps {
  return {
    resultStore: deps.resultStore,
    ...(deps.jobQueue ? { queue: deps.jobQueue } : {}),
    catalogConfigured: Boolean(deps.stac ?? deps.config.stacUrl),
    now: () => deps.clock.now(),
    outboundHosts: deps.config.outboundHosts ?? [],
    logger: deps.logger,
    ...(request.signal ? { signal: request.signal } : {}),
  };
}

/** `POST /api/sites`: 201 with the site, its webhook secret (shown this once) and how its backfill starts. */
export async function createSiteRoute({ request }: RouteContext, deps: ApiDeps): Promise<ApiResponse> {
  const body = readJsonBody(request, z.unknown());
  const { site, secret, backfill } = await createSite(body, manageDeps(deps, request));
  return json(201, { ...viewSite(site), ...(secret ? { secret } : {}), backfill }, { location: `/api/sites/${site.id}` });
}

/** `GET /api/sites`: a page of sites, oldest first, with a cursor. */
export async function listSitesRoute({ request }: RouteContext, deps: ApiDeps): Promise<ApiResponse> {
  const { cursor, limit } = pageQuery(request.query, []);
  const page = await listSiteIds(deps.resultStore, { limit, ...(cursor ? { cursor } : {}), signal: request.signal });
  const sites = await Promise.all(page.ids.map((id) => readJson<SiteRecord>(deps.resultStore, SITE_KEYS.site(id), { signal: request.signal })));
  // A site deleted between the listing and the read is left out.
  const items = sites.filter((site): site is SiteRecord => site !== undefined).map(viewSite);
  return json(200, { items, ...(page.cursor ? { cursor: page.cursor } : {}) });
}

/** `GET /api/sites/{id}`: the site, and when it was last checked. */
export async function getSiteRoute({ request, params }: RouteContext, deps: ApiDeps): Promise<ApiResponse> {
  const site = await readSite(deps.resultStore, params.id, { signal: request.signal });
  const check = await readJson<CheckState>(deps.resultStore, SITE_KEYS.check(site.id), { signal: request.signal });
  return json(200, { ...viewSite(site), ...(check ? { lastCheckedAt: check.lastCheckedAt } : {}) });
}

/** `PATCH /api/sites/{id}`: the changed site (a new secret shown once). */
export async function patchSiteRoute({ request, params }: RouteContext, deps: ApiDeps): Promise<ApiResponse> {
  const body = readJsonBody(request, z.unknown());
  const { site, secret } = await updateSite(params.id, body, manageDeps(deps, request));
  return json(200, { ...viewSite(site), ...(secret ? { secret } : {}) });
}

/** `DELETE /api/sites/{id}`: the site, its observations, series and alerts (its analyses stay). */
export async function deleteSiteRoute({ request, params }: RouteContext, deps: ApiDeps): Promise<ApiResponse> {
  const { deleted } = await deleteSite(deps.resultStore, params.id, { signal: request.signal });
  deps.logger.info('site deleted', { siteId: params.id, objects: deleted });
  return json(200, { id: params.id, deleted: true, objects: deleted });
}

/** `GET /api/sites/{id}/series`: JSON, or CSV (`format=csv` or `Accept: text/csv`) of the quarters or (`rows=observations`) the observations. */
export async function seriesRoute({ request, params }: RouteContext, deps: ApiDeps): Promise<ApiResponse> {
  const { csv, rows } = formatQuery(request, ['rows']);
  const site = await readSite(deps.resultStore, params.id, { signal: request.signal });
  const { series, trend } = await readSiteSeries(deps.resultStore, site, deps.clock.now(), { signal: request.signal });
  if (csv) return csvResponse(rows === 'observations' ? observationsCsv(series) : quartersCsv(series), `${site.id}-${rows === 'observations' ? 'observations' : 'quarters'}.csv`);
  return json(200, { ...series, trend, links: viewSite(site).links });
}

/** `GET /api/sites/{id}/trend`: JSON or CSV. */
export async function trendRoute({ request, params }: RouteContext, deps: ApiDeps): Promise<ApiResponse> {
  const { csv } = formatQuery(request, []);
  const site = await readSite(deps.resultStore, params.id, { signal: request.signal });
  const { trend } = await readSiteSeries(deps.resultStore, site, deps.clock.now(), { signal: request.signal });
  return csv ? csvResponse(trendCsv(trend), `${site.id}-trend.csv`) : json(200, trend);
}

/** `GET /api/alerts`: alerts of every site (or `site=<id>`), newest first, with their delivery. */
export async function alertsRoute({ request }: RouteContext, deps: ApiDeps): Promise<ApiResponse> {
  const { cursor, limit, site } = pageQuery(request.query, ['site']);
  if (site !== undefined && !SITE_ID.test(site)) throw new MalformedRequestError('invalid query: site: a site id, as POST /api/sites returns (site-…)');
  const signal = request.signal;
  let keys: string[];
  let next: string | undefined;
  if (site) {
    await readSite(deps.resultStore, site, { signal });
    const page = await deps.resultStore.list(SITE_KEYS.alertPrefix(site), { limit, ...(cursor ? { cursor } : {}), signal });
    keys = page.items.map((item) => item.key).reverse();
    next = page.cursor;
  } else {
    const page = await deps.resultStore.list(SITE_KEYS.alertIndexPrefix, { limit, ...(cursor ? { cursor } : {}), signal });
    keys = page.items.map((item) => /^alert-index\/\d{13}-(site-[0-9a-f]{20})-(.+)\.json$/.exec(item.key)).flatMap((m) => (m ? [SITE_KEYS.alert(m[1], m[2])] : []));
    next = page.cursor;
  }
  const records = await Promise.all([...new Set(keys)].map((key) => readJson<SiteAlertRecord>(deps.resultStore, key, { signal })));
  // An alert of a deleted site is left out.
  return json(200, { items: records.filter((r) => r !== undefined), ...(next ? { cursor: next } : {}) });
}

function pageQuery(query: Record<string, string>, extra: string[]): { cursor?: string; limit: number; site?: string } {
  const allowed = ['cursor', 'limit', ...extra];
  const unknown = Object.keys(query).filter((name) => !allowed.includes(name));
  if (unknown.length) throw new MalformedRequestError(`invalid query: unknown parameter ${unknown.map((name) => JSON.stringify(name.slice(0, 40))).join(', ')}; use ${allowed.join(', ')}`);
  const { cursor, limit, site } = query;
  if (cursor !== undefined && cursor.length > 2048) throw new MalformedRequestError('invalid query: cursor: at most 2048 characters, as a listing returned it');
  if (limit !== undefined && !(/^\d{1,3}$/.test(limit.trim()) && Number(limit) >= 1 && Number(limit) <= MAX_LIMIT)) throw new MalformedRequestError(`invalid query: limit: a whole number from 1 to ${MAX_LIMIT}`);
  return { ...(cursor !== undefined ? { cursor } : {}), limit: limit === undefined ? DEFAULT_LIMIT : Number(limit), ...(site !== undefined ? { site } : {}) };
}

function formatQuery(request: ApiRequest, extra: string[]): { csv: boolean; rows?: string } {
  const allowed = ['format', ...extra];
  const unknown = Object.keys(request.query).filter((name) => !allowed.includes(name));
  if (unknown.length) throw new MalformedRequestError(`invalid query: unknown parameter ${unknown.map((name) => JSON.stringify(name.slice(0, 40))).join(', ')}; use ${allowed.join(', ')}`);
  const { format, rows } = request.query;
  if (format !== undefined && format !== 'json' && format !== 'csv') throw new MalformedRequestError('invalid query: format: json or csv');
  if (rows !== undefined && rows !== 'quarters' && rows !== 'observations') throw new MalformedRequestError('invalid query: rows: quarters or observations');
  const accept = (request.headers.accept ?? '').toLowerCase();
  return { csv: format === 'csv' || (format === undefined && accept.includes('text/csv')), ...(rows ? { rows } : {}) };
}

function csvResponse(body: string, filename: string): ApiResponse {
  return { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"`, vary: 'Accept' }, body };
}

import { NotFoundError } from '../../errors.js';
import { DEFAULT_STALE_AFTER_MS } from '../../jobs/status.js';
import { viewAnalysis } from '../../jobs/view.js';
import { ANALYSIS_ID, resultPrefix } from '../../usecases/result-keys.js';
import { json } from '../json.js';
import { MalformedRequestError } from '../http-errors.js';
import type { Route } from '../router.js';
import type { ApiDeps, ApiRequest, ApiResponse } from '../types.js';
import { statusOf, statusResponse, viewResponse } from './analysis-views.js';
import { readRejection } from './rejections.js';

/**
 * Artifacts a client may fetch, with their content types. Their table comes with the renderer,
 * loaded on the first artifact request (not at cold start).
 */
async function artifactTypes(): Promise<Record<string, string>> {
  const { ARTIFACT_TYPES, MAP_ARTIFACT_TYPES } = await import('../../artifacts/render.js');
  return {
    'kelp-mask.tif': ARTIFACT_TYPES['kelp-mask.tif'],
    'overlay.png': 'image/png',
    'beds.geojson': ARTIFACT_TYPES['beds.geojson'],
    'result.json': 'application/json',
    ...Object.fromEntries(['rgb', 'false-color', 'ndvi', 'fai', 'kd'].map((layer) => [`layers/${layer}.png`, 'image/png'])),
    // The same images resampled onto Web Mercator, for web maps (result.map).
    ...MAP_ARTIFACT_TYPES,
  };
}

/** Listings are pages of at most this many analyses; 20 unless `limit` says. */
const MAX_LIST_LIMIT = 100;
const DEFAULT_LIST_LIMIT = 20;

/** `GET /api/analyses` query: `cursor` (as a listing returned it) and `limit` (1–100), nothing else. */
function listQuery(query: Record<string, string>): { cursor?: string; limit: number } {
  const unknown = Object.keys(query).filter((name) => name !== 'cursor' && name !== 'limit');
  if (unknown.length) throw new MalformedRequestError(`invalid query: unknown parameter ${unknown.map((name) => JSON.stringify(name.slice(0, 40))).join(', ')}; use cursor and limit`);
  const { cursor, limit } = query;
  if (cursor !== undefined && cursor.length > 2048) throw new MalformedRequestError('invalid query: cursor: at most 2048 characters, as a listing returned it');
  if (limit !== undefined && !(/^\d{1,3}$/.test(limit.trim()) && Number(limit) >= 1 && Number(limit) <= MAX_LIST_LIMIT)) {
    throw new MalformedRequestError(`invalid query: limit: a whole number from 1 to ${MAX_LIST_LIMIT}`);
  }
  return { ...(cursor !== undefined ? { cursor } : {}), limit: limit === undefined ? DEFAULT_LIST_LIMIT : Number(limit) };
}

function requireId(id: string): string {
  if (!ANALYSIS_ID.test(id)) throw new NotFoundError(`no analysis "${id.slice(0, 64)}"; ids are 20 hex digits, as POST /api/analyses returns`);
  return id;
}

/**
 * The analyses routes: create, list (newest first), get, and artifacts. Creating one loads the
 * analysis (`create-analysis.js` and all it imports) on its first call, so a cold start that
 * answers `/health` or a `GET` does not load or initialise it.
 */
export function analysesRoutes(deps: ApiDeps): Route[] {
  let create: Promise<(request: ApiRequest) => Promise<ApiResponse>> | undefined;
  let types: Promise<Record<string, string>> | undefined;
  return [
    {
      method: 'POST',
      pattern: '/api/analyses',
      auth: true,
      handle: async ({ request }) => (await (create ??= import('./create-analysis.js').then((module) => module.createAnalysisHandler(deps))))(request),
    },
    {
      method: 'GET',
      pattern: '/api/analyses',
      auth: true,
      async handle({ request }) {
        const { cursor, limit } = listQuery(request.query);
        const page = await deps.resultStore.list('index/', { cursor, limit, signal: request.signal });
        const entries = await Promise.all(
          page.items.map(async (item) => JSON.parse(new TextDecoder().decode(await deps.resultStore.get(item.key, { signal: request.signal })))),
        );
        // Concurrent runs of one analysis (re-delivered events) can index it twice: show it once.
        const items = entries.filter((entry, i) => entries.findIndex((other) => other.id === entry.id) === i);
        return json(200, { items, ...(page.cursor ? { cursor: page.cursor } : {}) });
      },
    },
    {
      method: 'GET',
      pattern: '/api/analyses/{id}',
      auth: true,
      async handle({ request, params }) {
        const id = requireId(params.id);
        const view = await viewAnalysis(deps.resultStore, id, deps.clock.now(), deps.config.jobStaleAfterMs ?? DEFAULT_STALE_AFTER_MS, request.signal);
        if (view.state !== 'unknown') return viewResponse(id, view);
        // An upload the trigger could not analyse has its reason instead of a result.
        const rejected = await readRejection(deps.resultStore, id, request.signal);
        if (rejected) return statusResponse(rejected);
        throw new NotFoundError(`no analysis "${id}"`);
      },
    },
    {
      method: 'GET',
      pattern: '/api/analyses/{id}/status',
      auth: true,
      async handle({ request, params }) {
        const status = await statusOf(requireId(params.id), deps, request.signal);
        if (!status) throw new NotFoundError(`no analysis "${params.id}"`);
        return json(200, status);
      },
    },
    {
      method: 'GET',
      pattern: '/api/analyses/{id}/{artifact+}',
      auth: true,
      async handle({ request, params }) {
        const id = requireId(params.id);
        const artifacts = await (types ??= artifactTypes());
        const contentType = artifacts[params.artifact];
        if (!contentType) {
          throw new NotFoundError(`no artifact "${params.artifact.slice(0, 64)}"; artifacts are ${Object.keys(artifacts).join(', ')}`);
        }
        let body: Uint8Array;
        try {
          body = await deps.resultStore.get(resultPrefix(id) + params.artifact, { signal: request.signal });
        } catch (error) {
          if (error instanceof NotFoundError) {
            throw new NotFoundError(`analysis "${id}" has no ${params.artifact}${/^(layers|map)\/(?!kelp)/.test(params.artifact) ? ' (request it with "layers")' : ''}`);
          }
          throw error;
        }
        const download = params.artifact.split('/').pop() as string;
        return {
          status: 200,
          headers: { 'content-type': contentType, 'content-disposition': `inline; filename="${id}-${download}"` },
          body,
        };
      },
    },
  ];
}

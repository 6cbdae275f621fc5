import { analysisOptionsSchema } from '../../analysis/options.js';
import { ARTIFACT_TYPES, MAP_ARTIFACT_TYPES } from '../../artifacts/render.js';
import { NotFoundError } from '../../errors.js';
import { DEFAULT_STALE_AFTER_MS } from '../../jobs/status.js';
import { viewAnalysis } from '../../jobs/submit.js';
import { stacSourceSchema } from '../../stac/stac-request.js';
import { createAnalysis, statusOf, statusResponse, viewResponse } from './create-analysis.js';
import { readRejection } from './rejections.js';
import { stacRuntimeOnce } from './stac-analyses.js';
import { ANALYSIS_ID, resultPrefix } from '../../usecases/result-keys.js';
import { json, readJsonBody, z } from '../body.js';
import type { ApiDeps } from '../create-api.js';
import { MalformedRequestError } from '../http-errors.js';
import type { Route } from '../router.js';

/**
 * `POST /api/analyses` body: the source plus the analysis options, nothing else. The source is
 * an object of the imagery store (`{ key }`) or a place and dates in the STAC catalog (`{ stac }`).
 */
const createAnalysisSchema = analysisOptionsSchema
  .extend({
    source: z.union([z.object({ key: z.string().min(1).max(1024) }).strict(), z.object({ stac: stacSourceSchema }).strict()], {
      error: 'expected { "key": "uploads/…" } or { "stac": { "point": { "lat", "lng" }, "bufferKm" } or { "bbox": [w, s, e, n] }, "start", "end", "maxCloudCover"?, "series"? }',
    }),
  })
  .strict();

/** Artifacts a client may fetch, with their content types. */
const ARTIFACTS: Record<string, string> = {
  'kelp-mask.tif': ARTIFACT_TYPES['kelp-mask.tif'],
  'overlay.png': 'image/png',
  'beds.geojson': ARTIFACT_TYPES['beds.geojson'],
  'result.json': 'application/json',
  ...Object.fromEntries(['rgb', 'false-color', 'ndvi', 'fai', 'kd'].map((layer) => [`layers/${layer}.png`, 'image/png'])),
  // The same images resampled onto Web Mercator, for web maps (result.map).
  ...MAP_ARTIFACT_TYPES,
};

const listQuerySchema = z
  .object({ cursor: z.string().max(2048).optional(), limit: z.coerce.number().int().min(1).max(100).default(20) })
  .strict();

function requireId(id: string): string {
  if (!ANALYSIS_ID.test(id)) throw new NotFoundError(`no analysis "${id.slice(0, 64)}"; ids are 20 hex digits, as POST /api/analyses returns`);
  return id;
}

/** The analyses routes: create, list (newest first), get, and artifacts. */
export function analysesRoutes(deps: ApiDeps): Route[] {
  const stac = stacRuntimeOnce(deps);
  return [
    {
      method: 'POST',
      pattern: '/api/analyses',
      auth: true,
      handle: ({ request }) => createAnalysis(request, readJsonBody(request, createAnalysisSchema), deps, stac),
    },
    {
      method: 'GET',
      pattern: '/api/analyses',
      auth: true,
      async handle({ request }) {
        const parsed = listQuerySchema.safeParse(request.query);
        if (!parsed.success) throw new MalformedRequestError(`invalid query: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
        const page = await deps.resultStore.list('index/', { cursor: parsed.data.cursor, limit: parsed.data.limit, signal: request.signal });
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
        const contentType = ARTIFACTS[params.artifact];
        if (!contentType) {
          throw new NotFoundError(`no artifact "${params.artifact.slice(0, 64)}"; artifacts are ${Object.keys(ARTIFACTS).join(', ')}`);
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

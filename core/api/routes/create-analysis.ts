import { type AnalysisOptions, analysisOptionsSchema, canonicalOptions, methodOf, sensorOf } from '../../analysis/options.js';
import { DEFAULT_SYNC_MAX_PIXELS } from '../../config.js';
import { DependencyUnavailableError } from '../../errors.js';
import { type JobOutput, executeJob } from '../../jobs/execute.js';
import { readFinished } from '../../jobs/finished.js';
import { IdempotencyKeys, isIdempotencyKey } from '../../jobs/idempotency.js';
import { newOwner } from '../../jobs/lease.js';
import { runOnce } from '../../jobs/single-flight.js';
import { planAnalysis } from '../../jobs/plan.js';
import { DEFAULT_STALE_AFTER_MS, effectiveStatus, needsNewJob } from '../../jobs/status.js';
import { acceptAnalysis } from '../../jobs/submit.js';
import { viewAnalysis } from '../../jobs/view.js';
import { stacSourceSchema } from '../../stac/stac-request.js';
import type { StacRuntime } from '../../stac/stac-runtime.js';
import { readJsonBody, z } from '../body.js';
import { json } from '../json.js';
import { MalformedRequestError } from '../http-errors.js';
import type { ApiDeps, ApiRequest, ApiResponse } from '../types.js';
import { statusResponse, viewResponse } from './analysis-views.js';
import { stacRuntimeOnce } from './stac-analyses.js';

/**
 * `POST /api/analyses` body: the source plus the analysis options, nothing else. The source is
 * an object of the imagery store (`{ key }`) or a place and dates in the STAC catalog (`{ stac }`).
 * The options are parsed here, once, and travel typed from here on.
 */
const createAnalysisSchema = analysisOptionsSchema
  .extend({
    source: z.union([z.object({ key: z.string().min(1).max(1024) }).strict(), z.object({ stac: stacSourceSchema }).strict()], {
      error: 'expected { "key": "uploads/…" } or { "stac": { "point": { "lat", "lng" }, "bufferKm" } or { "bbox": [w, s, e, n] }, "start", "end", "maxCloudCover"?, "series"? }',
    }),
  })
  .strict()
  .transform(({ source, ...options }) => ({ source, options: canonicalOptions(options) }));

/** A validated `POST /api/analyses` body: the source, and the options parsed once, here. */
export interface CreateAnalysisBody {
  source: { key: string } | { stac: unknown };
  options: AnalysisOptions;
}

/**
 * The `POST /api/analyses` handler of one API: reads and validates the body, and keeps one STAC
 * runtime for the life of the instance. This module, and the analysis it runs, are loaded on the
 * first such request only, so `/health` and the `GET` routes start without them.
 */
export function createAnalysisHandler(deps: ApiDeps): (request: ApiRequest) => Promise<ApiResponse> {
  const stac = stacRuntimeOnce(deps);
  return (request) => createAnalysis(request, readJsonBody(request, createAnalysisSchema), deps, stac);
}

/**
 * `POST /api/analyses`: plans the analysis (its id and size), then answers with the finished
 * analysis (200), runs it within the request when the estimate is under `syncMaxPixels` (201,
 * or 200 for a series), or queues it for a worker (202 with the status and a `Location` to
 * poll). `?async=true` always queues. An `Idempotency-Key` replays the first answer's analysis
 * for 24 h (`Idempotent-Replayed: true`). However many identical requests arrive at once, one
 * runs the analysis and the others answer its result (`runOnce`).
 */
export async function createAnalysis(request: ApiRequest, body: CreateAnalysisBody, deps: ApiDeps, stac: () => StacRuntime): Promise<ApiResponse> {
  const forceAsync = asyncFlag(request.query.async);
  const idempotency = idempotencyOf(request, body);
  const keys = new IdempotencyKeys(deps.resultStore);
  const now = () => deps.clock.now();
  const staleAfterMs = deps.config.jobStaleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const replay = async (id: string) => {
    const view = await viewAnalysis(deps.resultStore, id, now(), staleAfterMs, request.signal);
    // A failure a retry may fix (a lost worker, an outage) is not replayed: the same request queues it again.
    const retryable = view.state === 'failed' && needsNewJob(view.status);
    return view.state !== 'unknown' && !retryable ? withHeaders(viewResponse(id, view), { 'idempotent-replayed': 'true' }) : undefined;
  };
  if (idempotency) {
    const id = await keys.find(idempotency, now(), { signal: request.signal });
    const replayed = id && (await replay(id));
    if (replayed) return replayed;
  }
  const { source, options } = body;
  // A method the named sensor cannot run (kd on Landsat) is a bad request now, not a failed job later.
  if (options.sensor) methodOf(options, sensorOf(options));
  const syncLimit = deps.config.syncMaxPixels ?? DEFAULT_SYNC_MAX_PIXELS;
  const plan = await planAnalysis(source, options, {
    imageStore: deps.imageStore,
    imageStoreName: deps.imageStoreName,
    maxImagePixels: deps.config.maxImagePixels,
    syncMaxPixels: syncLimit,
    stac,
    now,
    signal: request.signal,
    ...(deps.jpeg2000 ? { jpeg2000: deps.jpeg2000 } : {}),
  });
  if (idempotency) {
    // One create-if-absent write: of requests racing with this key, one claims it; the others get its analysis.
    const claimed = await keys.claim(idempotency, plan.id, now(), { signal: request.signal });
    const replayed = claimed !== plan.id && (await replay(claimed));
    if (replayed) return replayed;
  }
  const view = await viewAnalysis(deps.resultStore, plan.id, now(), staleAfterMs, request.signal);
  const finalFailure = view.state === 'failed' && !needsNewJob(view.status);
  if (view.state === 'finished' || view.state === 'pending' || finalFailure) return viewResponse(plan.id, view);
  const queue = deps.jobQueue;
  // JPEG 2000 (a .SAFE) is decoded by the job worker when this function carries no decoder.
  const decodable = !plan.jpeg2000 || deps.jpeg2000 !== undefined;
  if (queue && (forceAsync || !decodable || plan.estimate.workPixels > syncLimit)) {
    const status = await acceptAnalysis(plan, { resultStore: deps.resultStore, queue, now, staleAfterMs, logger: deps.logger, signal: request.signal });
    deps.logger.info('analysis queued', { id: plan.id, workPixels: plan.estimate.workPixels, syncLimit, forced: forceAsync });
    if (status.status === 'queued' && status.attempt === 0) deps.metrics.count('kelpie_analyses_total', { outcome: 'queued' });
    return statusResponse(effectiveStatus(status, now(), staleAfterMs));
  }
  if (forceAsync) throw new DependencyUnavailableError('asynchronous analyses need a job queue and this deployment has none (set KELPIE_JOB_QUEUE)');
  if (!decodable) throw new DependencyUnavailableError('JPEG 2000 scenes (a .SAFE) are analysed by the job worker, and this deployment has no job queue (set KELPIE_JOB_QUEUE)');
  // What the plan read (the object's head, id and header; the parsed STAC request) is not read again.
  const { value: output, ran } = await runOnce(
    plan.id,
    { store: deps.resultStore, clock: deps.clock, owner: newOwner(`request:${request.requestId}`), signal: request.signal },
    {
      done: () => finishedOutput(deps, plan.id, request.signal),
      run: (signal) => executeJob(plan.job, { ...deps, maxImagePixels: deps.config.maxImagePixels, stac, signal }, plan.prepared),
    },
  );
  if (ran) record(deps, output);
  const location = { location: `/api/analyses/${plan.id}` };
  if (output.kind === 'series') return json(200, output.series, location);
  return json(ran && !output.reused ? 201 : 200, output.result, location);
}

/** The finished analysis `id` as a job's output (for a request that waited while another ran it), or undefined. */
async function finishedOutput(deps: ApiDeps, id: string, signal?: AbortSignal): Promise<JobOutput | undefined> {
  const document = await readFinished(deps.resultStore, id, signal);
  if (!document) return undefined;
  return 'kelp' in document ? { kind: 'scene', result: document, reused: true } : { kind: 'series', series: document, analyses: [] };
}

function record(deps: ApiDeps, output: JobOutput) {
  const scenes = output.kind === 'scene' ? [output] : output.analyses;
  for (const scene of scenes) {
    deps.metrics.count('kelpie_analyses_total', { outcome: scene.reused ? 'reused' : 'succeeded' });
    if (!scene.reused) deps.metrics.observe('kelpie_kelp_area_hectares', {}, scene.result.kelp.areaHa);
  }
}

function asyncFlag(value: string | undefined): boolean {
  if (value === undefined || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1' || value === '') return true;
  throw new MalformedRequestError(`async must be true or false (got ${JSON.stringify(value.slice(0, 20))})`);
}

function idempotencyOf(request: ApiRequest, body: CreateAnalysisBody) {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (!isIdempotencyKey(key)) throw new MalformedRequestError('the Idempotency-Key header must be 1–255 visible ASCII characters (a UUID is a good choice)');
  // Scoped by the caller's API key (hashed with it, never stored), so two clients' keys cannot collide.
  return { scope: request.headers['x-api-key'] ?? '', key, body: JSON.stringify({ source: body.source, ...body.options }) };
}

function withHeaders(response: ApiResponse, headers: Record<string, string>): ApiResponse {
  return { ...response, headers: { ...response.headers, ...headers } };
}

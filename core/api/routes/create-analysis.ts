import type { AnalysisResult } from '../../analysis/result.js';
import { DependencyUnavailableError } from '../../errors.js';
import { type JobOutput, executeJob } from '../../jobs/execute.js';
import { IdempotencyKeys, isIdempotencyKey } from '../../jobs/idempotency.js';
import { DEFAULT_SYNC_MAX_PIXELS, planAnalysis } from '../../jobs/plan.js';
import { DEFAULT_STALE_AFTER_MS, type AnalysisStatus, analysisLinks, effectiveStatus, needsNewJob, readStatus } from '../../jobs/status.js';
import { type AnalysisView, acceptAnalysis, viewAnalysis } from '../../jobs/submit.js';
import { json } from '../body.js';
import type { ApiDeps } from '../create-api.js';
import { MalformedRequestError } from '../http-errors.js';
import type { ApiRequest, ApiResponse } from '../types.js';
import { readRejection } from './rejections.js';
import type { StacRuntime } from '../../stac/stac-runtime.js';

/** Seconds a client should wait before polling a queued or running analysis again. */
const RETRY_AFTER_S = 2;

/** A validated `POST /api/analyses` body. */
export interface CreateAnalysisBody {
  source: { key: string } | { stac: unknown };
  [option: string]: unknown;
}

/**
 * `POST /api/analyses`: plans the analysis (its id and size), then answers with the finished
 * analysis (200), runs it within the request when the estimate is under `syncMaxPixels` (201,
 * or 200 for a series), or queues it for a worker (202 with the status and a `Location` to
 * poll). `?async=true` always queues. An `Idempotency-Key` replays the first answer's analysis
 * for 24 h (`Idempotent-Replayed: true`).
 */
export async function createAnalysis(request: ApiRequest, body: CreateAnalysisBody, deps: ApiDeps, stac: () => StacRuntime): Promise<ApiResponse> {
  const forceAsync = asyncFlag(request.query.async);
  const idempotency = idempotencyOf(request, body);
  const keys = new IdempotencyKeys(deps.resultStore);
  const now = () => deps.clock.now();
  const staleAfterMs = deps.config.jobStaleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  if (idempotency) {
    const id = await keys.find(idempotency, now(), { signal: request.signal });
    if (id) {
      const view = await viewAnalysis(deps.resultStore, id, now(), staleAfterMs, request.signal);
      // A failure a retry may fix (a lost worker, an outage) is not replayed: the same request queues it again.
      const retryable = view.state === 'failed' && needsNewJob(view.status);
      if (view.state !== 'unknown' && !retryable) return withHeaders(viewResponse(id, view), { 'idempotent-replayed': 'true' });
    }
  }
  const { source, ...options } = body;
  const syncLimit = deps.config.syncMaxPixels ?? DEFAULT_SYNC_MAX_PIXELS;
  const plan = await planAnalysis(source, options, {
    imageStore: deps.imageStore,
    imageStoreName: deps.imageStoreName,
    maxImagePixels: deps.config.maxImagePixels,
    syncMaxPixels: syncLimit,
    stac,
    now,
    signal: request.signal,
  });
  const remember = async (response: ApiResponse) => {
    if (idempotency) await keys.remember(idempotency, plan.id, now(), { signal: request.signal });
    return response;
  };
  const view = await viewAnalysis(deps.resultStore, plan.id, now(), staleAfterMs, request.signal);
  const finalFailure = view.state === 'failed' && !needsNewJob(view.status);
  if (view.state === 'finished' || view.state === 'pending' || finalFailure) return remember(viewResponse(plan.id, view));
  const queue = deps.jobQueue;
  if (queue && (forceAsync || plan.estimate.workPixels > syncLimit)) {
    const status = await acceptAnalysis(plan, { resultStore: deps.resultStore, queue, now, staleAfterMs, logger: deps.logger, signal: request.signal });
    deps.logger.info('analysis queued', { id: plan.id, workPixels: plan.estimate.workPixels, syncLimit, forced: forceAsync });
    if (status.status === 'queued' && status.attempt === 0) deps.metrics.count('kelpie_analyses_total', { outcome: 'queued' });
    return remember(statusResponse(effectiveStatus(status, now(), staleAfterMs)));
  }
  if (forceAsync) throw new DependencyUnavailableError('asynchronous analyses need a job queue and this deployment has none (set KELPIE_JOB_QUEUE)');
  const output = await executeJob(plan.job, { ...deps, maxImagePixels: deps.config.maxImagePixels, stac, signal: request.signal });
  record(deps, output);
  const location = { location: `/api/analyses/${plan.id}` };
  if (output.kind === 'series') return remember(json(200, output.series, location));
  return remember(json(output.reused ? 200 : 201, output.result, location));
}

/** `GET /api/analyses/{id}`: the finished analysis (200), its status while queued or running (202), or its failure (200). */
export function viewResponse(id: string, view: AnalysisView): ApiResponse {
  if (view.state === 'finished') return json(200, view.document, { location: `/api/analyses/${id}` });
  if (view.state === 'unknown') throw new Error(`viewResponse: analysis ${id} is unknown`);
  return statusResponse(view.status);
}

/** A status document: 202 with `Location` and `Retry-After` while pending, 200 once it ended. */
export function statusResponse(status: AnalysisStatus): ApiResponse {
  const pending = status.status === 'queued' || status.status === 'running';
  return json(pending ? 202 : 200, status, pending ? { location: status.links.self, 'retry-after': String(RETRY_AFTER_S) } : {});
}

/** The status of `id`, also for an analysis that ran within its request (synthesised from its result). */
export async function statusOf(id: string, deps: ApiDeps, signal?: AbortSignal): Promise<AnalysisStatus | undefined> {
  const staleAfterMs = deps.config.jobStaleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const view = await viewAnalysis(deps.resultStore, id, deps.clock.now(), staleAfterMs, signal);
  if (view.state === 'unknown') return readRejection(deps.resultStore, id, signal);
  if (view.state !== 'finished') return view.status;
  const stored = await readStatus(deps.resultStore, id, { signal });
  if (stored) return { ...stored, status: 'succeeded' };
  const document = view.document as Partial<AnalysisResult> & { kind?: string };
  const at = document.createdAt ?? new Date(deps.clock.now()).toISOString();
  return {
    schemaVersion: 1,
    id,
    kind: document.kind === 'series' ? 'series' : 'scene',
    status: 'succeeded',
    submittedAt: at,
    updatedAt: at,
    finishedAt: at,
    attempt: 0,
    progress: { step: 'done', done: 1, total: 1, unit: 'steps', percent: 100 },
    source: document.source ? { uri: document.source.uri } : {},
    links: analysisLinks(id),
  };
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
  return { scope: request.headers['x-api-key'] ?? '', key, body: JSON.stringify(body) };
}

function withHeaders(response: ApiResponse, headers: Record<string, string>): ApiResponse {
  return { ...response, headers: { ...response.headers, ...headers } };
}

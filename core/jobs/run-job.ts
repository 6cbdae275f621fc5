import { type KelpieError, isKelpieError } from '../errors.js';
import { type JobDeps, executeJob, readFinished } from './execute.js';
import { type AnalysisJob, parseJob } from './job.js';
import { DEFAULT_PROGRESS_INTERVAL_MS, boundedProgress } from './progress.js';
import { type AnalysisStatus, analysisLinks, readStatus, writeStatus } from './status.js';

/** How the platform delivered this message: its delivery count (1 first) and the most it will make. */
export interface Delivery {
  attempt: number;
  maxAttempts: number;
}

export interface WorkerDeps extends Omit<JobDeps, 'onProgress'> {
  /** Least time between progress writes (default 2 s). */
  progressIntervalMs?: number;
}

/** What the worker did with a message; a transient failure is thrown instead, for the platform to retry. */
export type JobOutcome = 'succeeded' | 'failed' | 'duplicate' | 'dropped';

/** Failures a retry cannot fix: the input or the request is the problem. */
const FINAL_KINDS = new Set(['invalid', 'unusable', 'not-found', 'too-large', 'conflict']);

/**
 * The worker of asynchronous analyses, the same on every platform: takes one queue message,
 * runs its analysis with progress written to `status.json` at a bounded rate, and records how
 * it ended.
 *
 * - At-least-once delivery: a message for an analysis that is finished (or failed for good) is
 *   acknowledged without work (`duplicate`); a message that is not a job is `dropped` (logged).
 * - A failure the input causes (unusable image, changed object) ends as `failed` with the error
 *   and is acknowledged: retrying cannot help.
 * - Any other failure (store or catalog down, deadline) is thrown so the platform retries
 *   (status back to `queued`, with the error); on the last delivery the status becomes `failed`
 *   first, so it never stays `running`. A worker killed outright leaves `running`, which readers
 *   report as failed once it is older than the worker's timeout (`effectiveStatus`), and the
 *   platform's redelivery restarts the analysis cleanly (its writes are idempotent).
 *
 * @example
 * ```ts
 * await runAnalysisJob(record.body, deps, { attempt: Number(record.attributes.ApproximateReceiveCount), maxAttempts: 5 });
 * ```
 */
export async function runAnalysisJob(body: unknown, deps: WorkerDeps, delivery: Delivery): Promise<JobOutcome> {
  let job: AnalysisJob;
  try {
    job = parseJob(body);
  } catch (error) {
    deps.logger.error('queue message dropped: not an analysis job', { error: (error as Error).message });
    return 'dropped';
  }
  const { resultStore: store, clock } = deps;
  const options = { signal: deps.signal };
  const previous = await readStatus(store, job.id, options);
  if (await readFinished(store, job.id, deps.signal)) {
    if (previous && previous.status !== 'succeeded') await writeStatus(store, finished(previous, 'succeeded', clock.now()), clock.now(), options);
    deps.logger.info('job already done; message acknowledged', { id: job.id });
    return 'duplicate';
  }
  if (previous?.status === 'failed' && previous.error && !previous.error.retryable) {
    deps.logger.info('job failed for good earlier; message acknowledged', { id: job.id, code: previous.error.code });
    return 'duplicate';
  }
  const base = previous ?? initialStatus(job);
  const running = await writeStatus(
    store,
    { ...base, status: 'running', attempt: base.attempt + 1, startedAt: new Date(clock.now()).toISOString(), progress: { step: 'starting', done: 0, total: 1, unit: 'steps', percent: 0 }, error: undefined },
    clock.now(),
    options,
  );
  const reporter = boundedProgress((progress) => writeStatus(store, { ...running, progress }, clock.now(), options), {
    clock,
    minIntervalMs: deps.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS,
    logger: deps.logger,
  });
  try {
    await executeJob(job, { ...deps, onProgress: reporter.report });
    await reporter.flush();
    await writeStatus(store, finished(running, 'succeeded', clock.now()), clock.now(), options);
    deps.logger.info('job succeeded', { id: job.id, attempt: running.attempt, progressWrites: reporter.writes });
    return 'succeeded';
  } catch (caught) {
    await reporter.flush();
    const error = describe(caught);
    const final = isKelpieError(caught) && FINAL_KINDS.has(caught.kind);
    const last = delivery.attempt >= delivery.maxAttempts;
    // The status write must not hide the analysis' error: a store that fails here fails the retry too.
    const record = final || last ? finished(running, 'failed', clock.now()) : { ...running, status: 'queued' as const };
    const message = !final && last ? `${error.message} (gave up after ${delivery.attempt} attempts)` : error.message;
    await writeStatus(store, { ...record, error: { code: error.code, message, retryable: !final } }, clock.now(), { signal: undefined }).catch((writeError: Error) =>
      deps.logger.error('could not record the job failure', { id: job.id, error: writeError.message }),
    );
    if (final) {
      deps.logger.info('job failed: the input cannot be analysed', { id: job.id, code: error.code });
      return 'failed';
    }
    deps.logger.warn(last ? 'job failed on its last attempt' : 'job failed; the platform will retry it', { id: job.id, attempt: delivery.attempt, code: error.code, error: error.message });
    throw caught;
  }
}

/** The status of a job that was never recorded as queued (its message outran the API's write). */
function initialStatus(job: AnalysisJob): AnalysisStatus {
  return {
    schemaVersion: 1,
    id: job.id,
    kind: job.kind === 'stac-series' ? 'series' : 'scene',
    status: 'queued',
    submittedAt: job.submittedAt,
    updatedAt: job.submittedAt,
    attempt: 0,
    source: job.kind === 'object' ? { key: job.key } : { stac: job.stac },
    links: analysisLinks(job.id),
  };
}

function finished(status: AnalysisStatus, state: 'succeeded' | 'failed', now: number): AnalysisStatus {
  const done = state === 'succeeded' ? { progress: { step: 'done', done: 1, total: 1, unit: 'steps' as const, percent: 100 }, error: undefined } : {};
  return { ...status, status: state, finishedAt: new Date(now).toISOString(), ...done };
}

function describe(error: unknown): { code: string; message: string } {
  if (isKelpieError(error)) return { code: (error as KelpieError).code, message: error.message };
  return { code: 'INTERNAL', message: 'the analysis failed unexpectedly; it is retried, and the logs have the details' };
}

import type { AnalysisResult } from '../analysis/result.js';
import { dispositionOf } from '../delivery.js';
import { DeadlineExceededError, DependencyUnavailableError, isKelpieError } from '../errors.js';
import { indexKey } from '../usecases/result-keys.js';
import { summarize } from '../usecases/result-store.js';
import { type JobDeps, executeJob } from './execute.js';
import { readFinished } from './finished.js';
import { type AnalysisJob, parseJob } from './job.js';
import { DEFAULT_PROGRESS_INTERVAL_MS, boundedProgress } from './progress.js';
import { type AnalysisStatus, DEFAULT_STALE_AFTER_MS, analysisLinks, effectiveStatus, readStatus, writeStatus } from './status.js';

/** How the platform delivered this message: its delivery count (1 first) and the most it will make. */
export interface Delivery {
  attempt: number;
  maxAttempts: number;
}

export interface WorkerDeps extends Omit<JobDeps, 'onProgress'> {
  /** Least time between progress writes (default 2 s). */
  progressIntervalMs?: number;
  /** How long the platform lets this worker run: written into the status as `deadlineAt`. */
  timeoutMs?: number;
}

/** What the worker did with a message; a transient failure is thrown instead, for the platform to retry. */
export type JobOutcome = 'succeeded' | 'failed' | 'duplicate' | 'dropped';

/** Another worker holds this job right now; the message comes back later (never acknowledged unrun). */
export class JobBusyError extends DependencyUnavailableError {}

/**
 * The worker of asynchronous analyses, the same on every platform: takes one queue message,
 * runs its analysis with progress written to `status.json` at a bounded rate, and records how
 * it ended.
 *
 * - At-least-once delivery: a message for an analysis that is finished (or failed for good) is
 *   acknowledged without work (`duplicate`); one for an analysis another worker is running now
 *   (`running`, before its deadline) is handed back (`JobBusyError`), so two workers never run one
 *   job, and if that worker dies the message is still there; a message that is not a job is
 *   `dropped` (logged).
 * - A failure the input causes (unusable image, changed object) ends as `failed` with the error
 *   and is acknowledged: retrying cannot help. So does a second attempt that ran out of time.
 * - Any other failure (store or catalog down, a first deadline) is thrown so the platform retries
 *   (status back to `queued`, with the error); on the last delivery the status becomes `failed`
 *   first, so it never stays `running`. A worker killed outright leaves `running` with its
 *   `deadlineAt`, which readers report as failed once passed (`effectiveStatus`), and the
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
  let current: AnalysisStatus = initialStatus(job);
  const reporter = boundedProgress((progress) => writeStatus(store, { ...current, progress }, clock.now(), options), {
    clock,
    minIntervalMs: deps.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS,
    logger: deps.logger,
  });
  try {
    const previous = await readStatus(store, job.id, options);
    if (previous) current = previous;
    // A site's scene runs again even when its analysis is done or failed for good: its observation may not be recorded yet (the analysis is reused).
    const done = job.kind === 'site' ? undefined : await readFinished(store, job.id, deps.signal);
    if (done) {
      await completeDuplicate(done, previous, deps);
      return 'duplicate';
    }
    if (previous?.status === 'failed' && previous.error && !previous.error.retryable && job.kind !== 'site') {
      deps.logger.info('job failed for good earlier; message acknowledged', { id: job.id, code: previous.error.code });
      return 'duplicate';
    }
    if (previous?.status === 'running' && effectiveStatus(previous, clock.now(), DEFAULT_STALE_AFTER_MS).status === 'running') {
      throw new JobBusyError(`analysis ${job.id} is running in another worker (attempt ${previous.attempt}, until ${previous.deadlineAt ?? 'its timeout'}); this message comes back later`);
    }
    const started = clock.now();
    current = await writeStatus(
      store,
      {
        ...current,
        status: 'running',
        attempt: current.attempt + 1,
        startedAt: new Date(started).toISOString(),
        ...(deps.timeoutMs ? { deadlineAt: new Date(started + deps.timeoutMs).toISOString() } : {}),
        progress: { step: 'starting', done: 0, total: 1, unit: 'steps', percent: 0 },
        error: undefined,
      },
      started,
      options,
    );
    await executeJob(job, { ...deps, onProgress: reporter.report });
    await reporter.flush();
    await writeStatus(store, finished(current, 'succeeded', clock.now()), clock.now(), options);
    deps.logger.info('job succeeded', { id: job.id, attempt: current.attempt, progressWrites: reporter.writes });
    return 'succeeded';
  } catch (caught) {
    await reporter.flush();
    if (caught instanceof JobBusyError) {
      deps.logger.warn('job message handed back: another worker runs it', { id: job.id });
      throw caught;
    }
    return recordFailure(job, current, caught, delivery, deps);
  }
}

/** Records how a run failed; resolves `failed` for a final failure, throws a transient one for the platform to retry. */
async function recordFailure(job: AnalysisJob, current: AnalysisStatus, caught: unknown, delivery: Delivery, deps: WorkerDeps): Promise<JobOutcome> {
  const error = describe(caught, deps.signal);
  // A second run out of time will run out of time again: say so instead of burning the retries.
  const outOfTimeAgain = error.code === 'DEADLINE_EXCEEDED' && current.attempt >= 2;
  // A failure the one table of core/delivery.ts does not retry (the input or the request is the problem) is final.
  const final = dispositionOf(caught) !== 'retry' || outOfTimeAgain;
  const last = delivery.attempt >= delivery.maxAttempts;
  const message = outOfTimeAgain
    ? `the analysis did not finish within the worker's time limit in ${current.attempt} attempts; analyse a smaller area, a shorter range, or give the worker more time`
    : !final && last
      ? `${error.message} (gave up after ${delivery.attempt} attempts)`
      : error.message;
  const record = final || last ? finished(current, 'failed', deps.clock.now()) : { ...current, status: 'queued' as const };
  // Written without the invocation's signal (it may be what fired); a store that fails here fails the retry too.
  await writeStatus(deps.resultStore, { ...record, error: { code: error.code, message, retryable: !final } }, deps.clock.now()).catch((writeError: Error) =>
    deps.logger.error('could not record the job failure', { id: job.id, error: writeError.message }),
  );
  if (final) {
    deps.logger.info('job failed: it cannot succeed as asked', { id: job.id, code: error.code });
    return 'failed';
  }
  deps.logger.warn(last ? 'job failed on its last attempt' : 'job failed; the platform will retry it', {
    id: job.id,
    attempt: delivery.attempt,
    code: error.code,
    error: (caught as Error)?.message,
    ...(isKelpieError(caught) ? {} : { stack: (caught as Error)?.stack }),
  });
  throw caught;
}

/** A finished analysis delivered again: make its status say so, and repair its listing entry (a run may have died between the two). */
async function completeDuplicate(done: object, previous: AnalysisStatus | undefined, deps: WorkerDeps): Promise<void> {
  const { resultStore: store, clock } = deps;
  const result = done as Partial<AnalysisResult>;
  if (result.kelp && result.id && result.createdAt) {
    const key = indexKey(result as AnalysisResult);
    if (!(await store.head(key, { signal: deps.signal }))) {
      await store.put(key, JSON.stringify(summarize(result as AnalysisResult)), { contentType: 'application/json', signal: deps.signal });
    }
  }
  if (previous && previous.status !== 'succeeded') await writeStatus(store, finished(previous, 'succeeded', clock.now()), clock.now(), { signal: deps.signal });
  deps.logger.info('job already done; message acknowledged', { id: result.id });
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
    source: job.kind === 'object' ? { key: job.key } : job.kind === 'site' ? { site: job.siteId, sceneId: (job.item as { id?: unknown }).id } : { stac: job.stac },
    links: analysisLinks(job.id),
  };
}

function finished(status: AnalysisStatus, state: 'succeeded' | 'failed', now: number): AnalysisStatus {
  const done = state === 'succeeded' ? { progress: { step: 'done', done: 1, total: 1, unit: 'steps' as const, percent: 100 }, error: undefined } : {};
  return { ...status, status: state, finishedAt: new Date(now).toISOString(), ...done };
}

/** The code and message to record; an abort from the invocation's deadline is a deadline, not a bug. */
function describe(error: unknown, signal?: AbortSignal): { code: string; message: string } {
  if (isKelpieError(error)) return { code: error.code, message: error.message };
  const name = (error as Error)?.name;
  if (signal?.aborted || name === 'AbortError' || name === 'TimeoutError') {
    const deadline = new DeadlineExceededError('the worker reached its time limit before the analysis finished');
    return { code: deadline.code, message: deadline.message };
  }
  return { code: 'INTERNAL', message: 'the analysis failed unexpectedly; it is retried, and the worker logs have the details' };
}


import type { AnalysisResult } from '../analysis/result.js';
import { dispositionOf } from '../delivery.js';
import { DeadlineExceededError, DependencyUnavailableError, isKelpieError } from '../errors.js';
import { indexOnce } from '../usecases/result-store.js';
import { type JobDeps, executeJob } from './execute.js';
import { readFinished } from './finished.js';
import { type AnalysisJob, parseJob } from './job.js';
import { type JobLease, claimJob } from './job-lease.js';
import { newOwner, startHeartbeat } from './lease.js';
import { DEFAULT_PROGRESS_INTERVAL_MS, boundedProgress } from './progress.js';
import { type AnalysisStatus, readStatusVersioned, writeStatus } from './status.js';

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
  /** This run's owner id in the status (default: a new one per message). */
  owner?: string;
  /** How often the heartbeat is renewed between progress writes (default `HEARTBEAT_MS`). */
  heartbeatMs?: number;
}

/** What the worker did with a message; a transient failure is thrown instead, for the platform to retry. */
export type JobOutcome = 'succeeded' | 'failed' | 'duplicate' | 'dropped' | 'superseded';

/** Another worker holds this job right now; the message comes back later (never acknowledged unrun). */
export class JobBusyError extends DependencyUnavailableError {
  /** How long until that worker's lease runs out: the soonest a redelivery could take the job over. */
  readonly retryAfterMs: number;

  constructor(message: string, retryAfterMs: number) {
    super(message, { retryAfterMs });
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * The worker of asynchronous analyses, the same on every platform: takes one queue message,
 * claims its job (a conditional write of `status.json` naming this worker, with a heartbeat),
 * runs its analysis with progress written at a bounded rate and the heartbeat renewed between
 * them, and records how it ended.
 *
 * - At-least-once delivery: a message for an analysis that is finished (or failed for good) is
 *   acknowledged without work (`duplicate`); one whose job another worker holds (its heartbeat
 *   fresh) is handed back (`JobBusyError`, with how long that worker's lease has left), so two
 *   workers never run one job; one whose worker went silent (killed, crashed) is taken over at
 *   once, its attempt counted. A worker that finds its own lease taken over stops (`superseded`).
 *   A message that is not a job is `dropped` (logged).
 * - A failure the input causes (unusable image, changed object) ends as `failed` with the error
 *   and is acknowledged: retrying cannot help. So does a second attempt that ran out of time.
 * - Any other failure (store or catalog down, a first deadline) is thrown so the platform retries
 *   (status back to `queued`, with the error); on the last delivery the status becomes `failed`
 *   first, so it never stays `running`. A worker killed outright leaves `running` with a heartbeat
 *   that stops: readers report it lost once the lease has run out (`effectiveStatus`), the next
 *   `POST` queues it again, and a redelivered message takes it over.
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
  // A site's scene runs again even when its analysis is done: its observation may not be recorded yet (the analysis is reused).
  const done = job.kind === 'site' ? undefined : await readFinished(store, job.id, deps.signal);
  if (done) {
    await completeDuplicate(done, job.id, deps);
    return 'duplicate';
  }
  const claim = await claimJob(job, { store, clock, owner: deps.owner ?? newOwner('job-worker'), timeoutMs: deps.timeoutMs, signal: deps.signal });
  if (claim.kind === 'final') {
    deps.logger.info('job failed for good earlier; message acknowledged', { id: job.id, code: claim.status.error?.code });
    return 'duplicate';
  }
  if (claim.kind === 'busy') {
    const { attempt, heartbeatAt } = claim.status;
    deps.logger.warn('job message handed back: another worker runs it', { id: job.id, attempt, heartbeatAt, retryAfterMs: claim.retryAfterMs });
    throw new JobBusyError(`analysis ${job.id} is running in another worker (attempt ${attempt}, last heartbeat ${heartbeatAt ?? 'unknown'}); this message comes back later`, claim.retryAfterMs);
  }
  const { lease, previous } = claim;
  if (previous?.status === 'running') deps.logger.warn('job taken over from a worker that went silent', { id: job.id, attempt: lease.status.attempt, lastHeartbeat: previous.heartbeatAt });
  return runClaimed(job, lease, deps, delivery);
}

/** Runs a claimed job under its lease: heartbeats between progress writes, the end recorded by the lease. */
async function runClaimed(job: AnalysisJob, lease: JobLease, deps: WorkerDeps, delivery: Delivery): Promise<JobOutcome> {
  const { clock } = deps;
  const signal = deps.signal ? AbortSignal.any([deps.signal, lease.signal]) : lease.signal;
  const reporter = boundedProgress((progress) => lease.update({ progress }), {
    clock,
    minIntervalMs: deps.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS,
    logger: deps.logger,
  });
  const stopHeartbeat = startHeartbeat(() => lease.renew(), deps.heartbeatMs);
  try {
    await executeJob(job, { ...deps, signal, onProgress: reporter.report });
    await reporter.flush();
    if (!(await lease.update(finished('succeeded', clock.now())))) throw lease.signal.reason;
    deps.logger.info('job succeeded', { id: job.id, attempt: lease.status.attempt, progressWrites: reporter.writes });
    return 'succeeded';
  } catch (caught) {
    await reporter.flush();
    if (lease.signal.aborted) {
      deps.logger.warn('job stopped: another worker took it over', { id: job.id, attempt: lease.status.attempt });
      return 'superseded';
    }
    return recordFailure(job, lease, caught, delivery, deps);
  } finally {
    stopHeartbeat();
  }
}

/** Records how a run failed; resolves `failed` for a final failure, throws a transient one for the platform to retry. */
async function recordFailure(job: AnalysisJob, lease: JobLease, caught: unknown, delivery: Delivery, deps: WorkerDeps): Promise<JobOutcome> {
  const current = lease.status;
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
  // Queued again (no owner) for the retry, or failed for good; the lease's write ignores the invocation's signal (it may be what fired).
  const record = final || last ? finished('failed', deps.clock.now()) : { status: 'queued' as const, owner: undefined };
  await lease.update({ ...record, error: { code: error.code, message, retryable: !final } }).catch((writeError: Error) =>
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

/**
 * A finished analysis delivered again: repair its listing entry (a run may have died between
 * result and entry; the entry is written once), and make its status say so (if no one else
 * changed it meanwhile).
 */
async function completeDuplicate(done: object, id: string, deps: WorkerDeps): Promise<void> {
  const { resultStore: store, clock } = deps;
  const result = done as Partial<AnalysisResult>;
  if (result.kelp && result.id && result.createdAt) await indexOnce(store, result as AnalysisResult, deps.signal);
  const current = await readStatusVersioned(store, id, { signal: deps.signal });
  if (current && current.value.status !== 'succeeded') {
    await writeStatus(store, { ...current.value, ...finished('succeeded', clock.now()), owner: undefined }, clock.now(), { etag: current.etag }, { signal: deps.signal });
  }
  deps.logger.info('job already done; message acknowledged', { id });
}

/** The fields of a status that has ended: when, and for a success its full progress and no error. */
function finished(state: 'succeeded' | 'failed', now: number): Partial<AnalysisStatus> {
  const done = state === 'succeeded' ? { progress: { step: 'done', done: 1, total: 1, unit: 'steps' as const, percent: 100 }, error: undefined } : {};
  return { status: state, finishedAt: new Date(now).toISOString(), ...done };
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


import { DependencyUnavailableError } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { Logger } from '../ports/logger.js';
import { serializeJob } from './job.js';
import type { AnalysisPlan } from './plan.js';
import type { Versioned } from '../storage/versioned.js';
import { type AnalysisStatus, analysisLinks, effectiveStatus, needsNewJob, readStatusVersioned, writeStatus } from './status.js';

export interface AcceptDeps {
  resultStore: BlobStore;
  queue: JobQueue;
  now: () => number;
  /** A `running` attempt older than this is dead (the worker's timeout plus a margin). */
  staleAfterMs: number;
  logger: Logger;
  signal?: AbortSignal;
}

/** A queueing attempt that keeps losing races this many times answers 503. */
const ACCEPT_ATTEMPTS = 5;

/**
 * Queues a planned analysis for a worker and returns its status: `queued` now, or the status
 * of the same analysis already queued or running (no second job), or its final failure. One
 * that failed in a way a retry may fix (or whose worker went silent) is queued again, its
 * attempts kept. The `queued` status is one conditional write over the status read, so of many
 * requests at once exactly one queues the job and the others answer its status. The status is
 * written before the message is sent, so a worker never finds a job without one; when the queue
 * refuses the message the status says so and the caller gets a 503 to retry.
 *
 * @example
 * ```ts
 * const status = await acceptAnalysis(plan, { resultStore, queue, now: () => Date.now(), staleAfterMs: 960_000 });
 * ```
 */
export async function acceptAnalysis(plan: AnalysisPlan, deps: AcceptDeps): Promise<AnalysisStatus> {
  const options = { signal: deps.signal };
  const body = serializeJob(plan.job);
  for (let attempt = 0; attempt < ACCEPT_ATTEMPTS; attempt++) {
    const current = await readStatusVersioned(deps.resultStore, plan.id, options);
    const effective = current && effectiveStatus(current.value, deps.now(), deps.staleAfterMs);
    if (effective && !needsNewJob(effective)) return effective;
    const queued = await writeStatus(
      deps.resultStore,
      {
        schemaVersion: 1,
        id: plan.id,
        kind: plan.kind,
        status: 'queued',
        submittedAt: plan.job.submittedAt,
        updatedAt: plan.job.submittedAt,
        attempt: current?.value.attempt ?? 0,
        estimate: plan.estimate,
        source: plan.source,
        links: analysisLinks(plan.id),
      },
      deps.now(),
      current ? { etag: current.etag } : 'absent',
      options,
    );
    if (queued) return send(plan, body, queued, deps);
  }
  throw new DependencyUnavailableError(`analysis ${plan.id}: its status kept changing while it was being queued; try again shortly`);
}

/** Sends the job's message; a refusal is recorded in the status (if it is still ours) and answered with 503. */
async function send(plan: AnalysisPlan, body: string, queued: Versioned<AnalysisStatus>, deps: AcceptDeps): Promise<AnalysisStatus> {
  try {
    await deps.queue.send(body, { signal: deps.signal });
  } catch (error) {
    // The queue's own message can name accounts and roles: it goes to the log, not to the client.
    deps.logger.error('the job queue refused the message', { id: plan.id, queue: deps.queue.name, error: (error as Error).message });
    const message = 'the analysis could not be queued (the job queue did not take it); try again shortly';
    const failed = { ...queued.value, status: 'failed' as const, error: { code: 'QUEUE_UNAVAILABLE', message, retryable: true } };
    await writeStatus(deps.resultStore, failed, deps.now(), { etag: queued.etag }).catch(() => undefined);
    throw new DependencyUnavailableError(message, undefined, { cause: error });
  }
  return queued.value;
}

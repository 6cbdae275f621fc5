import { DependencyUnavailableError } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import type { Versioned } from '../storage/versioned.js';
import type { AnalysisJob } from './job.js';
import { LEASE_MS, leaseLeftMs } from './lease.js';
import { type AnalysisStatus, DEFAULT_STALE_AFTER_MS, analysisLinks, effectiveStatus, readStatusVersioned, writeStatus } from './status.js';

/** A claim attempt that keeps losing races this many times is handed back to the platform. */
const CLAIM_ATTEMPTS = 5;

/** The lease a job is claimed under, and what is known about who had it before. */
export type Claim =
  | { kind: 'claimed'; lease: JobLease; previous?: AnalysisStatus }
  /** Another worker's heartbeat is fresh: this delivery must wait `retryAfterMs`. */
  | { kind: 'busy'; status: AnalysisStatus; retryAfterMs: number }
  /** Failed for good earlier: nothing to run. */
  | { kind: 'final'; status: AnalysisStatus };

/** What claiming needs: who claims, the clock, and the platform's timeout for `deadlineAt`. */
export interface ClaimDeps {
  store: BlobStore;
  clock: Clock;
  owner: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Claims a job for `owner` by one conditional write of its status: `running`, this owner, a fresh
 * heartbeat and the attempt counted. A job whose owner's heartbeat is fresh is `busy`; one whose
 * owner went silent (its lease ran out) is taken over at once. Of many workers claiming at once,
 * exactly one wins (the others find it `busy`).
 *
 * @example
 * ```ts
 * const claim = await claimJob(job, { store, clock, owner: newOwner('job-worker'), timeoutMs });
 * if (claim.kind === 'claimed') await run(claim.lease);
 * ```
 */
export async function claimJob(job: AnalysisJob, deps: ClaimDeps): Promise<Claim> {
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
    const current = await readStatusVersioned(deps.store, job.id, { signal: deps.signal });
    const status = current?.value ?? initialStatus(job);
    const now = deps.clock.now();
    // A site's scene runs again even after failing for good: its observation (of the failure) may not be recorded yet.
    if (job.kind !== 'site' && status.status === 'failed' && status.error && !status.error.retryable) return { kind: 'final', status };
    const heldMs = heldForMs(status, now);
    if (heldMs > 0) return { kind: 'busy', status, retryAfterMs: heldMs };
    const next: AnalysisStatus = {
      ...status,
      status: 'running',
      owner: deps.owner,
      heartbeatAt: new Date(now).toISOString(),
      attempt: status.attempt + 1,
      startedAt: new Date(now).toISOString(),
      deadlineAt: deps.timeoutMs ? new Date(now + deps.timeoutMs).toISOString() : undefined,
      progress: { step: 'starting', done: 0, total: 1, unit: 'steps', percent: 0 },
      error: undefined,
      finishedAt: undefined,
    };
    const written = await writeStatus(deps.store, next, now, current ? { etag: current.etag } : 'absent', { signal: deps.signal });
    if (written) return { kind: 'claimed', lease: new JobLease(deps.store, written, deps.clock), ...(current ? { previous: current.value } : {}) };
  }
  throw new DependencyUnavailableError(`analysis ${job.id}: its status kept changing while this worker tried to claim it; the message comes back later`);
}

/** How much longer another owner holds a running status (0 when it is not held). */
function heldForMs(status: AnalysisStatus, now: number): number {
  if (status.status !== 'running') return 0;
  // A status written before heartbeats: held until its deadline, as readers judge it.
  if (!status.heartbeatAt) return effectiveStatus(status, now, DEFAULT_STALE_AFTER_MS).status === 'running' ? LEASE_MS : 0;
  return Math.max(0, leaseLeftMs(status, now));
}

/**
 * A worker's hold on a job's status: every write (progress, heartbeat, the end) is conditioned on
 * the version this lease last wrote and renews the heartbeat. When a write finds the status
 * changed, another worker has taken the job over: the lease is lost, `signal` fires and no
 * further write is made (the analysis stops; its writes so far are idempotent).
 */
export class JobLease {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly lost = new AbortController();

  constructor(
    private readonly store: BlobStore,
    private current: Versioned<AnalysisStatus>,
    private readonly clock: Clock,
  ) {}

  /** The status as this lease last wrote it. */
  get status(): AnalysisStatus {
    return this.current.value;
  }

  /** Fires when another worker has taken the job over. */
  get signal(): AbortSignal {
    return this.lost.signal;
  }

  /** Writes `patch` over the status with a fresh heartbeat, after any write in flight; false once the lease is lost. */
  update(patch: Partial<AnalysisStatus>): Promise<boolean> {
    const write = this.chain.then(async () => {
      if (this.lost.signal.aborted) return false;
      const now = this.clock.now();
      const next = { ...this.current.value, ...patch, heartbeatAt: new Date(now).toISOString() };
      const written = await writeStatus(this.store, next, now, { etag: this.current.etag });
      if (!written) {
        this.lost.abort(new LeaseLostError(`analysis ${next.id}: another worker took this job over; this attempt stops`));
        return false;
      }
      this.current = written;
      return true;
    });
    this.chain = write.catch(() => undefined);
    return write;
  }

  /** Renews the heartbeat (a write of the status as it is). */
  renew(): Promise<boolean> {
    return this.update({});
  }
}

/** This worker's lease on a job was taken over by another worker. */
export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
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

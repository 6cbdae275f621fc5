import { NotFoundError } from '../errors.js';
import type { BlobStore, CallOptions } from '../ports/blob-store.js';
import { type Expected, type Versioned, readVersioned, writeVersioned } from '../storage/versioned.js';
import { resultPrefix } from '../usecases/result-keys.js';
import { LEASE_MS, type LeaseFields, READER_MARGIN_MS, leaseLeftMs } from './lease.js';

/** Where an analysis stands: waiting for a worker, being worked on, done, or given up. */
export type AnalysisState = 'queued' | 'running' | 'succeeded' | 'failed';

/** How far a running analysis is: `done` of `total` units (rows of a scene, scenes of a series). */
export interface JobProgress {
  /** What it is doing now, in words a user can read (e.g. `scanning rows`, `scene 3 of 12: S2B_…`). */
  step: string;
  done: number;
  total: number;
  unit: 'rows' | 'scenes' | 'steps';
  /** 0–100, over the whole analysis. */
  percent: number;
}

/** What the work was estimated at when it was submitted (see `estimateWork`). */
export interface WorkEstimate {
  /** Pixels of the analysed window (per scene). */
  pixels: number;
  scenes: number;
  /** Pixels weighted by how they are read (remote reads cost more), summed over scenes. */
  workPixels: number;
  /** The largest `workPixels` answered within the request. */
  syncLimit: number;
}

/**
 * `results/<id>/status.json`: the state of an asynchronous analysis (docs/async-analyses.md).
 * Written by the API when it queues the job and by the worker as it runs, every write
 * conditioned on the version its writer read (so two writers never both think they won); the
 * running worker's `owner` and `heartbeatAt` are its lease (`lease.ts`). The result
 * (`result.json`, or `series.json` for a series) stays the commit point and is written before the
 * final `succeeded`, so a reader that finds the result never needs the status.
 */
export interface AnalysisStatus extends LeaseFields {
  schemaVersion: 1;
  id: string;
  kind: 'scene' | 'series';
  status: AnalysisState;
  submittedAt: string;
  updatedAt: string;
  /** When the current (or last) attempt started. */
  startedAt?: string;
  /** When the platform stops the current attempt at the latest (its start plus the worker's timeout). */
  deadlineAt?: string;
  finishedAt?: string;
  /** Worker attempts started so far (0 while first queued). */
  attempt: number;
  progress?: JobProgress;
  /** Why it failed; `retryable` when a retry may succeed (kept while queued again after a transient failure). */
  error?: { code: string; message: string; retryable: boolean };
  estimate?: WorkEstimate;
  /** What is analysed, for people reading the status (the key, or the place and dates). */
  source: Record<string, unknown>;
  links: { self: string; status: string };
}

/** Slack past a worker's deadline before its job counts as dead (clocks of API and worker differ). */
const STALE_MARGIN_MS = 60 * 1000;

/** Default staleness when a status has no `deadlineAt`: a 15-minute worker timeout (Lambda's most) plus the margin. */
export const DEFAULT_STALE_AFTER_MS = 15 * 60 * 1000 + STALE_MARGIN_MS;

/** A job queued this long without a worker taking it was lost (a queue deleted, a message expired or dropped). */
const QUEUED_LOST_AFTER_MS = 24 * 60 * 60 * 1000;

/** Code of a queued job no worker took within `QUEUED_LOST_AFTER_MS`. */
const JOB_LOST = 'JOB_LOST';

/** Code of a job whose worker stopped without a word (killed at its timeout, crashed). */
const WORKER_LOST = 'WORKER_LOST';

export const statusKey = (id: string) => `${resultPrefix(id)}status.json`;

/** The links of an analysis, as the API serves them. */
export const analysisLinks = (id: string) => ({ self: `/api/analyses/${id}`, status: `/api/analyses/${id}/status` });

/** The stored status of `id`, or undefined when it has none (never queued, or analysed synchronously). */
export async function readStatus(store: BlobStore, id: string, options: CallOptions = {}): Promise<AnalysisStatus | undefined> {
  try {
    return JSON.parse(new TextDecoder().decode(await store.get(statusKey(id), options))) as AnalysisStatus;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** The stored status of `id` with its etag, for a write conditioned on it; undefined when it has none. */
export function readStatusVersioned(store: BlobStore, id: string, options: CallOptions = {}): Promise<Versioned<AnalysisStatus> | undefined> {
  return readVersioned<AnalysisStatus>(store, statusKey(id), options);
}

/**
 * Writes the status, stamping `updatedAt`, if it is still as its writer read it (`expected`: the
 * etag read, or `'absent'`). Answers the written status and its etag, or undefined when another
 * writer changed it first: the caller reads again and decides again.
 *
 * @example
 * ```ts
 * const written = await writeStatus(store, { ...current.value, status: 'queued' }, now, { etag: current.etag });
 * ```
 */
export async function writeStatus(store: BlobStore, status: AnalysisStatus, now: number, expected: Expected, options: CallOptions = {}): Promise<Versioned<AnalysisStatus> | undefined> {
  const stamped = { ...status, updatedAt: new Date(now).toISOString() };
  const etag = await writeVersioned(store, statusKey(status.id), stamped, expected, options);
  return etag === undefined ? undefined : { value: stamped, etag };
}

/**
 * The status as a reader should see it: a `running` attempt whose worker has gone silent (no
 * heartbeat for the lease plus a margin; or, for a status without heartbeats, past the worker's
 * timeout) is not running any more: it is reported as `failed` with `WORKER_LOST` rather than left
 * spinning, and the next `POST` of the analysis queues it again. A job still `queued` a day later
 * was never taken (its message was lost): `failed` with `JOB_LOST`, likewise.
 *
 * @example
 * ```ts
 * effectiveStatus(status, Date.now(), 16 * 60_000).status; // 'failed' when the worker died
 * ```
 */
export function effectiveStatus(status: AnalysisStatus, now: number, staleAfterMs: number): AnalysisStatus {
  if (status.status === 'queued' && now - Date.parse(status.updatedAt) > QUEUED_LOST_AFTER_MS) {
    return {
      ...status,
      status: 'failed',
      error: {
        code: JOB_LOST,
        retryable: true,
        message: `the job waited since ${status.updatedAt} without a worker taking it (its queue message was lost or expired); POST the analysis again to queue it again`,
      },
    };
  }
  if (status.status !== 'running' || !status.startedAt) return status;
  if (!isWorkerLost(status, now, staleAfterMs)) return status;
  const lastSign = status.heartbeatAt ?? status.startedAt;
  return {
    ...status,
    status: 'failed',
    error: {
      code: WORKER_LOST,
      retryable: true,
      message: `the worker running attempt ${status.attempt} stopped without finishing (stopped, crashed or out of time; its last sign of life was at ${lastSign}). A worker that receives its queue message again takes the job over; POST the same analysis to queue it again now`,
    },
  };
}

/**
 * Whether the worker of a `running` status is gone: its heartbeat is older than the lease plus
 * the readers' margin, or its platform deadline (`deadlineAt`) has passed; a status written
 * without heartbeats is judged by its start and `staleAfterMs` alone.
 */
function isWorkerLost(status: AnalysisStatus, now: number, staleAfterMs: number): boolean {
  const pastDeadline = status.deadlineAt !== undefined && now > Date.parse(status.deadlineAt) + STALE_MARGIN_MS;
  if (status.heartbeatAt) return pastDeadline || leaseLeftMs(status, now, LEASE_MS + READER_MARGIN_MS) < 0;
  // The worker's own deadline when it wrote one (its platform's timeout), else the configured one.
  return status.deadlineAt ? pastDeadline : now > Date.parse(status.startedAt as string) + staleAfterMs;
}

/**
 * Whether a new job should be queued for this (effective) status: none yet, or the last one
 * failed in a way a retry may fix. A final failure (the image has no valid pixel, the object
 * changed) would fail the same way: its id already pins the object version and options.
 */
export function needsNewJob(status: AnalysisStatus | undefined): boolean {
  return !status || (status.status === 'failed' && status.error?.retryable !== false);
}

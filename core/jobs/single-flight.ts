import { type ErrorKind, KelpieError, isKelpieError } from '../errors.js';
import { abortableSleep } from '../net/retry.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import { readVersioned, writeVersioned } from '../storage/versioned.js';
import { resultPrefix } from '../usecases/result-keys.js';
import { HEARTBEAT_MS, type LeaseFields, leaseLeftMs, startHeartbeat } from './lease.js';

/** `results/<id>/run.json`: the lease of a request that runs analysis `id` within itself. */
export const runLeaseKey = (id: string) => `${resultPrefix(id)}run.json`;

/** How often a waiting request looks for the result: from this, doubling, up to {@link MAX_POLL_MS}. */
const MIN_POLL_MS = 100;
const MAX_POLL_MS = 1_000;

/** How a run ended without a result, for the requests that waited for it. */
interface RecordedFailure {
  code: string;
  /** Absent for a bug: the waiters answer 500 as the run did. */
  kind?: ErrorKind;
  message: string;
  details?: Record<string, unknown>;
}

interface RunLease extends LeaseFields {
  owner: string;
  heartbeatAt: string;
  startedAt: string;
  failed?: RecordedFailure;
}

/** The same failure the request running the analysis met, answered to every request that waited for it. */
export class SharedFailureError extends KelpieError {
  readonly code: string;
  readonly kind: ErrorKind;

  constructor(failure: RecordedFailure & { kind: ErrorKind }) {
    super(failure.message, failure.details);
    this.code = failure.code;
    this.kind = failure.kind;
  }
}

export interface SingleFlightDeps {
  store: BlobStore;
  clock: Clock;
  /** This request's owner id (unique per request). */
  owner: string;
  /** The request's deadline: waiting and running stop when it fires. */
  signal?: AbortSignal;
  heartbeatMs?: number;
}

/** The work one flight does: what it finds when the work is done, and how to do it. */
export interface Flight<T> {
  done(): Promise<T | undefined>;
  run(signal: AbortSignal | undefined): Promise<T>;
}

/**
 * Runs analysis `id` once however many requests ask for it at the same moment: the first takes
 * a lease on `run.json` (create-if-absent) and runs `flight.run` with its heartbeat renewed; the
 * others wait until `flight.done()` finds the result, and answer it. A run that fails records its
 * failure in the lease, and the requests that waited for it answer the same failure; a runner
 * that goes silent (its lease runs out) is taken over by a waiting request. `ran` says whether
 * this request did the work.
 *
 * @example
 * ```ts
 * const { value } = await runOnce(id, deps, { done: () => readResult(store, id), run: (signal) => analyse(signal) });
 * ```
 */
export async function runOnce<T>(id: string, deps: SingleFlightDeps, flight: Flight<T>): Promise<{ value: T; ran: boolean }> {
  const key = runLeaseKey(id);
  const options = { signal: deps.signal };
  let waitedOn: string | undefined;
  for (let pollMs = MIN_POLL_MS; ; pollMs = Math.min(2 * pollMs, MAX_POLL_MS)) {
    const done = await flight.done();
    if (done !== undefined) return { value: done, ran: false };
    const lease = await readVersioned<RunLease>(deps.store, key, options);
    const now = deps.clock.now();
    if (lease?.value.failed && lease.value.owner === waitedOn) throw failureFrom(lease.value.failed);
    if (lease && !lease.value.failed && leaseLeftMs(lease.value, now) > 0) {
      waitedOn = lease.value.owner;
      await abortableSleep(pollMs, deps.signal);
      continue;
    }
    const mine: RunLease = { owner: deps.owner, heartbeatAt: new Date(now).toISOString(), startedAt: new Date(now).toISOString() };
    const etag = await writeVersioned(deps.store, key, mine, lease ? { etag: lease.etag } : 'absent', options);
    if (etag === undefined) continue; // another request took it first: read again
    // A run that finished between the look above and this lease has left its result: answer it.
    const finished = await flight.done();
    if (finished !== undefined) {
      await deps.store.delete(key, options).catch(() => undefined);
      return { value: finished, ran: false };
    }
    return { value: await holding(key, mine, etag, deps, flight), ran: true };
  }
}

/** Runs the flight holding the lease: heartbeats while it runs; afterwards the lease goes, or records the failure. */
async function holding<T>(key: string, lease: RunLease, firstEtag: string, deps: SingleFlightDeps, flight: Flight<T>): Promise<T> {
  let etag: string | undefined = firstEtag;
  let chain: Promise<unknown> = Promise.resolve();
  const lost = new AbortController();
  // Writes one after another, each on the version the last one wrote.
  const renew = (record: RunLease): Promise<void> => {
    const write = chain.then(async () => {
      if (etag === undefined) return;
      etag = await writeVersioned(deps.store, key, record, { etag });
      if (etag === undefined) lost.abort(new Error('another request took this analysis over; this one stops'));
    });
    chain = write.catch(() => undefined);
    return write;
  };
  const stop = startHeartbeat(() => renew({ ...lease, heartbeatAt: new Date(deps.clock.now()).toISOString() }), deps.heartbeatMs ?? HEARTBEAT_MS);
  const signal = deps.signal ? AbortSignal.any([deps.signal, lost.signal]) : lost.signal;
  try {
    const value = await flight.run(signal);
    stop();
    await chain;
    if (etag !== undefined) await deps.store.delete(key).catch(() => undefined);
    return value;
  } catch (error) {
    stop();
    await renew({ ...lease, heartbeatAt: new Date(deps.clock.now()).toISOString(), failed: recordOf(error) }).catch(() => undefined);
    throw error;
  }
}

function recordOf(error: unknown): RecordedFailure {
  if (isKelpieError(error)) return { code: error.code, kind: error.kind, message: error.message, ...(error.details ? { details: error.details } : {}) };
  return { code: 'INTERNAL', message: 'the analysis failed unexpectedly' };
}

/** The error a waiting request answers for a recorded failure: ours again, or a bug (500) as it was. */
function failureFrom(failure: RecordedFailure): Error {
  return failure.kind ? new SharedFailureError({ ...failure, kind: failure.kind }) : new Error(failure.message);
}

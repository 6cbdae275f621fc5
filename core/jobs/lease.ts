/**
 * Leases: whoever runs an analysis (a job worker, or a request running one within itself) owns a
 * record naming it and renews a heartbeat in it, every write conditioned on the version it last
 * wrote. A heartbeat older than {@link LEASE_MS} means the owner is gone (killed, crashed, or
 * frozen): another may take the record over, and the old owner's next write fails, so it stops.
 */

/** How long an owner's heartbeat counts: past this, its analysis may be taken over. */
export const LEASE_MS = 30_000;

/** How often an owner renews its heartbeat when no progress write has renewed it (a third of the lease). */
export const HEARTBEAT_MS = 10_000;

/**
 * Extra time before a reader (`GET`, a new `POST`) calls a silent owner lost: clocks of API and
 * worker differ, and a worker busy in one long computation may renew late.
 */
export const READER_MARGIN_MS = 30_000;

/** What a leased record carries. */
export interface LeaseFields {
  /** Who runs it now: a worker or request id, unique per run. */
  owner?: string;
  /** The owner's last sign of life (ISO time). */
  heartbeatAt?: string;
}

/**
 * A new owner id: the kind of runner plus a random UUID, e.g. `job-worker:3f2a…`.
 *
 * @example
 * ```ts
 * const owner = newOwner('job-worker');
 * ```
 */
export function newOwner(kind: string): string {
  return `${kind}:${crypto.randomUUID()}`;
}

/** Milliseconds until the lease of `fields` runs out at `now` (0 or less: it has). */
export function leaseLeftMs(fields: LeaseFields, now: number, leaseMs = LEASE_MS): number {
  const beat = fields.heartbeatAt ? Date.parse(fields.heartbeatAt) : Number.NaN;
  return Number.isFinite(beat) ? beat + leaseMs - now : 0;
}

/**
 * Calls `beat` every `intervalMs` until stopped (never two at once), for an owner whose work may
 * go a while without a progress write. Returns the stop function.
 *
 * @example
 * ```ts
 * const stop = startHeartbeat(() => lease.renew(), HEARTBEAT_MS);
 * try { await work(); } finally { stop(); }
 * ```
 */
export function startHeartbeat(beat: () => Promise<unknown>, intervalMs = HEARTBEAT_MS): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    beat()
      .catch(() => undefined)
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  // A heartbeat alone must not keep a process (a CLI, a test) alive.
  (timer as { unref?: () => void }).unref?.();
  return () => clearInterval(timer);
}

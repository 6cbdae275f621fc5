import { KelpieError } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';

/** The health ping found a dependency down; `details.failed` names the checks. Thrown by {@link assertHealthy}. */
export class HealthPingFailedError extends KelpieError {
  readonly code = 'HEALTH_PING_FAILED';
  readonly kind = 'unavailable';
}

/**
 * Throws `HealthPingFailedError` naming every failed check (`health ping failed: store (…)`), so
 * scheduled functions on every platform fail the same way.
 *
 * @example
 * ```ts
 * assertHealthy(await runHealthPing(deps));
 * ```
 */
export function assertHealthy(ping: { ok: boolean; checks: HealthCheckResult[] }): void {
  const failed = ping.checks.filter((check) => !check.ok);
  if (ping.ok && failed.length === 0) return;
  const summary = failed.map((check) => `${check.name} (${check.error ?? 'failed'})`).join(', ');
  throw new HealthPingFailedError(`health ping failed: ${summary}`, { failed: failed.map((check) => check.name) });
}

/** How long each check may take before it counts as down. */
export const CHECK_TIMEOUT_MS = 3000;

export interface HealthCheckResult {
  name: string;
  ok: boolean;
  latencyMs: number;
  error?: string;
}

export interface HealthPingDeps {
  store: BlobStore;
  /** STAC API root to reach, when configured. */
  stacUrl?: string;
  /** The service's public base URL; `/health` is fetched when configured. */
  healthUrl?: string;
  fetch: typeof fetch;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  timeoutMs?: number;
}

/**
 * The health ping (docs/design.md, "Scheduled jobs"): writes, reads back and deletes a canary object,
 * reaches the STAC catalog and the public `/health` when configured, each with a short timeout;
 * logs one structured line with every check's status and latency and records metrics. The
 * caller fails the invocation when `ok` is false, so the platform's alarms see it.
 *
 * @example
 * ```ts
 * const { ok, checks } = await runHealthPing({ store, fetch, clock, logger, metrics });
 * if (!ok) throw new Error(checks.filter((c) => !c.ok).map((c) => c.name).join(', '));
 * ```
 */
export async function runHealthPing(deps: HealthPingDeps): Promise<{ ok: boolean; checks: HealthCheckResult[] }> {
  const timeoutMs = deps.timeoutMs ?? CHECK_TIMEOUT_MS;
  const checks: Array<[string, (signal: AbortSignal) => Promise<void>]> = [['store', (signal) => canary(deps, signal)]];
  if (deps.stacUrl) checks.push(['catalog', (signal) => reach(deps.fetch, deps.stacUrl as string, signal)]);
  if (deps.healthUrl) checks.push(['public-health', (signal) => reach(deps.fetch, new URL('/health', deps.healthUrl).toString(), signal)]);
  const results = await Promise.all(checks.map(([name, run]) => timed(name, run, deps.clock, timeoutMs)));
  const ok = results.every((r) => r.ok);
  for (const result of results) {
    deps.metrics.count('kelpie_health_checks_total', { check: result.name, ok: String(result.ok) });
    deps.metrics.observe('kelpie_health_check_seconds', { check: result.name }, result.latencyMs / 1000);
  }
  (ok ? deps.logger.info : deps.logger.error).call(deps.logger, 'health ping', { ok, checks: results });
  return { ok, checks: results };
}

/** Runs one named check with a deadline of `timeoutMs`; its outcome and latency, never a throw. */
export async function timed(name: string, run: (signal: AbortSignal) => Promise<void>, clock: Clock, timeoutMs: number): Promise<HealthCheckResult> {
  const started = clock.now();
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      run(controller.signal),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(new Error(`timed out after ${timeoutMs} ms`));
        }, timeoutMs);
      }),
    ]);
    return { name, ok: true, latencyMs: clock.now() - started };
  } catch (error) {
    return { name, ok: false, latencyMs: clock.now() - started, error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** Writes, reads back and deletes a canary object under `health/`: the store can be written now. */
export async function canary(deps: Pick<HealthPingDeps, 'store' | 'clock'>, signal: AbortSignal): Promise<void> {
  const key = `health/canary-${deps.clock.now()}-${Math.random().toString(36).slice(2, 10)}.txt`;
  const body = `kelpie health canary ${new Date(deps.clock.now()).toISOString()}`;
  await deps.store.put(key, body, { signal, contentType: 'text/plain' });
  try {
    const read = new TextDecoder().decode(await deps.store.get(key, { signal }));
    if (read !== body) throw new Error('the canary read back differently from what was written');
  } finally {
    await deps.store.delete(key, { signal });
  }
}

async function reach(fetchFn: typeof fetch, url: string, signal: AbortSignal): Promise<void> {
  const response = await fetchFn(url, { signal, redirect: 'manual', headers: { accept: 'application/json' } });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`${new URL(url).host} answered ${response.status}`);
}

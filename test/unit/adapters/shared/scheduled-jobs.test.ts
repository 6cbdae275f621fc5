import { describe, expect, it } from 'vitest';
import { MemoryBlobStore } from '../../../../adapters/memory/memory-blob-store.js';
import { backupJob, healthPingJob, runScheduledJob } from '../../../../adapters/shared/scheduled-jobs.js';
import { DependencyUnavailableError } from '../../../../core/errors.js';
import { silentLogger } from '../../../../core/ports/logger.js';
import { noMetrics } from '../../../../core/ports/metrics.js';
import { HealthPingFailedError } from '../../../../core/usecases/health-ping.js';

const NOW = Date.parse('2026-03-10T03:00:07Z');

describe('runScheduledJob', () => {
  const tick = { trigger: 'schedule' as const, firedAt: '2026-03-10T03:00:00Z', id: 'evt-1' };

  it('returns what the job returns, with a signal that aborts before the timeout', async () => {
    let signal: AbortSignal | undefined;
    expect(await runScheduledJob('probe', async (_tick, s) => ((signal = s), 'done'), tick, { logger: silentLogger, timeoutMs: 60_000 })).toBe('done');
    expect(signal?.aborted).toBe(false);
  });

  it('aborts the job halfway through a short timeout, so it stops before the platform kills it', async () => {
    const started = Date.now();
    const job = (_tick: unknown, signal: AbortSignal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    await expect(runScheduledJob('probe', job, tick, { logger: silentLogger, timeoutMs: 300 })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(290);
  });

  it('logs one error line with the tick and the code, and rethrows', async () => {
    const errors: unknown[] = [];
    const logger = { ...silentLogger, error: (message: string, fields?: Record<string, unknown>) => void errors.push({ message, fields }) };
    await expect(runScheduledJob('backup', async () => Promise.reject(new DependencyUnavailableError('S3 is down')), tick, { logger, timeoutMs: 60_000 })).rejects.toThrow('S3 is down');
    expect(errors).toEqual([{ message: 'backup failed', fields: { tick, code: 'DEPENDENCY_UNAVAILABLE', error: 'S3 is down' } }]);
  });
});

describe('scheduled jobs', () => {
  const tick = { trigger: 'schedule' as const, firedAt: '2026-03-10T03:00:00Z' };

  it('backupJob writes a manifest, logs one report line and returns the report', async () => {
    const results = new MemoryBlobStore();
    const backups = new MemoryBlobStore();
    await results.put('results/0123456789abcdef0000/result.json', '{}');
    const lines: { message: string; fields?: Record<string, unknown> }[] = [];
    const logger = { ...silentLogger, info: (message: string, fields?: Record<string, unknown>) => void lines.push({ message, fields }) };
    const report = await backupJob({ results, backups, clock: { now: () => NOW }, logger, retentionDays: 30 })(tick, new AbortController().signal);
    expect(report).toMatchObject({ date: '2026-03-10', copied: ['results/0123456789abcdef0000/result.json'], manifest: 'backups/2026-03-10/manifest.json' });
    expect(await backups.head('backups/2026-03-10/manifest.json')).toBeDefined();
    expect(lines.filter((line) => line.message === 'backup report')).toEqual([
      { message: 'backup report', fields: { trigger: 'schedule', firedAt: tick.firedAt, date: '2026-03-10', copied: 1, carried: 0, pruned: [], manifest: 'backups/2026-03-10/manifest.json' } },
    ]);
  });

  it('healthPingJob throws an error naming every failing check', async () => {
    const refuse = (async () => Promise.reject(new TypeError('fetch failed'))) as typeof fetch;
    const job = healthPingJob({ store: new MemoryBlobStore(), stacUrl: 'http://127.0.0.1:9/stac', healthUrl: 'http://127.0.0.1:9', fetch: refuse, clock: { now: Date.now }, logger: silentLogger, metrics: noMetrics });
    const error = await job(tick, new AbortController().signal).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HealthPingFailedError);
    expect((error as Error).message).toBe('health ping failed: catalog (fetch failed), public-health (fetch failed)');
    expect((error as HealthPingFailedError).details).toEqual({ failed: ['catalog', 'public-health'] });
  });

  it('healthPingJob returns the checks when all pass', async () => {
    const result = await healthPingJob({ store: new MemoryBlobStore(), fetch, clock: { now: Date.now }, logger: silentLogger, metrics: noMetrics })(tick, new AbortController().signal);
    expect(result).toMatchObject({ ok: true, checks: [{ name: 'store', ok: true }] });
  });
});

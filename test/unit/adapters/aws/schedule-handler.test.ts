import { describe, expect, it } from 'vitest';
import { createAwsScheduledHandler, toScheduleTick } from '../../../../adapters/aws/schedule-handler.js';
import { backupJob, healthPingJob } from '../../../../adapters/aws/scheduled-jobs.js';
import { MemoryBlobStore } from '../../../../adapters/memory/memory-blob-store.js';
import { silentLogger } from '../../../../core/ports/logger.js';
import { noMetrics } from '../../../../core/ports/metrics.js';
import { HealthPingFailedError } from '../../../../core/usecases/health-ping.js';
import { loadEvent } from '../../../helpers/events.js';
import { fakeLambdaContext } from '../../../helpers/lambda-context.js';

const NOW = Date.parse('2026-03-10T03:00:07Z');

describe('toScheduleTick', () => {
  it('reads the time and rule of an EventBridge scheduled event', () => {
    expect(toScheduleTick(loadEvent('aws/eventbridge-scheduled.json'), () => NOW)).toEqual({
      trigger: 'schedule',
      firedAt: '2026-03-10T03:00:00Z',
      rule: 'arn:aws:events:eu-west-1:123456789012:rule/kelpie-carbon-dev-BackupEventsRuleSchedule1-1XMPL2ABCDEF',
    });
  });

  it.each([[{}], [null], [loadEvent('aws/s3-put-space.json')]])('calls anything else a manual run (%#)', (event) => {
    expect(toScheduleTick(event, () => NOW)).toEqual({ trigger: 'manual', firedAt: '2026-03-10T03:00:07.000Z' });
  });
});

describe('createAwsScheduledHandler', () => {
  it('returns what the job returns, with a live signal', async () => {
    let signal: AbortSignal | undefined;
    const handler = createAwsScheduledHandler(async (tick, s) => ((signal = s), tick.trigger), { logger: silentLogger });
    expect(await handler(loadEvent('aws/eventbridge-scheduled.json'), fakeLambdaContext(), () => undefined)).toBe('schedule');
    expect(signal?.aborted).toBe(false);
  });

  it('logs a failure and fails the invocation', async () => {
    const errors: unknown[] = [];
    const logger = { ...silentLogger, error: (message: string, fields?: Record<string, unknown>) => void errors.push({ message, fields }) };
    const handler = createAwsScheduledHandler(async () => Promise.reject(new Error('bucket gone')), { logger });
    await expect(handler({}, fakeLambdaContext(), () => undefined)).rejects.toThrow('bucket gone');
    expect(errors).toEqual([{ message: 'scheduled job failed', fields: expect.objectContaining({ trigger: 'manual', error: 'bucket gone' }) }]);
  });
});

describe('scheduled jobs', () => {
  const tick = { trigger: 'schedule' as const, firedAt: '2026-03-10T03:00:00Z' };

  it('backupJob writes a manifest and returns the report', async () => {
    const results = new MemoryBlobStore();
    const backups = new MemoryBlobStore();
    await results.put('results/0123456789abcdef0000/result.json', '{}');
    const report = await backupJob({ results, backups, clock: { now: () => NOW }, logger: silentLogger, retentionDays: 30 })(tick, new AbortController().signal);
    expect(report).toMatchObject({ date: '2026-03-10', copied: ['results/0123456789abcdef0000/result.json'], manifest: 'backups/2026-03-10/manifest.json' });
    expect(await backups.head('backups/2026-03-10/manifest.json')).toBeDefined();
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

import { parseAnalysisOptions } from '../../../core/analysis/options.js';
import { describe, expect, it } from 'vitest';
import { MAX_JOB_BYTES, parseJob, serializeJob } from '../../../core/jobs/job.js';
import { boundedProgress, percentOf } from '../../../core/jobs/progress.js';
import { type AnalysisStatus, effectiveStatus } from '../../../core/jobs/status.js';
import { loadConfig } from '../../../core/config.js';

const progress = (percent: number, step = 'scanning rows') => ({ step, done: percent, total: 100, unit: 'rows' as const, percent });

describe('boundedProgress', () => {
  it('writes at most once per interval, never two at once, and skips repeats', async () => {
    let now = 0;
    const written: number[] = [];
    let release: () => void = () => undefined;
    const reporter = boundedProgress(
      (p) => {
        written.push(p.percent);
        return new Promise<void>((done) => (release = done));
      },
      { clock: { now: () => now }, minIntervalMs: 1000 },
    );
    reporter.report(progress(1));
    now = 5000;
    reporter.report(progress(2)); // a write is in flight: skipped
    release();
    await reporter.flush();
    reporter.report(progress(3));
    release();
    await reporter.flush();
    now = 5500;
    reporter.report(progress(4)); // within the interval: skipped
    now = 6000;
    reporter.report(progress(5));
    reporter.report(progress(5));
    release();
    await reporter.flush();
    expect(written).toEqual([1, 3, 5]);
    expect(reporter.writes).toBe(3);
  });

  it('a new step at the same percent is news; a failed write is logged, not thrown', async () => {
    const warnings: string[] = [];
    const written: string[] = [];
    const reporter = boundedProgress(
      async (p) => {
        written.push(p.step);
        if (p.step === 'b') throw new Error('store down');
      },
      { clock: { now: () => 0 }, minIntervalMs: 0, logger: { warn: (m: string) => warnings.push(m), info() {}, error() {}, debug() {} } as never },
    );
    reporter.report(progress(0, 'a'));
    await reporter.flush();
    reporter.report(progress(0, 'b'));
    await reporter.flush();
    expect(written).toEqual(['a', 'b']);
    expect(warnings).toEqual(['progress write failed; the analysis goes on']);
  });

  it('percentOf spreads a job over its parts', () => {
    expect(percentOf(0, 4)).toBe(0);
    expect(percentOf(1, 4, 0.5)).toBe(37.5);
    expect(percentOf(4, 4, 1)).toBe(100);
    expect(percentOf(0, 0)).toBe(0);
  });
});

describe('effectiveStatus', () => {
  const running: AnalysisStatus = {
    schemaVersion: 1,
    id: '0123456789abcdef0123',
    kind: 'scene',
    status: 'running',
    submittedAt: '2026-11-26T08:00:00Z',
    updatedAt: '2026-11-26T08:00:00Z',
    startedAt: '2026-11-26T08:00:00Z',
    attempt: 2,
    source: {},
    links: { self: '', status: '' },
  };
  const start = Date.parse('2026-11-26T08:00:00Z');

  it('keeps a running job running within the worker timeout, and reports it failed after', () => {
    expect(effectiveStatus(running, start + 60_000, 60_000).status).toBe('running');
    const stale = effectiveStatus(running, start + 60_001, 60_000);
    expect(stale).toMatchObject({ status: 'failed', error: { code: 'WORKER_LOST', retryable: true } });
    expect(stale.error?.message).toMatch(/attempt 2 stopped without finishing/);
  });

  it('reports a job queued for more than a day as lost, so a new request queues it again', () => {
    const queued = { ...running, status: 'queued' as const, updatedAt: '2026-11-26T08:00:00Z' };
    expect(effectiveStatus(queued, start + 23 * 3600_000, 1).status).toBe('queued');
    expect(effectiveStatus(queued, start + 24 * 3600_000 + 1, 1)).toMatchObject({ status: 'failed', error: { code: 'JOB_LOST', retryable: true } });
  });

  it('leaves finished states alone', () => {
    for (const status of ['succeeded', 'failed'] as const) expect(effectiveStatus({ ...running, status }, start + 1e9, 1).status).toBe(status);
  });
});

describe('job messages', () => {
  const job = { v: 1 as const, kind: 'object' as const, id: '0123456789abcdef0123', key: 'uploads/a.tif', options: parseAnalysisOptions({}), submittedAt: '2026-11-26T08:00:00Z' };

  it('round-trip, and anything else is refused by name', () => {
    expect(parseJob(serializeJob(job))).toEqual(job);
    expect(parseJob(job)).toEqual(job);
    expect(() => parseJob('not json')).toThrow(/not JSON/);
    expect(() => parseJob({ ...job, id: 'x' })).toThrow(/id/);
    expect(() => parseJob({ ...job, kind: 'delete-everything' })).toThrow(/not an analysis job/);
    expect(() => parseJob({ ...job, extra: 1 })).toThrow(/extra/);
  });

  it('refuses a message over the queue limit', () => {
    const big = { v: 1 as const, kind: 'stac' as const, id: job.id, options: job.options, submittedAt: job.submittedAt, stac: {}, item: { padding: 'x'.repeat(MAX_JOB_BYTES) } };
    expect(() => serializeJob(big)).toThrow(/over the .*-byte queue message limit/);
  });
});

describe('job settings', () => {
  it('a queue kind needs its address, named', () => {
    expect(() => loadConfig({ KELPIE_JOB_QUEUE: 'sqs' })).toThrow(/KELPIE_JOB_QUEUE_URL: KELPIE_JOB_QUEUE=sqs needs KELPIE_JOB_QUEUE_URL/);
    expect(() => loadConfig({ KELPIE_JOB_QUEUE: 'pubsub', KELPIE_JOB_TOPIC: 'kelpie-jobs' })).toThrow(/projects\/<project>\/topics\/<topic>/);
    expect(loadConfig({ KELPIE_JOB_QUEUE: 'azure', KELPIE_JOB_QUEUE_NAME: 'kelpie-jobs' }).KELPIE_JOB_QUEUE_NAME).toBe('kelpie-jobs');
    expect(loadConfig({}).KELPIE_SYNC_MAX_PIXELS).toBe(20_000_000);
    expect(loadConfig({ KELPIE_PROGRESS_INTERVAL_MS: '0' }).KELPIE_PROGRESS_INTERVAL_MS).toBe(0);
  });
});

import { describe, expect, it, vi } from 'vitest';
import { MemoryBlobStore } from '../../../adapters/memory/memory-blob-store.js';
import { DependencyUnavailableError } from '../../../core/errors.js';
import { silentLogger } from '../../../core/ports/logger.js';
import { noMetrics } from '../../../core/ports/metrics.js';
import { runHealthPing } from '../../../core/usecases/health-ping.js';

const clock = { now: () => Date.now() };
const okFetch = vi.fn(async () => new Response('{}', { status: 200 })) as unknown as typeof fetch;

describe('runHealthPing', () => {
  it('passes when the store round-trips a canary and leaves nothing behind', async () => {
    const store = new MemoryBlobStore();
    const { ok, checks } = await runHealthPing({ store, fetch: okFetch, clock, logger: silentLogger, metrics: noMetrics });
    expect(ok).toBe(true);
    expect(checks.map((c) => c.name)).toEqual(['store']);
    expect((await store.list('health/')).items).toEqual([]);
  });

  it('checks the catalog and the public /health when configured', async () => {
    const fetchSpy = vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => new Response("{}", { status: 200 }));
    const { ok, checks } = await runHealthPing({
      store: new MemoryBlobStore(),
      stacUrl: 'https://catalog.example.org/v1',
      healthUrl: 'https://kelpie.example.org',
      fetch: fetchSpy as unknown as typeof fetch,
      clock,
      logger: silentLogger,
      metrics: noMetrics,
    });
    expect(ok).toBe(true);
    expect(checks.map((c) => c.name)).toEqual(['store', 'catalog', 'public-health']);
    expect(fetchSpy.mock.calls.map((call) => String(call[0]))).toEqual(['https://catalog.example.org/v1', 'https://kelpie.example.org/health']);
  });

  it('fails naming the store when it is down', async () => {
    const store = new MemoryBlobStore({ faults: { failOn: () => new DependencyUnavailableError('store unreachable') } });
    const logger = { ...silentLogger, error: vi.fn() };
    const { ok, checks } = await runHealthPing({ store, fetch: okFetch, clock, logger, metrics: noMetrics });
    expect(ok).toBe(false);
    expect(checks[0]).toMatchObject({ name: 'store', ok: false, error: 'store unreachable' });
    expect(logger.error).toHaveBeenCalledOnce();
  });

  it('fails within its timeout when the catalog hangs', async () => {
    const hang = ((_url: string, init: RequestInit) => new Promise((_, reject) => init.signal?.addEventListener('abort', () => reject(new Error('aborted'))))) as unknown as typeof fetch;
    const started = Date.now();
    const { ok, checks } = await runHealthPing({ store: new MemoryBlobStore(), stacUrl: 'https://catalog.example.org', fetch: hang, clock, logger: silentLogger, metrics: noMetrics, timeoutMs: 200 });
    expect(ok).toBe(false);
    expect(checks.find((c) => c.name === 'catalog')).toMatchObject({ ok: false, error: 'timed out after 200 ms' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('fails when the catalog answers an error status', async () => {
    const down = (async () => new Response('', { status: 503 })) as unknown as typeof fetch;
    const { checks } = await runHealthPing({ store: new MemoryBlobStore(), stacUrl: 'https://catalog.example.org', fetch: down, clock, logger: silentLogger, metrics: noMetrics });
    expect(checks[1]).toMatchObject({ name: 'catalog', ok: false, error: 'catalog.example.org answered 503' });
  });
});

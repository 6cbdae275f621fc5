import { readFile } from 'node:fs/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryBlobStore } from '../../../adapters/memory/memory-blob-store.js';
import { nodeDeflate } from '../../../adapters/shared/node-compress.js';
import { createApiMetrics } from '../../../core/api/prometheus.js';
import type { ApiHandler, ApiRequest } from '../../../core/api/types.js';
import { NoValidDataError } from '../../../core/errors.js';
import { LEASE_MS } from '../../../core/jobs/lease.js';
import { runLeaseKey, runOnce } from '../../../core/jobs/single-flight.js';
import type { BlobStore } from '../../../core/ports/blob-store.js';
import { createSmallApi } from '../../helpers/small-api.js';

const SAMPLE = new URL('../../../samples/coastal-sample.tif', import.meta.url);
const KEY = 'uploads/coastal-sample.tif';
const ID = '0123456789abcdef0123';

const post = (headers: Record<string, string> = {}): ApiRequest => ({
  method: 'POST',
  path: '/api/analyses',
  query: {},
  headers: { 'content-type': 'application/json', ...headers },
  body: new TextEncoder().encode(JSON.stringify({ source: { key: KEY } })),
  requestId: crypto.randomUUID(),
});

/** The store, counting the writes of each key. */
function countingPuts(store: BlobStore): { store: BlobStore; puts: Map<string, number> } {
  const puts = new Map<string, number>();
  const counting: BlobStore = Object.create(store);
  counting.put = (key, body, options) => {
    puts.set(key, (puts.get(key) ?? 0) + 1);
    return store.put(key, body, options);
  };
  return { store: counting, puts };
}

describe('one analysis however many identical requests arrive at once', () => {
  let memory: MemoryBlobStore;
  beforeEach(async () => {
    memory = new MemoryBlobStore();
    await memory.put(KEY, new Uint8Array(await readFile(SAMPLE)));
  });

  it('runs 20 concurrent identical POSTs as one analysis: one index entry, every answer the same result', async () => {
    const { store, puts } = countingPuts(memory);
    const metrics = createApiMetrics();
    // Three API instances over one store, as three Lambda instances or worker threads would be.
    const apis: ApiHandler[] = Array.from({ length: 3 }, () => createSmallApi({ imageStore: store, resultStore: store, metrics, renderMetrics: () => metrics.render(), compress: nodeDeflate() }, memory).api);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => apis[i % 3](post())));

    const bodies = answers.map((answer) => JSON.parse(String(answer.body)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([...Array(19).fill(200), 201].sort());
    expect(new Set(bodies.map((body) => JSON.stringify(body))).size).toBe(1);
    const id = bodies[0].id as string;
    expect(puts.get(`results/${id}/kelp-mask.tif`)).toBe(1);
    expect((await memory.list('index/')).items).toHaveLength(1);
    expect(metrics.render()).toMatch(/kelpie_analyses_total\{outcome="succeeded"\} 1\n/);
    expect(await memory.head(runLeaseKey(id))).toBeUndefined();
  }, 30_000);

  it('gives every request with the same Idempotency-Key the one analysis', async () => {
    const { store, puts } = countingPuts(memory);
    const { api } = createSmallApi({ imageStore: store, resultStore: store, compress: nodeDeflate() }, memory);
    const answers = await Promise.all(Array.from({ length: 10 }, () => api(post({ 'idempotency-key': 'one-key-for-all' }))));
    const ids = new Set(answers.map((answer) => JSON.parse(String(answer.body)).id));
    expect(ids.size).toBe(1);
    expect(puts.get(`results/${[...ids][0]}/kelp-mask.tif`)).toBe(1);
    expect((await memory.list('idempotency/')).items).toHaveLength(1);
  }, 30_000);

  it('answers the requests that waited with the failure the run met', async () => {
    let runs = 0;
    const deps = (owner: string) => ({ store: memory, clock: { now: () => Date.now() }, owner });
    const flight = {
      done: async () => undefined,
      run: async () => {
        runs++;
        await new Promise((resolve) => setTimeout(resolve, 150));
        throw new NoValidDataError('the image has no valid pixel');
      },
    };
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => runOnce(ID, deps(`request-${i}`), flight)));
    expect(runs).toBe(1);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: 'NO_VALID_DATA', kind: 'unusable', message: 'the image has no valid pixel' });
    }
    // A later request runs it again: a recorded failure is not a result.
    await expect(runOnce(ID, deps('later'), flight)).rejects.toMatchObject({ code: 'NO_VALID_DATA' });
    expect(runs).toBe(2);
  });

  it('takes the run over from a request that went silent', async () => {
    const stale = new Date(Date.now() - LEASE_MS - 1).toISOString();
    await memory.put(runLeaseKey(ID), JSON.stringify({ owner: 'request:killed', heartbeatAt: stale, startedAt: stale }));
    const outcome = await runOnce(ID, { store: memory, clock: { now: () => Date.now() }, owner: 'request:new' }, { done: async () => undefined, run: async () => 'result' });
    expect(outcome).toEqual({ value: 'result', ran: true });
    expect(await memory.head(runLeaseKey(ID))).toBeUndefined();
  });
});

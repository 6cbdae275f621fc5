import { readFile } from 'node:fs/promises';
import { nodeDeflate } from '../../adapters/shared/node-compress.js';
import { parseAnalysisOptions } from '../../core/analysis/options.js';
import { MemoryBlobStore } from '../../adapters/memory/memory-blob-store.js';
import type { AnalysisResult } from '../../core/analysis/result.js';
import type { AnalysisJob } from '../../core/jobs/job.js';
import { systemClock } from '../../core/ports/clock.js';
import { silentLogger } from '../../core/ports/logger.js';
import { analyzeObject } from '../../core/usecases/analyze-object.js';
import type { BlobStore } from '../../core/ports/blob-store.js';
import type { JobQueue } from '../../core/ports/job-queue.js';
import type { ApiHandler, ApiResponse } from '../../core/api/types.js';

/** A job queue that keeps what it was sent, for tests of the API's side (not a platform queue). */
export function recordingQueue(): JobQueue & { messages: string[]; failNext?: Error } {
  const queue = {
    name: 'test:recording',
    messages: [] as string[],
    failNext: undefined as Error | undefined,
    async send(body: string) {
      if (queue.failNext) {
        const error = queue.failNext;
        queue.failNext = undefined;
        throw error;
      }
      queue.messages.push(body);
    },
  };
  return queue;
}

/** What a client polling `GET /api/analyses/{id}` saw: the HTTP status, the state and the percent. */
export interface Observation {
  http: number;
  state: string;
  percent?: number;
  step?: string;
}

/**
 * Wraps a store so that every write of `results/<id>/status.json` is followed, once it landed,
 * by a `GET /api/analyses/{id}` through `api`: the observations are what a client polling at
 * that moment would have seen, without sleeping or racing the worker.
 */
export function pollingOnStatusWrites(store: BlobStore, api: () => ApiHandler, headers: Record<string, string> = {}): { store: BlobStore; seen: Observation[] } {
  const seen: Observation[] = [];
  const wrapped: BlobStore = Object.create(store);
  wrapped.put = async (key, body, options) => {
    const info = await store.put(key, body, options);
    const match = /^results\/([0-9a-f]{20})\/status\.json$/.exec(key);
    if (match) seen.push(observe(await api()({ method: 'GET', path: `/api/analyses/${match[1]}`, query: {}, headers, requestId: 'poll' })));
    return info;
  };
  return { store: wrapped, seen };
}

/** A GET response as an observation. */
export function observe(response: ApiResponse): Observation {
  const body = JSON.parse(String(response.body));
  if (body.kelp || (body.kind === 'series' && body.scenes)) return { http: response.status, state: 'succeeded' };
  return { http: response.status, state: body.status, percent: body.progress?.percent, step: body.progress?.step };
}

/** The bundled sample, analysed in memory under `key` with the core use case: what a synchronous request computes. */
export async function analyzeSampleDirectly(key: string): Promise<AnalysisResult> {
  const memory = new MemoryBlobStore();
  await memory.put(key, new Uint8Array(await readFile(new URL('../../samples/coastal-sample.tif', import.meta.url))));
  const deps = { imageStore: memory, imageStoreName: 'memory://', resultStore: memory, clock: systemClock, logger: silentLogger, codeVersion: 'test', maxImagePixels: 130_000_000, compress: nodeDeflate() };
  return (await analyzeObject({ key, options: parseAnalysisOptions({}) }, deps)).result;
}

/** A valid STAC scene job; a worker without a catalog cannot run it (a failure a retry may fix). */
export function stacJob(id: string): AnalysisJob {
  return {
    v: 1,
    kind: 'stac',
    id,
    submittedAt: '2026-06-01T00:00:00.000Z',
    stac: { bbox: [-121.95, 36.55, -121.9, 36.6], start: '2024-06-01', end: '2024-06-30' },
    item: { type: 'Feature', id: 'S2B_10SFG_20240615_0_L2A', properties: {}, assets: {} },
    options: parseAnalysisOptions({}),
  };
}

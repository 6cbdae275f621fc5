import { MemoryBlobStore } from '../../adapters/memory/memory-blob-store.js';
import { type JobWorker, runJobMessage } from '../../adapters/shared/job-worker.js';
import type { ApiHandler, ApiRequest } from '../../core/api/types.js';
import type { Clock } from '../../core/ports/clock.js';
import { silentLogger } from '../../core/ports/logger.js';
import type { MonitorDeps } from '../../core/sites/monitor.js';
import type { StacRuntime } from '../../core/stac/stac-runtime.js';
import { recordingQueue } from './job-queue.js';
import { createSmallApi } from './small-api.js';

/**
 * A monitored-sites world over a STAC fixture catalog, in memory: the API, a recording job queue,
 * the job worker that `drain` runs every queued message with (as the platform's would, in order,
 * until the queue is empty), and the scheduled monitor's dependencies.
 */
export function siteWorld(runtime: StacRuntime, stacUrl: string, clock: Clock) {
  const store = new MemoryBlobStore();
  const queue = recordingQueue();
  const config = { env: 'test' as const, apiKeys: [], allowedOrigins: [], maxImagePixels: 2e8, stacUrl, outboundHosts: ['127.0.0.1'] };
  const { api } = createSmallApi({ stac: runtime, jobQueue: queue, clock, config }, store);
  const sites = { queue, fetch: (input: string, init?: RequestInit) => fetch(input, init), outboundHosts: ['127.0.0.1'], staleAfterMs: 360_000 };
  const worker: JobWorker = {
    deps: { imageStore: store, imageStoreName: 'memory://test', resultStore: store, clock, logger: silentLogger, codeVersion: 'test', maxImagePixels: 2e8, progressIntervalMs: 0, stac: () => runtime, sites },
    logger: silentLogger,
    timeoutMs: 300_000,
    maxAttempts: 3,
  };
  const monitor: MonitorDeps = { resultStore: store, queue, catalog: runtime.catalog, now: clock.now, logger: silentLogger, staleAfterMs: 360_000, sites };
  const drain = async () => {
    const outcomes: string[] = [];
    for (let message = queue.messages.shift(); message !== undefined; message = queue.messages.shift()) outcomes.push(await runJobMessage(message, worker, { attempt: 1 }));
    return outcomes;
  };
  return { store, queue, api, drain, monitor };
}

/** One API call with an optional JSON body; the answer's status and body as text and as JSON. */
export async function callApi(api: ApiHandler, method: ApiRequest['method'], path: string, body?: unknown, query: Record<string, string> = {}) {
  const response = await api({ method, path, query, headers: body === undefined ? {} : { 'content-type': 'application/json' }, requestId: 't', ...(body === undefined ? {} : { json: body }) });
  return { status: response.status, text: String(response.body), json: () => JSON.parse(String(response.body)) };
}

import { MemoryBlobStore } from '../../adapters/memory/memory-blob-store.js';
import { createApi } from '../../core/api/create-api.js';
import type { ApiDeps, ApiHandler } from '../../core/api/types.js';
import { createApiMetrics } from '../../core/api/prometheus.js';
import { silentLogger } from '../../core/ports/logger.js';

/** A real core API over an empty memory store, open (no API keys), for adapter tests. */
export function createSmallApi(overrides: Partial<ApiDeps> = {}, store = new MemoryBlobStore()): { api: ApiHandler; store: MemoryBlobStore } {
  const metrics = createApiMetrics();
  const api = createApi({
    config: { env: 'test', apiKeys: [], allowedOrigins: [], maxImagePixels: 1e7 },
    imageStore: store,
    resultStore: store,
    imageStoreName: 'memory://test',
    clock: { now: () => Date.now() },
    logger: silentLogger,
    metrics,
    renderMetrics: () => metrics.render(),
    codeVersion: 'test',
    ...overrides,
  });
  return { api, store };
}

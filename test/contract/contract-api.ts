import { readFile } from 'node:fs/promises';
import { MemoryBlobStore } from '../../adapters/memory/memory-blob-store.js';
import { createApi } from '../../core/api/create-api.js';
import { createApiMetrics } from '../../core/api/prometheus.js';
import type { ApiHandler, ApiResponse } from '../../core/api/types.js';
import { silentLogger } from '../../core/ports/logger.js';

export const API_KEY = 'test-key-0123456789abcdef';
export const ALLOWED_ORIGIN = 'https://maps.example.org';
export const SAMPLE_KEY = 'uploads/coastal-sample.tif';
export const NOT_A_TIFF_KEY = 'uploads/not-a-tiff.tif';

/**
 * The API every adapter is held to: a memory store seeded with the bundled sample
 * (`samples/coastal-sample.tif`, synthetic, see samples/README.md) and a file that is not a TIFF,
 * one API key, one allowed origin, and no upload signer.
 */
export async function createContractApi(): Promise<ApiHandler> {
  const store = new MemoryBlobStore();
  await store.put(SAMPLE_KEY, new Uint8Array(await readFile(new URL('../../samples/coastal-sample.tif', import.meta.url))));
  await store.put(NOT_A_TIFF_KEY, 'this is plain text, not a GeoTIFF\n');
  const metrics = createApiMetrics();
  return createApi({
    config: { env: 'test', apiKeys: [API_KEY], allowedOrigins: [ALLOWED_ORIGIN], maxImagePixels: 10_000_000 },
    imageStore: store,
    resultStore: store,
    imageStoreName: 'memory://contract',
    clock: { now: () => Date.now() },
    logger: silentLogger,
    metrics,
    renderMetrics: () => metrics.render(),
    codeVersion: 'contract',
  });
}

/** The body of a direct (no adapter) call, as bytes, for byte-for-byte comparisons. */
export async function directBytes(api: ApiHandler, path: string): Promise<Uint8Array> {
  const response: ApiResponse = await api({ method: 'GET', path, query: {}, headers: { 'x-api-key': API_KEY }, requestId: 'direct' });
  return typeof response.body === 'string' ? new TextEncoder().encode(response.body) : response.body;
}

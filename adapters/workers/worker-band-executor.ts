import { type BandPartial, type BandTask, scanBand } from '../../core/analysis/band-task.js';
import type { BandExecutor, BandRun } from '../../core/ports/band-executor.js';
import type { Logger } from '../../core/ports/logger.js';
import { readRanges } from '../../core/raster/byte-source.js';
import { inflateOnThreadPool } from '../shared/node-inflate.js';
import type { FromWorker, ToWorker } from './messages.js';
import { SCAN_WORKER_SOURCE } from './scan-worker.generated.js';
import { WorkerPool, WorkersUnavailableError } from './worker-pool.js';

/**
 * V8 heap per worker. A band's pixels live in typed arrays outside the heap and are bounded by
 * the band's strips and tile rows; the heap holds the TIFF headers, the scan's bookkeeping and
 * the partial's growth with the kelp found. 256 MiB is many times what a full tile uses; a runaway
 * thread stops there with `AnalysisOutOfMemoryError` instead of taking the process with it.
 */
export const WORKER_HEAP_MB = 256;
/** Below this many pixels a window scans in-process: a thread's start-up (~0.1 s) is not worth it. */
export const DEFAULT_MIN_PARALLEL_PIXELS = 4_000_000;

/** Options of {@link createWorkerExecutor}. */
export interface WorkerExecutorOptions {
  /** Threads at most (KELPIE_WORKERS). */
  workers: number;
  minPixels?: number;
  logger?: Logger;
  /** Heap limit per thread, MiB. */
  heapMb?: number;
}

/** A `BandExecutor` on worker threads, with its pool (to close, and for tests to watch). */
export interface WorkerExecutor extends BandExecutor {
  readonly pool: WorkerPool;
}

/**
 * Runs scan bands on a pool of worker threads started from the embedded scan worker. Each band's
 * file reads are served here, through the scan's own byte sources. Where threads cannot start,
 * bands run in-process (same code, same answer) and a warning is logged once.
 *
 * @example
 * ```ts
 * const executor = createWorkerExecutor({ workers: availableParallelism() });
 * await analyzeScene(command, { ...deps, executor });
 * ```
 */
export function createWorkerExecutor(options: WorkerExecutorOptions): WorkerExecutor {
  const heapMb = options.heapMb ?? WORKER_HEAP_MB;
  const pool = new WorkerPool({ size: options.workers, source: SCAN_WORKER_SOURCE, resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 32 } });
  let warned = false;
  return {
    pool,
    parallelism: options.workers,
    minPixels: options.minPixels ?? DEFAULT_MIN_PARALLEL_PIXELS,
    async run(task, io) {
      try {
        return await runOnPool(pool, task, io);
      } catch (error) {
        if (!(error instanceof WorkersUnavailableError)) throw error;
        if (!warned) options.logger?.warn('worker threads cannot start; scanning in-process', { reason: error.message });
        warned = true;
        return scanBand(task, io.sources, { inflate: inflateOnThreadPool, signal: io.signal, onRows: (rows) => io.onRows(rows) });
      }
    },
  };
}

/** One band on the pool; a read that fails here fails the band with that very error. */
function runOnPool(pool: WorkerPool, task: BandTask, io: BandRun): Promise<BandPartial> {
  const controller = new AbortController();
  const stop = () => controller.abort(io.signal.reason);
  if (io.signal.aborted) stop();
  io.signal.addEventListener('abort', stop, { once: true });
  const message: ToWorker = { type: 'task', task, sources: io.sources.map(({ name, size }) => ({ name, size })) };
  return pool
    .run<BandPartial>({
      message,
      signal: controller.signal,
      onMessage(raw, reply) {
        const request = raw as FromWorker;
        if (request.type === 'rows') return io.onRows(request.rows);
        const source = io.sources[request.source];
        readRanges(source, request.ranges, controller.signal).then(
          (chunks) => {
            // Moved as they are when the source gave them away; else copied (they may be views of memory it keeps).
            const owned = chunks.map((chunk) => (source.ownedReads && chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength ? chunk : new Uint8Array(chunk)));
            const answer: ToWorker = { type: 'bytes', request: request.request, chunks: owned };
            reply(answer, owned.map((chunk) => chunk.buffer as ArrayBuffer));
          },
          (error: unknown) => controller.abort(error),
        );
      },
    })
    .finally(() => io.signal.removeEventListener('abort', stop));
}

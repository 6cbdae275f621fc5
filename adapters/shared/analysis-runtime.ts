import { availableParallelism } from 'node:os';
import type { Config } from '../../core/config.js';
import type { BandExecutor } from '../../core/ports/band-executor.js';
import type { Logger } from '../../core/ports/logger.js';
import type { Compress } from '../../core/raster/deflate.js';
import type { Inflate } from '../../core/raster/tile-decode.js';
import { nodeCodecs } from './node-codecs.js';
import { createWorkerExecutor } from '../workers/worker-band-executor.js';

/** What an analysis takes from Node: zlib both ways, and the worker threads (when more than one). */
export interface AnalysisRuntime {
  compress: Compress;
  inflate: Inflate;
  executor?: BandExecutor;
}

/** One executor per process and size: its threads come and go with the work. */
const executors = new Map<number, BandExecutor>();

/**
 * How many worker threads analyses use: `KELPIE_WORKERS`, else every core the process may use
 * (`os.availableParallelism()`: on Lambda the vCPUs its memory buys, in a container its CPU
 * quota). 1 scans in-process, as before threads existed.
 *
 * @example
 * ```ts
 * workerCount(loadConfig({ KELPIE_WORKERS: '2' })); // 2
 * ```
 */
export function workerCount(config: Pick<Config, 'KELPIE_WORKERS'>): number {
  return config.KELPIE_WORKERS ?? availableParallelism();
}

/**
 * The Node pieces of an analysis' deps, made once per cold start: deflate (level 6) for the
 * artifacts, zlib inflate on libuv's threads for in-process scans, and the worker executor
 * (threads start only while a large scan runs).
 *
 * @example
 * ```ts
 * const deps = { ...stores, clock: systemClock, logger, codeVersion, ...analysisRuntime(config, logger) };
 * ```
 */
export function analysisRuntime(config: Pick<Config, 'KELPIE_WORKERS'>, logger?: Logger): AnalysisRuntime {
  const workers = workerCount(config);
  let executor = executors.get(workers);
  if (!executor && workers > 1) {
    executor = createWorkerExecutor({ workers, logger });
    executors.set(workers, executor);
  }
  return { ...nodeCodecs(), ...(executor ? { executor } : {}) };
}

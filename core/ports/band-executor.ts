import type { BandPartial, BandTask } from '../analysis/band-task.js';
import type { ByteSource } from '../raster/byte-source.js';

/** What a band's run is given besides its task. */
export interface BandRun {
  /** The scene's files, in the order of `task.input`; the runner reads them through these. */
  sources: readonly ByteSource[];
  /** Aborts the band: the runner stops its work (a worker thread is ended) and rejects with the reason. */
  signal: AbortSignal;
  /** Rows scanned since the last call (after each strip). */
  onRows(rows: number): void;
}

/**
 * Runs bands of rows of a scan, several at once (worker threads in Node; adapters implement it).
 * Core splits the window into bands of whole strips, hands them here and merges the partial scans
 * in row order, so the answer is the same whatever the parallelism.
 *
 * @example
 * ```ts
 * const partial = await executor.run(task, { sources, signal, onRows: (rows) => progress(rows) });
 * ```
 */
export interface BandExecutor {
  /** Bands run at once. 1 means no gain: core then scans in-process. */
  readonly parallelism: number;
  /** Smallest window, in pixels, worth the start-up of parallel work; smaller ones scan in-process. */
  readonly minPixels: number;
  /**
   * Scans one band. Rejects with the error the scan threw (the same class, code and details as
   * in-process), with the signal's reason when aborted, or with a typed error when the runner
   * itself fails (a worker out of memory, or gone).
   */
  run(task: BandTask, io: BandRun): Promise<BandPartial>;
}

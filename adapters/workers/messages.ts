import type { BandTask } from '../../core/analysis/band-task.js';

/** What the main thread posts to a scan worker. */
export type ToWorker =
  | { type: 'task'; task: BandTask; sources: Array<{ name: string; size: number }> }
  /** The answer to a `read`: the bytes of each range, moved (their buffers are transferred). */
  | { type: 'bytes'; request: number; chunks: Uint8Array[] };

/** What a scan worker posts besides `done` and `failed` (see worker-pool.ts). */
export type FromWorker =
  | { type: 'read'; request: number; source: number; ranges: Array<{ offset: number; length: number }> }
  | { type: 'rows'; rows: number };

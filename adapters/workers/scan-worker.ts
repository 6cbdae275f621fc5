/**
 * The scan worker: runs bands of scans (core's `scanBand`) on its own thread. It decodes tiles
 * with Node's zlib in this thread, and reads the files through the main thread's byte sources:
 * each read is a message answered with the bytes (moved, not copied), so stores, signed URLs,
 * outbound policy and request counting stay where they were set up. Bundled into a string by
 * scripts/build-worker.mjs and started by the pool from it.
 */
import { parentPort } from 'node:worker_threads';
import { type BandTask, partialBuffers, scanBand } from '../../core/analysis/band-task.js';
import type { BandStack } from '../../core/raster/band-stack.js';
import type { ByteSource } from '../../core/raster/byte-source.js';
import { createThreadInflate } from '../shared/node-inflate.js';
import { sendError } from './error-transfer.js';
import type { ToWorker } from './messages.js';

const port = parentPort;
if (!port) throw new Error('scan-worker.ts runs in a worker thread');

/** Reads waiting for the main thread's answer, by request number. */
const pending = new Map<number, { resolve(chunks: Uint8Array[]): void }>();
let requests = 0;
/** Inflates into the previous tile row's buffers: a thread decodes a gigabyte of blocks without leaving garbage. */
const inflate = createThreadInflate();
/** The stack opened for the current scan (one scan at a time per thread; tasks of one scan reuse it). */
const stacks = new Map<string, Promise<BandStack>>();

/** A byte source whose reads the main thread serves (file `index` of the task's input). */
function remoteSource(index: number, name: string, size: number): ByteSource {
  const readRanges = (ranges: ReadonlyArray<{ offset: number; length: number }>) =>
    new Promise<Uint8Array[]>((resolve) => {
      const request = ++requests;
      pending.set(request, { resolve });
      port?.postMessage({ type: 'read', request, source: index, ranges });
    });
  return { name, size, read: async (offset, length) => (await readRanges([{ offset, length }]))[0], readRanges };
}

async function run(task: BandTask, sources: Array<{ name: string; size: number }>): Promise<void> {
  for (const scanId of stacks.keys()) if (scanId !== task.scanId) stacks.delete(scanId);
  try {
    const partial = await scanBand(
      task,
      sources.map((source, i) => remoteSource(i, source.name, source.size)),
      { inflate, stacks, onRows: (rows) => port?.postMessage({ type: 'rows', rows }) },
    );
    port?.postMessage({ type: 'done', result: partial }, partialBuffers(partial));
  } catch (error) {
    port?.postMessage({ type: 'failed', error: sendError(error) });
  }
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'task') void run(message.task, message.sources);
  else if (message.type === 'bytes') {
    const read = pending.get(message.request);
    pending.delete(message.request);
    read?.resolve(message.chunks);
  }
});

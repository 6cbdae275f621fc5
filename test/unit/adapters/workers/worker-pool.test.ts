import { afterEach, describe, expect, it } from 'vitest';
import { AnalysisOutOfMemoryError, AnalysisWorkerError, CorruptImageError } from '../../../../core/errors.js';
import { WorkerPool, WorkersUnavailableError } from '../../../../adapters/workers/worker-pool.js';

/**
 * A worker script for the pool's own tests: each job names what the thread does. `echo` answers
 * with its thread id after `ms`; `throw` posts a typed failure; `crash` throws outside any job
 * (an uncaught error); `exit` ends the thread; `hog` fills the heap until it runs out; `ask`
 * asks the main thread for a value and answers with it.
 */
const SCRIPT = `
const { parentPort, threadId } = require('node:worker_threads');
parentPort.on('message', (job) => {
  if (job.type === 'answer') return parentPort.emit('answer', job.value);
  switch (job.do) {
    case 'echo': return setTimeout(() => parentPort.postMessage({ type: 'done', result: threadId }), job.ms ?? 0);
    case 'throw': return parentPort.postMessage({ type: 'failed', error: { className: 'CorruptImageError', message: 'tile 3 is damaged', fields: { code: 'CORRUPT_IMAGE', kind: 'unusable', name: 'CorruptImageError', details: { tile: 3 } } } });
    case 'crash': return setTimeout(() => { throw new Error('bug in a worker'); });
    case 'exit': return process.exit(3);
    case 'hog': { const hoard = []; for (;;) hoard.push(new Array(100000).fill({ a: Math.random() })); }
    case 'spin': for (;;) {}
    case 'ask': parentPort.once('answer', (value) => parentPort.postMessage({ type: 'done', result: value * 2 })); return parentPort.postMessage({ type: 'question' });
  }
});
`;

let pool: WorkerPool | undefined;
const makePool = (size: number, heapMb = 64) => (pool = new WorkerPool({ size, source: SCRIPT, resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 8 } }));

afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('WorkerPool', () => {
  it('runs as many jobs at once as it has threads, each on its own thread', async () => {
    const workers = makePool(3);
    const threads = await Promise.all([1, 2, 3].map(() => workers.run<number>({ message: { do: 'echo', ms: 200 } })));
    expect(new Set(threads).size).toBe(3);
  });

  it('queues jobs beyond its size and runs them all', async () => {
    const workers = makePool(2);
    const threads = await Promise.all(Array.from({ length: 6 }, () => workers.run<number>({ message: { do: 'echo', ms: 20 } })));
    expect(threads).toHaveLength(6);
    expect(workers.threads).toBeLessThanOrEqual(2);
  });

  it('ends its threads once no job waits', async () => {
    const workers = makePool(2);
    await Promise.all([workers.run({ message: { do: 'echo' } }), workers.run({ message: { do: 'echo' } })]);
    expect(workers.threads).toBe(0);
    await workers.drained();
  });

  it('passes a job the messages of its thread and lets it answer', async () => {
    const workers = makePool(1);
    const result = await workers.run<number>({ message: { do: 'ask' }, onMessage: (message, reply) => message.type === 'question' && reply({ type: 'answer', value: 21 }) });
    expect(result).toBe(42);
  });

  it('fails a job with the typed error its thread sent, class and details kept', async () => {
    const workers = makePool(1);
    const error = await workers.run({ message: { do: 'throw' } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CorruptImageError);
    expect(error).toMatchObject({ code: 'CORRUPT_IMAGE', kind: 'unusable', message: 'tile 3 is damaged', details: { tile: 3 } });
  });

  it('turns a thread that runs out of memory into AnalysisOutOfMemoryError, and the process lives on', async () => {
    const workers = makePool(1, 16);
    await expect(workers.run({ message: { do: 'hog' } })).rejects.toThrowError(AnalysisOutOfMemoryError);
    expect(workers.threads).toBe(0);
    // The pool still works after it.
    await expect(workers.run<number>({ message: { do: 'echo' } })).resolves.toBeTypeOf('number');
  });

  it('turns an uncaught error in a thread into AnalysisWorkerError', async () => {
    const workers = makePool(1);
    await expect(workers.run({ message: { do: 'crash' } })).rejects.toThrowError(AnalysisWorkerError);
    expect(workers.threads).toBe(0);
  });

  it('turns a thread that exits mid-job into AnalysisWorkerError', async () => {
    const workers = makePool(1);
    await expect(workers.run({ message: { do: 'exit' } })).rejects.toThrowError(/stopped \(exit code 3\)/);
  });

  it('ends a busy thread when its job is aborted, and rejects with the reason once it has exited', async () => {
    const workers = makePool(2);
    const controller = new AbortController();
    const spinning = workers.run({ message: { do: 'spin' }, signal: controller.signal });
    const waiting = workers.run({ message: { do: 'spin' }, signal: controller.signal });
    const settled = Promise.allSettled([spinning, waiting]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const reason = new Error('deadline');
    controller.abort(reason);
    expect(await settled).toEqual([
      { status: 'rejected', reason },
      { status: 'rejected', reason },
    ]);
    expect(workers.threads).toBe(0);
  });

  it('refuses a job whose signal is already aborted without starting a thread', async () => {
    const workers = makePool(1);
    await expect(workers.run({ message: { do: 'echo' }, signal: AbortSignal.abort(new Error('late')) })).rejects.toThrowError('late');
    expect(workers.threads).toBe(0);
  });

  it('says when threads cannot start here, so the caller can run in-process', async () => {
    const refused = new Error('ERR_WORKER_INIT_FAILED: no threads on this platform');
    pool = new WorkerPool({ size: 2, source: SCRIPT, startWorker: () => { throw refused; } });
    await expect(pool.run({ message: { do: 'echo' } })).rejects.toThrowError(WorkersUnavailableError);
    await expect(pool.run({ message: { do: 'echo' } })).rejects.toThrowError(/no threads on this platform/);
  });

  it('fails jobs loudly when its script is broken (a build bug is not hidden by running in-process)', async () => {
    pool = new WorkerPool({ size: 1, source: 'syntax error (' });
    await expect(pool.run({ message: { do: 'echo' } })).rejects.toThrowError(AnalysisWorkerError);
  });
});

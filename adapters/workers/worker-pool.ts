import { type ResourceLimits, Worker, type WorkerOptions } from 'node:worker_threads';
import { AnalysisOutOfMemoryError, AnalysisWorkerError } from '../../core/errors.js';
import { receiveError, type SentError } from './error-transfer.js';

/**
 * A bounded pool of worker threads started from one script. Each thread runs one job at a time;
 * a job ends when its thread posts `{ type: 'done', result }` or `{ type: 'failed', error }`, and
 * every other message it posts goes to the job's `onMessage`. Threads start when jobs wait and
 * end as soon as none waits, so no thread outlives the work: an aborted job's thread is ended at
 * once (the only way to stop a busy thread), a thread that dies or runs out of memory fails its
 * job with a typed error, and nothing of it reaches the process.
 */
export interface WorkerPoolOptions {
  /** Threads at most. */
  size: number;
  /** The worker script, CommonJS (see scripts/build-worker.mjs). */
  source: string;
  /** V8 heap limits of each thread; typed arrays live outside them and are bounded by the work itself. */
  resourceLimits?: ResourceLimits;
  /** Starts one thread (default: `new Worker(source, { eval: true, … })`); where it throws, jobs are told `WorkersUnavailableError`. */
  startWorker?: (source: string, options: WorkerOptions) => Worker;
}

/** What a job is given: its first message, how to answer its thread, and how to stop it. */
export interface PoolJob {
  message: unknown;
  transfer?: ArrayBuffer[];
  signal?: AbortSignal;
  /** A message from the job's thread other than done/failed; `reply` posts back to that thread. */
  onMessage?(message: { type: string; [key: string]: unknown }, reply: (message: unknown, transfer?: ArrayBuffer[]) => void): void;
}

/** Threads could not be started here (the platform forbids them, or the script fails to load): run in-process instead. */
export class WorkersUnavailableError extends Error {}

interface Waiting {
  job: PoolJob;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface Thread {
  worker: Worker;
  current?: Waiting;
  started: boolean;
}

export class WorkerPool {
  readonly #options: WorkerPoolOptions;
  readonly #threads = new Set<Thread>();
  readonly #queue: Waiting[] = [];
  readonly #ending = new Set<Promise<unknown>>();
  #unavailable: Error | undefined;

  constructor(options: WorkerPoolOptions) {
    if (!(options.size >= 1)) throw new RangeError(`a pool needs at least one thread, not ${options.size}`);
    this.#options = options;
  }

  /** Threads at most. */
  get size(): number {
    return this.#options.size;
  }

  /** Threads alive now (busy, or being ended). */
  get threads(): number {
    return this.#threads.size;
  }

  /** Runs `job` on a thread; resolves with what the thread answers `done` with. */
  run<T>(job: PoolJob): Promise<T> {
    if (this.#unavailable) return Promise.reject(new WorkersUnavailableError(this.#unavailable.message, { cause: this.#unavailable }));
    if (job.signal?.aborted) return Promise.reject(job.signal.reason);
    return new Promise<T>((resolve, reject) => {
      const waiting: Waiting = { job, resolve: resolve as (value: unknown) => void, reject };
      job.signal?.addEventListener('abort', () => this.#abort(waiting), { once: true });
      this.#queue.push(waiting);
      this.#dispatch();
    });
  }

  /** Resolves once every thread ended so far has exited. */
  async drained(): Promise<void> {
    while (this.#ending.size) await Promise.allSettled([...this.#ending]);
  }

  /** Fails waiting jobs, ends every thread and waits for them to exit. */
  async close(): Promise<void> {
    for (const waiting of this.#queue.splice(0)) waiting.reject(new AnalysisWorkerError('the worker pool was closed'));
    for (const thread of [...this.#threads]) this.#end(thread, new AnalysisWorkerError('the worker pool was closed'));
    await this.drained();
  }

  #dispatch(): void {
    while (this.#queue.length) {
      let thread = [...this.#threads].find((candidate) => !candidate.current);
      if (!thread) {
        if (this.#threads.size >= this.#options.size) return;
        thread = this.#start();
        if (!thread) return;
      }
      const waiting = this.#queue.shift() as Waiting;
      if (waiting.job.signal?.aborted) {
        waiting.reject(waiting.job.signal.reason);
        continue;
      }
      thread.current = waiting;
      thread.worker.postMessage(waiting.job.message, waiting.job.transfer ?? []);
    }
    // Nothing waits: idle threads end now rather than linger.
    for (const thread of [...this.#threads]) if (!thread.current) this.#end(thread);
  }

  #start(): Thread | undefined {
    let worker: Worker;
    try {
      const start = this.#options.startWorker ?? ((source, options) => new Worker(source, options));
      worker = start(this.#options.source, { eval: true, execArgv: [], resourceLimits: this.#options.resourceLimits });
    } catch (error) {
      this.#fallBack(error as Error);
      return undefined;
    }
    const thread: Thread = { worker, started: false };
    this.#threads.add(thread);
    worker.on('online', () => (thread.started = true));
    worker.on('message', (message: { type: string; result?: unknown; error?: SentError }) => this.#receive(thread, message));
    worker.on('error', (error: Error & { code?: string }) => {
      if (!thread.started || error.code === 'ERR_WORKER_INIT_FAILED') return this.#fallBack(error, thread);
      const failure =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new AnalysisOutOfMemoryError(`an analysis worker ran out of memory (limit ${this.#options.resourceLimits?.maxOldGenerationSizeMb ?? 'default'} MiB of heap)`, undefined, { cause: error })
          : new AnalysisWorkerError(`an analysis worker failed: ${error.message}`, undefined, { cause: error });
      this.#end(thread, failure);
    });
    worker.on('exit', (code) => this.#end(thread, new AnalysisWorkerError(`an analysis worker stopped (exit code ${code}) before it answered`)));
    return thread;
  }

  #receive(thread: Thread, message: { type: string; result?: unknown; error?: SentError }): void {
    const waiting = thread.current;
    if (!waiting) return;
    if (message.type === 'done' || message.type === 'failed') {
      thread.current = undefined;
      if (message.type === 'done') waiting.resolve(message.result);
      else waiting.reject(receiveError(message.error as SentError));
      this.#dispatch();
      return;
    }
    waiting.job.onMessage?.(message, (reply, transfer) => thread.worker.postMessage(reply, transfer ?? []));
  }

  #abort(waiting: Waiting): void {
    const queued = this.#queue.indexOf(waiting);
    if (queued >= 0) {
      this.#queue.splice(queued, 1);
      waiting.reject(waiting.job.signal?.reason);
      return;
    }
    const thread = [...this.#threads].find((candidate) => candidate.current === waiting);
    if (thread) this.#end(thread, waiting.job.signal?.reason, true);
  }

  /** Ends a thread; its job (if any) fails with `reason` once the thread has exited when `afterExit`, else at once. */
  #end(thread: Thread, reason?: unknown, afterExit = false): void {
    if (!this.#threads.delete(thread)) return;
    const waiting = thread.current;
    thread.current = undefined;
    const exited = thread.worker.terminate();
    const ending = exited.catch(() => undefined).finally(() => this.#ending.delete(ending));
    this.#ending.add(ending);
    if (waiting) {
      if (afterExit) void ending.then(() => waiting.reject(reason));
      else waiting.reject(reason);
    }
    if (this.#queue.length) this.#dispatch();
  }

  /** Threads cannot start here: every job, waiting or on a thread that never started, is told so (its caller runs it in-process). */
  #fallBack(error: Error, thread?: Thread): void {
    this.#unavailable ??= error;
    const unavailable = () => new WorkersUnavailableError(`worker threads cannot start: ${error.message}`, { cause: error });
    for (const waiting of this.#queue.splice(0)) waiting.reject(unavailable());
    if (thread) this.#end(thread, unavailable());
  }
}

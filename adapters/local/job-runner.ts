import { JobBusyError } from '../../core/jobs/run-job.js';
import type { Logger } from '../../core/ports/logger.js';
import { type JobWorker, runJobMessage } from '../shared/job-worker.js';
import { type DirJobQueue, WORKER_HEARTBEAT_MS } from '../fs/dir-job-queue.js';

export interface LocalJobRunnerOptions {
  queue: DirJobQueue;
  worker: JobWorker;
  logger: Logger;
  /** How often an idle runner looks for a message (default 250 ms). */
  pollMs?: number;
  /** Wait before a failed job is delivered again (default 2 s; the cloud queues wait minutes). */
  retryDelayMs?: number;
}

/**
 * The job worker of `npm start`: takes messages from the local folder queue one at a time and
 * runs them exactly as the cloud workers do (`runJobMessage`), with the same retry contract —
 * a transient failure is delivered again (after `retryDelayMs`) up to `KELPIE_JOB_MAX_ATTEMPTS`
 * times, then parked in `dead/`. A message whose job another worker holds is handed back until
 * that worker's lease runs out, without counting an attempt. Messages a previous run held when
 * it stopped are delivered again first (their jobs are taken over once the dead run's heartbeat
 * is stale). The runner reports itself alive in the queue folder, for `/ready`.
 *
 * @example
 * ```ts
 * const runner = startLocalJobRunner({ queue: new DirJobQueue('.data/.queue'), worker, logger });
 * await runner.stop();
 * ```
 */
export function startLocalJobRunner(options: LocalJobRunnerOptions): { stop(): Promise<void>; idle(): Promise<void> } {
  const pollMs = options.pollMs ?? 250;
  let stopped = false;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((done) => {
      const timer = setTimeout(done, ms);
      wake = () => {
        clearTimeout(timer);
        done();
      };
    });
  let idleWaiters: Array<() => void> = [];

  const beat = () => options.queue.beat().catch((error: Error) => options.logger.warn('the local job queue could not record the worker alive', { error: error.message }));
  void beat();
  const heartbeat = setInterval(beat, WORKER_HEARTBEAT_MS);

  const loop = async () => {
    const recovered = await options.queue.recover();
    if (recovered) options.logger.info('job messages from a stopped run delivered again', { count: recovered });
    while (!stopped) {
      const message = await options.queue.claim().catch((error: Error) => {
        options.logger.error('the local job queue could not be read', { error: error.message });
        return undefined;
      });
      if (!message) {
        if (!(await options.queue.hasPending().catch(() => false))) {
          for (const waiter of idleWaiters) waiter();
          idleWaiters = [];
        }
        await sleep(pollMs);
        continue;
      }
      try {
        await runJobMessage(message.body, options.worker, { attempt: message.attempt });
        await message.ack();
      } catch (error) {
        // The runner outlives any one message: a folder that cannot be written is logged, and the
        // message stays in running/ to be delivered again when the runner next starts.
        const handBack =
          error instanceof JobBusyError
            ? message.release(error.retryAfterMs).then(() => 'released' as const)
            : message.retry(options.worker.maxAttempts, options.retryDelayMs ?? 2000);
        const fate = await handBack.catch((failure: Error) => {
          options.logger.error('the local job queue could not requeue a message', { error: failure.message });
          return 'stuck' as const;
        });
        options.logger.warn(fate === 'dead' ? 'job given up after its last attempt (parked in dead/)' : 'job will be delivered again', { attempt: message.attempt, fate });
      }
    }
  };
  const running = loop();

  return {
    async stop() {
      stopped = true;
      clearInterval(heartbeat);
      wake?.();
      await running;
    },
    /** Resolves the next time the queue is found empty (no message waiting, due or not). */
    idle: () => new Promise<void>((done) => idleWaiters.push(done)),
  };
}

import type { CallOptions } from './blob-store.js';

/**
 * Where accepted analyses wait for a worker: SQS on AWS, Pub/Sub on Google Cloud, a storage
 * queue on Azure, a folder locally. `send` resolves once the platform has the message; it is
 * delivered at least once (workers tolerate repeats, see `runAnalysisJob`).
 *
 * @example
 * ```ts
 * await queue.send(serializeJob(job), { signal });
 * ```
 */
export interface JobQueue {
  /** For logs and errors, e.g. `sqs:kelpie-jobs`. */
  readonly name: string;
  send(body: string, options?: CallOptions): Promise<void>;
  /**
   * Throws (`DependencyUnavailableError`) when no worker would take a message now; queues whose
   * platform runs the workers (SQS, Pub/Sub, Azure) leave it out. `/ready` calls it.
   */
  checkReady?(options?: CallOptions): Promise<void>;
}

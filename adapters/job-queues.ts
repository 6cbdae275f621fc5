import path from 'node:path';
import { type Config, jobQueueKind } from '../core/config.js';
import type { JobQueue } from '../core/ports/job-queue.js';
import { SqsJobQueue } from './aws/sqs-job-queue.js';
import { createAzureJobQueue } from './azure/queue-job-queue.js';
import { PubSubJobQueue } from './gcp/pubsub-job-queue.js';
import { DirJobQueue } from './local/dir-job-queue.js';

/** Environment variables that are not `KELPIE_` settings (connection strings, emulator hosts). */
export type Env = Record<string, string | undefined>;

type QueueFactory = (config: Config, env: Env) => JobQueue;

const FACTORIES: Partial<Record<NonNullable<Config['KELPIE_JOB_QUEUE']>, QueueFactory>> = {
  local: (config) => new DirJobQueue(localQueueDir(config)),
  sqs: (config) => new SqsJobQueue({ queueUrl: config.KELPIE_JOB_QUEUE_URL as string }),
  pubsub: (config, env) => new PubSubJobQueue({ topic: config.KELPIE_JOB_TOPIC as string, emulatorHost: env.PUBSUB_EMULATOR_HOST?.trim() || undefined }),
  azure: (config, env) => createAzureJobQueue(config.KELPIE_JOB_QUEUE_NAME as string, env),
};

/** The folder of the local job queue: `.queue/` in the data folder (outside every store prefix). */
export function localQueueDir(config: Pick<Config, 'KELPIE_DATA_DIR'>): string {
  return path.join(path.resolve(config.KELPIE_DATA_DIR), '.queue');
}

/**
 * The job queue `KELPIE_JOB_QUEUE` names (default: a folder for the filesystem store, none
 * otherwise), or undefined for none: then every analysis runs within its request.
 *
 * @example
 * ```ts
 * const jobQueue = createJobQueue(loadConfig(process.env));
 * ```
 */
export function createJobQueue(config: Config, env: Env = process.env): JobQueue | undefined {
  const kind = jobQueueKind(config);
  if (kind === 'none') return undefined;
  const factory = FACTORIES[kind];
  if (!factory) throw new Error(`KELPIE_JOB_QUEUE=${kind} has no queue adapter in this bundle`);
  return factory(config, env);
}

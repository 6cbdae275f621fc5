import { resolve } from 'node:path';
import { jobQueueKind, loadConfig } from '../../../core/config.js';
import { jobWorkerFrom } from '../../shared/job-worker.js';
import { createFolderJobQueue, localQueueDir } from '../../shared/local-stores.js';
import { createStores } from '../../shared/platform.js';
import { runUploadTrigger, uploadTriggerDepsFrom } from '../../shared/upload-trigger.js';
import { startLocalJobRunner } from '../job-runner.js';
import { localPlatform } from '../platform.js';
import { watchUploads } from '../upload-watcher.js';
import { UsageError, parseFlags } from './usage.js';

/**
 * `kelpie watch`: with the filesystem store, analyses every GeoTIFF that lands in
 * `<KELPIE_DATA_DIR>/uploads/`, standing in for the bucket notification (through the same upload
 * trigger as the cloud functions), and runs the jobs the API queues in the local folder queue,
 * standing in for the job worker. Runs until stopped.
 */
export async function watchCommand(args: string[]): Promise<void> {
  const { positionals } = parseFlags(args, {});
  if (positionals.length) throw new UsageError('kelpie watch takes no arguments; it watches KELPIE_DATA_DIR/uploads');
  const config = loadConfig(process.env);
  if (config.KELPIE_STORE !== 'fs') throw new UsageError(`kelpie watch needs KELPIE_STORE=fs (got ${config.KELPIE_STORE}); cloud stores have bucket notifications`);
  const trigger = uploadTriggerDepsFrom(localPlatform, config, 'kelpie-watch');
  const { logger } = trigger.analysis;
  // A laptop has no platform deadline: the analysis runs as long as it takes.
  const noDeadline = new AbortController().signal;
  const watcher = await watchUploads({
    root: resolve(config.KELPIE_DATA_DIR),
    store: createStores(localPlatform, config).imageStore,
    logger,
    onObjectCreated: (command) => runUploadTrigger({ command }, trigger, noDeadline, { via: 'watch' }),
  });
  // The worker of asynchronous analyses: the API queues long ones in the folder queue.
  const jobs =
    jobQueueKind(config) === 'local'
      ? startLocalJobRunner({ queue: createFolderJobQueue(config), worker: jobWorkerFrom(localPlatform, config, 'kelpie-jobs', { timeoutMs: config.KELPIE_JOB_TIMEOUT_S * 1000 }), logger })
      : undefined;
  logger.info('watching for uploads and jobs', { uploads: resolve(config.KELPIE_DATA_DIR, 'uploads'), jobs: jobs ? localQueueDir(config) : 'off (KELPIE_JOB_QUEUE is not local)' });
  await new Promise<void>((done) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => done());
  });
  watcher.close();
  await jobs?.stop();
}

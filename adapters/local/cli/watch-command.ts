import { resolve } from 'node:path';
import { jobQueueKind, loadConfig } from '../../../core/config.js';
import { localQueueDir } from '../../job-queues.js';
import { jobWorkerFrom } from '../../job-worker.js';
import { DirJobQueue } from '../dir-job-queue.js';
import { startLocalJobRunner } from '../job-runner.js';
import { systemClock } from '../../../core/ports/clock.js';
import { handleObjectCreated } from '../../../core/usecases/object-created.js';
import { createLogger, createStores } from '../../runtime.js';
import { analysisRuntime } from '../../analysis-runtime.js';
import { watchUploads } from '../upload-watcher.js';
import { CODE_VERSION } from '../version.js';
import { UsageError, parseFlags } from './main.js';

/**
 * `kelpie watch`: with the filesystem store, analyses every GeoTIFF that lands in
 * `<KELPIE_DATA_DIR>/uploads/`, standing in for the bucket notification, and runs the jobs the
 * API queues in the local folder queue, standing in for the job worker. Runs until stopped.
 */
export async function watchCommand(args: string[]): Promise<void> {
  const { positionals } = parseFlags(args, {});
  if (positionals.length) throw new UsageError('kelpie watch takes no arguments; it watches KELPIE_DATA_DIR/uploads');
  const config = loadConfig(process.env);
  if (config.KELPIE_STORE !== 'fs') throw new UsageError(`kelpie watch needs KELPIE_STORE=fs (got ${config.KELPIE_STORE}); cloud stores have bucket notifications`);
  const stores = createStores(config);
  const logger = createLogger(config, 'kelpie-watch');
  const deps = { ...stores, clock: systemClock, logger, codeVersion: CODE_VERSION, maxImagePixels: config.KELPIE_MAX_IMAGE_PIXELS, ...analysisRuntime(config, logger) };
  const watcher = await watchUploads({
    root: resolve(config.KELPIE_DATA_DIR),
    store: stores.imageStore,
    logger,
    onObjectCreated: (event) => handleObjectCreated(event, deps),
  });
  // The worker of asynchronous analyses: the API queues long ones in the folder queue.
  const jobs = jobQueueKind(config) === 'local'
    ? startLocalJobRunner({ queue: new DirJobQueue(localQueueDir(config)), worker: jobWorkerFrom(config, 'kelpie-jobs', { timeoutMs: config.KELPIE_JOB_TIMEOUT_S * 1000 }), logger })
    : undefined;
  logger.info('watching for uploads and jobs', { uploads: resolve(config.KELPIE_DATA_DIR, 'uploads'), jobs: jobs ? localQueueDir(config) : 'off (KELPIE_JOB_QUEUE is not local)' });
  await new Promise<void>((done) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => done());
  });
  watcher.close();
  await jobs?.stop();
}

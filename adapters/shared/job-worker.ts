import type { Config } from '../../core/config.js';
import { DependencyUnavailableError, isKelpieError } from '../../core/errors.js';
import { type Delivery, type JobOutcome, type WorkerDeps, runAnalysisJob } from '../../core/jobs/run-job.js';
import { systemClock } from '../../core/ports/clock.js';
import type { Logger } from '../../core/ports/logger.js';
import { parseSiteTask, runSiteTask } from '../../core/sites/monitor.js';
import type { SiteRuntime } from '../../core/sites/site-scene.js';
import { type StacRuntime, createStacRuntime } from '../../core/stac/stac-runtime.js';
import { startDeadline } from './deadline.js';
import { analysisRuntime } from './analysis-runtime.js';
import { type Env, type Platform, createJobQueue, createStores } from './platform.js';
import { CODE_VERSION } from './version.js';

/** Everything a job worker needs, made once per instance (see {@link jobWorkerDepsFrom}). */
export interface JobWorker {
  deps: Omit<WorkerDeps, 'signal'>;
  logger: Logger;
  /** How long the platform lets one invocation run, ms. */
  timeoutMs: number;
  /** Deliveries of one message before the platform gives up on it (`KELPIE_JOB_MAX_ATTEMPTS`). */
  maxAttempts: number;
}

/**
 * Runs one job message under the invocation's deadline; the same on every platform and locally.
 * Resolves for work done, failed for good (recorded in `status.json`), duplicate or dropped;
 * throws a transient failure so the platform redelivers the message.
 *
 * @example
 * ```ts
 * await runJobMessage(message.body, worker(), { attempt: dequeueCount, maxAttempts: worker().maxAttempts });
 * ```
 */
export async function runJobMessage(body: unknown, worker: JobWorker, delivery: Partial<Delivery> & { remainingMs?: number }): Promise<JobOutcome> {
  const timeoutMs = delivery.remainingMs ?? worker.timeoutMs;
  // Stopped DEADLINE_MARGIN_MS before the platform's timeout, so the failure is recorded and retried.
  const deadline = startDeadline(timeoutMs);
  try {
    const task = siteTaskOf(body, worker);
    if (task) {
      await runSiteTask(task, siteTaskDeps(worker, deadline.signal));
      return 'succeeded';
    }
    if (task === null) return 'dropped';
    return await runAnalysisJob(body, { ...worker.deps, timeoutMs, signal: deadline.signal }, { attempt: delivery.attempt ?? 1, maxAttempts: delivery.maxAttempts ?? worker.maxAttempts });
  } catch (error) {
    worker.logger.warn('job message not done; the platform will deliver it again', { code: isKelpieError(error) ? error.code : 'BUG', error: (error as Error).message });
    throw error;
  } finally {
    deadline.dispose();
  }
}

/** The site task a message carries; undefined for an analysis job, null for a malformed site task (logged, dropped). */
function siteTaskOf(body: unknown, worker: JobWorker): ReturnType<typeof parseSiteTask> | null {
  try {
    return parseSiteTask(body);
  } catch (error) {
    worker.logger.error('queue message dropped: not a site task', { error: (error as Error).message });
    return null;
  }
}

/** A site task's deps: the worker's store, queue, catalog and webhooks' HTTP. */
function siteTaskDeps(worker: JobWorker, signal: AbortSignal) {
  const { deps } = worker;
  const sites = deps.sites;
  if (!sites?.queue) throw new DependencyUnavailableError('a site task queues scenes and this worker has no job queue (set KELPIE_JOB_QUEUE)');
  return {
    resultStore: deps.resultStore,
    queue: sites.queue,
    catalog: deps.stac().catalog,
    now: () => deps.clock.now(),
    logger: deps.logger,
    staleAfterMs: sites.staleAfterMs ?? worker.timeoutMs + 60_000,
    sites,
    signal,
  };
}

/**
 * A job worker's dependencies from the configuration, with one platform's stores and logger:
 * the stores, the STAC runtime (built on the first STAC job; a STAC job without
 * `KELPIE_STAC_URL` fails as unavailable, so it is retried once the setting is fixed), the code
 * version and progress interval.
 *
 * @example
 * ```ts
 * const worker = jobWorkerFrom(awsPlatform, loadConfig(process.env), 'analyze-job', { timeoutMs: 900_000 });
 * ```
 */
export function jobWorkerFrom(platform: Platform, config: Config, service: string, options: { timeoutMs: number; env?: Env }): JobWorker {
  const { imageStore, resultStore, imageStoreName } = createStores(platform, config, options.env);
  const logger = platform.logger(config, service);
  let stac: StacRuntime | undefined;
  const queue = createJobQueue(platform, config, options.env);
  const sites: SiteRuntime = {
    ...(queue ? { queue } : {}),
    fetch: (input, init) => globalThis.fetch(input, init),
    outboundHosts: config.KELPIE_OUTBOUND_HOSTS,
    userAgent: `kelpie-carbon/${CODE_VERSION}`,
    staleAfterMs: (config.KELPIE_JOB_TIMEOUT_S + 60) * 1000,
  };
  return {
    deps: {
      imageStore,
      resultStore,
      imageStoreName,
      clock: systemClock,
      logger,
      codeVersion: CODE_VERSION,
      maxImagePixels: config.KELPIE_MAX_IMAGE_PIXELS,
      ...analysisRuntime(config, logger),
      progressIntervalMs: config.KELPIE_PROGRESS_INTERVAL_MS,
      sites,
      stac: () => {
        if (stac) return stac;
        if (!config.KELPIE_STAC_URL) throw new DependencyUnavailableError('this job analyses a STAC scene and the worker has no catalog configured (set KELPIE_STAC_URL)');
        stac = createStacRuntime({ url: config.KELPIE_STAC_URL, fetch: (input, init) => globalThis.fetch(input, init), outboundHosts: config.KELPIE_OUTBOUND_HOSTS, clock: systemClock });
        return stac;
      },
    },
    logger,
    timeoutMs: options.timeoutMs,
    maxAttempts: config.KELPIE_JOB_MAX_ATTEMPTS,
  };
}

import type { Config } from '../core/config.js';
import { isKelpieError } from '../core/errors.js';
import { systemClock } from '../core/ports/clock.js';
import type { AnalyzeObjectDeps } from '../core/usecases/analyze-object.js';
import { type ObjectCreated, type ObjectCreatedOutcome, handleObjectCreated } from '../core/usecases/object-created.js';
import { startDeadline } from './http-edge.js';
import { analysisRuntime } from './analysis-runtime.js';
import { CODE_VERSION } from './local/version.js';
import { createLogger, createStores } from './runtime.js';

/** What one platform event becomes: the neutral command, or why it is not one (with the platform's event id). */
export type UploadTriggerInput = { command: ObjectCreated; eventId?: string } | { ignored: string; eventId?: string };

/** Everything an upload trigger needs, made once per instance (see {@link uploadTriggerDepsFrom}). */
export interface UploadTriggerDeps {
  analysis: Omit<AnalyzeObjectDeps, 'signal'>;
  /** The bucket or container this deployment serves (`KELPIE_BUCKET`); events for others are ignored. */
  bucket?: string;
  /** How long the platform lets one invocation run, in ms. */
  timeoutMs: number;
  /** How long before that the analysis is aborted, so the failure is reported and retried rather than killed. */
  deadlineMarginMs?: number;
}

const DEFAULT_MARGIN_MS = 5_000;

/**
 * Runs one upload event through `handleObjectCreated` and logs one line saying what happened.
 * Analysed, duplicate (a re-delivery: nothing is done twice), ignored (not under `uploads/`, not a
 * TIFF, another bucket, superseded) and rejected (unusable image: `error.json` written) all
 * resolve, so the platform acknowledges the event. A transient failure (store down, deadline) is
 * logged at error level and thrown, so the platform retries it.
 *
 * @example
 * ```ts
 * const outcome = await runUploadTrigger(fromStorageCloudEvent(cloudEvent), deps);
 * ```
 */
export async function runUploadTrigger(input: UploadTriggerInput, deps: UploadTriggerDeps): Promise<ObjectCreatedOutcome> {
  const { logger } = deps.analysis;
  if ('ignored' in input) return ignore(input.ignored, { eventId: input.eventId }, deps);
  const { command, eventId } = input;
  const elsewhere = otherBucket(command, deps.bucket);
  if (elsewhere) return ignore(elsewhere, { eventId, key: command.key, bucket: command.bucket }, deps);
  const deadline = startDeadline(deps.timeoutMs, deps.deadlineMarginMs ?? DEFAULT_MARGIN_MS);
  try {
    const outcome = await handleObjectCreated(command, { ...deps.analysis, signal: deadline.signal });
    (outcome.kind === 'rejected' ? logger.warn : logger.info).call(logger, 'upload event handled', { eventId, key: command.key, bucket: command.bucket, outcome });
    return outcome;
  } catch (error) {
    const code = isKelpieError(error) ? error.code : 'BUG';
    logger.error('upload event failed; the platform will retry it', { eventId, key: command.key, bucket: command.bucket, code, error: (error as Error).message });
    throw error;
  } finally {
    deadline.dispose();
  }
}

function ignore(reason: string, fields: Record<string, unknown>, deps: UploadTriggerDeps): ObjectCreatedOutcome {
  deps.analysis.logger.info('upload event ignored', { ...fields, reason });
  return { kind: 'ignored', reason };
}

function otherBucket(command: ObjectCreated, bucket: string | undefined): string | undefined {
  if (bucket === undefined || command.bucket === bucket) return undefined;
  return `the event is for bucket "${command.bucket}"; this deployment serves "${bucket}" (KELPIE_BUCKET)`;
}

/**
 * The upload trigger's dependencies from the configuration: the configured stores, a JSON logger
 * for `service`, the system clock and the code version.
 *
 * @example
 * ```ts
 * const deps = uploadTriggerDepsFrom(loadConfig(process.env), 'upload-analyze', { timeoutMs: 540_000 });
 * ```
 */
export function uploadTriggerDepsFrom(config: Config, service: string, options: { timeoutMs: number; env?: Record<string, string | undefined> }): UploadTriggerDeps {
  const { imageStore, resultStore, imageStoreName } = createStores(config, options.env);
  const logger = createLogger(config, service);
  return {
    analysis: {
      imageStore,
      resultStore,
      imageStoreName,
      clock: systemClock,
      logger,
      codeVersion: CODE_VERSION,
      maxImagePixels: config.KELPIE_MAX_IMAGE_PIXELS,
      ...analysisRuntime(config, logger),
    },
    ...(config.KELPIE_BUCKET ? { bucket: config.KELPIE_BUCKET } : {}),
    timeoutMs: options.timeoutMs,
  };
}

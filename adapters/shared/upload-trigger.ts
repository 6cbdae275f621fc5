import type { Config } from '../../core/config.js';
import { type Disposition, dispositionOf } from '../../core/delivery.js';
import { isKelpieError } from '../../core/errors.js';
import { systemClock } from '../../core/ports/clock.js';
import type { Logger } from '../../core/ports/logger.js';
import type { Metrics } from '../../core/ports/metrics.js';
import type { AnalyzeObjectDeps } from '../../core/usecases/analyze-object.js';
import { type ObjectCreated, type ObjectCreatedOutcome, handleObjectCreated, notAnUpload } from '../../core/usecases/object-created.js';
import { startDeadline } from './deadline.js';
import { UploadRetryError } from './errors.js';
import { analysisRuntime } from './analysis-runtime.js';
import { type Env, type Platform, createStores } from './platform.js';
import { CODE_VERSION } from './version.js';

/**
 * What one platform event becomes, with the platform's event id: the neutral command; or why it is
 * not an upload (`ignored`: acknowledged); or the error that made it unreadable (`unreadable`:
 * dropped, as `core/delivery.ts` says for an `UnrecognizedEventError`).
 */
export type UploadTriggerInput =
  | { command: ObjectCreated; eventId?: string }
  | { ignored: string; eventId?: string }
  | { unreadable: unknown; eventId?: string };

/** Everything an upload trigger needs, made once per instance (see {@link uploadTriggerDepsFrom}). */
export interface UploadTriggerDeps {
  analysis: Omit<AnalyzeObjectDeps, 'signal'>;
  /** The bucket or container this deployment serves (`KELPIE_BUCKET`); none for fs and memory stores. */
  bucket?: string;
  /** Counts `kelpie_upload_records_total{via, outcome}` (CloudWatch EMF on AWS). */
  metrics?: Metrics;
  /** The use case; tests may wrap it. */
  handle?: typeof handleObjectCreated;
}

/** What happened to one upload event, and what its platform is to do with it. */
export interface UploadReport {
  outcome: ObjectCreatedOutcome['kind'] | 'dropped' | 'failed' | 'deferred';
  disposition: Disposition;
  bucket?: string;
  key?: string;
  id?: string;
  reason?: string;
}

/** Where the event came from, for the log line: `s3`, `sqs`, `eventbridge`, `eventgrid`, `blob`, `storage`… and its ids. */
export interface UploadVia {
  via: string;
  eventId?: string;
  messageId?: string;
}

const DISPOSITION_OF_OUTCOME: Record<ObjectCreatedOutcome['kind'], Disposition> = {
  analysed: 'acknowledge',
  duplicate: 'acknowledge',
  ignored: 'acknowledge',
  rejected: 'drop',
};

/** One log line per event: its message and level by disposition (only retries log at error level). */
const LOG_LINE: Record<Disposition, { message: string; level: keyof Logger }> = {
  acknowledge: { message: 'upload event handled', level: 'info' },
  drop: { message: 'upload event dropped: it cannot succeed as it is', level: 'warn' },
  retry: { message: 'upload event not done; the platform will deliver it again', level: 'error' },
};

/**
 * The one upload trigger every platform's event parser feeds. An event that is not an upload
 * (another event type, a key outside `uploads/` or not a TIFF) is acknowledged. One for a bucket
 * this deployment does not serve is handed back for a retry, never acknowledged unread: the
 * notification is wired to the wrong function or `KELPIE_BUCKET` is wrong, the platform's retries
 * and dead-letter queue keep the upload until that is fixed, and the failures raise the alarm.
 * Otherwise `handleObjectCreated` runs under `signal`, and a failure goes by `core/delivery.ts`:
 * retried (store down, deadline, a bug) or dropped (recorded in `error.json`, or logged). Resolves
 * with the report and logs one line; never throws.
 *
 * @example
 * ```ts
 * const report = await runUploadTrigger(fromStorageCloudEvent(event), deps, deadline.signal, { via: 'storage', eventId: event.id });
 * if (report.disposition === 'retry') throw new UploadRetryError(report.reason ?? 'retry');
 * ```
 */
export async function runUploadTrigger(input: UploadTriggerInput, deps: UploadTriggerDeps, signal: AbortSignal, via: UploadVia): Promise<UploadReport> {
  const report = await decide(input, deps, signal);
  const line = LOG_LINE[report.disposition];
  deps.analysis.logger[line.level](line.message, { ...via, ...(input.eventId ? { eventId: input.eventId } : {}), ...report });
  deps.metrics?.count('kelpie_upload_records_total', { via: via.via, outcome: report.outcome });
  return report;
}

async function decide(input: UploadTriggerInput, deps: UploadTriggerDeps, signal: AbortSignal): Promise<UploadReport> {
  if ('ignored' in input) return { outcome: 'ignored', disposition: 'acknowledge', reason: input.ignored };
  if ('unreadable' in input) return failure(input.unreadable, {});
  const { bucket, key } = input.command;
  const notUpload = notAnUpload(key);
  if (notUpload) return { outcome: 'ignored', disposition: 'acknowledge', bucket, key, reason: notUpload };
  if (deps.bucket !== undefined && bucket !== deps.bucket) {
    const reason = `the event is for bucket "${bucket}"; this deployment serves "${deps.bucket}" (KELPIE_BUCKET): check the notification wiring`;
    return { outcome: 'failed', disposition: 'retry', bucket, key, reason };
  }
  if (signal.aborted) return { outcome: 'deferred', disposition: 'retry', bucket, key, reason: 'the invocation ran out of time before this event; it will be delivered again' };
  try {
    const outcome = await (deps.handle ?? handleObjectCreated)(input.command, { ...deps.analysis, signal });
    return { ...fromOutcome(outcome), bucket, key };
  } catch (error) {
    return failure(error, { bucket, key });
  }
}

function failure(error: unknown, where: Pick<UploadReport, 'bucket' | 'key'>): UploadReport {
  const disposition = dispositionOf(error);
  const outcome = disposition === 'retry' ? 'failed' : disposition === 'drop' ? 'dropped' : 'ignored';
  return { outcome, disposition, ...where, reason: describe(error) };
}

/**
 * One upload event on a platform that retries an event by failing its invocation (Cloud
 * Functions, Azure Functions): {@link runUploadTrigger} under a deadline `DEADLINE_MARGIN_MS`
 * before `timeoutMs`, then throws `UploadRetryError` when the event is to be delivered again.
 *
 * @example
 * ```ts
 * await handleUploadEvent(fromEventGridEvent(event), deps(), { timeoutMs, via: { via: 'eventgrid' } });
 * ```
 */
export async function handleUploadEvent(input: UploadTriggerInput, deps: UploadTriggerDeps, options: { timeoutMs: number; via: UploadVia }): Promise<UploadReport> {
  const deadline = startDeadline(options.timeoutMs);
  try {
    const report = await runUploadTrigger(input, deps, deadline.signal, options.via);
    if (report.disposition === 'retry') throw new UploadRetryError(`the upload event will be delivered again: ${report.reason}`, { key: report.key, outcome: report.outcome });
    return report;
  } finally {
    deadline.dispose();
  }
}

function fromOutcome(outcome: ObjectCreatedOutcome): Omit<UploadReport, 'bucket' | 'key'> {
  const disposition = DISPOSITION_OF_OUTCOME[outcome.kind];
  switch (outcome.kind) {
    case 'analysed':
    case 'duplicate':
      return { outcome: outcome.kind, disposition, id: outcome.id };
    case 'ignored':
      return { outcome: outcome.kind, disposition, reason: outcome.reason };
    case 'rejected':
      return { outcome: outcome.kind, disposition, id: outcome.id, reason: `${outcome.code}: ${outcome.message}` };
  }
}

/** `CODE: message` for our errors; the name and message of anything else (a bug). */
function describe(error: unknown): string {
  if (isKelpieError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * The upload trigger's dependencies from the configuration, with one platform's stores and
 * logger: the stores, the bucket they serve, the system clock and the code version.
 *
 * @example
 * ```ts
 * const deps = uploadTriggerDepsFrom(gcpPlatform, loadConfig(process.env), 'upload-analyze');
 * ```
 */
export function uploadTriggerDepsFrom(platform: Platform, config: Config, service: string, options: { env?: Env; metrics?: Metrics } = {}): UploadTriggerDeps {
  const { imageStore, resultStore, imageStoreName, bucket } = createStores(platform, config, options.env);
  const logger = platform.logger(config, service);
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
    ...(bucket !== undefined ? { bucket } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  };
}

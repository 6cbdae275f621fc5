import { z } from 'zod';
import { analysisOptionsSchema } from '../analysis/options.js';
import { describeZodError } from '../validation.js';
import { InvalidRequestError } from '../errors.js';
import { SITE_ID } from '../sites/site.js';
import { ANALYSIS_ID } from '../usecases/result-keys.js';

/** Queue messages stay far below every platform's limit (SQS and Azure queues: 256 KiB / 64 KiB). */
export const MAX_JOB_BYTES = 48 * 1024;

// Options are validated as the API validated them, so the worker has them typed from its one parse.
const common = { v: z.literal(1), id: z.string().regex(ANALYSIS_ID), submittedAt: z.string(), options: analysisOptionsSchema };

/**
 * The message a worker receives: everything it needs to run the analysis the API accepted,
 * already validated there. `object`: a key of the imagery store at the version (etag) seen at
 * submission; `stac`: the scene the API chose (its item, so the worker analyses the same one);
 * `stac-series`: the request, searched again by the worker (a year of items is too big to send);
 * `site`: one scene over a monitored site (its item; the site's area and options are read from
 * the site, and the observation is recorded there).
 */
const analysisJobSchema = z.discriminatedUnion('kind', [
  z.object({ ...common, kind: z.literal('object'), key: z.string().min(1).max(1024), etag: z.string().optional() }).strict(),
  z.object({ ...common, kind: z.literal('stac'), stac: z.record(z.string(), z.unknown()), item: z.record(z.string(), z.unknown()) }).strict(),
  z.object({ ...common, kind: z.literal('stac-series'), stac: z.record(z.string(), z.unknown()) }).strict(),
  z.object({ ...common, kind: z.literal('site'), siteId: z.string().regex(SITE_ID), item: z.record(z.string(), z.unknown()) }).strict(),
]);

export type AnalysisJob = z.output<typeof analysisJobSchema>;

/**
 * Parses a queue message body (JSON text or an already parsed object); a message that is not a
 * job throws `InvalidRequestError` (the worker logs and drops it: retrying cannot fix it).
 *
 * @example
 * ```ts
 * parseJob('{"v":1,"kind":"object","id":"0123456789abcdef0123","key":"uploads/a.tif","options":{},"submittedAt":"2026-01-01T00:00:00Z"}').key;
 * ```
 */
export function parseJob(body: unknown): AnalysisJob {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      throw new InvalidRequestError(`the job message is not JSON (starts ${JSON.stringify(body.slice(0, 40))})`);
    }
  }
  const parsed = analysisJobSchema.safeParse(value);
  if (!parsed.success) throw new InvalidRequestError(`the job message is not an analysis job: ${describeZodError(parsed.error)}`);
  return parsed.data as AnalysisJob;
}

/** The job as message text; refuses one over `MAX_JOB_BYTES` (an oversized STAC item). */
export function serializeJob(job: AnalysisJob): string {
  const text = JSON.stringify(job);
  if (new TextEncoder().encode(text).byteLength > MAX_JOB_BYTES) {
    throw new InvalidRequestError(`the job for analysis ${job.id} is ${text.length} bytes, over the ${MAX_JOB_BYTES}-byte queue message limit`);
  }
  return text;
}

import type { SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import type { ObjectCreated } from '../../core/usecases/object-created.js';
import { UnrecognizedEventError } from '../shared/errors.js';
import type { UploadTriggerInput } from '../shared/upload-trigger.js';

type Payload = Record<string, unknown>;
type Parser = (payload: Payload) => UploadTriggerInput[];

/** S3 event names that mean "a new object version exists" (Put, Post, Copy, CompleteMultipartUpload). */
const CREATED_EVENT_NAME = /^(s3:)?ObjectCreated:/;

// Each schema reads only what the command needs; anything else in the payload is ignored.
const s3Record = z.object({
  eventName: z.string(),
  eventTime: z.string().optional(),
  s3: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({ key: z.string().min(1), size: z.number().optional(), eTag: z.string().optional() }),
  }),
});

const eventBridgeObjectCreated = z.object({
  time: z.string().optional(),
  detail: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    // AWS documents `etag`; moto's EventBridge events say `eTag`. `version-id` is not read: the
    // core compares the command's etag with the object's current ETag, never with a version id.
    object: z.object({ key: z.string().min(1), size: z.number().optional(), etag: z.string().optional(), eTag: z.string().optional() }),
  }),
});

const destinationRecord = z.object({ requestPayload: z.record(z.string(), z.unknown()) });

/**
 * S3 event notification (`Records[].s3`), delivered to Lambda directly or as an SQS message body.
 * Keys are URL-encoded as form data: `+` is a space, `%2B` a literal plus.
 */
const parseS3Notification: Parser = (payload) =>
  (payload.Records as unknown[]).map((raw) => {
    const record = read(s3Record, raw, 'S3 notification record');
    const { bucket, object } = record.s3;
    const key = decodeS3Key(object.key);
    if (!CREATED_EVENT_NAME.test(record.eventName)) return { ignored: `${record.eventName} is not an ObjectCreated event (${bucket.name}/${key})` };
    return created({ bucket: bucket.name, key, size: object.size, etag: object.eTag, eventTime: record.eventTime });
  });

/** EventBridge "Object Created" from `aws.s3`: `detail.object.key` is the key itself, not URL-encoded. */
const parseEventBridgeObjectCreated: Parser = (payload) => {
  const { detail, time } = read(eventBridgeObjectCreated, payload, 'EventBridge Object Created event');
  const etag = detail.object.etag ?? detail.object.eTag;
  return [created({ bucket: detail.bucket.name, key: detail.object.key, size: detail.object.size, etag, eventTime: time })];
};

/** Lambda's on-failure destination record (a direct invocation whose retries ran out): the original event inside. */
const parseDestinationRecord: Parser = (payload) => parseNotification(read(destinationRecord, payload, 'Lambda destination record').requestPayload);

/**
 * Parsers by shape (see {@link shapeOf}). `aws.s3/*` catches the other EventBridge S3 events
 * (Object Deleted, Object Restore Completed, …): recognised, and nothing to do.
 */
const PARSERS: Record<string, Parser> = {
  'records/aws:s3': parseS3Notification,
  'test-event/s3:TestEvent': () => [{ ignored: 's3:TestEvent: S3 checking the notification destination' }],
  'aws.s3/Object Created': parseEventBridgeObjectCreated,
  'aws.s3/*': (payload) => [{ ignored: `EventBridge "${String(payload['detail-type'])}" is not an Object Created event` }],
  'lambda/destination': parseDestinationRecord,
};

/** The shape key of a payload, and its family (the fallback key). */
function shapeOf(payload: Payload): [exact: string, family: string] {
  if (Array.isArray(payload.Records)) return [`records/${String((payload.Records[0] as Payload | undefined)?.eventSource)}`, 'records/*'];
  if (typeof payload.Event === 'string') return [`test-event/${payload.Event}`, 'test-event/*'];
  if ('requestPayload' in payload && 'requestContext' in payload) return ['lambda/destination', 'lambda/*'];
  return [`${String(payload.source)}/${String(payload['detail-type'])}`, `${String(payload.source)}/*`];
}

/**
 * Turns one upload notification into the upload trigger's inputs: neutral `ObjectCreated`
 * commands, or what to ignore and why: an S3 event notification (keys URL-decoded), the `s3:TestEvent`, an EventBridge
 * `aws.s3` event, or a Lambda destination record wrapping one of these. Only `ObjectCreated:*`
 * event names count. Throws {@link UnrecognizedEventError} for anything else.
 *
 * @example
 * ```ts
 * parseNotification(loadEvent('aws/s3-put-space.json'));
 * // [{ command: { store: 's3', bucket: 'kelpie-carbon-dev-imagery', key: 'uploads/kelp bed 2024.tif', … } }]
 * ```
 */
export function parseNotification(payload: unknown): UploadTriggerInput[] {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new UnrecognizedEventError('the event is not a JSON object');
  const [exact, family] = shapeOf(payload as Payload);
  const parser = PARSERS[exact] ?? PARSERS[family];
  if (!parser) throw new UnrecognizedEventError(`not an upload notification (shape "${exact}")`, { shape: exact });
  return parser(payload as Payload);
}

/**
 * The upload trigger's inputs in one SQS message: its body is an S3 notification, the S3 test event, an
 * EventBridge event (an EventBridge rule targeting the queue) or a destination record.
 *
 * @example
 * ```ts
 * const inputs = parseSqsMessage(event.Records[0]);
 * ```
 */
export function parseSqsMessage(record: Pick<SQSRecord, 'body' | 'messageId'>): UploadTriggerInput[] {
  let payload: unknown;
  try {
    payload = JSON.parse(record.body);
  } catch {
    throw new UnrecognizedEventError(`SQS message ${record.messageId} is not JSON`, { messageId: record.messageId });
  }
  return parseNotification(payload);
}

/**
 * True for a Lambda event that is a batch of SQS messages (`Records[].eventSource` `aws:sqs`),
 * which gets a partial batch response instead of failing as a whole.
 */
export function isSqsBatch(event: unknown): event is { Records: SQSRecord[] } {
  const records = (event as { Records?: unknown } | null)?.Records;
  return Array.isArray(records) && records.length > 0 && (records[0] as Payload | undefined)?.eventSource === 'aws:sqs';
}

/**
 * An S3 notification key as the object's real key: S3 encodes keys like a form field
 * (`application/x-www-form-urlencoded`), so `+` is a space and `%2B` a plus.
 *
 * @example
 * ```ts
 * decodeS3Key('uploads/kelp+bed+%C3%A9t%C3%A9.tif'); // 'uploads/kelp bed été.tif'
 * ```
 */
export function decodeS3Key(encoded: string): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    throw new UnrecognizedEventError(`S3 key ${JSON.stringify(encoded)} is not valid URL encoding`, { key: encoded });
  }
}

function created(fields: Omit<ObjectCreated, 'store'>): UploadTriggerInput {
  const command: ObjectCreated = { store: 's3', bucket: fields.bucket, key: fields.key };
  if (fields.size !== undefined) command.size = fields.size;
  if (fields.etag) command.etag = fields.etag;
  if (fields.eventTime) command.eventTime = fields.eventTime;
  return { command };
}

function read<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
  throw new UnrecognizedEventError(`malformed ${what}: ${problems}`);
}

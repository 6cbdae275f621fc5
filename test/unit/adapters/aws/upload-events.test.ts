import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { UnrecognizedEventError } from '../../../../adapters/shared/errors.js';
import { decodeS3Key, isSqsBatch, parseNotification, parseSqsMessage } from '../../../../adapters/aws/upload-events.js';
import { loadEvent } from '../../../helpers/events.js';

const BUCKET = 'kelpie-carbon-dev-imagery';
const ETAG = 'da6ff743d4b56dc6d07ffdf6ee76c50c';
const created = (key: string, eventTime: string) => ({ command: { store: 's3', bucket: BUCKET, key, size: 1823746, etag: ETAG, eventTime } });

/** Every upload payload in events/aws/, and the commands it must become. */
const PAYLOADS: Array<[file: string, what: string, expected: unknown[]]> = [
  ['s3-put-space.json', '"+" is a space', [created('uploads/kelp bed 2024.tif', '2026-03-09T14:21:07.412Z')]],
  ['s3-put-plus.json', '"%2B" is a literal plus', [created('uploads/B04+B08 stack.tif', '2026-03-09T14:22:31.008Z')]],
  ['s3-put-non-ascii.json', 'percent-encoded UTF-8 (é, 海藻); a Copy counts as created', [created('uploads/baie-été-海藻.tif', '2026-03-09T14:23:55.120Z')]],
  ['eventbridge-object-created.json', 'EventBridge keys are not URL-encoded: "+" stays a plus', [created('uploads/B04+B08 stack.tif', '2026-03-09T14:22:31Z')]],
  ['lambda-destination-s3-put.json', 'a destination record is read through to the event inside', [created('uploads/kelp bed 2024.tif', '2026-03-09T14:21:07.412Z')]],
  ['s3-test-event.json', 'the S3 test event is skipped', [{ ignored: expect.stringContaining('s3:TestEvent') }]],
  ['s3-delete.json', 'only ObjectCreated:* counts', [{ ignored: `ObjectRemoved:Delete is not an ObjectCreated event (${BUCKET}/uploads/kelp bed 2024.tif)` }]],
];

describe('parseNotification', () => {
  it.each(PAYLOADS)('%s: %s', (file, _what, expected) => {
    expect(parseNotification(loadEvent(`aws/${file}`))).toEqual(expected);
  });

  it('skips EventBridge S3 events other than Object Created', () => {
    const event = { ...loadEvent('aws/eventbridge-object-created.json'), 'detail-type': 'Object Deleted' };
    expect(parseNotification(event)).toEqual([{ ignored: 'EventBridge "Object Deleted" is not an Object Created event' }]);
  });

  it('keeps an EventBridge "%" as it is', () => {
    const event = loadEvent<{ detail: { object: { key: string } } }>('aws/eventbridge-object-created.json');
    event.detail.object.key = 'uploads/100%25 cover.tif';
    expect(parseNotification(event)).toMatchObject([{ command: { key: 'uploads/100%25 cover.tif' } }]);
  });

  it.each<[string, unknown]>([
    ['a scheduled event', loadEvent('aws/eventbridge-scheduled.json')],
    ['an API Gateway event', loadEvent('aws/http-v2-get-health.json')],
    ['an SQS batch (the handler unwraps those)', loadEvent('aws/sqs-s3-batch.json')],
    ['an empty Records array', { Records: [] }],
    ['a JSON array', []],
    ['null', null],
  ])('refuses %s', (_what, payload) => {
    expect(() => parseNotification(payload)).toThrow(UnrecognizedEventError);
  });

  it('names the missing field of a malformed S3 record', () => {
    const event = loadEvent<{ Records: Array<{ s3: { object: Record<string, unknown> } }> }>('aws/s3-put-space.json');
    delete event.Records[0].s3.object.key;
    expect(() => parseNotification(event)).toThrow(/malformed S3 notification record: s3\.object\.key/);
  });
});

describe('parseSqsMessage', () => {
  const batch = loadEvent<SQSEvent>('aws/sqs-s3-batch.json');

  it.each([
    [0, 'the S3 test event', [{ ignored: expect.stringContaining('s3:TestEvent') }]],
    [1, 'an S3 notification', [created('uploads/kelp bed 2024.tif', '2026-03-09T14:21:07.412Z')]],
    [2, 'an S3 notification with a non-ASCII key', [created('uploads/baie-été-海藻.tif', '2026-03-09T14:23:55.120Z')]],
    [3, 'an EventBridge event (a rule targeting the queue)', [created('uploads/B04+B08 stack.tif', '2026-03-09T14:22:31Z')]],
  ])('message %i: %s', (index, _what, expected) => {
    expect(parseSqsMessage(batch.Records[index])).toEqual(expected);
  });

  it('refuses a body that is not JSON, naming the message', () => {
    expect(() => parseSqsMessage({ messageId: 'm-1', body: 'hello' })).toThrow(/SQS message m-1 is not JSON/);
  });
});

describe('isSqsBatch', () => {
  it.each([
    ['sqs-s3-batch.json', true],
    ['s3-put-space.json', false],
    ['eventbridge-object-created.json', false],
  ])('%s: %s', (file, expected) => {
    expect(isSqsBatch(loadEvent(`aws/${file}`))).toBe(expected);
  });
});

describe('decodeS3Key', () => {
  it.each([
    ['uploads/kelp+bed.tif', 'uploads/kelp bed.tif'],
    ['uploads/a%2Bb.tif', 'uploads/a+b.tif'],
    ['uploads/a%2B+b.tif', 'uploads/a+ b.tif'],
    ['uploads/%C3%A9t%C3%A9.tif', 'uploads/été.tif'],
    ['uploads/%E6%B5%B7.tif', 'uploads/海.tif'],
    ['uploads/100%25.tif', 'uploads/100%.tif'],
  ])('%s → %s', (encoded, key) => {
    expect(decodeS3Key(encoded)).toBe(key);
  });

  it('refuses broken percent-encoding', () => {
    expect(() => decodeS3Key('uploads/%E6%B5.tif')).toThrow(UnrecognizedEventError);
  });
});

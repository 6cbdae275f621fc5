import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PubSubJobQueue, fromJobCloudEvent } from '../../../../adapters/gcp/pubsub-job-queue.js';
import { gcpPlatform } from '../../../../adapters/gcp/platform.js';
import { createJobQueue } from '../../../../adapters/shared/platform.js';
import { loadConfig } from '../../../../core/config.js';
import { DeadlineExceededError, DependencyUnavailableError } from '../../../../core/errors.js';
import { loadCloudEvent } from '../../../helpers/cloud-events.js';
import { type PubSubDouble, startPubSubDouble } from '../../../helpers/pubsub-double.js';

const TOPIC = 'projects/kelpie-test/topics/kelpie-jobs';
const TOKEN = 'ya29.secret-access-token';
const BODY = '{"v":1,"kind":"object","id":"0123456789abcdef0123","key":"uploads/bahía kelp.tif","options":{},"submittedAt":"2026-01-01T00:00:00Z"}';
const decode = (data: string) => Buffer.from(data, 'base64').toString('utf8');

let double: PubSubDouble;

/** The queue as deployed (Google's endpoint, a token), its requests sent to the double instead. */
const deployedQueue = (auth = { getRequestHeaders: async () => ({ Authorization: `Bearer ${TOKEN}` }) }) =>
  new PubSubJobQueue({ topic: TOPIC, auth, fetch: (url, init) => globalThis.fetch(String(url).replace('https://pubsub.googleapis.com', `http://${double.host}`), init) });

beforeAll(async () => {
  double = await startPubSubDouble();
});
beforeEach(() => {
  double.createTopic(TOPIC);
  double.authorizations.length = 0;
});
afterAll(() => double?.close());

describe('PubSubJobQueue', () => {
  it('publishes the body, base64, to the topic with the credentials’ token', async () => {
    await deployedQueue().send(BODY);

    expect(double.published(TOPIC).map((message) => decode(message.data))).toEqual([BODY]);
    expect(double.authorizations).toEqual([`Bearer ${TOKEN}`]);
  });

  it('posts to PUBSUB_EMULATOR_HOST over plain HTTP without credentials', async () => {
    await new PubSubJobQueue({ topic: TOPIC, emulatorHost: double.host }).send(BODY);

    expect(double.published(TOPIC)).toHaveLength(1);
    expect(double.authorizations).toEqual([undefined]);
  });

  it('is named after the topic, for logs and the status error', () => {
    expect(new PubSubJobQueue({ topic: TOPIC, emulatorHost: double.host }).name).toBe('pubsub:kelpie-jobs');
  });

  it('refuses a topic that is not a full resource name, naming the setting', () => {
    expect(() => new PubSubJobQueue({ topic: 'kelpie-jobs', emulatorHost: double.host })).toThrow(/KELPIE_JOB_TOPIC: expected projects\/<project>\/topics\/<topic>/);
  });

  it('fails as unavailable with the HTTP status and the API’s message, never the token', async () => {
    double.failNext(403, 'User not authorized to perform this action.');

    const error = (await deployedQueue().send(BODY).catch((caught: unknown) => caught)) as Error;

    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(error.message).toBe('Pub/Sub refused the job message: HTTP 403 PERMISSION_DENIED: User not authorized to perform this action.');
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(TOKEN);
  });

  it('names a missing topic', async () => {
    const queue = new PubSubJobQueue({ topic: 'projects/kelpie-test/topics/no-such-topic', emulatorHost: double.host });

    await expect(queue.send(BODY)).rejects.toThrow(/HTTP 404 NOT_FOUND: Resource not found \(resource=no-such-topic\)/);
  });

  it('fails as unavailable when no credentials can be found', async () => {
    const queue = deployedQueue({ getRequestHeaders: () => Promise.reject(new Error('Could not load the default credentials.')) });

    await expect(queue.send(BODY)).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', message: 'Pub/Sub could not take the job message: Could not load the default credentials.' });
    expect(double.published(TOPIC)).toEqual([]);
  });

  it('gives up after its timeout when Pub/Sub does not answer', async () => {
    const silent: Server = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const queue = new PubSubJobQueue({ topic: TOPIC, emulatorHost: `127.0.0.1:${(silent.address() as AddressInfo).port}`, timeoutMs: 200 });
      const started = Date.now();

      await expect(queue.send(BODY)).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', message: 'Pub/Sub could not take the job message: no answer within 200 ms' });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('stops when the caller’s deadline fires, as a deadline error', async () => {
    await expect(new PubSubJobQueue({ topic: TOPIC, emulatorHost: double.host }).send(BODY, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(double.published(TOPIC)).toEqual([]);
  });

  it('is what createJobQueue makes for KELPIE_JOB_QUEUE=pubsub, honouring PUBSUB_EMULATOR_HOST', async () => {
    const config = loadConfig({ KELPIE_STORE: 'memory', KELPIE_JOB_QUEUE: 'pubsub', KELPIE_JOB_TOPIC: TOPIC });

    await createJobQueue(gcpPlatform, config, { PUBSUB_EMULATOR_HOST: double.host })?.send(BODY);

    expect(double.published(TOPIC).map((message) => decode(message.data))).toEqual([BODY]);
  });
});

describe('fromJobCloudEvent', () => {
  const published = (data: unknown, type = 'google.cloud.pubsub.topic.v1.messagePublished') =>
    ({ ...loadCloudEvent('gcp/pubsub-scheduler-backup.json'), type, data }) as CloudEvent<unknown>;
  const message = { data: Buffer.from(BODY).toString('base64'), messageId: '4000000000000001', publishTime: '2026-03-10T03:00:00.412Z' };

  it.each([
    ['with a delivery attempt (a dead-letter policy)', { message, deliveryAttempt: 3 }, { body: BODY, attempt: 3, messageId: '4000000000000001' }],
    ['without one (no dead-letter policy): attempt 1', { message }, { body: BODY, attempt: 1, messageId: '4000000000000001' }],
    ['with the data as JSON text (another content type)', JSON.stringify({ message, deliveryAttempt: 5 }), { body: BODY, attempt: 5, messageId: '4000000000000001' }],
    ['with a delivery attempt that is not a count', { message, deliveryAttempt: 'soon' }, { body: BODY, attempt: 1, messageId: '4000000000000001' }],
  ])('reads the job message %s', (_name, data, expected) => {
    expect(fromJobCloudEvent(published(data))).toEqual(expected);
  });

  it.each([
    ['a message without data', published({ message: { messageId: '1' } }), /no data\.message\.data/],
    ['an event without data', published(undefined), /no data\.message\.data/],
    ['a storage event', published({ message }, 'google.cloud.storage.object.v1.finalized'), /not a Pub\/Sub message/],
  ])('ignores %s, with the reason', (_name, event, reason) => {
    expect(fromJobCloudEvent(event)).toEqual({ ignored: expect.stringMatching(reason), eventId: '10168204355476545' });
  });
});

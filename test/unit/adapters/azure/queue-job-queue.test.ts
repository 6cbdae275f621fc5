import { describe, expect, it } from 'vitest';
import { AZURE_MAX_MESSAGE_CHARS, AzureQueueJobQueue, createAzureJobQueue, dequeueCountOf } from '../../../../adapters/azure/queue-job-queue.js';
import { azurePlatform } from '../../../../adapters/azure/platform.js';
import { createJobQueue } from '../../../../adapters/shared/platform.js';
import { loadConfig } from '../../../../core/config.js';
import { MAX_JOB_BYTES } from '../../../../core/jobs/job.js';
import { DeadlineExceededError, InvalidRequestError } from '../../../../core/errors.js';

const BODY = '{"v":1,"kind":"object","id":"0123456789abcdef0123","key":"uploads/bahía kelp.tif","options":{},"submittedAt":"2026-01-01T00:00:00Z"}';
const ACCOUNT_KEY = 'c2VjcmV0LWFjY291bnQta2V5LWZvci10ZXN0cw==';
const CONNECTION = `DefaultEndpointsProtocol=https;AccountName=kelpieacct;AccountKey=${ACCOUNT_KEY};EndpointSuffix=core.windows.net`;

/** A queue client that records what it is sent, or answers as `answer` says. */
function fakeClient(answer: (text: string, signal?: AbortSignal) => Promise<unknown> = async () => ({})) {
  const sent: string[] = [];
  return {
    sent,
    client: {
      name: 'kelpie-jobs',
      sendMessage: async (text: string, options?: { abortSignal?: AbortSignal }) => {
        sent.push(text);
        return answer(text, options?.abortSignal) as never;
      },
    },
  };
}

describe('AzureQueueJobQueue', () => {
  it('sends the body as base64, the Functions host’s default message encoding', async () => {
    const { client, sent } = fakeClient();

    await new AzureQueueJobQueue({ client }).send(BODY);

    expect(sent.map((text) => Buffer.from(text, 'base64').toString('utf8'))).toEqual([BODY]);
  });

  it('fits the largest job the serializer allows in one message', async () => {
    const { client, sent } = fakeClient();

    await new AzureQueueJobQueue({ client }).send('x'.repeat(MAX_JOB_BYTES));

    expect(sent[0]).toHaveLength(AZURE_MAX_MESSAGE_CHARS);
  });

  it('refuses a body over Azure’s 64 KiB message limit without sending it', async () => {
    const { client, sent } = fakeClient();

    await expect(new AzureQueueJobQueue({ client }).send('x'.repeat(MAX_JOB_BYTES + 1))).rejects.toBeInstanceOf(InvalidRequestError);
    expect(sent).toEqual([]);
  });

  it('fails as unavailable with the status and the storage error code', async () => {
    const notFound = Object.assign(new Error('Unexpected status code: 404'), { statusCode: 404, code: 'QueueNotFound' });
    const { client } = fakeClient(() => Promise.reject(notFound));

    await expect(new AzureQueueJobQueue({ client }).send(BODY)).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', message: 'Azure Storage refused the job message: HTTP 404 QueueNotFound Unexpected status code: 404' });
  });

  it('gives up after its timeout when the service does not answer', async () => {
    const hanging = fakeClient((_text, signal) => new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new Error('The operation was aborted.')))));

    await expect(new AzureQueueJobQueue({ client: hanging.client, timeoutMs: 50 }).send(BODY)).rejects.toThrow(/no answer within 50 ms/);
  });

  it('stops when the caller’s deadline fires, as a deadline error', async () => {
    const { client, sent } = fakeClient();

    await expect(new AzureQueueJobQueue({ client }).send(BODY, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(sent).toEqual([]);
  });
});

describe('createAzureJobQueue', () => {
  it('names the queue for logs and the status error', () => {
    expect(createAzureJobQueue('kelpie-jobs', { AZURE_STORAGE_CONNECTION_STRING: CONNECTION }).name).toBe('azure-queue:kelpie-jobs');
  });

  it('names the missing setting', () => {
    expect(() => createAzureJobQueue('kelpie-jobs', {})).toThrow(/AZURE_STORAGE_CONNECTION_STRING: KELPIE_JOB_QUEUE=azure needs/);
  });

  it.each([
    ['with no queue endpoint', `AccountName=kelpieacct;AccountKey=${ACCOUNT_KEY};Nonsense`],
    ['with a blob-only SAS', `BlobEndpoint=https://kelpieacct.blob.core.windows.net;SharedAccessSignature=sv=2024-11-04&sig=${ACCOUNT_KEY}`],
  ])('says a connection string %s is wrong without quoting it', (_name, connectionString) => {
    expect(() => createAzureJobQueue('kelpie-jobs', { AZURE_STORAGE_CONNECTION_STRING: connectionString })).toThrow(InvalidRequestError);
    expect(() => createAzureJobQueue('kelpie-jobs', { AZURE_STORAGE_CONNECTION_STRING: connectionString })).not.toThrow(ACCOUNT_KEY);
  });

  it('is what createJobQueue makes for KELPIE_JOB_QUEUE=azure', () => {
    const config = loadConfig({ KELPIE_STORE: 'memory', KELPIE_JOB_QUEUE: 'azure', KELPIE_JOB_QUEUE_NAME: 'kelpie-jobs' });

    expect(createJobQueue(azurePlatform, config, { AZURE_STORAGE_CONNECTION_STRING: CONNECTION })?.name).toBe('azure-queue:kelpie-jobs');
  });
});

describe('dequeueCountOf', () => {
  it.each([
    [{ dequeueCount: 3 }, 3],
    [{ dequeueCount: '5' }, 5],
    [{}, 1],
    [undefined, 1],
    [{ dequeueCount: 0 }, 1],
    [{ dequeueCount: 'often' }, 1],
  ])('reads %j as delivery %i', (triggerMetadata, expected) => {
    expect(dequeueCountOf({ triggerMetadata })).toBe(expected);
  });
});

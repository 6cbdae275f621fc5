// Monitored sites on Azure, end to end on Azurite's blob and queue services and the STAC fixture
// server: the `monitorSites` timer function puts one storage-queue message per new scene (and one
// to continue the backfill); the `analyzeJob` queue trigger, fed every real message as the
// Functions host would (base64, then JSON), continues the backfill and analyses each scene; every
// observation lands in the site's series in the blob container.
import { InvocationContext, type Timer, app } from '@azure/functions';
import { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AzureBlobStore } from '../../adapters/azure/azure-blob-store.js';
import { createAzureContainerClient } from '../../adapters/azure/azure-client.js';
import { parseNewSite } from '../../core/sites/site-input.js';
import { newSiteId } from '../../core/sites/site.js';
import { readSiteSeries } from '../../core/sites/site-series.js';
import { writeSite } from '../../core/sites/site-store.js';
import { type AzuriteServer, startAzurite } from '../helpers/azurite.js';
import { type AzuriteQueueServer, developmentConnectionString, startAzuriteQueue } from '../helpers/azurite-queue.js';
import { loadEvent } from '../helpers/events.js';
import { DECLINE_SCENES, declineItems, declineSceneDirs, declineSitePolygon } from '../helpers/site-fixtures.js';
import { type StacServer, startStacServer } from '../helpers/stac-server.js';

const CONTAINER = 'imagery';
const QUEUE = 'kelpie-site-jobs';
const SINCE = '2023-01-01';

type TimerHandler = (timer: Timer, context: InvocationContext) => Promise<void>;
type QueueHandler = (message: unknown, context: InvocationContext) => Promise<void>;

let azurite: AzuriteServer;
let queues: AzuriteQueueServer;
let stac: StacServer;
let store: AzureBlobStore;
let queue: QueueClient;
let monitorSites: TimerHandler;
let analyzeJob: QueueHandler;

const context = (functionName: string, triggerMetadata?: Record<string, unknown>) =>
  new InvocationContext({ invocationId: `inv-${Math.random().toString(36).slice(2, 8)}`, functionName, logHandler: () => {}, ...(triggerMetadata ? { triggerMetadata } : {}) });

/** Every message now on the queue, received (hidden a minute) and decoded as the host decodes it. */
async function receiveAll(): Promise<Array<{ message: Record<string, unknown>; metadata: Record<string, unknown> }>> {
  const received = [];
  for (;;) {
    const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 60 });
    if (receivedMessageItems.length === 0) return received;
    for (const item of receivedMessageItems) {
      const text = Buffer.from(item.messageText, 'base64').toString('utf8');
      const message = JSON.parse(text) as Record<string, unknown>;
      received.push({ message, metadata: { id: item.messageId, popReceipt: item.popReceipt, dequeueCount: item.dequeueCount, queueTrigger: text, ...message } });
      await queue.deleteMessage(item.messageId, item.popReceipt);
    }
  }
}

beforeAll(async () => {
  [azurite, queues, stac] = await Promise.all([
    startAzurite(),
    startAzuriteQueue(),
    declineSceneDirs().then((files) => startStacServer({ earthSearch: declineItems, planetaryComputer: () => [], files, pageSize: 10 })),
  ]);
  const connectionString = developmentConnectionString({ blobEndpoint: azurite.blobEndpoint, queueEndpoint: queues.queueEndpoint });
  const container = createAzureContainerClient({ connectionString, container: CONTAINER });
  await container.create();
  store = new AzureBlobStore({ client: container });
  queue = new QueueClient(connectionString, QUEUE);
  await queue.create();
  vi.spyOn(console, 'warn').mockImplementation(() => {}); // "test mode": no Functions host here
  vi.spyOn(app, 'timer').mockImplementation(() => {});
  vi.resetModules();
  const env = {
    KELPIE_STORE: 'azure',
    KELPIE_BUCKET: CONTAINER,
    AZURE_STORAGE_CONNECTION_STRING: connectionString,
    KELPIE_JOB_QUEUE: 'azure',
    KELPIE_JOB_QUEUE_NAME: QUEUE,
    KELPIE_STAC_URL: stac.earthSearchUrl,
    KELPIE_OUTBOUND_HOSTS: '127.0.0.1',
    KELPIE_ENV: 'test',
    KELPIE_LOG_LEVEL: 'error',
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  monitorSites = ((await import('../../functions/monitor-sites.azure.js')) as { monitorSites: TimerHandler }).monitorSites;
  analyzeJob = ((await import('../../functions/analyze-job.azure.js')) as { analyzeJob: QueueHandler }).analyzeJob;
}, 180_000);
afterAll(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await Promise.all([azurite?.dispose(), queues?.dispose(), stac?.close()]);
});

describe('monitorSites on Azure (timer → storage queue → queue trigger), on Azurite', () => {
  it('queues one message per new scene, and the queue trigger records every observation', async () => {
    const site = parseNewSite({ name: 'Declining bed', aoi: declineSitePolygon(), since: SINCE }, newSiteId(Date.now()), { nowMs: Date.now(), outboundHosts: [] });
    await writeSite(store, site);
    await monitorSites(loadEvent<Timer>('azure/timer-backup.json'), context('monitorSites'));
    const first = await receiveAll();
    const expected = DECLINE_SCENES.filter((s) => s.datetime >= SINCE).map((s) => s.id).sort();
    expect(first.filter((m) => m.message.kind === 'site').map((m) => (m.message.item as { id: string }).id).sort()).toEqual(expected);
    expect(first.filter((m) => m.message.kind === 'site-check').map((m) => m.message)).toEqual([{ v: 1, kind: 'site-check', siteId: site.id }]);

    // The worker: every message, then what it queued, until the queue is empty.
    for (let batch = first; batch.length; batch = await receiveAll()) {
      for (const { message, metadata } of batch) await analyzeJob(message, context('analyzeJob', metadata));
    }
    const { series, trend } = await readSiteSeries(store, site, Date.now());
    expect(series.observations.map((o) => o.sceneId).sort()).toEqual(expected);
    expect(series.counts).toMatchObject({ observations: expected.length, flagged: 1 });
    expect(trend.quarters).toBe(4);

    // The next run the same day: nothing new on the queue.
    await monitorSites(loadEvent<Timer>('azure/timer-backup.json'), context('monitorSites'));
    expect((await receiveAll()).filter((m) => m.message.kind === 'site')).toEqual([]);
  }, 300_000);
});

// Monitored sites on Google Cloud, over HTTP: the `monitorSites` and `analyzeJob` functions served
// by the Functions Framework's own server, publishing to the Pub/Sub REST TEST DOUBLE and storing
// in the Cloud Storage TEST DOUBLE (as test/integration/jobs-gcp.test.ts; the emulators need Java
// and gcloud), with the STAC fixture server as the catalog. Cloud Scheduler's message starts a
// run; every published job is pushed to `analyzeJob` as Eventarc pushes it.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GcsBlobStore } from '../../adapters/gcp/gcs-blob-store.js';
import { createGcsBucket } from '../../adapters/gcp/gcs-client.js';
import { parseNewSite } from '../../core/sites/site-input.js';
import { newSiteId } from '../../core/sites/site.js';
import { readSiteSeries } from '../../core/sites/site-series.js';
import { writeSite } from '../../core/sites/site-store.js';
import { loadEvent } from '../helpers/events.js';
import { type GcsDouble, startGcsDouble } from '../helpers/gcs-double.js';
import { captureLogLines } from '../helpers/log-lines.js';
import { type PubSubDouble, messagePublishedRequest, startPubSubDouble } from '../helpers/pubsub-double.js';
import { DECLINE_SCENES, declineItems, declineSceneDirs, declineSitePolygon } from '../helpers/site-fixtures.js';
import { type StacServer, startStacServer } from '../helpers/stac-server.js';

const BUCKET = 'kelpie-imagery';
const TOPIC = 'projects/kelpie-test/topics/kelpie-jobs';
const SINCE = '2023-01-01';

let gcs: GcsDouble;
let pubsub: PubSubDouble;
let stac: StacServer;
let store: GcsBlobStore;
const servers: Server[] = [];
let monitorBase: string;
let jobBase: string;

async function serve(target: string): Promise<string> {
  const server = getTestServer(target);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The scheduler's Pub/Sub message to `monitorSites`, as a structured CloudEvent. */
const tick = () => fetch(monitorBase, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json' }, body: JSON.stringify(loadEvent('gcp/pubsub-scheduler-backup.json')) });
const decoded = (index: number) => JSON.parse(Buffer.from(pubsub.published(TOPIC)[index].data, 'base64').toString('utf8')) as { kind: string; item?: { id: string } };

beforeAll(async () => {
  [gcs, pubsub, stac] = await Promise.all([
    startGcsDouble(),
    startPubSubDouble(),
    declineSceneDirs().then((files) => startStacServer({ earthSearch: declineItems, planetaryComputer: () => [], files, pageSize: 10 })),
  ]);
  gcs.createBucket(BUCKET);
  pubsub.createTopic(TOPIC);
  store = new GcsBlobStore({ bucket: createGcsBucket({ bucket: BUCKET, apiEndpoint: gcs.endpoint }) });
  vi.resetModules();
  const env = {
    KELPIE_STORE: 'gcs',
    KELPIE_BUCKET: BUCKET,
    KELPIE_GCS_ENDPOINT: gcs.endpoint,
    KELPIE_JOB_QUEUE: 'pubsub',
    KELPIE_JOB_TOPIC: TOPIC,
    PUBSUB_EMULATOR_HOST: pubsub.host,
    KELPIE_STAC_URL: stac.earthSearchUrl,
    KELPIE_OUTBOUND_HOSTS: '127.0.0.1',
    KELPIE_ENV: 'test',
    KELPIE_LOG_LEVEL: 'error',
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  await import('../../functions/monitor-sites.gcp.js');
  await import('../../functions/analyze-job.gcp.js');
  [monitorBase, jobBase] = await Promise.all([serve('monitorSites'), serve('analyzeJob')]);
}, 180_000);
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await Promise.all([gcs?.close(), pubsub?.close(), stac?.close()]);
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('monitorSites on Google Cloud (Cloud Scheduler → Pub/Sub → functions), on the doubles', () => {
  it('publishes one job per new scene, and analyzeJob records every observation', async () => {
    const logs = captureLogLines();
    try {
      const site = parseNewSite({ name: 'Declining bed', aoi: declineSitePolygon(), since: SINCE }, newSiteId(Date.now()), { nowMs: Date.now(), outboundHosts: [] });
      await writeSite(store, site);
      expect((await tick()).status).toBe(204);
      const expected = DECLINE_SCENES.filter((s) => s.datetime >= SINCE).map((s) => s.id).sort();
      const first = pubsub.published(TOPIC).map((_, i) => decoded(i));
      expect(first.filter((m) => m.kind === 'site').map((m) => m.item?.id).sort()).toEqual(expected);
      expect(first.filter((m) => m.kind === 'site-check')).toHaveLength(1);

      // Eventarc pushes every published message, and what the worker publishes in turn.
      for (let pushed = 0; pushed < pubsub.published(TOPIC).length; pushed++) {
        const { headers, body } = messagePublishedRequest(TOPIC, pubsub.published(TOPIC)[pushed]);
        expect((await fetch(jobBase, { method: 'POST', headers, body })).status).toBe(204);
      }
      const { series } = await readSiteSeries(store, site, Date.now());
      expect(series.observations.map((o) => o.sceneId).sort()).toEqual(expected);

      const before = pubsub.published(TOPIC).length;
      expect((await tick()).status).toBe(204);
      expect(pubsub.published(TOPIC).slice(before).map((m) => JSON.parse(Buffer.from(m.data, 'base64').toString('utf8')).kind)).not.toContain('site');
    } finally {
      logs.restore();
    }
    expect(gcs.unhandled).toEqual([]);
    expect(pubsub.unhandled).toEqual([]);
  }, 300_000);
});

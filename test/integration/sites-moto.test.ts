/**
 * Monitored sites on AWS, against a real moto_server (S3 and SQS) and the STAC fixture server:
 * the scheduled `monitorSites` run by `serverless invoke local` (the bundle serverless.yml
 * deploys, composed from the environment) puts one SQS message per new scene; the job worker
 * (functions/analyze-job.aws.ts, in process, fed the real messages as Lambda's event source
 * mapping would) continues the site's backfill and analyses every scene, twenty-odd of them at
 * once; every observation lands in the series; a second run the same day puts nothing on SQS.
 */
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import type { SQSBatchResponse } from 'aws-lambda';
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../adapters/aws/s3-blob-store.js';
import { parseNewSite } from '../../core/sites/site-input.js';
import { SITE_KEYS, newSiteId } from '../../core/sites/site.js';
import { readSiteSeries } from '../../core/sites/site-series.js';
import { listAll, writeSite } from '../../core/sites/site-store.js';
import { fakeLambdaContext } from '../helpers/lambda-context.js';
import { type MotoQueue, type MotoSqs, type ReceivedMessage, motoSqs, toLambdaSqsEvent } from '../helpers/moto-sqs.js';
import { type MotoServer, startMoto } from '../helpers/moto.js';
import { REPO_ROOT, SERVERLESS_BIN, serverlessTestEnv } from '../helpers/serverless.js';
import { DECLINE_SCENES, declineItems, declineSceneDirs, declineSitePolygon } from '../helpers/site-fixtures.js';
import { type StacServer, startStacServer } from '../helpers/stac-server.js';

const run = promisify(execFile);
const BUCKET = `kelpie-sites-${process.pid}`;
/** The site's first day: its first check searches four 92-day windows (to 2022-07-04); 23 scenes in all. */
const SINCE = '2021-07-01';

let moto: MotoServer;
let sqs: MotoSqs;
let queue: MotoQueue;
let stac: StacServer;
let store: S3BlobStore;
let worker: (messages: ReceivedMessage[]) => Promise<SQSBatchResponse>;
let env: Record<string, string>;

beforeAll(async () => {
  moto = await startMoto();
  sqs = motoSqs(moto.endpoint);
  await moto.s3().send(new CreateBucketCommand({ Bucket: BUCKET }));
  store = new S3BlobStore({ client: moto.s3(), bucket: BUCKET });
  queue = await sqs.createQueue(`kelpie-site-jobs-${process.pid}`);
  stac = await startStacServer({ earthSearch: declineItems, planetaryComputer: () => [], files: await declineSceneDirs(), pageSize: 10 });
  env = {
    KELPIE_STORE: 's3',
    KELPIE_BUCKET: BUCKET,
    ...moto.env,
    KELPIE_JOB_QUEUE: 'sqs',
    KELPIE_JOB_QUEUE_URL: queue.url,
    KELPIE_STAC_URL: stac.earthSearchUrl,
    KELPIE_OUTBOUND_HOSTS: '127.0.0.1',
    KELPIE_JOB_MAX_ATTEMPTS: '3',
    KELPIE_PROGRESS_INTERVAL_MS: '0',
    KELPIE_LOG_LEVEL: 'error',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  Object.assign(process.env, env);
  const job = (await import('../../functions/analyze-job.aws.js')).handler;
  worker = (messages) => job(toLambdaSqsEvent(messages, queue.arn), fakeLambdaContext({ remainingMs: 900_000 }));
}, 180_000);

afterAll(async () => {
  await moto?.stop();
  await stac?.close();
  await rm(path.join(REPO_ROOT, `.esbuild/test-sites-moto-${process.pid}`), { recursive: true, force: true });
});

/** `sls invoke local --stage local -f monitorSites` with the EventBridge payload, on moto. */
const invokeMonitor = () =>
  run(process.execPath, [SERVERLESS_BIN, 'invoke', 'local', '--stage', 'local', '-f', 'monitorSites', '-p', 'events/aws/eventbridge-scheduled.json'], {
    cwd: REPO_ROOT,
    env: serverlessTestEnv('sites-moto', { ...env, KELPIE_LOG_LEVEL: 'info' }),
    timeout: 150_000,
    maxBuffer: 16 * 1024 * 1024,
  });

const bodyOf = (message: ReceivedMessage) => JSON.parse(message.Body) as { kind: string; siteId: string; item?: { id: string } };
const inRange = (from: string, to: string) => DECLINE_SCENES.filter((s) => s.datetime >= from && s.datetime < to).map((s) => s.id).sort();

describe('monitorSites on AWS (EventBridge → Lambda → SQS → Lambda), on moto', () => {
  let siteId: string;

  it('puts one SQS message per new scene of the first year searched, and one to continue the backfill', async () => {
    const site = parseNewSite({ name: 'Declining bed', aoi: declineSitePolygon(), since: SINCE }, newSiteId(Date.now()), { nowMs: Date.now(), outboundHosts: [] });
    siteId = site.id;
    await writeSite(store, site);

    const { stdout } = await invokeMonitor();
    expect(stdout).toContain('"message":"sites monitored"');
    const messages = await sqs.receive(queue, 20, { timeoutMs: 5_000 });
    const scenes = messages.map(bodyOf).filter((b) => b.kind === 'site');
    expect(scenes.map((b) => b.item?.id).sort()).toEqual(inRange(SINCE, '2022-07-05'));
    expect(messages.map(bodyOf).filter((b) => b.kind === 'site-check')).toEqual([{ v: 1, kind: 'site-check', siteId }]);
    // Nothing runs them yet: they go back on the queue.
    await Promise.all(messages.map((m) => sqs.changeVisibility(queue, m, 0)));
  }, 200_000);

  it('runs the backfill on the worker and all the scenes at once; every observation lands in the series', async () => {
    const sceneMessages: ReceivedMessage[] = [];
    for (let round = 0; round < 10; round++) {
      const messages = await sqs.receive(queue, 40, { timeoutMs: 3_000 });
      const checks = messages.filter((m) => bodyOf(m).kind === 'site-check');
      sceneMessages.push(...messages.filter((m) => bodyOf(m).kind === 'site'));
      if (checks.length === 0) break;
      expect(await worker(checks)).toEqual({ batchItemFailures: [] });
      await sqs.deleteMessages(queue, checks);
    }
    const expected = inRange(SINCE, '2099-01-01');
    expect(sceneMessages.map((m) => bodyOf(m).item?.id).sort()).toEqual(expected);
    expect(expected.length).toBeGreaterThanOrEqual(20);

    const outcomes = await Promise.all(sceneMessages.map((message) => worker([message])));
    expect(outcomes.every((o) => o.batchItemFailures.length === 0)).toBe(true);
    await sqs.deleteMessages(queue, sceneMessages);

    const observed = await listAll(store, SITE_KEYS.obsPrefix(siteId));
    expect(observed).toHaveLength(expected.length);
    const site = JSON.parse(new TextDecoder().decode(await store.get(SITE_KEYS.site(siteId))));
    const { series, trend } = await readSiteSeries(store, site, Date.now());
    expect(series.observations.map((o) => o.sceneId).sort()).toEqual(expected);
    expect(series.quarters.map((q) => q.quarter)).toEqual([...new Set(DECLINE_SCENES.filter((s) => s.datetime >= SINCE).map((s) => s.quarter))]);
    expect(trend.trend?.direction).toBe('decline');
  }, 400_000);

  it('a second run the same day puts nothing on the queue', async () => {
    const { stdout } = await invokeMonitor();
    expect(stdout).toContain('"message":"sites monitored"');
    expect(stdout).toMatch(/"queued":0/);
    expect(await sqs.receive(queue, 1, { timeoutMs: 3_000 })).toEqual([]);
  }, 200_000);
});

// 20 identical POST /api/analyses at once, against the real stores whose conditional writes
// decide who runs the analysis: the file store, and S3 on moto_server.
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../adapters/aws/s3-blob-store.js';
import { FsBlobStore } from '../../adapters/fs/fs-blob-store.js';
import { nodeDeflate } from '../../adapters/shared/node-compress.js';
import { createApiMetrics } from '../../core/api/prometheus.js';
import type { ApiHandler, ApiRequest } from '../../core/api/types.js';
import type { BlobStore } from '../../core/ports/blob-store.js';
import { type MotoServer, startMoto } from '../helpers/moto.js';
import { createSmallApi } from '../helpers/small-api.js';

const KEY = 'uploads/coastal-sample.tif';
const SAMPLE = new URL('../../samples/coastal-sample.tif', import.meta.url);
const REQUESTS = 20;
const INSTANCES = 4;

/** Counts the writes of each key, across every API instance over the store. */
function countingPuts(store: BlobStore): { store: BlobStore; puts: Map<string, number> } {
  const puts = new Map<string, number>();
  const counting: BlobStore = Object.create(store);
  counting.put = (key, body, options) => {
    puts.set(key, (puts.get(key) ?? 0) + 1);
    return store.put(key, body, options);
  };
  return { store: counting, puts };
}

async function twentyAtOnce(raw: BlobStore, imageStoreName: string) {
  await raw.put(KEY, new Uint8Array(await readFile(SAMPLE)));
  const { store, puts } = countingPuts(raw);
  const metrics = createApiMetrics();
  // Several API instances over the one store, as Lambda instances or servers would be.
  const apis: ApiHandler[] = Array.from({ length: INSTANCES }, () =>
    createSmallApi({ imageStore: store, resultStore: store, imageStoreName, metrics, renderMetrics: () => metrics.render(), compress: nodeDeflate() }).api,
  );
  const request = (i: number): ApiRequest => ({
    method: 'POST',
    path: '/api/analyses',
    query: {},
    headers: { 'content-type': 'application/json' },
    body: new TextEncoder().encode(JSON.stringify({ source: { key: KEY } })),
    requestId: `request-${i}`,
  });
  const answers = await Promise.all(Array.from({ length: REQUESTS }, (_, i) => apis[i % INSTANCES](request(i))));
  const bodies = answers.map((answer) => String(answer.body));
  const id = JSON.parse(bodies[0]).id as string;
  return { answers, bodies, id, puts, metrics, index: (await raw.list('index/')).items };
}

describe('20 concurrent identical POSTs', () => {
  let moto: MotoServer;
  let root: string;
  beforeAll(async () => {
    moto = await startMoto();
    root = await mkdtemp(path.join(tmpdir(), 'kelpie-flight-'));
  });
  afterAll(async () => {
    await moto?.stop();
    await rm(root, { recursive: true, force: true });
  });

  const cases: Array<[string, () => Promise<{ store: BlobStore; name: string }>]> = [
    ['on the file store', async () => ({ store: new FsBlobStore({ root }), name: `file://${root}` })],
    [
      'on S3 (moto)',
      async () => {
        const client = moto.s3();
        await client.send(new CreateBucketCommand({ Bucket: 'flight' }));
        return { store: new S3BlobStore({ client, bucket: 'flight' }), name: 's3://flight' };
      },
    ],
  ];

  it.each(cases)('run one analysis %s: one index entry, every answer the same result', async (_name, make) => {
    const { store, name } = await make();
    const { answers, bodies, id, puts, metrics, index } = await twentyAtOnce(store, name);

    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(REQUESTS - 1);
    expect(new Set(bodies).size).toBe(1);
    expect(puts.get(`results/${id}/kelp-mask.tif`)).toBe(1);
    expect(puts.get(`results/${id}/result.json`)).toBe(1);
    expect(metrics.render()).toMatch(/kelpie_analyses_total\{outcome="succeeded"\} 1\n/);
    expect(index.map((item) => item.key)).toEqual([expect.stringMatching(new RegExp(`-${id}\\.json$`))]);
    expect(await store.head(`results/${id}/run.json`)).toBeUndefined();
  }, 120_000);
});

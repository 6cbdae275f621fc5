// `npm run bench:load`: the local HTTP servers under load, on loopback only and for a bounded time.
//
// - Servers: `npm start` (scripts/start-local.mjs: serverless offline, stage local, and the local
//   worker) and the Functions Framework serving the Google HTTP function (`npm run start:gcp`),
//   each on a free port with its own temporary filesystem store holding the seeded sample.
// - One analysis of the sample is made first, so there is a result to read. Then autocannon asks
//   for `/health`, a listing, `result.json` and an artifact (`overlay.png`) at concurrency 10 and
//   50, KELPIE_LOAD_SECONDS each (default 20).
// - Printed per run: requests/s, p50 and p99 latency, errors (connection errors, timeouts and
//   any answer but 200), and the server's peak resident memory and thread count (the sum over its
//   process group, sampled every 250 ms from /proc).
// - Must hold (issue 19): zero errors at concurrency 50 on both servers. The run exits 1 otherwise.
import autocannon from 'autocannon';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedLocal } from '../scripts/seed-local.mjs';
import { type Child, freePort, startChild, waitForHttp } from '../test/helpers/processes.js';
import { REPO_ROOT, serverlessTestEnv } from '../test/helpers/serverless.js';

const SECONDS = Number(process.env.KELPIE_LOAD_SECONDS ?? 20);
const CONCURRENCY = [10, 50];
const FRAMEWORK = join(REPO_ROOT, 'node_modules/@google-cloud/functions-framework/build/src/main.js');

interface Server {
  name: string;
  base: string;
  child: Child;
}

interface Row {
  server: string;
  path: string;
  connections: number;
  requestsPerS: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  peakRssMiB: number;
  peakThreads: number;
}

/** `npm start` on free ports over `dataDir`. */
async function startOffline(dataDir: string): Promise<Server> {
  const [http, lambda, websocket] = [await freePort(), await freePort(), await freePort()];
  const env = serverlessTestEnv('load', {
    KELPIE_DATA_DIR: dataDir,
    KELPIE_OFFLINE_HTTP_PORT: String(http),
    KELPIE_OFFLINE_LAMBDA_PORT: String(lambda),
    KELPIE_OFFLINE_WEBSOCKET_PORT: String(websocket),
    KELPIE_STAC_URL: '',
  });
  const child = await startChild(process.execPath, ['scripts/start-local.mjs'], { cwd: REPO_ROOT, env });
  return { name: 'npm start', base: `http://127.0.0.1:${http}`, child };
}

/** The Functions Framework serving functions/http-api.gcp.ts over `dataDir`. */
async function startFramework(dataDir: string): Promise<Server> {
  await seedLocal(dataDir);
  const port = await freePort();
  const env = { ...serverlessTestEnv('load'), KELPIE_STORE: 'fs', KELPIE_ENV: 'development', KELPIE_DATA_DIR: dataDir };
  const args = ['--import', 'tsx', FRAMEWORK, '--target=api', '--source=functions/http-api.gcp.ts', `--port=${port}`];
  const child = await startChild(process.execPath, args, { cwd: REPO_ROOT, env });
  return { name: 'functions framework', base: `http://127.0.0.1:${port}`, child };
}

/** Resident memory (MiB) and threads of every process in the group `pgid`, from /proc. */
async function groupUsage(pgid: number): Promise<{ rssMiB: number; threads: number }> {
  let rssKiB = 0;
  let threads = 0;
  for (const pid of await readdir('/proc').then((names) => names.filter((name) => /^\d+$/.test(name)))) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    // Fields after the command's closing parenthesis: state ppid pgrp …
    if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== pgid) continue;
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    rssKiB += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    threads += Number(/Threads:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
  return { rssMiB: rssKiB / 1024, threads };
}

/** One autocannon run against `path` with the server's peak usage sampled meanwhile. */
async function load(server: Server, path: string, connections: number): Promise<Row> {
  const peak = { rssMiB: 0, threads: 0 };
  const sampler = setInterval(() => {
    void groupUsage(server.child.process.pid as number).then((usage) => {
      peak.rssMiB = Math.max(peak.rssMiB, usage.rssMiB);
      peak.threads = Math.max(peak.threads, usage.threads);
    });
  }, 250);
  const result = await autocannon({ url: `${server.base}${path}`, connections, duration: SECONDS, timeout: 10 });
  clearInterval(sampler);
  const codes = Object.entries(result.statusCodeStats ?? {}) as [string, { count: number }][];
  const not200 = codes.reduce((sum, [code, stats]) => sum + (code === '200' ? 0 : stats.count), 0);
  return {
    server: server.name,
    path: path.replace(/[0-9a-f]{16,}/, '{id}'),
    connections,
    requestsPerS: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + not200,
    peakRssMiB: peak.rssMiB,
    peakThreads: peak.threads,
  };
}

/** Starts a server, makes the sample's analysis, loads each path at each concurrency, stops it. */
async function measure(start: (dataDir: string) => Promise<Server>): Promise<Row[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kelpie-load-'));
  const server = await start(dataDir);
  try {
    await waitForHttp(`${server.base}/health`, server.child, { timeoutMs: 120_000, accept: (status) => status === 200 });
    const created = await fetch(`${server.base}/api/analyses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source: { key: 'uploads/coastal-sample.tif' } }) });
    const { id } = (await created.json()) as { id: string };
    if (!created.ok) throw new Error(`the sample's analysis answered ${created.status} on ${server.name}`);
    const rows: Row[] = [];
    for (const path of ['/health', '/api/analyses', `/api/analyses/${id}`, `/api/analyses/${id}/overlay.png`]) {
      for (const connections of CONCURRENCY) rows.push(await load(server, path, connections));
    }
    return rows;
  } finally {
    await server.child.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const rows = [...(await measure(startOffline)), ...(await measure(startFramework))];
console.log(`\n${SECONDS} s per run, loopback\n`);
console.table(rows.map((row) => ({ ...row, requestsPerS: Math.round(row.requestsPerS), peakRssMiB: Math.round(row.peakRssMiB) })));
const failing = rows.filter((row) => row.connections === 50 && row.errors > 0);
if (failing.length > 0) {
  console.error(`errors at concurrency 50: ${failing.map((row) => `${row.server} ${row.path} (${row.errors})`).join(', ')}`);
  process.exit(1);
}

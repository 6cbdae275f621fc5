// `npm run bench:cold`: the cold start of every deployed function on every platform, beside a
// minimal handler of the same platform that creates the same SDK clients, measured in one run.
//
// - Builds what deploys: the Lambda bundles with `sls package` (serverless.yml's esbuild settings),
//   the Google Cloud and Azure bundles with scripts/build-functions.mjs; and the minimal handlers
//   (bench/cold-start/minimal-*.ts) with the same bundler settings as their platform.
// - Each measurement is a fresh `node` process (bench/cold-start/driver.mjs): load the bundle,
//   answer the first event (`GET /health` for HTTP; an object outside uploads/ for the upload
//   trigger; a message that is not a job for the worker; a real run for the backup and health
//   ping, against moto, the Cloud Storage double and Azurite started here), report the times.
//   Ours and the minimal handler alternate, RUNS times each; the table gives medians.
// - Must hold (issue 13): the AWS `api` bundle ≤ 1.5 MB, and its load + first /health ≤ 1.5 × the
//   minimal AWS handler's. The run exits 1 when either does not.
// Environment: KELPIE_BENCH_RUNS (default 7).
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { ContainerClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { FUNCTION_BUNDLE_OPTIONS } from '../scripts/build-functions.mjs';
import plugins from '../scripts/esbuild-plugins.cjs';
import { startAzurite } from '../test/helpers/azurite.js';
import { developmentConnectionString, startAzuriteQueue } from '../test/helpers/azurite-queue.js';
import { startGcsDouble } from '../test/helpers/gcs-double.js';
import { motoSqs } from '../test/helpers/moto-sqs.js';
import { startMoto } from '../test/helpers/moto.js';
import { SERVERLESS_BIN } from '../test/helpers/serverless.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, '.bench/cold');
const RUNS = Number(process.env.KELPIE_BENCH_RUNS ?? 7);
const DRIVER = join(ROOT, 'bench/cold-start/driver.mjs');
const BUCKET = 'kelpie-bench-imagery';
const MB = 1_000_000;

type Platform = 'aws' | 'gcp' | 'azure';
type Kind = 'http' | 'upload' | 'job' | 'schedule';

/** One deployed function: where its bundle is, what the driver calls, and its first event. */
interface Subject {
  platform: Platform;
  name: string;
  kind: Kind;
  bundle: string;
  /** Bytes loaded at start (the entry and the chunks it imports), and all the function's bytes. */
  startBytes: number;
  totalBytes: number;
  target: string;
  event: unknown;
}

// ---------------------------------------------------------------------------------------------
// Builds

async function buildAws(): Promise<Subject[]> {
  const work = '.bench/cold/esbuild';
  await rm(join(ROOT, work), { recursive: true, force: true });
  const env = { ...process.env, KELPIE_ESBUILD_DIR: work, KELPIE_KEEP_ESBUILD_OUTPUT: 'true', SLS_TELEMETRY_DISABLED: '1' };
  await run(process.execPath, [SERVERLESS_BIN, 'package', '--stage', 'dev', '--package', join(OUT, 'aws-package')], { cwd: ROOT, env, timeout: 300_000 });
  const dir = join(ROOT, work, '.build/functions/aws');
  const s3Event = await loadEvent('aws/s3-put-space.json');
  s3Event.Records[0].s3.object.key = 'results/0123456789abcdef0123/result.json';
  const scheduled = await loadEvent('aws/eventbridge-scheduled.json');
  const functions: Array<[string, string, Kind, unknown]> = [
    ['api', 'http-api', 'http', await loadEvent('aws/http-v2-get-health.json')],
    ['analyzeUpload', 'upload-analyze', 'upload', s3Event],
    ['analyzeJob', 'analyze-job', 'job', { Records: [{ ...(await loadEvent('aws/sqs-analysis-job.json')).Records[0], body: 'not a job' }] }],
    ['backup', 'backup', 'schedule', scheduled],
    ['healthPing', 'health-ping', 'schedule', scheduled],
  ];
  return Promise.all(
    functions.map(async ([name, file, kind, event]) => {
      // The metafile gives the files and which load at start; the sizes are the files' on disk (minified).
      const metafile = JSON.parse(await readFile(join(dir, `${file}-meta.json`), 'utf8'));
      const sizes = Object.fromEntries(await Promise.all(Object.keys(metafile.outputs).filter((out) => !out.endsWith('.map')).map(async (out) => [out, (await stat(join(ROOT, out))).size])));
      for (const out of Object.keys(sizes)) metafile.outputs[out].bytes = sizes[out];
      const entry = Object.keys(sizes).find((out) => out.endsWith(`/${file}.cjs`)) as string;
      return { platform: 'aws' as const, name, kind, bundle: join(dir, `${file}.cjs`), ...outputBytes(metafile, entry), target: 'handler', event };
    }),
  );
}

/** Bytes of `entry` and the outputs it imports statically (loaded at start) and dynamically too (all of it). */
function outputBytes(metafile: { outputs: Record<string, { bytes: number; imports: Array<{ path: string; kind: string; external?: boolean }> }> }, entry: string) {
  const closure = (kinds: string[]) => {
    const seen = new Set([entry]);
    for (const file of seen) for (const i of metafile.outputs[file]?.imports ?? []) if (!i.external && kinds.includes(i.kind)) seen.add(i.path);
    return [...seen].reduce((sum, file) => sum + (metafile.outputs[file]?.bytes ?? 0), 0);
  };
  return { startBytes: closure(['import-statement']), totalBytes: closure(['import-statement', 'dynamic-import']) };
}

async function buildGcpAndAzure(): Promise<Subject[]> {
  await run(process.execPath, ['scripts/build-functions.mjs'], { cwd: ROOT, timeout: 300_000 });
  const gcpMeta = JSON.parse(await readFile(join(ROOT, 'dist/gcp/meta.json'), 'utf8'));
  const azureMeta = JSON.parse(await readFile(join(ROOT, 'dist/azure/meta.json'), 'utf8')).app;
  const finalized = { ...(await loadEvent('gcp/storage-finalized-result.json')), data: { bucket: BUCKET, name: 'results/0123456789abcdef0123/result.json' } };
  const pubsub = await loadEvent('gcp/pubsub-scheduler-backup.json');
  const notAJob = { ...pubsub, data: { ...pubsub.data, message: { ...pubsub.data.message, data: Buffer.from('not a job').toString('base64') } } };
  const gcp: Array<[string, Kind, unknown]> = [
    ['api', 'http', { path: '/health' }],
    ['analyzeUpload', 'upload', finalized],
    ['analyzeJob', 'job', notAJob],
    ['backup', 'schedule', pubsub],
    ['healthPing', 'schedule', pubsub],
  ];
  const timer = await loadEvent('azure/timer-backup.json');
  const gridEvent = await loadEvent('azure/eventgrid-blob-created.json');
  const azure: Array<[string, string, string, Kind, unknown]> = [
    ['api', 'http-api', 'handler', 'http', { path: '/health' }],
    ['analyzeUploadEventGrid', 'upload-analyze', 'analyzeUploadEventGrid', 'upload', { input: { ...gridEvent, data: { ...gridEvent.data, url: `${gridEvent.data.url.split('/uploads/')[0]}/results/0123456789abcdef0123/result.json` } } }],
    ['analyzeJob', 'analyze-job', 'analyzeJob', 'job', { input: 'not a job' }],
    ['backup', 'backup', 'backup', 'schedule', { input: timer }],
    ['healthPing', 'health-ping', 'healthPing', 'schedule', { input: timer }],
  ];
  return [
    ...gcp.map(([name, kind, event]) => ({ platform: 'gcp' as const, name, kind, bundle: join(ROOT, `dist/gcp/${name}/index.mjs`), ...outputBytes(gcpMeta[name], `dist/gcp/${name}/index.mjs`), target: name, event })),
    ...azure.map(([name, file, target, kind, event]) => ({ platform: 'azure' as const, name, kind, bundle: join(ROOT, `dist/azure/functions/${file}.mjs`), ...outputBytes(azureMeta, `dist/azure/functions/${file}.mjs`), target, event })),
  ];
}

/** A payload of events/, to change into a first event. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- payloads of several shapes, edited field by field
async function loadEvent(name: string): Promise<any> {
  return JSON.parse(await readFile(join(ROOT, 'events', name), 'utf8'));
}

/** The minimal handlers, bundled as their platform's functions are. */
async function buildMinimal(): Promise<Record<Platform, { bundle: string; bytes: number }>> {
  const define = { __KELPIE_VERSION__: '"bench"' };
  // serverless.yml's custom.esbuild, for the Lambda reference.
  await build({ entryPoints: ['bench/cold-start/minimal-aws.ts'], outfile: join(OUT, 'minimal/aws.cjs'), bundle: true, minify: true, keepNames: true, platform: 'node', target: 'node22', format: 'cjs', external: ['@aws-sdk/*'], plugins, define, logLevel: 'warning' });
  await build({ ...FUNCTION_BUNDLE_OPTIONS, entryPoints: { gcp: 'bench/cold-start/minimal-gcp.ts' }, outdir: join(OUT, 'minimal'), external: ['@google-cloud/functions-framework'], splitting: false, metafile: false });
  await build({ ...FUNCTION_BUNDLE_OPTIONS, entryPoints: { azure: 'bench/cold-start/minimal-azure.ts' }, outdir: join(OUT, 'minimal'), external: ['@azure/functions'], splitting: false, metafile: false });
  const entry = async (file: string) => ({ bundle: join(OUT, 'minimal', file), bytes: (await stat(join(OUT, 'minimal', file))).size });
  return { aws: await entry('aws.cjs'), gcp: await entry('gcp.mjs'), azure: await entry('azure.mjs') };
}

// ---------------------------------------------------------------------------------------------
// Measurement

interface Sample {
  loadMs: number;
  firstMs: number;
  cpuMs: number;
}

async function measure(platform: Platform, bundle: string, target: string, eventFile: string, kind: Kind, env: NodeJS.ProcessEnv): Promise<Sample> {
  const { stdout } = await run(process.execPath, ['--no-warnings', DRIVER, platform, bundle, target, eventFile, kind], { cwd: ROOT, env, timeout: 120_000, maxBuffer: 16 * MB });
  const line = stdout.split('\n').reverse().find((text) => text.startsWith('BENCH '));
  if (!line) throw new Error(`no measurement from ${bundle} ${target}:\n${stdout.slice(-2000)}`);
  return JSON.parse(line.slice('BENCH '.length)) as Sample;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
};

// ---------------------------------------------------------------------------------------------
// Main

await rm(OUT, { recursive: true, force: true });
await mkdir(join(OUT, 'events'), { recursive: true });
process.stderr.write('bench:cold: building the Lambda bundles (sls package), the Google Cloud and Azure bundles, and the minimal handlers…\n');
const [aws, others, minimal] = await Promise.all([buildAws(), buildGcpAndAzure(), buildMinimal()]);
const subjects = [...aws, ...others];

process.stderr.write('bench:cold: starting moto, the Cloud Storage double and Azurite for the first events that reach a store…\n');
const moto = await startMoto();
const gcs = await startGcsDouble();
const azurite = await startAzurite();
const azuriteQueue = await startAzuriteQueue();
try {
  await moto.s3().send(new CreateBucketCommand({ Bucket: BUCKET }));
  const jobQueue = await motoSqs(moto.endpoint).createQueue('kelpie-bench-jobs');
  gcs.createBucket(BUCKET);
  const azureConnection = developmentConnectionString({ blobEndpoint: azurite.blobEndpoint, queueEndpoint: azuriteQueue.queueEndpoint });
  await new ContainerClient(azureConnection, BUCKET).create();
  await new QueueClient(azureConnection, 'kelpie-bench-jobs').create();

  // Deployed settings (production, API keys, the cloud store and queue), pointed at the local servers.
  const common = { PATH: process.env.PATH, HOME: process.env.HOME, KELPIE_ENV: 'production', KELPIE_API_KEYS: 'bench-key-0123456789abcdef', KELPIE_LOG_LEVEL: 'info', KELPIE_BUCKET: BUCKET };
  const ENV: Record<Platform, NodeJS.ProcessEnv> = {
    aws: {
      ...common,
      KELPIE_STORE: 's3',
      ...moto.env,
      KELPIE_JOB_QUEUE: 'sqs',
      KELPIE_JOB_QUEUE_URL: jobQueue.url,
      AWS_LAMBDA_FUNCTION_NAME: 'kelpie-carbon-bench',
    },
    gcp: { ...common, KELPIE_STORE: 'gcs', KELPIE_GCS_ENDPOINT: gcs.endpoint, KELPIE_JOB_QUEUE: 'pubsub', KELPIE_JOB_TOPIC: 'projects/kelpie-bench/topics/kelpie-jobs' },
    azure: { ...common, KELPIE_STORE: 'azure', AZURE_STORAGE_CONNECTION_STRING: azureConnection, KELPIE_JOB_QUEUE: 'azure', KELPIE_JOB_QUEUE_NAME: 'kelpie-bench-jobs' },
  };

  const rows: Array<Record<string, string>> = [];
  let failed = false;
  for (const subject of subjects) {
    const eventFile = join(OUT, 'events', `${subject.platform}-${subject.name}.json`);
    await writeFile(eventFile, JSON.stringify(subject.event));
    const ours: Sample[] = [];
    const reference: Sample[] = [];
    const minimalTarget = subject.platform === 'azure' ? (subject.kind === 'http' ? 'handler' : subject.target) : subject.platform === 'aws' ? 'handler' : subject.target;
    for (let i = 0; i < RUNS; i++) {
      ours.push(await measure(subject.platform, subject.bundle, subject.target, eventFile, subject.kind, ENV[subject.platform]));
      reference.push(await measure(subject.platform, minimal[subject.platform].bundle, minimalTarget, eventFile, subject.kind, ENV[subject.platform]));
    }
    const oursMs = median(ours.map((s) => s.loadMs + s.firstMs));
    const refMs = median(reference.map((s) => s.loadMs + s.firstMs));
    const ratio = oursMs / refMs;
    const row = {
      platform: subject.platform,
      function: subject.name,
      'bundle KB (at start / all)': `${(subject.startBytes / 1000).toFixed(0)} / ${(subject.totalBytes / 1000).toFixed(0)}`,
      'load ms': median(ours.map((s) => s.loadMs)).toFixed(0),
      'first event ms': median(ours.map((s) => s.firstMs)).toFixed(0),
      'load+first ms': oursMs.toFixed(0),
      'cpu ms': median(ours.map((s) => s.cpuMs)).toFixed(0),
      'minimal ms (KB)': `${refMs.toFixed(0)} (${(minimal[subject.platform].bytes / 1000).toFixed(0)})`,
      'minimal cpu ms': median(reference.map((s) => s.cpuMs)).toFixed(0),
      ratio: ratio.toFixed(2),
    };
    rows.push(row);
    process.stderr.write(`${Object.values(row).join('  ')}\n`);
    if (subject.platform === 'aws' && subject.name === 'api') {
      const sizeOk = subject.totalBytes <= 1.5 * MB;
      const timeOk = ratio <= 1.5;
      failed ||= !sizeOk || !timeOk;
      process.stderr.write(`  must hold: bundle ${(subject.totalBytes / MB).toFixed(2)} MB ≤ 1.5 MB ${sizeOk ? 'yes' : 'NO'}; load + first /health ${ratio.toFixed(2)} × the minimal handler ≤ 1.5 ${timeOk ? 'yes' : 'NO'}\n`);
    }
  }
  console.table(rows);
  console.log(`medians of ${RUNS} fresh processes each, ours and the minimal handler alternating; node ${process.version}`);
  if (failed) process.exitCode = 1;
} finally {
  await Promise.allSettled([moto.stop(), gcs.close(), azurite.dispose(), azuriteQueue.dispose()]);
}

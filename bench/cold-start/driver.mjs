// One cold start, in a fresh process: loads a function bundle and answers its first event, then
// prints `BENCH {"loadMs","firstMs","cpuMs"}` on the last line. Run by bench/cold-start.ts, never
// by hand: plain JavaScript, so nothing but the bundle is compiled while it is timed.
//   node driver.mjs <aws|gcp|azure> <bundle file> <function name or export> <event JSON file> <kind>
// What a platform loads before any user code (the Functions Framework, the Azure Functions
// library) is loaded before the clock starts: it is the platform's cost, the same for every
// function. The AWS SDK is the user code's: each bundle loads it (the runtime provides it).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const [platform, bundle, target, eventFile, kind] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));

/** The platforms: what each preloads, how it loads a bundle, and how it delivers the first event. */
const PLATFORMS = {
  aws: {
    preload: async () => ({}),
    load: async () => require(bundle),
    invoke: async (module) => {
      const context = { awsRequestId: 'bench-request', functionName: `kelpie-carbon-bench-${target}`, functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:bench', memoryLimitInMB: '1024', logGroupName: '/aws/lambda/bench', logStreamName: 'bench', callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => 29_000, done() {}, fail() {}, succeed() {} };
      return module.handler(event, context, () => undefined);
    },
  },
  gcp: {
    preload: async () => import(pathToFileURL(require.resolve('@google-cloud/functions-framework/testing')).href),
    load: async () => import(pathToFileURL(bundle).href),
    invoke: async (_module, testing) => {
      if (kind !== 'http') return testing.getFunction(target)(event);
      const server = testing.getTestServer(target);
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const response = await fetch(`http://127.0.0.1:${server.address().port}${event.path}`);
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
      } finally {
        server.close();
      }
    },
  },
  azure: {
    preload: async () => require('@azure/functions'),
    load: async () => import(pathToFileURL(bundle).href),
    invoke: async (module, azure) => {
      const context = new azure.InvocationContext({ invocationId: 'bench-invocation', functionName: target, logHandler: () => undefined });
      if (kind === 'http') {
        const response = await module[target](new azure.HttpRequest({ method: 'GET', url: `http://127.0.0.1${event.path}`, headers: {} }), context);
        if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
        return response;
      }
      return module[target](event.input, context);
    },
  },
};

const { preload, load, invoke } = PLATFORMS[platform];
const platformModule = await preload();
const cpu = process.cpuUsage();
const started = performance.now();
const module = await load();
const loaded = performance.now();
await invoke(module, platformModule);
const answered = performance.now();
const used = process.cpuUsage(cpu);
process.stdout.write(`\nBENCH ${JSON.stringify({ loadMs: loaded - started, firstMs: answered - loaded, cpuMs: (used.user + used.system) / 1000 })}\n`);
// Clients and servers may hold the event loop open; the measurement is done.
process.exit(0);

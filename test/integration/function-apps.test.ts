// The Google Cloud and Azure function apps as they deploy: `scripts/build-functions.mjs` bundles
// dist/gcp/<entry point>/ and dist/azure/; the Functions Framework's own CLI server (not the test
// server) then loads each dist/gcp folder and serves its CloudEvent entry point, and dist/azure
// registers every function.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Metafile, closureOf, filesReferencingMaps, foreignInputs, inputsOf } from '../helpers/bundles.js';
import { loadEvent } from '../helpers/events.js';
import { type Child, freePort, startChild, waitForHttp } from '../helpers/processes.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FRAMEWORK = `${ROOT}node_modules/@google-cloud/functions-framework/build/src/main.js`;

describe('the bundled function apps', () => {
  let server: Child | undefined;

  beforeAll(async () => {
    await run(process.execPath, ['scripts/build-functions.mjs'], { cwd: ROOT, timeout: 120_000 });
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it.each([
    ['analyzeUpload', 'gcp/storage-deleted.json'],
    ['backup', 'gcp/pubsub-scheduler-backup.json'],
    ['healthPing', 'gcp/pubsub-scheduler-backup.json'],
    ['analyzeJob', 'gcp/pubsub-scheduler-backup.json'], // not a job: logged and acknowledged
    ['monitorSites', 'gcp/pubsub-scheduler-backup.json'], // no site in the memory store: nothing to do
  ])('serves the CloudEvent entry point %s from its own dist/gcp folder with the framework’s CLI', async (target, payload) => {
    const port = await freePort();
    const env = { ...process.env, KELPIE_STORE: 'memory', KELPIE_ENV: 'test', KELPIE_LOG_LEVEL: 'warn' };
    server = await startChild(process.execPath, [FRAMEWORK, `--target=${target}`, `--source=${ROOT}dist/gcp/${target}`, `--port=${port}`], { env });
    await waitForHttp(`http://127.0.0.1:${port}/`, server);

    const response = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json' }, body: JSON.stringify(loadEvent(payload)) });

    expect(response.status).toBe(204);
    expect(server.output()).toContain('Signature type: cloudevent');
  });

  it('registers every Azure function from dist/azure', async () => {
    const { stderr, stdout } = await run(process.execPath, ['--input-type=module', '-e', "await import('./index.mjs')"], { cwd: `${ROOT}dist/azure`, env: { ...process.env, KELPIE_STORE: 'memory' } });
    const registered = [...`${stdout}${stderr}`.matchAll(/register function "([^"]+)"/g)].map((match) => match[1]);
    expect(registered).toEqual(['api', 'analyzeUploadEventGrid', 'analyzeUploadBlob', 'backup', 'healthPing', 'analyzeJob', 'monitorSites']);
  });

  describe('each bundle (read from esbuild’s metafile)', () => {
    const metafiles = (platform: 'gcp' | 'azure') => JSON.parse(readFileSync(`${ROOT}dist/${platform}/meta.json`, 'utf8')) as Record<string, Metafile>;
    const GCP = ['api', 'analyzeUpload', 'backup', 'healthPing', 'analyzeJob', 'monitorSites'];
    const AZURE = ['http-api', 'upload-analyze', 'backup', 'health-ping', 'analyze-job', 'monitor-sites'];
    const gcpInputs = (name: string) => inputsOf(metafiles('gcp')[name], closureOf(metafiles('gcp')[name], `dist/gcp/${name}/index.mjs`));
    const azureInputs = (name: string) => inputsOf(metafiles('azure').app, closureOf(metafiles('azure').app, `dist/azure/functions/${name}.mjs`));

    const OWN_SDK = { gcp: 'node_modules/@google-cloud/storage/', azure: 'node_modules/@azure/storage-blob/' } as const;
    const BUNDLES = [
      ...GCP.map((name) => ['Google Cloud', name, 'gcp', gcpInputs, name === 'api'] as const),
      ...AZURE.map((name) => ['Azure', name, 'azure', azureInputs, name === 'http-api'] as const),
    ];

    it.each(BUNDLES)('%s %s carries no other platform’s code, and the web page only if it is the HTTP function', (_label, name, platform, inputsOfBundle, http) => {
      const inputs = inputsOfBundle(name);
      expect(inputs.some((input) => input.includes(OWN_SDK[platform]))).toBe(true);
      expect(foreignInputs(inputs, platform)).toEqual([]);
      expect(inputs.some((input) => input.startsWith('adapters/web/'))).toBe(http);
      expect(inputs.filter((input) => input.startsWith('core/sample/'))).toEqual([]);
    });

    it('writes source maps beside the bundles and names them in no bundle file', () => {
      const outputs = [...Object.values(metafiles('gcp')).flatMap((metafile) => Object.keys(metafile.outputs)), ...Object.keys(metafiles('azure').app.outputs)].filter((output) => output.endsWith('.mjs'));
      expect(outputs.length).toBeGreaterThan(10);
      expect(filesReferencingMaps(ROOT, outputs)).toEqual([]);
      for (const output of outputs) expect(existsSync(`${ROOT}${output}.map`)).toBe(true);
    });
  });
});

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Child, freePort, startChild, waitForHttp } from '../helpers/processes.js';
import { REPO_ROOT, serverlessTestEnv } from '../helpers/serverless.js';

const SAMPLE_KEY = 'uploads/coastal-sample.tif';

/** `npm start` over `dataDir` on free ports; resolves once `/health` answers. */
async function start(dataDir: string): Promise<{ base: string; child: Child }> {
  const [http, lambda, websocket] = [await freePort(), await freePort(), await freePort()];
  const env = serverlessTestEnv('restart', {
    KELPIE_DATA_DIR: dataDir,
    KELPIE_STAC_URL: '',
    KELPIE_OFFLINE_HTTP_PORT: String(http),
    KELPIE_OFFLINE_LAMBDA_PORT: String(lambda),
    KELPIE_OFFLINE_WEBSOCKET_PORT: String(websocket),
  });
  const child = await startChild(process.execPath, ['scripts/start-local.mjs'], { cwd: REPO_ROOT, env });
  const base = `http://127.0.0.1:${http}`;
  await waitForHttp(`${base}/health`, child, { timeoutMs: 120_000, accept: (status) => status === 200 });
  return { base, child };
}

/** Kills every process of the server at once (no signal handler runs), and waits for the exit. */
async function kill(child: Child): Promise<void> {
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  process.kill(-(child.process.pid as number), 'SIGKILL');
  await exited;
  await child.stop(); // anything of the group still there
}

/** Polls `probe` every 100 ms until it returns a value or `timeoutMs` passes. */
async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The local service killed outright in the middle of a job, then started again over the same data
 * folder: the redelivered job is taken over once the dead worker's lease has run out and completes,
 * once, as its second attempt. Then its worker is killed alone, and `/ready` says so.
 */
describe('npm start killed mid-job and started again', () => {
  const dataDir = mkdtemp(path.join(tmpdir(), 'kelpie-restart-'));
  let server: { base: string; child: Child } | undefined;

  afterAll(async () => {
    await server?.child.stop();
    await rm(await dataDir, { recursive: true, force: true });
    await rm(path.join(REPO_ROOT, `.esbuild/test-restart-${process.pid}`), { recursive: true, force: true });
  });

  it('completes the job once, within a minute of the restart, as attempt 2', async () => {
    server = await start(await dataDir);
    const accepted = await fetch(`${server.base}/api/analyses?async=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source: { key: SAMPLE_KEY } }) });
    expect(accepted.status).toBe(202);
    const { id } = (await accepted.json()) as { id: string };
    const base = server.base;
    await until(async () => ((await (await fetch(`${base}/api/analyses/${id}/status`)).json()) as { status: string }).status === 'running' || undefined, 60_000, 'the job running');
    await kill(server.child);

    server = await start(await dataDir);
    const restarted = Date.now();
    const again = server.base;
    await until(async () => ((await fetch(`${again}/api/analyses/${id}`)).status === 200 ? true : undefined), 60_000, 'the result');

    expect(Date.now() - restarted).toBeLessThan(60_000);
    expect(await (await fetch(`${again}/api/analyses/${id}/status`)).json()).toMatchObject({ status: 'succeeded', attempt: 2 });
    const listing = (await (await fetch(`${again}/api/analyses`)).json()) as { items: Array<{ id: string }> };
    expect(listing.items.filter((item) => item.id === id)).toHaveLength(1);
  }, 300_000);

  it('answers /ready 503 naming the job worker once the worker is gone', async () => {
    const live = server as { base: string };
    expect((await fetch(`${live.base}/ready`)).status).toBe(200);
    const { pid } = JSON.parse(await readFile(path.join(await dataDir, '.queue', 'worker.json'), 'utf8')) as { pid: number };
    process.kill(pid, 'SIGKILL');

    const body = await until(async () => {
      const response = await fetch(`${live.base}/ready`);
      return response.status === 503 ? ((await response.json()) as { checks: Array<{ name: string; ok: boolean }> }) : undefined;
    }, 30_000, '/ready failing');

    expect(body.checks).toContainEqual(expect.objectContaining({ name: 'job-worker', ok: false }));
  }, 60_000);
});

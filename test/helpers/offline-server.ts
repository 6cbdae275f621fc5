import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Child, freePort, groupAlive, startChild, waitForHttp } from './processes.js';
import { REPO_ROOT, serverlessTestEnv } from './serverless.js';

/** A running `npm start` (scripts/start-local.mjs: seeded fs store, `serverless offline`, stage local). */
export interface OfflineServer {
  /** `http://127.0.0.1:<port>` */
  base: string;
  dataDir: string;
  child: Child;
  /** Stops the process group, checks nothing is left, removes the data and esbuild folders. */
  stop(): Promise<void>;
}

/**
 * Starts `npm start` on free ports with a temporary data folder, as test/integration/offline.test.ts
 * does, and waits for `/health`. `env` adds settings (API keys, sync limit, basemap…).
 *
 * @example
 * ```ts
 * const server = await startOffline('web', { KELPIE_API_KEYS: KEY });
 * await fetch(`${server.base}/health`);
 * ```
 */
export async function startOffline(name: string, env: Record<string, string> = {}): Promise<OfflineServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `kelpie-${name}-`));
  const [http, lambda, websocket] = [await freePort(), await freePort(), await freePort()];
  const base = `http://127.0.0.1:${http}`;
  const child = await startChild(process.execPath, ['scripts/start-local.mjs'], {
    cwd: REPO_ROOT,
    env: serverlessTestEnv(name, {
      KELPIE_DATA_DIR: dataDir,
      KELPIE_OFFLINE_HOST: '127.0.0.1',
      KELPIE_OFFLINE_HTTP_PORT: String(http),
      KELPIE_OFFLINE_LAMBDA_PORT: String(lambda),
      KELPIE_OFFLINE_WEBSOCKET_PORT: String(websocket),
      ...env,
    }),
  });
  await waitForHttp(`${base}/health`, child, { timeoutMs: 120_000, accept: (status) => status === 200 });
  return {
    base,
    dataDir,
    child,
    async stop() {
      await child.stop();
      if (child.process.pid && groupAlive(child.process.pid)) throw new Error(`npm start (${name}) left processes behind`);
      await rm(dataDir, { recursive: true, force: true });
      await rm(path.join(REPO_ROOT, `.esbuild/test-${name}-${process.pid}`), { recursive: true, force: true });
    },
  };
}

/**
 * Sends `count` requests at once, so serverless-offline has that many warm handler workers: a
 * page load asks for its script and style sheet together, and a cold worker takes seconds to
 * load the bundle (as a Lambda cold start would).
 */
export async function warmUp(base: string, count = 4): Promise<void> {
  await Promise.all(Array.from({ length: count }, () => fetch(`${base}/health`).then((response) => response.arrayBuffer())));
}

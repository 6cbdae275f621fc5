import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Child, freePort, startChild, waitForHttp } from './processes.js';

/** Azurite's well-known development account and key (public, documented by Microsoft; not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

const AZURITE_BIN = fileURLToPath(new URL('../../node_modules/.bin/azurite-blob', import.meta.url));
const AZURITE_MISSING = 'azurite-blob is not installed; run npm install (azurite is a dev dependency)';

/** A running Azurite blob service on 127.0.0.1. */
export interface AzuriteServer {
  /** `http://127.0.0.1:<port>/devstoreaccount1`. */
  blobEndpoint: string;
  /** A connection string for the development account at this server. */
  connectionString: string;
  /** Stops the server (a request now fails with ECONNREFUSED); its data folder is kept for `restart`. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data folder (after `stop`), and waits until it answers. */
  restart(): Promise<void>;
  /** Stops the server and removes its data folder. */
  dispose(): Promise<void>;
}

/**
 * Starts Azurite's blob service on a free 127.0.0.1 port with a fresh temporary data folder and
 * waits until it answers. Call it in `beforeAll` and `dispose()` in `afterAll`: one per test file.
 *
 * @example
 * ```ts
 * let azurite: AzuriteServer;
 * beforeAll(async () => { azurite = await startAzurite(); });
 * afterAll(() => azurite?.dispose());
 * ```
 */
export async function startAzurite(): Promise<AzuriteServer> {
  const port = await freePort();
  const location = await mkdtemp(path.join(tmpdir(), 'kelpie-azurite-'));
  const blobEndpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  let child: Child | undefined = await launch(port, location, blobEndpoint);
  const stop = async () => {
    await child?.stop();
    child = undefined;
  };
  return {
    blobEndpoint,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${blobEndpoint};`,
    stop,
    async restart() {
      await stop();
      child = await launch(port, location, blobEndpoint);
    },
    async dispose() {
      await stop();
      await rm(location, { recursive: true, force: true });
    },
  };
}

async function launch(port: number, location: string, blobEndpoint: string): Promise<Child> {
  const args = ['--blobHost', '127.0.0.1', '--blobPort', String(port), '--location', location, '--skipApiVersionCheck', '--disableTelemetry', '--silent'];
  const child = await startChild(AZURITE_BIN, args, { missingMessage: AZURITE_MISSING });
  try {
    // Any HTTP answer means it listens; an unsigned request gets 403 (or 400), which is fine.
    await waitForHttp(`${blobEndpoint}?comp=list`, child, { timeoutMs: 30_000 });
  } catch (error) {
    await child.stop();
    throw error;
  }
  return child;
}

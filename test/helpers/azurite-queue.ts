import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AZURITE_ACCOUNT, AZURITE_KEY } from './azurite.js';
import { startChild, freePort, waitForHttp } from './processes.js';

const AZURITE_QUEUE_BIN = fileURLToPath(new URL('../../node_modules/.bin/azurite-queue', import.meta.url));
const AZURITE_MISSING = 'azurite-queue is not installed; run npm install (azurite is a dev dependency)';

/** A running Azurite queue service on 127.0.0.1. */
export interface AzuriteQueueServer {
  /** `http://127.0.0.1:<port>/devstoreaccount1`. */
  queueEndpoint: string;
  /** Stops the server and removes its data folder. */
  dispose(): Promise<void>;
}

/**
 * Starts Azurite's queue service (`azurite-queue`, shipped with the `azurite` dev dependency) on a
 * free 127.0.0.1 port with a fresh temporary data folder, and waits until it answers. Pair it
 * with `startAzurite()` (blobs) and {@link developmentConnectionString} to get one account with
 * both services, as a real storage account has.
 *
 * @example
 * ```ts
 * const queues = await startAzuriteQueue();
 * const connectionString = developmentConnectionString({ blobEndpoint: azurite.blobEndpoint, queueEndpoint: queues.queueEndpoint });
 * ```
 */
export async function startAzuriteQueue(): Promise<AzuriteQueueServer> {
  const port = await freePort();
  const location = await mkdtemp(path.join(tmpdir(), 'kelpie-azurite-queue-'));
  const queueEndpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  const args = ['--queueHost', '127.0.0.1', '--queuePort', String(port), '--location', location, '--skipApiVersionCheck', '--disableTelemetry', '--silent'];
  const child = await startChild(AZURITE_QUEUE_BIN, args, { missingMessage: AZURITE_MISSING });
  const dispose = async () => {
    await child.stop();
    await rm(location, { recursive: true, force: true });
  };
  try {
    // Any HTTP answer means it listens; an unsigned request gets 403 (or 400), which is fine.
    await waitForHttp(`${queueEndpoint}?comp=list`, child, { timeoutMs: 30_000 });
  } catch (error) {
    await dispose();
    throw error;
  }
  return { queueEndpoint, dispose };
}

/**
 * A connection string for Azurite's development account at the given service endpoints (the
 * account key is Azurite's public one).
 *
 * @example
 * ```ts
 * developmentConnectionString({ queueEndpoint: 'http://127.0.0.1:10001/devstoreaccount1' });
 * ```
 */
export function developmentConnectionString(endpoints: { blobEndpoint?: string; queueEndpoint?: string }): string {
  const services = [endpoints.blobEndpoint && `BlobEndpoint=${endpoints.blobEndpoint};`, endpoints.queueEndpoint && `QueueEndpoint=${endpoints.queueEndpoint};`];
  return `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};${services.filter(Boolean).join('')}`;
}

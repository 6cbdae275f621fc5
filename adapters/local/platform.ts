import type { Config } from '../../core/config.js';
import { createJsonLogger } from '../shared/json-logger.js';
import { createFolderJobQueue, fsStoreAdapter, memoryStoreAdapter } from '../shared/local-stores.js';
import type { Platform, StoreKind } from '../shared/platform.js';

/**
 * The laptop's own parts, for the `kelpie` CLI: the filesystem and memory stores, the folder job
 * queue, and JSON log lines on stderr and stdout.
 */
export const localPlatform: Platform = {
  name: 'the kelpie CLI',
  stores: { fs: fsStoreAdapter, memory: memoryStoreAdapter },
  queues: { local: createFolderJobQueue },
  logger: (config, service) => createJsonLogger({ service, level: config.KELPIE_LOG_LEVEL }),
};

/** The cloud platforms whose stores the CLI can use, loaded only when `KELPIE_STORE` names one. */
const CLOUD_PLATFORMS: Partial<Record<StoreKind, () => Promise<Platform>>> = {
  s3: async () => (await import('../aws/platform.js')).awsPlatform,
  gcs: async () => (await import('../gcp/platform.js')).gcpPlatform,
  azure: async () => (await import('../azure/platform.js')).azurePlatform,
};

/**
 * What the CLI's `backup`, `restore` and `health` commands use: the stores `KELPIE_STORE` names
 * (a cloud's own, loaded on demand, so only that cloud's SDK is loaded), with the local logger.
 * The CLI is an operator's tool, not a deployed function: it is the one place that can reach
 * every platform's stores.
 *
 * @example
 * ```ts
 * const platform = await cliPlatform(loadConfig(process.env));
 * const stores = createStores(platform, config);
 * ```
 */
export async function cliPlatform(config: Pick<Config, 'KELPIE_STORE'>): Promise<Platform> {
  const cloud = await CLOUD_PLATFORMS[config.KELPIE_STORE]?.();
  return cloud ? { ...cloud, logger: localPlatform.logger } : localPlatform;
}

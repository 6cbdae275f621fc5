import path from 'node:path';
import type { Config } from '../../core/config.js';
import type { BlobStore } from '../../core/ports/blob-store.js';
import { DirJobQueue } from '../fs/dir-job-queue.js';
import { FsBlobStore } from '../fs/fs-blob-store.js';
import { MemoryBlobStore } from '../memory/memory-blob-store.js';
import { localUploadRoute } from './local-upload-route.js';
import { LocalUploadSigner } from './local-upload-signer.js';
import type { StoreAdapter, Stores } from './platform.js';
import { currentRequestOrigin } from './request-origin.js';

/** Where the local server is reached when a request does not say (no `Host` header). */
const DEFAULT_PUBLIC_URL = 'http://localhost:3000';

/**
 * `KELPIE_STORE=fs`: a folder (`KELPIE_DATA_DIR`) with signed local uploads; a backup bucket is
 * another folder. Every platform offers it, for `npm start`, `npm run start:gcp` and tests.
 */
export const fsStoreAdapter: StoreAdapter = {
  stores: (config) => withLocalUploads(new FsBlobStore({ root: config.KELPIE_DATA_DIR }), `file://${path.resolve(config.KELPIE_DATA_DIR)}`, config),
  bucket: (name) => new FsBlobStore({ root: name }),
};

/** `KELPIE_STORE=memory`: objects in this process only (tests), with signed local uploads. */
export const memoryStoreAdapter: StoreAdapter = {
  stores: (config) => withLocalUploads(new MemoryBlobStore(), 'memory://', config),
  bucket: () => new MemoryBlobStore(),
};

/** The folder of the local job queue: `.queue/` in the data folder (outside every store prefix). */
export function localQueueDir(config: Pick<Config, 'KELPIE_DATA_DIR'>): string {
  return path.join(path.resolve(config.KELPIE_DATA_DIR), '.queue');
}

/** `KELPIE_JOB_QUEUE=local`: jobs as files in {@link localQueueDir}, run by `kelpie watch`. */
export function createFolderJobQueue(config: Pick<Config, 'KELPIE_DATA_DIR'>): DirJobQueue {
  return new DirJobQueue(localQueueDir(config));
}

function withLocalUploads(store: BlobStore, imageStoreName: string, config: Config): Stores {
  const publicUrl = config.KELPIE_PUBLIC_URL;
  const signer = new LocalUploadSigner({
    secret: config.KELPIE_LOCAL_UPLOAD_SECRET,
    // An explicit public URL wins; else the address the client used; else the default.
    baseUrl: () => publicUrl ?? currentRequestOrigin() ?? DEFAULT_PUBLIC_URL,
  });
  const maxBytes = config.KELPIE_MAX_UPLOAD_BYTES;
  return { imageStore: store, resultStore: store, imageStoreName, uploadSigner: signer, extraRoutes: [localUploadRoute({ signer, store, maxBytes })] };
}

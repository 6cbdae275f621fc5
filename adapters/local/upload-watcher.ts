import { type FSWatcher, watch } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { BlobStore } from '../../core/ports/blob-store.js';
import type { Logger } from '../../core/ports/logger.js';
import type { ObjectCreated } from '../../core/usecases/object-created.js';

export interface UploadWatcherOptions {
  /** The filesystem store's root (KELPIE_DATA_DIR); `uploads/` below it is watched. */
  root: string;
  /** The filesystem store over `root`: its etags identify a file's version, as in the cloud. */
  store: Pick<BlobStore, 'head'>;
  /** Called once per new or changed file, after its size has stopped changing (the upload trigger, which logs the outcome). */
  onObjectCreated: (event: ObjectCreated) => Promise<unknown>;
  logger: Logger;
  /** How long a file's size must stay the same before it counts as fully copied. */
  settleMs?: number;
}

/**
 * Stands in for a bucket notification on a laptop: watches `<root>/uploads/` and turns each
 * file that finished arriving into an `ObjectCreated` command, the same one the cloud triggers
 * build. Temporary files of the store's atomic writes (`.name.tmp`) are skipped; a file is
 * handled once its size is stable for `settleMs`, so a slow `cp` is not analysed half-copied.
 *
 * @example
 * ```ts
 * const watcher = await watchUploads({ root: '.data', store, onObjectCreated: (command) => runUploadTrigger({ command }, deps, signal, { via: 'watch' }), logger });
 * ```
 */
export async function watchUploads(options: UploadWatcherOptions): Promise<{ close(): void; idle(): Promise<void> }> {
  const uploads = join(options.root, 'uploads');
  await mkdir(uploads, { recursive: true });
  const settleMs = options.settleMs ?? 500;
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const running = new Set<Promise<unknown>>();
  const seen = new Map<string, string>();
  let checking = 0;

  const settle = (path: string, lastSize = -1) => {
    clearTimeout(pending.get(path));
    pending.set(
      path,
      setTimeout(async () => {
        checking++;
        try {
          await check(path, lastSize);
        } finally {
          checking--;
        }
      }, settleMs),
    );
  };

  /** Handles `path` once its size equals the size seen `settleMs` ago; otherwise waits again. */
  const check = async (path: string, lastSize: number) => {
    pending.delete(path);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return;
    if (info.size !== lastSize) return settle(path, info.size);
    const key = relative(options.root, path).split(sep).join('/');
    const etag = (await options.store.head(key).catch(() => undefined))?.etag;
    if (!etag || seen.get(key) === etag) return;
    seen.set(key, etag);
    const job = options
      .onObjectCreated({ store: 'fs', bucket: 'local', key, size: info.size, etag, eventTime: new Date().toISOString() })
      .catch((error: Error) => options.logger.error('local upload failed', { key, error: error.message }))
      .finally(() => running.delete(job));
    running.add(job);
  };

  const watcher: FSWatcher = watch(uploads, { recursive: true }, (_event, name) => {
    if (!name) return;
    const base = name.split(/[\\/]/).pop() ?? '';
    if (base.startsWith('.')) return;
    settle(join(uploads, name.toString()));
  });
  options.logger.info('watching for local uploads', { folder: uploads });
  return {
    close() {
      watcher.close();
      for (const timer of pending.values()) clearTimeout(timer);
    },
    async idle() {
      while (pending.size || running.size || checking) await new Promise((resolve) => setTimeout(resolve, 50));
    },
  };
}

import type { BigIntStats, Dirent } from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import path from 'node:path';
import * as errors from '../../core/errors';
import type { BlobInfo, BlobStore, CallOptions, ListOptions, ListPage, PutOptions } from '../../core/ports/blob-store';
import * as keys from '../../core/storage/keys';
import { commit, etagOf } from './fs-conditional.js';
import { type Op, codeOf, orMissing, quote, rethrow, throwIfAborted, toStoreError } from './fs-errors.js';
import { TEMP_NAME, removeOrphanTemps, tempPathFor } from './fs-temp.js';

/** The `node:fs/promises` functions the store uses; tests replace some to inject failures. */
export type FsBlobStoreFs = Pick<
  typeof nodeFs,
  'copyFile' | 'link' | 'mkdir' | 'open' | 'readdir' | 'readFile' | 'rename' | 'rmdir' | 'stat' | 'unlink' | 'utimes'
>;

/** Options for {@link FsBlobStore}. */
export interface FsBlobStoreOptions {
  /** Folder that holds the objects; created on the first write. */
  root: string;
  /** Replacements for `node:fs/promises` functions, merged over the real ones. */
  fs?: Partial<FsBlobStoreFs>;
}

/** A temp file's folder can vanish under a concurrent delete that prunes empty folders: retry. */
const WRITE_ATTEMPTS = 3;

/**
 * A `BlobStore` over a local folder, for `KELPIE_STORE=fs` and tests. Each key is a file below
 * `root` (each `/` a folder), so `a` and `a/b` cannot both exist. Writes fill a temporary file in
 * the same folder and rename it into place, so a reader sees the old object or the whole new one.
 * Conditional writes: create-if-absent links the filled file into place (atomic: it fails when the
 * name exists); replace-if-unchanged compares and renames under a per-key lock file. A process
 * killed mid-write leaves its temporary file, which {@link FsBlobStore.removeOrphans} sweeps up.
 * `contentType` is not kept; symbolic links are not listed.
 *
 * @example
 * ```ts
 * const store = new FsBlobStore({ root: process.env.KELPIE_DATA_DIR ?? '.data' });
 * await store.put('results/abc/result.json', JSON.stringify(result));
 * ```
 */
export class FsBlobStore implements BlobStore {
  private readonly root: string;
  private readonly fs: FsBlobStoreFs;

  constructor(options: FsBlobStoreOptions) {
    this.root = path.resolve(options.root);
    this.fs = { ...nodeFs, ...options.fs };
  }

  async head(key: string, options?: CallOptions): Promise<BlobInfo | undefined> {
    const file = this.begin('head', key, options);
    const stats = await this.fs.stat(file, { bigint: true }).catch(orMissing('head', key, undefined));
    return stats?.isFile() ? describe(key, stats) : undefined;
  }

  async get(key: string, options?: CallOptions): Promise<Uint8Array> {
    const file = this.begin('get', key, options);
    const buffer = await this.fs.readFile(file, { signal: options?.signal }).catch(rethrow('get', key));
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  async getRange(key: string, offset: number, length: number, options?: CallOptions): Promise<Uint8Array> {
    const file = this.begin('getRange', key, options);
    keys.validateRange(offset, length);
    const handle = await this.fs.open(file, 'r').catch(rethrow('getRange', key));
    try {
      // Allocate only what exists, so a huge `length` meaning "to the end" costs nothing extra.
      const { size } = await handle.stat();
      const out = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
      let filled = 0;
      while (filled < out.length) {
        throwIfAborted(options?.signal, 'getRange', key);
        const { bytesRead } = await handle.read(out, filled, out.length - filled, offset + filled);
        if (bytesRead === 0) break; // truncated by a writer since the stat
        filled += bytesRead;
      }
      return out.subarray(0, filled);
    } catch (error) {
      throw toStoreError(error, 'getRange', key); // EISDIR when the key names a folder
    } finally {
      await handle.close();
    }
  }

  async put(key: string, body: Uint8Array | string, options?: PutOptions): Promise<BlobInfo> {
    const file = this.begin('put', key, options);
    const fill = async (temp: string) => {
      const handle = await this.fs.open(temp, 'wx');
      try {
        await handle.writeFile(body);
        await handle.sync(); // so a crash cannot leave a renamed but empty file
      } finally {
        await handle.close();
      }
    };
    return describe(key, await this.writeAtomically('put', key, file, options ?? {}, fill));
  }

  async list(prefix: string, options?: ListOptions): Promise<ListPage> {
    keys.validatePrefix(prefix);
    throwIfAborted(options?.signal, 'list', prefix);
    const limit = keys.validateListLimit(options?.limit);
    const after = options?.cursor === undefined ? undefined : keys.decodeKeyCursor(options.cursor);
    const items: BlobInfo[] = [];
    try {
      // Start in the deepest folder the prefix names; the rest of the prefix filters that folder.
      const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
      for await (const item of this.walk(folder, prefix, after, options?.signal)) {
        if (items.length === limit) return { items, cursor: keys.encodeKeyCursor(items[limit - 1].key) };
        items.push(item);
      }
    } catch (error) {
      throw toStoreError(error, 'list', prefix);
    }
    return { items };
  }

  async copy(fromKey: string, toKey: string, options?: CallOptions): Promise<void> {
    const source = this.begin('copy', fromKey, options);
    const target = this.resolve(toKey);
    if (!(await this.head(fromKey, options))) throw toStoreError({ code: 'ENOENT' }, 'copy', fromKey);
    await this.writeAtomically('copy', toKey, target, { signal: options?.signal }, (temp) =>
      this.fs.copyFile(source, temp).catch(async (error: unknown) => {
        // ENOENT is the source gone since the head, or the target folder pruned (then retried).
        if (codeOf(error) === 'ENOENT' && !(await this.head(fromKey))) throw toStoreError(error, 'copy', fromKey);
        throw error;
      }),
    );
  }

  async delete(key: string, options?: CallOptions): Promise<void> {
    const file = this.begin('delete', key, options);
    if ((await this.fs.unlink(file).catch(orMissing('delete', key, false))) === false) return;
    // Remove folders left empty, so a later `put` of a key with a folder's name can succeed.
    for (let dir = path.dirname(file); dir !== this.root; dir = path.dirname(dir)) {
      if (!(await this.fs.rmdir(dir).then(() => true, () => false))) break;
    }
  }

  /**
   * Removes the temporary files of writes whose process died below `prefix` (a folder of keys,
   * '' for the whole store); writes still running are left alone. Returns how many it removed.
   *
   * @example
   * ```ts
   * await new FsBlobStore({ root: outDir }).removeOrphans(); // a run killed mid-write left some
   * ```
   */
  async removeOrphans(prefix = ''): Promise<number> {
    if (prefix) keys.validatePrefix(prefix);
    return removeOrphanTemps(path.join(this.root, ...prefix.split('/').filter(Boolean)));
  }

  /** Validates the key, checks the deadline and returns the key's file path. */
  private begin(op: Op, key: string, options: CallOptions | undefined): string {
    const file = this.resolve(key);
    throwIfAborted(options?.signal, op, key);
    return file;
  }

  private resolve(key: string): string {
    const segments = keys.validateKey(key).split('/');
    if (TEMP_NAME.test(segments[segments.length - 1])) {
      throw new errors.InvalidRequestError(`key ${quote(key)} has the form of the file store's temporary files`, { key });
    }
    const file = path.resolve(this.root, ...segments);
    const relative = path.relative(this.root, file);
    if (!relative || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
      throw new errors.InvalidRequestError(`key ${quote(key)} points outside the store`, { key });
    }
    return file;
  }

  /**
   * Fills a temporary file beside `file`, then commits it as `options` ask (renamed over `file`,
   * or conditionally: see `commit`); never leaves the temp behind unless the process dies.
   */
  private async writeAtomically(op: Op, key: string, file: string, options: PutOptions, fill: (temp: string) => Promise<void>): Promise<BigIntStats> {
    const temp = tempPathFor(file);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.fs.mkdir(path.dirname(file), { recursive: true });
        await fill(temp);
        throwIfAborted(options.signal, op, key);
        return await commit(this.fs, key, temp, file, options);
      } catch (error) {
        if (codeOf(error) !== 'ENOENT' || attempt === WRITE_ATTEMPTS) throw toStoreError(error, op, key);
      } finally {
        await this.fs.unlink(temp).catch(() => undefined);
      }
    }
  }

  /** Yields the objects below `folder` ('' or a key prefix ending in '/') in key order. */
  private async *walk(folder: string, prefix: string, after?: string, signal?: AbortSignal): AsyncGenerator<BlobInfo> {
    const dir = path.join(this.root, ...folder.split('/'));
    const entries: Dirent[] = await this.fs.readdir(dir, { withFileTypes: true }).catch(orMissing('list', prefix, []));
    // A folder sorts as its name plus '/', which is where its keys fall among its siblings.
    const children = entries
      .filter((entry) => entry.isDirectory() || (entry.isFile() && !TEMP_NAME.test(entry.name)))
      .map((entry) => ({ key: folder + entry.name + (entry.isDirectory() ? '/' : ''), isFolder: entry.isDirectory() }))
      .sort((a, b) => keys.compareKeys(a.key, b.key));
    for (const { key, isFolder } of children) {
      throwIfAborted(signal, 'list', prefix);
      if (isFolder) {
        const overlapsPrefix = key.startsWith(prefix) || prefix.startsWith(key);
        const mayFollowCursor = after === undefined || keys.compareKeys(key, after) > 0 || after.startsWith(key);
        if (overlapsPrefix && mayFollowCursor) yield* this.walk(key, prefix, after, signal);
      } else if (key.startsWith(prefix) && (after === undefined || keys.compareKeys(key, after) > 0)) {
        // Files made outside the store may have names no key can have; they are skipped.
        const info = await this.head(key, { signal }).catch((error: unknown) => {
          if (error instanceof errors.InvalidRequestError) return undefined;
          throw error;
        });
        if (info) yield info; // undefined also when deleted since the readdir
      }
    }
  }
}

function describe(key: string, stats: BigIntStats): BlobInfo {
  // Size and modification time in nanoseconds change with every write, as an etag should.
  return { key, size: Number(stats.size), etag: etagOf(stats), lastModified: new Date(Number(stats.mtimeMs)) };
}

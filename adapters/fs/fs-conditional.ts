/**
 * Conditional writes of the file store: create-if-absent by a hard link (atomic: it fails when
 * the name exists), replace-if-unchanged by compare-then-rename under a per-key lock file.
 */
import type { BigIntStats } from 'node:fs';
import type * as nodeFs from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { DependencyUnavailableError } from '../../core/errors.js';
import type { PutOptions } from '../../core/ports/blob-store.js';
import { preconditionFailed } from '../shared/store-call.js';
import { codeOf, toStoreError } from './fs-errors.js';
import { STALE_LOCK_MS, lockPathFor } from './fs-temp.js';

/** The `node:fs/promises` functions a conditional commit uses. */
export type CommitFs = Pick<typeof nodeFs, 'link' | 'open' | 'rename' | 'stat' | 'unlink' | 'utimes'>;

/** Longest wait for another writer's lock on one key before the write gives up (503). */
const LOCK_WAIT_MS = 30_000;

/** The etag of a file version: its size and modification time in nanoseconds, in hex. */
export function etagOf(stats: BigIntStats): string {
  return `${stats.size.toString(16)}-${stats.mtimeNs.toString(16)}`;
}

/**
 * Moves the filled temporary file `temp` to `file` as `options` ask: renamed over it (no
 * condition), linked only if `file` does not exist (`ifNoneMatch`), or renamed only if `file`
 * still has the etag `ifMatch` (under the key's lock, which every conditional writer of the key
 * takes). Returns the stats of the version written; the caller removes `temp` afterwards.
 */
export async function commit(fs: CommitFs, key: string, temp: string, file: string, options: PutOptions | undefined): Promise<BigIntStats> {
  if (options?.ifNoneMatch === '*') {
    try {
      await fs.link(temp, file);
    } catch (error) {
      if (codeOf(error) !== 'EEXIST') throw error;
      const existing = await fs.stat(file).catch(() => undefined);
      // A folder of that name is the file store's clash ("a" and "a/b"), not a condition.
      throw existing?.isDirectory() ? toStoreError(error, 'put', key) : preconditionFailed(key, options);
    }
    return fs.stat(file, { bigint: true });
  }
  if (options?.ifMatch === undefined) {
    const stats = await fs.stat(temp, { bigint: true }); // rename keeps size and mtime
    await fs.rename(temp, file);
    return stats;
  }
  const expected = options.ifMatch;
  return withKeyLock(fs, key, file, async () => {
    const current = await fs.stat(file, { bigint: true }).catch(() => undefined);
    if (!current?.isFile() || etagOf(current) !== expected) throw preconditionFailed(key, options);
    const stats = await laterThan(fs, temp, current);
    await fs.rename(temp, file);
    return stats;
  });
}

/**
 * Makes `temp`'s modification time later than `current`'s, so every version a conditional
 * writer commits has a new etag even when two writes of one size land within the file system's
 * clock tick (a few milliseconds on ext4): an etag read earlier can never match a later version.
 */
async function laterThan(fs: CommitFs, temp: string, current: BigIntStats): Promise<BigIntStats> {
  let stats = await fs.stat(temp, { bigint: true });
  for (let bumpUs = 1n; stats.mtimeNs <= current.mtimeNs; bumpUs *= 2n) {
    const seconds = Number(current.mtimeNs / 1000n + bumpUs) / 1e6;
    await fs.utimes(temp, seconds, seconds);
    stats = await fs.stat(temp, { bigint: true });
  }
  return stats;
}

/** Runs `work` holding the lock file of `file`'s key (created exclusively, removed after). */
async function withKeyLock<T>(fs: CommitFs, key: string, file: string, work: () => Promise<T>): Promise<T> {
  const lock = lockPathFor(file);
  const giveUpAt = Date.now() + LOCK_WAIT_MS;
  for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
    try {
      await (await fs.open(lock, 'wx')).close();
      break;
    } catch (error) {
      if (codeOf(error) !== 'EEXIST') throw error;
    }
    const held = await fs.stat(lock).catch(() => undefined);
    // A writer that died inside its critical section leaves the lock: it is broken once stale.
    if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) await fs.unlink(lock).catch(() => undefined);
    if (Date.now() > giveUpAt) {
      throw new DependencyUnavailableError(`file store could not lock ${JSON.stringify(key)} for a conditional write within ${LOCK_WAIT_MS / 1000} s`, { op: 'put', key });
    }
    await sleep(wait * (0.5 + Math.random()));
  }
  try {
    return await work();
  } finally {
    await fs.unlink(lock).catch(() => undefined);
  }
}

/** The file store's temporary files: writes in progress and key locks, and sweeping up after a crash. */
import { createHash, randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * `.<name>.<…>.<16 hex>.tmp` is a file of the store's own: never listed, and refused as a key's
 * last segment. Writes in progress carry their process id (`.p<pid>.`), locks `.lock.`.
 */
export const TEMP_NAME = /^\..*\.[0-9a-f]{16}\.tmp$/s;

const WRITER_PID = /\.p(\d+)\.[0-9a-f]{16}\.tmp$/;
const LOCK_NAME = /\.lock\.[0-9a-f]{16}\.tmp$/;

/** A lock older than this was left by a writer that died inside its few milliseconds of critical section. */
export const STALE_LOCK_MS = 10_000;

/** A temporary file without a process id (written before ids were added) is an orphan after this long. */
const UNOWNED_TEMP_MS = 60 * 60 * 1000;

/** At most 32 characters of the file's name: temporary names stay under 255-byte name limits. */
function shortName(file: string): string {
  return [...path.basename(file)].slice(0, 32).join('');
}

/** A fresh temporary path beside `file`, tagged with this process's id so a later run knows whether its writer still lives. */
export function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${shortName(file)}.p${process.pid}.${randomBytes(8).toString('hex')}.tmp`);
}

/** The lock file of `file`'s key: one per key, beside it. */
export function lockPathFor(file: string): string {
  const digest = createHash('sha256').update(path.basename(file)).digest('hex').slice(0, 16);
  return path.join(path.dirname(file), `.${shortName(file)}.lock.${digest}.tmp`);
}

/** Whether process `pid` is running (signal 0 tests for it without sending anything). */
function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

/** Whether the temporary file `name` (modified at `mtimeMs`) was left by a writer that is gone. */
export function isOrphan(name: string, mtimeMs: number, now = Date.now()): boolean {
  if (!TEMP_NAME.test(name)) return false;
  if (LOCK_NAME.test(name)) return now - mtimeMs > STALE_LOCK_MS;
  const pid = WRITER_PID.exec(name)?.[1];
  return pid === undefined ? now - mtimeMs > UNOWNED_TEMP_MS : !isAlive(Number(pid));
}

/**
 * Removes, below `dir`, the temporary files whose writer died (killed mid-write: its process is
 * gone) and locks left behind; files of writes still running are kept. Returns how many it
 * removed. A missing `dir` has none.
 *
 * @example
 * ```ts
 * await removeOrphanTemps('results/out'); // before a CLI run writes there again
 * ```
 */
export async function removeOrphanTemps(dir: string): Promise<number> {
  const entries: Dirent[] = await readdir(dir, { withFileTypes: true }).catch(() => []);
  let removed = 0;
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) removed += await removeOrphanTemps(full);
    else if (entry.isFile() && TEMP_NAME.test(entry.name)) {
      const info = await stat(full).catch(() => undefined);
      if (info && isOrphan(entry.name, info.mtimeMs) && (await unlink(full).then(() => true, () => false))) removed++;
    }
  }
  return removed;
}

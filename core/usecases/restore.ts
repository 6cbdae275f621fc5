import { ConflictError, KelpieError, NotFoundError } from '../errors.js';
import type { BlobStore, CallOptions } from '../ports/blob-store.js';
import type { Logger } from '../ports/logger.js';
import { type ManifestEntry, readManifest, sha256Hex } from './backup-manifest.js';
import type { ReadOnlyStore } from './backup.js';

/** A backup copy does not match its manifest: it was changed after the backup was made. */
export class TamperedBackupError extends KelpieError {
  readonly code = 'BACKUP_TAMPERED';
  readonly kind = 'unusable';
}

export interface RestoreCommand {
  /** `YYYY-MM-DD` of a complete backup. */
  date: string;
  /** Write under this prefix instead of the original keys (e.g. `restored/`). */
  to?: string;
  /** Restore only these keys (or key prefixes ending in `/`). */
  only?: string[];
  /** Overwrite results that are newer than the backup. */
  force?: boolean;
}

export interface RestoreDeps {
  backups: ReadOnlyStore;
  results: BlobStore;
  logger: Logger;
  signal?: AbortSignal;
}

export interface RestoreReport {
  date: string;
  restored: string[];
  /** Already identical at the target. */
  unchanged: string[];
  /** Target newer than the backup and different; kept (use force to overwrite). */
  skippedNewer: string[];
}

/**
 * Restores a complete backup: refuses a backup without a manifest, verifies EVERY selected copy
 * against the manifest (size and SHA-256) before writing anything, then writes each object,
 * never overwriting a different result that is newer than the backup unless `force` is set.
 *
 * @example
 * ```ts
 * await runRestore({ date: '2026-11-25', only: ['results/0123…/'] }, { backups, results, logger });
 * ```
 */
export async function runRestore(command: RestoreCommand, deps: RestoreDeps): Promise<RestoreReport> {
  const options: CallOptions = { signal: deps.signal };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(command.date)) throw new ConflictError(`"${command.date}" is not a backup date (YYYY-MM-DD)`);
  const manifest = await readManifest(deps.backups, command.date, options);
  if (!manifest) {
    throw new NotFoundError(`backup ${command.date} has no manifest: it is incomplete or does not exist, so it cannot be trusted; pick another date`);
  }
  const selected = manifest.objects.filter((entry) => !command.only?.length || command.only.some((k) => entry.key === k || (k.endsWith('/') && entry.key.startsWith(k))));
  if (command.only?.length && selected.length === 0) throw new NotFoundError(`backup ${command.date} has none of ${command.only.join(', ')}`);
  for (const entry of selected) await readVerified(entry, deps, options);

  const report: RestoreReport = { date: command.date, restored: [], unchanged: [], skippedNewer: [] };
  const backupTime = Date.parse(manifest.createdAt);
  for (const entry of selected) {
    const target = (command.to ?? '') + entry.key;
    const existing = await deps.results.head(target, options);
    if (existing && existing.size === entry.size && (await sha256Hex(await deps.results.get(target, options))) === entry.sha256) {
      report.unchanged.push(target);
      continue;
    }
    if (existing && !command.force && (existing.lastModified?.getTime() ?? Infinity) > backupTime) {
      report.skippedNewer.push(target);
      continue;
    }
    await deps.results.put(target, await readVerified(entry, deps, options), options);
    report.restored.push(target);
  }
  deps.logger.info('restore finished', { date: command.date, restored: report.restored.length, unchanged: report.unchanged.length, skippedNewer: report.skippedNewer.length });
  return report;
}

async function readVerified(entry: ManifestEntry, deps: RestoreDeps, options: CallOptions): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await deps.backups.get(entry.backupKey, options);
  } catch (error) {
    if (error instanceof NotFoundError) throw new TamperedBackupError(`the backup copy of ${entry.key} is missing (${entry.backupKey}); nothing was restored`, { key: entry.key });
    throw error;
  }
  if (bytes.byteLength !== entry.size || (await sha256Hex(bytes)) !== entry.sha256) {
    throw new TamperedBackupError(`the backup copy of ${entry.key} does not match its manifest (size or SHA-256 differs): it was changed after the backup; nothing was restored`, { key: entry.key });
  }
  return bytes;
}

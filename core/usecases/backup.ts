import { KelpieError } from '../errors.js';
import type { BlobStore, CallOptions } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import { BACKUP_ROOT, type Manifest, type ManifestEntry, backupDates, isoDate, listAll, manifestKey, readManifest, sha256Hex } from './backup-manifest.js';

/** A copy did not read back as written. */
export class BackupVerificationError extends KelpieError {
  readonly code = 'BACKUP_VERIFICATION_FAILED';
  readonly kind = 'unavailable';
}

/** The results store, read only: the backup never writes or deletes there. */
export type ReadOnlyStore = Pick<BlobStore, 'get' | 'head' | 'list'>;

export interface BackupDeps {
  results: ReadOnlyStore;
  backups: BlobStore;
  clock: Clock;
  logger: Logger;
  retentionDays: number;
  signal?: AbortSignal;
}

export interface BackupReport {
  date: string;
  dryRun: boolean;
  /** Keys copied (or that would be) because they are new or changed. */
  copied: string[];
  /** Unchanged keys carried forward from the previous complete backup. */
  carried: number;
  /** Backup dates pruned (or that would be). */
  pruned: string[];
  manifest: string | null;
}

const DAY_MS = 86_400_000;

/**
 * The daily backup (docs/design.md, "Scheduled jobs"): copies every object under `results/` that is
 * new or changed since the last complete backup into `backups/<today>/`, verifies each copy by
 * size and SHA-256, writes `manifest.json` last, then prunes backups older than the retention
 * (never the newest complete one, never a copy a kept manifest still points at). A run that
 * fails part-way leaves no manifest; the next run completes the job. Re-running does nothing new.
 *
 * @example
 * ```ts
 * const report = await runBackup({ dryRun: false }, { results, backups, clock, logger, retentionDays: 30 });
 * ```
 */
export async function runBackup(command: { dryRun?: boolean }, deps: BackupDeps): Promise<BackupReport> {
  const options: CallOptions = { signal: deps.signal };
  const date = isoDate(deps.clock.now());
  const dryRun = command.dryRun ?? false;
  const dates = backupDates((await listAll(deps.backups, BACKUP_ROOT, options)).map((item) => item.key));
  const latest = dates.complete.at(-1);
  const base = latest ? await readManifest(deps.backups, latest, options) : undefined;
  const known = new Map((base?.objects ?? []).map((entry) => [entry.key, entry]));
  const sources = await listAll(deps.results, 'results/', options);

  const entries: ManifestEntry[] = [];
  const toCopy = sources.filter((item) => {
    const previous = known.get(item.key);
    const unchanged = previous && previous.size === item.size && previous.sourceEtag !== undefined && previous.sourceEtag === item.etag;
    if (unchanged) entries.push(previous);
    return !unchanged;
  });
  const unchangedToday = latest === date && toCopy.length === 0 && base?.objects.length === sources.length;
  const report: BackupReport = { date, dryRun, copied: toCopy.map((i) => i.key), carried: entries.length, pruned: [], manifest: null };
  if (unchangedToday) {
    deps.logger.info('backup: nothing new since today’s backup', { date });
    report.manifest = manifestKey(date);
  } else if (!dryRun) {
    // Today's folder is only referenced by today's manifest: remove it first so a failure below
    // leaves today incomplete (not inconsistent) and earlier backups untouched.
    if (latest === date) await deps.backups.delete(manifestKey(date), options);
    for (const item of toCopy) entries.push(await copyVerified(item.key, item.etag, date, deps, options));
    const manifest: Manifest = {
      schemaVersion: 1,
      date,
      createdAt: new Date(deps.clock.now()).toISOString(),
      previous: latest && latest !== date ? latest : (base?.previous ?? null),
      objects: entries.sort((a, b) => (a.key < b.key ? -1 : 1)),
    };
    await deps.backups.put(manifestKey(date), JSON.stringify(manifest, null, 2), { contentType: 'application/json', ...options });
    report.manifest = manifestKey(date);
    deps.logger.info('backup complete', { date, copied: toCopy.length, carried: report.carried });
  }
  const completeAfter = report.manifest && !dates.complete.includes(date) ? [...dates.complete, date] : dates.complete;
  report.pruned = await prune(date, { all: [...new Set([...dates.all, date])].sort(), complete: completeAfter }, deps, dryRun, options);
  return report;
}

async function copyVerified(key: string, etag: string | undefined, date: string, deps: BackupDeps, options: CallOptions): Promise<ManifestEntry> {
  const bytes = await deps.results.get(key, options);
  const sha256 = await sha256Hex(bytes);
  const backupKey = `${BACKUP_ROOT}${date}/${key}`;
  await deps.backups.put(backupKey, bytes, options);
  const copy = await deps.backups.get(backupKey, options);
  if (copy.byteLength !== bytes.byteLength || (await sha256Hex(copy)) !== sha256) {
    throw new BackupVerificationError(`the copy of ${key} did not read back as written; the backup stops without a manifest`, { key });
  }
  return { key, size: bytes.byteLength, sha256, ...(etag ? { sourceEtag: etag } : {}), backupKey };
}

/**
 * Deletes backups older than the retention: manifest first (so a half-pruned backup is never
 * taken for complete), then the copies no kept manifest points at. Keeps the newest complete
 * backup whatever its age, and incomplete folders of today (a run may be in progress).
 */
async function prune(today: string, dates: { all: string[]; complete: string[] }, deps: BackupDeps, dryRun: boolean, options: CallOptions): Promise<string[]> {
  const cutoff = isoDate(Date.parse(`${today}T00:00:00Z`) - deps.retentionDays * DAY_MS);
  const newestComplete = dates.complete.at(-1);
  const doomed = dates.all.filter((date) => date < cutoff && date !== newestComplete);
  if (dryRun || doomed.length === 0) return doomed;
  const kept = dates.complete.filter((date) => !doomed.includes(date));
  const referenced = new Set<string>();
  for (const date of kept) for (const entry of (await readManifest(deps.backups, date, options))?.objects ?? []) referenced.add(entry.backupKey);
  for (const date of doomed) {
    await deps.backups.delete(manifestKey(date), options);
    for (const item of await listAll(deps.backups, `${BACKUP_ROOT}${date}/`, options)) {
      if (!referenced.has(item.key)) await deps.backups.delete(item.key, options);
    }
  }
  deps.logger.info('backup: pruned old backups', { dates: doomed, kept: newestComplete });
  return doomed;
}

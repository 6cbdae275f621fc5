import { describe, expect, it } from 'vitest';
import type { BlobStore } from '../../core/ports/blob-store.js';
import { silentLogger } from '../../core/ports/logger.js';
import { listAll, readManifest, sha256Hex } from '../../core/usecases/backup-manifest.js';
import { runBackup } from '../../core/usecases/backup.js';
import { runRestore } from '../../core/usecases/restore.js';
import { failingOnPut } from './faulty-store.js';

/** A results bucket and a backup bucket, fresh for each test. */
export type MakeStores = () => Promise<{ results: BlobStore; backups: BlobStore; cleanup?: () => Promise<void> }>;

const DAY = 86_400_000;

async function seed(results: BlobStore, count = 3) {
  for (let i = 0; i < count; i++) {
    const id = `0123456789abcdef000${i}`;
    await results.put(`results/${id}/result.json`, JSON.stringify({ id, kelp: { areaM2: i * 100 } }));
    await results.put(`results/${id}/kelp-mask.tif`, new Uint8Array(1000 + i).fill(i));
  }
}

async function fingerprint(results: BlobStore): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const item of await listAll(results, 'results/')) out[item.key] = await sha256Hex(await results.get(item.key));
  return out;
}

/**
 * The backup and restore scenarios of issue 5, run against any pair of stores (memory, S3 on
 * moto, Azure Blob on Azurite). Every scenario checks that nothing under results/ changed.
 */
export function describeBackupScenarios(name: string, makeStores: MakeStores): void {
  describe(`backup and restore on ${name}`, () => {
    let clockMs = Date.parse('2026-03-10T03:00:00Z');
    const clock = { now: () => clockMs };
    /** `mutates`: the scenario itself changes results/, so it checks around each backup instead. */
    const scenario = (title: string, body: (stores: { results: BlobStore; backups: BlobStore }) => Promise<void>, mutates = false) =>
      it(title, async () => {
        clockMs = Date.parse('2026-03-10T03:00:00Z');
        const { results, backups, cleanup } = await makeStores();
        try {
          await seed(results);
          const before = await fingerprint(results);
          await body({ results, backups });
          if (!mutates) expect(await fingerprint(results)).toEqual(before);
        } finally {
          await cleanup?.();
        }
      });
    const deps = (stores: { results: BlobStore; backups: BlobStore }) => ({ ...stores, clock, logger: silentLogger, retentionDays: 30 });

    scenario('backs up every result with a manifest whose checksums match the copies', async (stores) => {
      const report = await runBackup({}, deps(stores));
      expect(report.copied).toHaveLength(6);
      const manifest = await readManifest(stores.backups, '2026-03-10');
      expect(manifest?.objects).toHaveLength(6);
      for (const entry of manifest!.objects) {
        const copy = await stores.backups.get(entry.backupKey);
        expect(copy.byteLength).toBe(entry.size);
        expect(await sha256Hex(copy)).toBe(entry.sha256);
        expect(entry.sha256).toBe(await sha256Hex(await stores.results.get(entry.key)));
      }
    });

    scenario('copies nothing on a second run', async (stores) => {
      await runBackup({}, deps(stores));
      expect((await runBackup({}, deps(stores))).copied).toEqual([]);
      clockMs += DAY;
      const nextDay = await runBackup({}, deps(stores));
      expect(nextDay.copied).toEqual([]);
      expect(nextDay.carried).toBe(6);
    });

    scenario('copies only the result that changed', async (stores) => {
      await runBackup({}, deps(stores));
      clockMs += DAY;
      await stores.results.put('results/0123456789abcdef0001/result.json', JSON.stringify({ changed: true }));
      const before = await fingerprint(stores.results);
      expect((await runBackup({}, deps(stores))).copied).toEqual(['results/0123456789abcdef0001/result.json']);
      expect(await fingerprint(stores.results)).toEqual(before);
    }, true);

    scenario('leaves no manifest when a copy fails, and the next run completes', async (stores) => {
      const faulty = failingOnPut(stores.backups, 3);
      await expect(runBackup({}, { ...deps(stores), backups: faulty })).rejects.toThrow(/unreachable/);
      expect(await readManifest(stores.backups, '2026-03-10')).toBeUndefined();
      const report = await runBackup({}, deps(stores));
      expect(report.copied).toHaveLength(6);
      const manifest = await readManifest(stores.backups, '2026-03-10');
      for (const entry of manifest!.objects) expect(await sha256Hex(await stores.backups.get(entry.backupKey))).toBe(entry.sha256);
    });

    scenario('prunes backups past the retention but keeps the newest complete one', async (stores) => {
      await runBackup({}, deps(stores));
      clockMs += 40 * DAY;
      await stores.backups.put('backups/2026-04-18/results/partial.json', 'left by a failed run');
      clockMs += 1 * DAY;
      // Before a newer backup completes, the 41-day-old one is the newest complete: it is kept.
      const dry = await runBackup({ dryRun: true }, deps(stores));
      expect(dry.pruned).toEqual([]);
      expect(await readManifest(stores.backups, '2026-03-10')).toBeDefined();
      await runBackup({}, deps(stores));
      clockMs += 35 * DAY;
      const report = await runBackup({}, deps(stores));
      expect(report.pruned).toContain('2026-03-10');
      expect(await readManifest(stores.backups, '2026-03-10')).toBeUndefined();
      // The newest manifest still points at verified copies (carried ones included).
      const latest = await readManifest(stores.backups, report.date);
      for (const entry of latest!.objects) expect(await sha256Hex(await stores.backups.get(entry.backupKey))).toBe(entry.sha256);
    });

    scenario('says what it would do on a dry run and writes nothing', async (stores) => {
      const report = await runBackup({ dryRun: true }, deps(stores));
      expect(report.copied).toHaveLength(6);
      expect(report.manifest).toBeNull();
      expect(await listAll(stores.backups, 'backups/')).toEqual([]);
    });

    scenario('restore brings back deleted results byte for byte', async (stores) => {
      const before = await fingerprint(stores.results);
      await runBackup({}, deps(stores));
      for (const key of Object.keys(before)) await stores.results.delete(key);
      const report = await runRestore({ date: '2026-03-10' }, { backups: stores.backups, results: stores.results, logger: silentLogger });
      expect(report.restored).toHaveLength(6);
      expect(await fingerprint(stores.results)).toEqual(before);
    }, true);

    scenario('restore refuses a tampered backup and writes nothing', async (stores) => {
      await runBackup({}, deps(stores));
      const manifest = await readManifest(stores.backups, '2026-03-10');
      await stores.backups.put(manifest!.objects[2].backupKey, 'tampered');
      await stores.results.delete('results/0123456789abcdef0000/result.json');
      await expect(runRestore({ date: '2026-03-10' }, { backups: stores.backups, results: stores.results, logger: silentLogger })).rejects.toThrow(
        /does not match its manifest/,
      );
      expect(await stores.results.head('results/0123456789abcdef0000/result.json')).toBeUndefined();
    }, true);

    scenario('restore refuses a backup without a manifest', async (stores) => {
      await stores.backups.put('backups/2026-03-09/results/x/result.json', '{}');
      await expect(runRestore({ date: '2026-03-09' }, { backups: stores.backups, results: stores.results, logger: silentLogger })).rejects.toThrow(
        /has no manifest/,
      );
    });

    scenario('restore does not overwrite a newer result unless forced', async (stores) => {
      await runBackup({}, deps(stores));
      await new Promise((resolve) => setTimeout(resolve, 1100));
      clockMs = Date.now();
      await stores.results.put('results/0123456789abcdef0001/result.json', JSON.stringify({ newer: true }));
      const restore = (force: boolean) => runRestore({ date: '2026-03-10', force }, { backups: stores.backups, results: stores.results, logger: silentLogger });
      expect((await restore(false)).skippedNewer).toEqual(['results/0123456789abcdef0001/result.json']);
      expect((await restore(true)).restored).toEqual(['results/0123456789abcdef0001/result.json']);
    }, true);
  });
}

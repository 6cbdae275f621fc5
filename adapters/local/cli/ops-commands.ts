import { loadConfig } from '../../../core/config.js';
import { systemClock } from '../../../core/ports/clock.js';
import { noMetrics } from '../../../core/ports/metrics.js';
import { runBackup } from '../../../core/usecases/backup.js';
import { runHealthPing } from '../../../core/usecases/health-ping.js';
import { runRestore } from '../../../core/usecases/restore.js';
import { createBackupStore, createStores } from '../../shared/platform.js';
import { cliPlatform } from '../platform.js';
import { UsageError, parseFlags } from './usage.js';

/** The configured stores, as every operations command uses them (KELPIE_STORE etc.). */
async function wiring() {
  const config = loadConfig(process.env);
  const platform = await cliPlatform(config);
  const stores = createStores(platform, config);
  return { config, stores, backups: createBackupStore(platform, config, stores.resultStore), logger: platform.logger({ KELPIE_LOG_LEVEL: 'warn' }, 'kelpie-cli') };
}

/** `kelpie backup [--dry-run]`: the daily backup, run now. */
export async function backupCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } });
  if (positionals.length) throw new UsageError(`kelpie backup takes no arguments (got ${positionals.join(' ')})`);
  const { config, stores, backups, logger } = await wiring();
  const report = await runBackup(
    { dryRun: values['dry-run'] },
    { results: stores.resultStore, backups, clock: systemClock, logger, retentionDays: config.KELPIE_BACKUP_RETENTION_DAYS },
  );
  if (values.json) return void process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  const verb = report.dryRun ? 'would copy' : 'copied';
  process.stdout.write(
    `Backup ${report.date}${report.dryRun ? ' (dry run: nothing written)' : ''}: ${verb} ${report.copied.length} object(s), ${report.carried} unchanged carried forward` +
      `${report.pruned.length ? `; ${report.dryRun ? 'would prune' : 'pruned'} ${report.pruned.join(', ')}` : ''}` +
      `${report.manifest ? `; manifest ${report.manifest}` : ''}\n${report.copied.map((key) => `  ${verb} ${key}`).join('\n')}${report.copied.length ? '\n' : ''}`,
  );
}

/** `kelpie restore <date> [--to PREFIX] [--only KEY ...] [--force]`. */
export async function restoreCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, { to: { type: 'string' }, only: { type: 'string', multiple: true }, force: { type: 'boolean' }, json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('which backup? e.g. kelpie restore 2026-11-25');
  const { stores, backups, logger } = await wiring();
  const report = await runRestore(
    { date: positionals[0], to: values.to, only: values.only, force: values.force },
    { backups, results: stores.resultStore, logger },
  );
  if (values.json) return void process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(
    `Restored ${report.restored.length} object(s) from ${report.date}; ${report.unchanged.length} already identical` +
      `${report.skippedNewer.length ? `; kept ${report.skippedNewer.length} newer result(s) (use --force to overwrite): ${report.skippedNewer.join(', ')}` : ''}\n`,
  );
}

/** `kelpie health`: the health ping, once; exits non-zero when a check fails. */
export async function healthCommand(args: string[]): Promise<void> {
  const { positionals } = parseFlags(args, {});
  if (positionals.length) throw new UsageError('kelpie health takes no arguments');
  const { config, stores, logger } = await wiring();
  const { ok, checks } = await runHealthPing({
    store: stores.resultStore,
    stacUrl: config.KELPIE_STAC_URL,
    healthUrl: config.KELPIE_HEALTH_URL,
    fetch,
    clock: systemClock,
    logger,
    metrics: noMetrics,
  });
  for (const check of checks) process.stdout.write(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name.padEnd(14)} ${String(check.latencyMs).padStart(5)} ms${check.error ? `  ${check.error}` : ''}\n`);
  if (!ok) process.exitCode = 4;
}

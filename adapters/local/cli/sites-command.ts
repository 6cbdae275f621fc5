import { readFile } from 'node:fs/promises';
import { type Config, jobQueueKind, loadConfig } from '../../../core/config.js';
import { systemClock } from '../../../core/ports/clock.js';
import { formatHaFromM2, formatNumber } from '../../../core/report/format.js';
import { createSite } from '../../../core/sites/manage-sites.js';
import { observationsCsv, quartersCsv, trendCsv } from '../../../core/sites/series-csv.js';
import { SITE_KEYS, type SiteRecord, viewSite } from '../../../core/sites/site.js';
import { readSiteSeries } from '../../../core/sites/site-series.js';
import { deleteSite, listSiteIds, readJson, readSite } from '../../../core/sites/site-store.js';
import type { SiteTrend } from '../../../core/sites/site-trend.js';
import { jobWorkerFrom } from '../../shared/job-worker.js';
import { createFolderJobQueue } from '../../shared/local-stores.js';
import { createJobQueue, createStores } from '../../shared/platform.js';
import { monitorSitesJob, monitorSitesPartsFrom } from '../../shared/scheduled-jobs.js';
import { startLocalJobRunner } from '../job-runner.js';
import { cliPlatform } from '../platform.js';
import { UsageError, parseFlags } from './usage.js';

/** The configured store and queue, as the API and the scheduled function use them. */
async function wiring() {
  const config = loadConfig(process.env);
  const platform = await cliPlatform(config);
  return { config, platform, store: createStores(platform, config).resultStore, logger: platform.logger({ ...config, KELPIE_LOG_LEVEL: 'warn' }, 'kelpie-cli') };
}

const out = (text: string) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
const numbers = (text: string, flag: string, count: number) => {
  const values = text.split(',').map(Number);
  if (values.length !== count || values.some((v) => !Number.isFinite(v))) throw new UsageError(`--${flag} takes ${count} numbers separated by commas (got "${text}")`);
  return values;
};

/** `kelpie sites add|list|show|remove|series`. */
export async function sitesCommand(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  const run = SUBCOMMANDS[sub ?? ''];
  if (!run) throw new UsageError(`kelpie sites ${sub ?? ''}: say add, list, show, remove or series`);
  await run(rest);
}

const SUBCOMMANDS: Record<string, (args: string[]) => Promise<void>> = {
  add: addSite,
  list: listSites,
  show: showSite,
  remove: removeSite,
  series: siteSeries,
};

/** `kelpie sites add --name N (--point LAT,LNG [--buffer-km N] | --bbox W,S,E,N | --geojson FILE) […]`: the body of `POST /api/sites`. */
async function addSite(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, {
    name: { type: 'string' }, point: { type: 'string' }, 'buffer-km': { type: 'string' }, bbox: { type: 'string' }, geojson: { type: 'string' },
    since: { type: 'string' }, species: { type: 'string' }, method: { type: 'string' }, 'area-mode': { type: 'string' }, 'max-cloud': { type: 'string' },
    collection: { type: 'string', multiple: true },
    webhook: { type: 'string' }, threshold: { type: 'string' }, direction: { type: 'string' }, json: { type: 'boolean' },
  });
  if (positionals.length) throw new UsageError(`kelpie sites add takes flags only (got ${positionals.join(' ')})`);
  const given = [values.point, values.bbox, values.geojson].filter(Boolean).length;
  if (given !== 1) throw new UsageError('give the site as one of --point LAT,LNG, --bbox W,S,E,N or --geojson FILE');
  let aoi: unknown;
  if (values.point) {
    const [lat, lng] = numbers(values.point, 'point', 2);
    aoi = { point: { lat, lng }, bufferKm: values['buffer-km'] === undefined ? 1 : Number(values['buffer-km']) };
  } else if (values.bbox) aoi = { bbox: numbers(values.bbox, 'bbox', 4) };
  else aoi = JSON.parse(await readFile(values.geojson as string, 'utf8'));
  const alert = values.webhook || values.threshold || values.direction
    ? { ...(values.webhook ? { webhookUrl: values.webhook } : {}), ...(values.threshold ? { thresholdPercent: Number(values.threshold) } : {}), ...(values.direction ? { direction: values.direction } : {}) }
    : undefined;
  // `--collection sentinel-2-l2a,landsat-c2-l2` (repeatable, or a comma list), as `kelpie stac` takes it.
  const collections = (values.collection ?? []).flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
  const body = {
    name: values.name, aoi,
    ...(collections.length ? { collections } : {}),
    ...(values.since ? { since: values.since } : {}), ...(values.species ? { species: values.species } : {}), ...(values.method ? { method: values.method } : {}),
    ...(values['area-mode'] ? { areaMode: values['area-mode'] } : {}), ...(values['max-cloud'] ? { maxCloud: Number(values['max-cloud']) } : {}),
    ...(alert ? { alert } : {}),
  };
  const { config, platform, store, logger } = await wiring();
  const queue = createJobQueue(platform, config);
  const created = await createSite(body, { resultStore: store, ...(queue ? { queue } : {}), catalogConfigured: Boolean(config.KELPIE_STAC_URL), now: () => systemClock.now(), outboundHosts: config.KELPIE_OUTBOUND_HOSTS, logger });
  if (values.json) return out(JSON.stringify({ ...viewSite(created.site), ...(created.secret ? { secret: created.secret } : {}), backfill: created.backfill }, null, 2));
  const { site } = created;
  out(`Site ${site.id} "${site.name}": ${formatHaFromM2(site.aoi.areaM2)}, watched since ${site.since}; backfill ${created.backfill}${queueNote(config)}`);
  if (created.secret) out(`Webhook secret (shown once; the X-Kelpie-Signature header is signed with it): ${created.secret}`);
}

async function listSites(args: string[]): Promise<void> {
  const { values } = parseFlags(args, { json: { type: 'boolean' } });
  const { store } = await wiring();
  const sites: SiteRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await listSiteIds(store, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const id of page.ids) {
      const site = await readJson<SiteRecord>(store, SITE_KEYS.site(id));
      if (site) sites.push(site);
    }
    cursor = page.cursor;
  } while (cursor);
  if (values.json) return out(JSON.stringify(sites.map(viewSite), null, 2));
  if (sites.length === 0) return out('No sites yet: kelpie sites add --name … --point LAT,LNG');
  for (const site of sites) out(`${site.id}  ${site.name}  ${formatHaFromM2(site.aoi.areaM2)}  since ${site.since}${site.paused ? '  (paused)' : ''}`);
}

async function showSite(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, { json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('which site? e.g. kelpie sites show site-0190f3a2b4c19f3e2a1b');
  const { store } = await wiring();
  const site = await readSite(store, positionals[0]);
  const { series, trend } = await readSiteSeries(store, site, systemClock.now());
  if (values.json) return out(JSON.stringify({ ...viewSite(site), counts: series.counts, ...(series.sensors ? { sensors: series.sensors } : {}), ...(series.resolutionNote ? { resolutionNote: series.resolutionNote } : {}), trend }, null, 2));
  out(`${site.id} "${site.name}": ${formatHaFromM2(site.aoi.areaM2)} (${site.aoi.kind}), since ${site.since}, ${site.options.method ?? 'default method'} / ${site.options.species} / ${site.options.areaMode}, ${site.collections.join(' + ')}`);
  out(`Observations: ${series.counts.observations} (${series.counts.good} good, ${series.counts.flagged} flagged as seen under ${site.observableMin * 100} %, ${series.counts.unobservable} unobservable)`);
  if (series.sensors && series.sensors.length > 1) out(`Sensors: ${series.sensors.map((entry) => `${entry.label} ${entry.observations} (${entry.pixelSizeM} m)`).join(', ')}`);
  if (series.resolutionNote) out(series.resolutionNote);
  out(trendLine(trend));
  if (site.alert) out(`Alerts: ${site.alert.direction} beyond ${site.alert.thresholdPercent} % of the baseline${site.alert.webhookUrl ? `, POSTed to ${new URL(site.alert.webhookUrl).origin}` : ''}`);
}

async function removeSite(args: string[]): Promise<void> {
  const { positionals } = parseFlags(args, {});
  if (positionals.length !== 1) throw new UsageError('which site? e.g. kelpie sites remove site-0190f3a2b4c19f3e2a1b');
  const { store } = await wiring();
  const { deleted } = await deleteSite(store, positionals[0]);
  out(`Removed ${positionals[0]} (${deleted} objects); its analyses stay under results/`);
}

/** `kelpie sites series <id> [--csv] [--observations] [--trend]`: the quarters (or observations, or trend) as a table or CSV. */
async function siteSeries(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, { csv: { type: 'boolean' }, json: { type: 'boolean' }, observations: { type: 'boolean' }, trend: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('which site? e.g. kelpie sites series site-0190f3a2b4c19f3e2a1b --csv');
  const { store } = await wiring();
  const site = await readSite(store, positionals[0]);
  const { series, trend } = await readSiteSeries(store, site, systemClock.now());
  if (values.json) return out(JSON.stringify({ ...series, trend }, null, 2));
  if (values.csv) return void process.stdout.write(values.trend ? trendCsv(trend) : values.observations ? observationsCsv(series) : quartersCsv(series));
  out(`quarter   good flagged  value (${series.statistic}, ${series.areaMode})`);
  for (const q of series.quarters) out(`${q.quarter}  ${String(q.count).padStart(4)} ${String(q.flagged).padStart(7)}  ${q.valueM2 === undefined ? '—' : formatHaFromM2(q.valueM2)}`);
  out(trendLine(trend));
}

function trendLine(trend: SiteTrend): string {
  const t = trend.trend;
  if (!t) return `Trend: none yet (${trend.notes.join('; ')})`;
  const percent = t.percentPerYear === undefined ? '' : ` (${formatNumber(t.percentPerYear, 1)} %/year of the baseline)`;
  return `Trend: ${t.direction}, Sen's slope ${formatHaFromM2(t.slopeM2PerYear)}/year${percent}, Mann–Kendall p = ${t.pValue.toPrecision(2)} over ${t.n} quarters`;
}

function queueNote(config: Config): string {
  return jobQueueKind(config) === 'local' ? ' (the local queue: `kelpie watch` or `npm start` runs it, or `kelpie monitor --wait`)' : '';
}

/**
 * `kelpie monitor [--wait] [--json]`: one run of the scheduled `monitorSites` (the first page of
 * sites checked, one job per new scene on the job queue). `--wait` then runs the local queue
 * here until it is empty, as `kelpie watch` would.
 */
export async function monitorCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, { wait: { type: 'boolean' }, json: { type: 'boolean' } });
  if (positionals.length) throw new UsageError('kelpie monitor takes no arguments');
  const { config, platform } = await wiring();
  const parts = monitorSitesPartsFrom(platform, config, 'kelpie-monitor');
  const report = await monitorSitesJob(parts)({ trigger: 'manual', firedAt: new Date().toISOString() }, new AbortController().signal);
  if (values.wait) {
    if (jobQueueKind(config) !== 'local') throw new UsageError('--wait runs the local folder queue; with a cloud queue its workers run the jobs');
    const runner = startLocalJobRunner({ queue: createFolderJobQueue(config), worker: jobWorkerFrom(platform, config, 'kelpie-jobs', { timeoutMs: config.KELPIE_JOB_TIMEOUT_S * 1000 }), logger: parts.logger, pollMs: 100 });
    await runner.idle();
    await runner.stop();
  }
  if (values.json) return out(JSON.stringify(report, null, 2));
  out(`Checked ${report.checked.length} of ${report.sites} site(s): ${report.queued} new scene(s) queued, ${report.skipped} skipped, ${report.alertsFired} alert(s) fired${report.continued ? '; the next page of sites was queued' : ''}${values.wait ? '; the queue has been run' : ''}`);
}

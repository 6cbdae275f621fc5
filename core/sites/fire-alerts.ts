import type { BlobStore } from '../ports/blob-store.js';
import type { Fetch } from '../ports/fetch.js';
import type { Logger } from '../ports/logger.js';
import { OutboundPolicy } from '../net/outbound-policy.js';
import { type SiteAlertRecord, afterDelivery, alertIdOf, deliveryDue, findCrossings } from './alerts.js';
import type { SiteSeries } from './site-series.js';
import { SITE_KEYS, type SiteRecord } from './site.js';
import { listAll, readJson, writeJson } from './site-store.js';
import type { SiteTrend } from './site-trend.js';
import { deliverWebhook } from './webhook.js';
import { checkWebhookUrl } from './webhook-url.js';

/** Largest millisecond timestamp the alert index orders (year 2286), as the analyses' index. */
const MAX_MS = 9_999_999_999_999;

/** What firing alerts needs: the store, the time, and the outbound HTTP of webhooks. */
export interface AlertDeps {
  resultStore: BlobStore;
  now: () => number;
  logger: Logger;
  fetch: Fetch;
  /** `KELPIE_OUTBOUND_HOSTS`: webhook hosts must be on it. */
  outboundHosts: readonly string[];
  userAgent?: string;
  /** Injected waits for the webhook's retries (tests). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
}

/**
 * The deps of {@link fireAlerts} from a job's or a check's: its store, clock, logger and signal,
 * and the site runtime's HTTP (webhooks).
 */
export function alertDepsOf(deps: Pick<AlertDeps, 'resultStore' | 'now' | 'logger' | 'signal'>, sites: { fetch: Fetch; outboundHosts: readonly string[]; userAgent?: string }): AlertDeps {
  return {
    resultStore: deps.resultStore,
    now: deps.now,
    logger: deps.logger,
    fetch: sites.fetch,
    outboundHosts: sites.outboundHosts,
    ...(sites.userAgent ? { userAgent: sites.userAgent } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
  };
}

/**
 * Records the alerts the series calls for that are not recorded yet, then delivers every alert of
 * the site whose delivery is due (new ones, and earlier failures whose backoff has passed). An
 * alert's id is its quarter and kind, so finding a crossing again records nothing new.
 *
 * @example
 * ```ts
 * const { fired } = await fireAlerts(site, { series, trend }, deps);
 * ```
 */
export async function fireAlerts(site: SiteRecord, derived: { series: SiteSeries; trend: SiteTrend }, deps: AlertDeps): Promise<{ fired: SiteAlertRecord[]; delivered: number }> {
  if (!site.alert) return { fired: [], delivered: 0 };
  const options = { signal: deps.signal };
  const listed = await listAll(deps.resultStore, SITE_KEYS.alertPrefix(site.id), options);
  const known = new Set(listed.map((item) => item.key));
  const fired: SiteAlertRecord[] = [];
  for (const crossing of findCrossings(derived.series.quarters, derived.trend.baseline, site.alert)) {
    const id = alertIdOf(crossing);
    if (known.has(SITE_KEYS.alert(site.id, id))) continue;
    const firedAt = new Date(deps.now()).toISOString();
    const record: SiteAlertRecord = {
      schemaVersion: 1,
      id,
      siteId: site.id,
      siteName: site.name,
      ...crossing,
      thresholdPercent: site.alert.thresholdPercent,
      statistic: site.statistic,
      areaMode: site.options.areaMode,
      firedAt,
      delivery: { status: site.alert.webhookUrl ? 'pending' : 'none', attempts: 0 },
    };
    await writeJson(deps.resultStore, SITE_KEYS.alert(site.id, id), record, options);
    const inverted = String(MAX_MS - Date.parse(firedAt)).padStart(13, '0');
    await writeJson(deps.resultStore, `${SITE_KEYS.alertIndexPrefix}${inverted}-${site.id}-${id}.json`, { siteId: site.id, alertId: id }, options);
    deps.logger.info('site alert fired', { siteId: site.id, alert: id, changePercent: crossing.changePercent });
    fired.push(record);
  }
  let delivered = 0;
  if (site.alert.webhookUrl && site.alert.secret) {
    const due = [...fired, ...(await readDue(site, listed, fired, deps))];
    for (const record of due) if (await deliver(site, record, deps)) delivered++;
  }
  return { fired, delivered };
}

/** Recorded alerts (not just fired) whose delivery is due. */
async function readDue(site: SiteRecord, listed: ReadonlyArray<{ key: string }>, fired: readonly SiteAlertRecord[], deps: AlertDeps): Promise<SiteAlertRecord[]> {
  const records = await Promise.all(listed.map((item) => readJson<SiteAlertRecord>(deps.resultStore, item.key, { signal: deps.signal })));
  return records.filter((r): r is SiteAlertRecord => r !== undefined && !fired.some((f) => f.id === r.id) && deliveryDue(r.delivery, deps.now()));
}

/** One delivery (with its retries) of one alert, recorded in the alert; true when delivered. */
async function deliver(site: SiteRecord, record: SiteAlertRecord, deps: AlertDeps): Promise<boolean> {
  const alert = site.alert!;
  const url = alert.webhookUrl as string;
  let outcome: { ok: boolean; status?: number; error?: string };
  try {
    // The allow-list may have changed since the site was created.
    checkWebhookUrl(url, deps.outboundHosts);
    outcome = await deliverWebhook(url, alert.secret as string, `${site.id}/${record.id}`, webhookPayload(site, record), {
      fetch: deps.fetch,
      policy: new OutboundPolicy(deps.outboundHosts),
      now: deps.now,
      ...(deps.userAgent ? { userAgent: deps.userAgent } : {}),
      ...(deps.sleep ? { retry: { sleep: deps.sleep } } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
  } catch (error) {
    outcome = { ok: false, error: (error as Error).message };
  }
  record.delivery = afterDelivery(record.delivery, outcome, deps.now());
  await writeJson(deps.resultStore, SITE_KEYS.alert(site.id, record.id), record, { signal: deps.signal });
  const fields = { siteId: site.id, alert: record.id, attempts: record.delivery.attempts, status: outcome.status };
  if (outcome.ok) deps.logger.info('site alert delivered', fields);
  else deps.logger.warn('site alert not delivered', { ...fields, error: outcome.error, next: record.delivery.nextAttemptAfter ?? 'given up' });
  return outcome.ok;
}

/** What a webhook receives. */
export function webhookPayload(site: SiteRecord, record: SiteAlertRecord) {
  return {
    type: 'kelpie.site.alert',
    id: `${site.id}/${record.id}`,
    site: { id: site.id, name: site.name, links: { self: `/api/sites/${site.id}`, series: `/api/sites/${site.id}/series` } },
    quarter: record.quarter,
    kind: record.kind,
    valueM2: record.valueM2,
    baselineM2: record.baselineM2,
    changePercent: record.changePercent,
    thresholdPercent: record.thresholdPercent,
    statistic: record.statistic,
    areaMode: record.areaMode,
    firedAt: record.firedAt,
  };
}

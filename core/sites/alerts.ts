/**
 * Alerts of a site: a quarter whose value falls below the baseline by more than the site's
 * threshold (or rises above it, when asked) fires one alert, the first quarter of each such
 * excursion; quarters that stay beyond it do not fire again until the value comes back. Each
 * alert is one object (`sites/<id>/alerts/<quarter>-<kind>.json`, its id fixed by the quarter),
 * listed newest first under `alert-index/`, and POSTed signed to the site's webhook.
 */
import type { Baseline } from './site-trend.js';
import type { QuarterValue } from './seasonal.js';
import type { SiteAlert } from './site.js';

/** One threshold crossing: the quarter, which way, and by how much. */
export interface Crossing {
  quarter: string;
  kind: 'drop' | 'rise';
  valueM2: number;
  baselineM2: number;
  /** Change from the baseline, percent (negative for a drop). */
  changePercent: number;
}

/**
 * The quarters after the baseline at which the value crosses the threshold, oldest first. Pure.
 *
 * @example
 * ```ts
 * findCrossings(series.quarters, trend.baseline, { thresholdPercent: 20, direction: 'drop' });
 * // [{ quarter: '2023-Q3', kind: 'drop', valueM2: 31500, baselineM2: 41000, changePercent: -23.2 }]
 * ```
 */
export function findCrossings(quarters: readonly QuarterValue[], baseline: Baseline | undefined, alert: Pick<SiteAlert, 'thresholdPercent' | 'direction'>): Crossing[] {
  if (!baseline || !(baseline.valueM2 > 0)) return [];
  const kinds: Array<Crossing['kind']> = alert.direction === 'both' ? ['drop', 'rise'] : [alert.direction];
  const limit = alert.thresholdPercent / 100;
  const crossings: Crossing[] = [];
  for (const kind of kinds) {
    let beyond = false;
    for (const q of quarters) {
      if (q.valueM2 === undefined || q.start <= baseline.end) continue;
      const change = (q.valueM2 - baseline.valueM2) / baseline.valueM2;
      const now = kind === 'drop' ? change < -limit : change > limit;
      if (now && !beyond) crossings.push({ quarter: q.quarter, kind, valueM2: q.valueM2, baselineM2: baseline.valueM2, changePercent: Math.round(change * 1000) / 10 });
      beyond = now;
    }
  }
  return crossings.sort((a, b) => a.quarter.localeCompare(b.quarter) || a.kind.localeCompare(b.kind));
}

/** How an alert's webhook delivery stands. */
export interface AlertDelivery {
  /** `none`: the site has no webhook; `pending`: not tried yet or to be tried again; `failed`: given up. */
  status: 'none' | 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastAttemptAt?: string;
  deliveredAt?: string;
  responseStatus?: number;
  error?: string;
  /** When the next delivery may be tried (backoff between scheduled retries). */
  nextAttemptAfter?: string;
}

/** `sites/<id>/alerts/<alert id>.json`. */
export interface SiteAlertRecord extends Crossing {
  schemaVersion: 1;
  /** `<quarter>-<kind>`, e.g. `2023-Q3-drop`: one per crossing, whoever finds it. */
  id: string;
  siteId: string;
  siteName: string;
  thresholdPercent: number;
  statistic: string;
  areaMode: string;
  firedAt: string;
  delivery: AlertDelivery;
}

/** Deliveries tried (each with its own retries) before an alert's delivery is given up, and the wait after the first failed one. */
export const MAX_DELIVERIES = 6;
const FIRST_REDELIVERY_MS = 15 * 60 * 1000;

/** The id of a crossing's alert. */
export const alertIdOf = (crossing: Pick<Crossing, 'quarter' | 'kind'>) => `${crossing.quarter}-${crossing.kind}`;

/** The alert's delivery after a try: delivered, to be tried again after a backoff (15 min doubling), or given up. */
export function afterDelivery(delivery: AlertDelivery, outcome: { ok: boolean; status?: number; error?: string }, nowMs: number): AlertDelivery {
  const attempts = delivery.attempts + 1;
  const at = new Date(nowMs).toISOString();
  if (outcome.ok) return { status: 'delivered', attempts, lastAttemptAt: at, deliveredAt: at, ...(outcome.status ? { responseStatus: outcome.status } : {}) };
  const failed = attempts >= MAX_DELIVERIES;
  return {
    status: failed ? 'failed' : 'pending',
    attempts,
    lastAttemptAt: at,
    ...(outcome.status ? { responseStatus: outcome.status } : {}),
    ...(outcome.error ? { error: outcome.error } : {}),
    ...(failed ? {} : { nextAttemptAfter: new Date(nowMs + FIRST_REDELIVERY_MS * 2 ** (attempts - 1)).toISOString() }),
  };
}

/** Whether an alert's delivery should be tried now. */
export function deliveryDue(delivery: AlertDelivery, nowMs: number): boolean {
  return delivery.status === 'pending' && (!delivery.nextAttemptAfter || Date.parse(delivery.nextAttemptAfter) <= nowMs);
}

/**
 * A monitored site: a place watched scene by scene (docs/sites.md). Its record, where its
 * objects live, and how it is shown. Observations are one object each, so workers finishing at
 * once never overwrite each other; the series and trend are derived from their listing.
 */
import type { AnalysisOptions } from '../analysis/options.js';
import type { SiteAoi } from './site-aoi.js';

/** Where a site keeps its objects (docs/design.md, "Storage layout"). */
export const SITE_KEYS = {
  site: (id: string) => `sites/${id}/site.json`,
  /** The scheduled checks' progress through the catalog (written by the monitor only, never by the API). */
  check: (id: string) => `sites/${id}/check.json`,
  obsPrefix: (id: string) => `sites/${id}/obs/`,
  obs: (id: string, sceneId: string) => `sites/${id}/obs/${sceneId}.json`,
  /** A scene queued for the site and not yet observed: while any is left, alerts wait (a backfill lands in any order). */
  queuedPrefix: (id: string) => `sites/${id}/queued/`,
  queued: (id: string, sceneId: string) => `sites/${id}/queued/${sceneId}.json`,
  series: (id: string) => `sites/${id}/series.json`,
  trend: (id: string) => `sites/${id}/trend.json`,
  alertPrefix: (id: string) => `sites/${id}/alerts/`,
  alert: (id: string, alertId: string) => `sites/${id}/alerts/${alertId}.json`,
  prefix: (id: string) => `sites/${id}/`,
  /** One small object per site, so sites are listed without listing their observations. */
  indexPrefix: 'site-index/',
  index: (id: string) => `site-index/${id}.json`,
  /** Every alert of every site, newest first (`<inverted ms>-<site id>-<alert id>`), for `GET /api/alerts`. */
  alertIndexPrefix: 'alert-index/',
} as const;

/** Site ids: `site-` and 20 hex digits, the first 12 the creation time (ms), so listings run oldest first. */
export const SITE_ID = /^site-[0-9a-f]{20}$/;

/** How a site's alerts are sent. */
export interface SiteAlert {
  /** Percent below (or above) the baseline that fires an alert. */
  thresholdPercent: number;
  direction: 'drop' | 'rise' | 'both';
  /** Where alerts are POSTed (signed); none: alerts are recorded and listed only. */
  webhookUrl?: string;
  /** The HMAC-SHA256 key of the signature header; never shown again after creation. */
  secret?: string;
}

/** A site as stored in `sites/<id>/site.json`. */
export interface SiteRecord {
  schemaVersion: 1;
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  aoi: SiteAoi;
  /** Analysis options of every observation (method, species, area mode: always set for a site, so every sensor's observation uses the same). */
  options: AnalysisOptions & { areaMode: 'binary' | 'fractional' };
  /** Largest scene cloud cover searched, percent (the share of the site that was seen decides the rest). */
  maxCloud: number;
  /** First day watched, `YYYY-MM-DD`. */
  since: string;
  collections: string[];
  /** Observations that saw less than this share of the site are kept but flagged, and left out of seasonal values. */
  observableMin: number;
  /** The quarterly value the trend and alerts use: the maximum (Kelpwatch's) or the median of good observations. */
  statistic: 'max' | 'median';
  /** Quarters the baseline is taken from (inclusive dates); default: the first four quarters with a value. */
  baseline?: { start: string; end: string };
  alert?: SiteAlert;
  /** A paused site is not checked for new scenes. */
  paused?: boolean;
}

/** A site as the API shows it: no secret, only its last four characters. */
export type SiteView = Omit<SiteRecord, 'alert'> & {
  alert?: Omit<SiteAlert, 'secret'> & { secretHint?: string };
  links: { self: string; series: string; trend: string; alerts: string };
};

/**
 * The site without its secret, with its links.
 *
 * @example
 * ```ts
 * viewSite(record).alert?.secretHint; // '…9f3e'
 * ```
 */
export function viewSite(site: SiteRecord): SiteView {
  const { alert, ...rest } = site;
  const links = { self: `/api/sites/${site.id}`, series: `/api/sites/${site.id}/series`, trend: `/api/sites/${site.id}/trend`, alerts: `/api/alerts?site=${site.id}` };
  if (!alert) return { ...rest, links };
  const { secret, ...shown } = alert;
  return { ...rest, alert: { ...shown, ...(secret ? { secretHint: `…${secret.slice(-4)}` } : {}) }, links };
}

/** A new site id at `nowMs`, with 32 random bits. */
export function newSiteId(nowMs: number): string {
  const random = crypto.getRandomValues(new Uint8Array(4));
  return `site-${Math.floor(nowMs).toString(16).padStart(12, '0')}${[...random].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** A new webhook secret: 32 random bytes as hex. */
export function newSecret(): string {
  return [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

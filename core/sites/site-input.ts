/**
 * What `POST /api/sites` and `PATCH /api/sites/{id}` accept (and `kelpie sites add`), checked
 * once here into a `SiteRecord`: every problem is found before anything is stored.
 */
import { z } from 'zod';
import { SPECIES } from '../analysis/factors.js';
import { METHOD_NAMES, type MethodName } from '../analysis/methods/registry.js';
import { parseAnalysisOptions } from '../analysis/options.js';
import { InvalidRequestError, UnsupportedMethodError } from '../errors.js';
import { COLLECTION_SENSORS, getSensor } from '../sensors/registry.js';
import type { SensorDescription } from '../sensors/sensor.js';
import { describeZodError } from '../validation.js';
import { parseSiteAoi } from './site-aoi.js';
import { type SiteAlert, type SiteRecord, newSecret } from './site.js';
import { checkWebhookUrl } from './webhook-url.js';

/**
 * Collections a site may watch: Sentinel-2 L2A (Earth Search's, and the collection-1
 * reprocessing) and Landsat 8/9 Collection 2 Level-2 (history back to 2013), alone or together.
 */
export const SITE_COLLECTIONS = ['sentinel-2-l2a', 'sentinel-2-c1-l2a', 'landsat-c2-l2'] as const;
export type SiteCollection = (typeof SITE_COLLECTIONS)[number];

/** Defaults of a new site, and why (docs/sites.md). */
export const SITE_DEFAULTS = {
  /** Five years of history. */
  sinceYears: 5,
  /** Scenes up to 80 % cloudy are searched: the share of the site that was seen decides, not the scene's cloud. */
  maxCloud: 80,
  /** An observation that saw less than 80 % of the site is flagged. */
  observableMin: 0.8,
  /** Canopy cover, not extent: biomass and Kelpwatch's canopy area rest on it. */
  areaMode: 'fractional',
  alertThresholdPercent: 20,
} as const;

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD').refine((value) => Number.isFinite(Date.parse(`${value}T00:00:00Z`)), 'not a calendar date');
const position = z.array(z.unknown());
const aoiSchema = z.union(
  [
    z.object({ point: z.object({ lat: z.number(), lng: z.number() }).strict(), bufferKm: z.number().gt(0).max(50) }).strict(),
    z.object({ bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]) }).strict(),
    z.object({ type: z.literal('Polygon'), coordinates: z.array(position) }).strict(),
    z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(position)) }).strict(),
  ],
  { error: 'expected { "point": { "lat", "lng" }, "bufferKm" }, { "bbox": [w, s, e, n] } or a GeoJSON Polygon or MultiPolygon geometry' },
);
const alertSchema = z
  .object({
    webhookUrl: z.string().min(1).max(2048).optional(),
    thresholdPercent: z.number().gt(0).max(100).default(SITE_DEFAULTS.alertThresholdPercent),
    direction: z.enum(['drop', 'rise', 'both']).default('drop'),
    secret: z.string().min(16).max(256).optional(),
  })
  .strict();
const baselineSchema = z.object({ start: date, end: date }).strict().refine((b) => b.start <= b.end, 'baseline end is before its start');
const editable = {
  name: z.string().trim().min(1).max(120),
  maxCloud: z.number().min(0).max(100),
  observableMin: z.number().min(0).max(1),
  statistic: z.enum(['max', 'median']),
  baseline: baselineSchema,
};

const createSchema = z
  .object({
    ...editable,
    aoi: z.union([aoiSchema, z.object({ type: z.literal('Feature'), geometry: aoiSchema, properties: z.unknown().optional() }).strict()]),
    species: z.enum(SPECIES).default('macrocystis'),
    /** Default: see `siteMethod` (KD for Sentinel-2 only, as before Landsat; else a method every sensor runs). */
    method: z.enum(METHOD_NAMES).optional(),
    areaMode: z.enum(['binary', 'fractional']).default(SITE_DEFAULTS.areaMode),
    maxCloud: editable.maxCloud.default(SITE_DEFAULTS.maxCloud),
    observableMin: editable.observableMin.default(SITE_DEFAULTS.observableMin),
    statistic: editable.statistic.default('max'),
    baseline: baselineSchema.optional(),
    since: date.optional(),
    collections: z.array(z.enum(SITE_COLLECTIONS)).min(1).max(SITE_COLLECTIONS.length).optional(),
    alert: alertSchema.optional(),
  })
  .strict();

const patchSchema = z
  .object({
    name: editable.name.optional(),
    maxCloud: editable.maxCloud.optional(),
    observableMin: editable.observableMin.optional(),
    statistic: editable.statistic.optional(),
    baseline: baselineSchema.nullable().optional(),
    alert: alertSchema.nullable().optional(),
    /** A new secret (returned once), keeping the rest of the alert settings. */
    rotateSecret: z.literal(true).optional(),
    paused: z.boolean().optional(),
  })
  .strict();

/** Fields fixed at creation: changing them would mix two kinds of observation in one series. */
const FIXED = ['aoi', 'species', 'method', 'areaMode', 'since', 'collections'];

/** What a new site needs from the deployment. */
export interface SiteInputContext {
  nowMs: number;
  /** `KELPIE_OUTBOUND_HOSTS`: webhook hosts must be on it. */
  outboundHosts: readonly string[];
}

/**
 * A new site's record from a request body (JSON already parsed), with its id; throws
 * `InvalidRequestError` (400) for a body of the wrong shape, `UnusableAoiError` (422) for an
 * area a site cannot be and `OutboundBlockedError` (422) for a webhook it may not call. The
 * alert secret is generated unless given.
 *
 * @example
 * ```ts
 * const site = parseNewSite({ name: 'Point Lobos', aoi: { bbox: [-121.95, 36.51, -121.93, 36.53] } }, 'site-…', { nowMs: Date.now(), outboundHosts: [] });
 * ```
 */
export function parseNewSite(body: unknown, id: string, context: SiteInputContext): SiteRecord {
  const value = parse(createSchema, body, 'site');
  const geometry = 'type' in value.aoi && value.aoi.type === 'Feature' ? value.aoi.geometry : value.aoi;
  const aoi = parseSiteAoi(geometry as Parameters<typeof parseSiteAoi>[0]);
  const now = new Date(context.nowMs);
  const since = value.since ?? new Date(Date.UTC(now.getUTCFullYear() - SITE_DEFAULTS.sinceYears, now.getUTCMonth(), now.getUTCDate())).toISOString().slice(0, 10);
  if (since > now.toISOString().slice(0, 10)) throw new InvalidRequestError(`since (${since}) is in the future`);
  const collections: SiteCollection[] = value.collections ?? [SITE_COLLECTIONS[0]];
  const method = siteMethod(collections, value.method);
  return {
    schemaVersion: 1,
    id,
    name: value.name,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    aoi,
    options: { ...parseAnalysisOptions({ method, species: value.species }), areaMode: value.areaMode },
    maxCloud: value.maxCloud,
    since,
    collections,
    observableMin: value.observableMin,
    statistic: value.statistic,
    ...(value.baseline ? { baseline: value.baseline } : {}),
    ...(value.alert ? { alert: alertOf(value.alert, context) } : {}),
  };
}

/**
 * The site after a `PATCH`: name, cloud limit, observable share, statistic, baseline (`null`
 * clears it), alert settings (`null` removes them), `rotateSecret`, `paused`. The area and the
 * analysis cannot change (422: create a new site).
 */
export function patchSite(site: SiteRecord, body: unknown, context: SiteInputContext): { site: SiteRecord; secret?: string } {
  const fixed = body && typeof body === 'object' ? FIXED.filter((key) => key in body) : [];
  if (fixed.length) throw new InvalidRequestError(`${fixed.join(', ')} cannot change once a site is watched (its observations would not compare); create a new site instead`, { fixed });
  const value = parse(patchSchema, body, 'change');
  const { baseline, alert, rotateSecret, ...rest } = value;
  const next: SiteRecord = { ...site, ...rest, updatedAt: new Date(context.nowMs).toISOString() };
  if (baseline === null) delete next.baseline;
  else if (baseline) next.baseline = baseline;
  if (alert === null) delete next.alert;
  else if (alert) next.alert = alertOf({ ...alert, secret: alert.secret ?? site.alert?.secret }, context);
  if (rotateSecret) {
    if (!next.alert) throw new InvalidRequestError('rotateSecret needs alert settings; the site has none');
    next.alert = { ...next.alert, secret: newSecret() };
  }
  const secret = next.alert?.secret !== site.alert?.secret ? next.alert?.secret : undefined;
  return { site: next, ...(secret ? { secret } : {}) };
}

/**
 * The one method of a site's every observation, whichever sensor took it (a series of one
 * method): the method asked, refused with `UnsupportedMethodError` (400) naming the methods every
 * watched sensor can run when one of them cannot (KD and NDRE need red-edge bands, which Landsat
 * lacks); else the first sensor default every sensor can run: KD for Sentinel-2 alone (the
 * default before Landsat, so such sites are as they were), FAI (Landsat's default) once Landsat
 * is watched.
 *
 * @example
 * ```ts
 * siteMethod(['sentinel-2-l2a', 'landsat-c2-l2']); // 'fai'
 * siteMethod(['sentinel-2-l2a', 'landsat-c2-l2'], 'kd'); // throws: use "fai", "ndvi", "consensus"
 * ```
 */
export function siteMethod(collections: readonly SiteCollection[], asked?: MethodName): MethodName {
  const sensors = [...new Map(collections.map((collection) => [COLLECTION_SENSORS[collection], getSensor(COLLECTION_SENSORS[collection])])).values()];
  const common = METHOD_NAMES.filter((method) => sensors.every((sensor) => sensor.methods.includes(method)));
  if (asked === undefined) return sensors.map((sensor) => sensor.defaultMethod).find((method) => common.includes(method)) ?? common[0];
  const lacking = sensors.filter((sensor) => !sensor.methods.includes(asked));
  if (lacking.length === 0) return asked;
  throw new UnsupportedMethodError(
    `method "${asked}" cannot run on ${lacking.map((sensor) => sensor.label).join(', ')} (no red-edge bands), whose scenes this site's collections (${collections.join(', ')}) hold; a site watching them can use ${common.map((m) => `"${m}"`).join(', ')}`,
    { method: asked, collections: [...collections], sensors: lacking.map((sensor: SensorDescription) => sensor.id), methods: common },
  );
}

function alertOf(alert: z.output<typeof alertSchema>, context: SiteInputContext): SiteAlert {
  if (alert.webhookUrl) checkWebhookUrl(alert.webhookUrl, context.outboundHosts);
  return {
    thresholdPercent: alert.thresholdPercent,
    direction: alert.direction,
    ...(alert.webhookUrl ? { webhookUrl: alert.webhookUrl, secret: alert.secret ?? newSecret() } : {}),
  };
}

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new InvalidRequestError(`invalid ${what}: ${describeZodError(parsed.error)}`, {
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return parsed.data;
}

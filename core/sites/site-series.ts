/**
 * A site's series and trend, derived from the listing of its observations (one object each) and
 * stored as `series.json` and `trend.json`. Whoever writes them last may have listed before
 * another worker's observation landed, so a reader checks the stored series against the listing
 * and derives it again when they differ: an observation that landed is never missing from what
 * a reader sees, whatever order concurrent workers finished in.
 */
import type { BlobInfo, BlobStore, CallOptions } from '../ports/blob-store.js';
import { createLimiter } from '../net/limiter.js';
import { getSensor } from '../sensors/registry.js';
import type { SensorId } from '../sensors/sensor.js';
import type { Observation } from './observation.js';
import { type QuarterValue, type SeriesObservation, quarterlyValues } from './seasonal.js';
import { SITE_KEYS, type SiteRecord } from './site.js';
import { STORE_CONCURRENCY, listAll, readJson, writeJson } from './site-store.js';
import { type SiteTrend, siteTrend } from './site-trend.js';

/** `sites/<id>/series.json`: every observation (flagged or not) and the quarterly values. */
export interface SiteSeries {
  schemaVersion: 1;
  siteId: string;
  updatedAt: string;
  /** The site settings the values were derived with (a change derives them again). */
  statistic: SiteRecord['statistic'];
  observableMin: number;
  areaMode: string;
  baseline: SiteRecord['baseline'] | null;
  observations: Array<SeriesObservation & { version: string }>;
  quarters: QuarterValue[];
  counts: { observations: number; good: number; flagged: number; unobservable: number };
  /** Analysed observations per sensor, with its pixel size, finest first; absent when no observation names its sensor. */
  sensors?: Array<{ sensor: SensorId; label: string; pixelSizeM: number; observations: number }>;
  /**
   * In words, when the series mixes pixel sizes (Sentinel-2 at 10 m, Landsat at 30 m): what each
   * resolves, and that the trend runs over all points in the site's area mode.
   */
  resolutionNote?: string;
}

/** A listed object's version: its ETag, else its size and time (stores without ETags). */
const versionOf = (item: BlobInfo) => item.etag ?? `${item.size}-${item.lastModified?.getTime() ?? 0}`;

/**
 * Derives the series and trend from the current listing, reading only the observations that are
 * new or changed since the stored series, and stores both.
 *
 * @example
 * ```ts
 * const { series, trend } = await refreshSiteSeries(store, site, clock.now(), { signal });
 * ```
 */
export async function refreshSiteSeries(store: BlobStore, site: SiteRecord, nowMs: number, options: CallOptions = {}): Promise<{ series: SiteSeries; trend: SiteTrend }> {
  const listed = await listAll(store, SITE_KEYS.obsPrefix(site.id), options);
  const previous = await readJson<SiteSeries>(store, SITE_KEYS.series(site.id), options);
  const derived = await derive(store, site, listed, previous, nowMs, options);
  await writeJson(store, SITE_KEYS.series(site.id), derived.series, options);
  await writeJson(store, SITE_KEYS.trend(site.id), derived.trend, options);
  return derived;
}

/**
 * The series and trend as a reader should see them: the stored ones when they hold exactly the
 * listed observations and the site's current settings, else derived again (and stored).
 */
export async function readSiteSeries(store: BlobStore, site: SiteRecord, nowMs: number, options: CallOptions = {}): Promise<{ series: SiteSeries; trend: SiteTrend }> {
  const [listed, stored] = await Promise.all([listAll(store, SITE_KEYS.obsPrefix(site.id), options), readJson<SiteSeries>(store, SITE_KEYS.series(site.id), options)]);
  if (stored && current(stored, site, listed)) return { series: stored, trend: siteTrend(stored.quarters, site, Date.parse(stored.updatedAt)) };
  const derived = await derive(store, site, listed, stored, nowMs, options);
  await writeJson(store, SITE_KEYS.series(site.id), derived.series, options);
  await writeJson(store, SITE_KEYS.trend(site.id), derived.trend, options);
  return derived;
}

/** Whether a stored series holds exactly the listed observations, derived with the site's settings. */
function current(series: SiteSeries, site: SiteRecord, listed: readonly BlobInfo[]): boolean {
  if (series.statistic !== site.statistic || series.observableMin !== site.observableMin || JSON.stringify(series.baseline) !== JSON.stringify(site.baseline ?? null)) return false;
  if (series.observations.length !== listed.length) return false;
  const versions = new Map(series.observations.map((o) => [SITE_KEYS.obs(site.id, o.sceneId), o.version]));
  return listed.every((item) => versions.get(item.key) === versionOf(item));
}

async function derive(store: BlobStore, site: SiteRecord, listed: readonly BlobInfo[], previous: SiteSeries | undefined, nowMs: number, options: CallOptions) {
  const known = new Map((previous?.observations ?? []).map((o) => [`${SITE_KEYS.obs(site.id, o.sceneId)}\n${o.version}`, o]));
  const limit = createLimiter(STORE_CONCURRENCY);
  const read = await Promise.all(
    listed.map((item) =>
      limit.run(async () => {
        const version = versionOf(item);
        const kept = known.get(`${item.key}\n${version}`);
        if (kept) {
          const { flagged: _flagged, version: _version, ...observation } = kept;
          return { observation: observation as Observation, version };
        }
        const observation = await readJson<Observation>(store, item.key, options);
        return observation ? { observation, version } : undefined;
      }),
    ),
  );
  const entries = read.filter((entry) => entry !== undefined);
  const versions = new Map(entries.map((entry) => [entry.observation.sceneId, entry.version]));
  const { observations, quarters } = quarterlyValues(
    entries.map((entry) => entry.observation),
    site,
  );
  const series: SiteSeries = {
    schemaVersion: 1,
    siteId: site.id,
    updatedAt: new Date(nowMs).toISOString(),
    statistic: site.statistic,
    observableMin: site.observableMin,
    areaMode: site.options.areaMode,
    baseline: site.baseline ?? null,
    observations: observations.map((o) => ({ ...o, version: versions.get(o.sceneId) as string })),
    quarters,
    counts: {
      observations: observations.length,
      good: observations.filter((o) => !o.flagged).length,
      flagged: observations.filter((o) => o.flagged && o.status === 'observed').length,
      unobservable: observations.filter((o) => o.status !== 'observed').length,
    },
  };
  const sensors = sensorCounts(observations);
  const note = resolutionNote(sensors, site.options.areaMode);
  if (sensors.length) series.sensors = sensors;
  if (note) series.resolutionNote = note;
  return { series, trend: siteTrend(quarters, site, nowMs) };
}

/** Analysed observations per sensor, finest pixels first; none when the observations do not name their sensor (recorded before Landsat). */
function sensorCounts(observations: readonly Observation[]): NonNullable<SiteSeries['sensors']> {
  const counts = new Map<SensorId, { pixelSizeM: number; observations: number }>();
  for (const o of observations) {
    if (!o.sensorId || o.status !== 'observed') continue;
    const entry = counts.get(o.sensorId) ?? { pixelSizeM: o.pixelSizeM ?? getSensor(o.sensorId).pixelSizeM, observations: 0 };
    entry.observations++;
    counts.set(o.sensorId, entry);
  }
  return [...counts]
    .map(([sensor, entry]) => ({ sensor, label: getSensor(sensor).label, ...entry }))
    .sort((a, b) => a.pixelSizeM - b.pixelSizeM || a.sensor.localeCompare(b.sensor));
}

/**
 * When the observations mix pixel sizes, says so in words: each sensor's pixel size and what it
 * resolves (the sensors' own `resolutionNote`, as STAC series state it: core/stac/series.ts), and
 * that the trend runs over every point. Fractional area (the site default) is the measure 10 m and
 * 30 m agree on in total (docs/science.md); binary area counts whole pixels, so at 30 m it
 * rounds a bed's edge to 900 m² steps and differs more.
 */
function resolutionNote(sensors: NonNullable<SiteSeries['sensors']>, areaMode: string): string | undefined {
  if (new Set(sensors.map((entry) => entry.pixelSizeM)).size < 2) return undefined;
  const each = sensors.map((entry) => `${entry.label} (${entry.observations} observation${entry.observations === 1 ? '' : 's'}): ${getSensor(entry.sensor).resolutionNote}`);
  const mode =
    areaMode === 'fractional'
      ? 'its areas are fractional canopy cover, the measure on which they agree in total'
      : 'its areas are binary (whole pixels counted), which differ between pixel sizes more than fractional cover does';
  return `This site's series mixes pixel sizes, so 30 m and 10 m areas differ in what they resolve: ${each.join('; ')}. The quarterly values and the trend use every observation; ${mode}, but a change between points of different sensors is partly the pixel size, not the kelp.`;
}

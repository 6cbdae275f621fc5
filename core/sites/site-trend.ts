import type { QuarterValue } from './seasonal.js';
import type { SiteRecord } from './site.js';
import { type TrendStats, mannKendallSen } from './trend-stats.js';

/** Fewest quarterly values a trend is computed from (Mann–Kendall has no power below). */
export const MIN_TREND_QUARTERS = 4;
/** Fewest years of each season the seasonally adjusted trend needs. */
const MIN_SEASONAL_YEARS = 2;
/** The p-value under which a trend is called significant. */
export const SIGNIFICANCE = 0.05;

/** A site's baseline: the mean of its quarterly values over the baseline quarters, m². */
export interface Baseline {
  start: string;
  end: string;
  /** `given` by the site, or the `first-four` quarters with a value. */
  source: 'given' | 'first-four';
  quarters: string[];
  valueM2: number;
}

/** The trend of the quarterly values, in m² a year and in percent of the baseline a year. */
export interface TrendFigures extends Omit<TrendStats, 'slope' | 'slopeCi95' | 'intercept'> {
  seasonal: boolean;
  significant: boolean;
  direction: 'decline' | 'increase' | 'no significant trend';
  slopeM2PerYear: number;
  slopeCi95M2PerYear?: [number, number];
  /** Against the baseline; absent without one. */
  percentPerYear?: number;
  percentCi95PerYear?: [number, number];
  /** The Sen line at the first and last quarter with a value, for charts. */
  line: Array<{ quarter: string; midYear: number; valueM2: number }>;
}

/** `sites/<id>/trend.json`. */
export interface SiteTrend {
  schemaVersion: 1;
  siteId: string;
  updatedAt: string;
  statistic: SiteRecord['statistic'];
  areaMode: string;
  /** Quarterly values the trend rests on. */
  quarters: number;
  baseline?: Baseline;
  trend?: TrendFigures;
  /** Seasonal Kendall test and seasonal Sen slope; absent with fewer than two years of a season. */
  seasonallyAdjusted?: TrendFigures;
  /** Why a figure is absent, in words. */
  notes: string[];
}

/**
 * The trend of a site's quarterly values (Mann–Kendall with Sen's slope, plain and seasonally
 * adjusted) and its baseline. Pure.
 *
 * @example
 * ```ts
 * const trend = siteTrend(series.quarters, site, Date.now());
 * trend.trend?.percentPerYear; // −9.8
 * ```
 */
export function siteTrend(quarters: readonly QuarterValue[], site: Pick<SiteRecord, 'id' | 'statistic' | 'baseline' | 'options'>, nowMs: number): SiteTrend {
  const valued = quarters.filter((q) => q.valueM2 !== undefined);
  const baseline = baselineOf(valued, site);
  const notes: string[] = [];
  const head = { schemaVersion: 1 as const, siteId: site.id, updatedAt: new Date(nowMs).toISOString(), statistic: site.statistic, areaMode: site.options.areaMode, quarters: valued.length, ...(baseline ? { baseline } : {}) };
  if (!baseline) notes.push(site.baseline ? `no quarter between ${site.baseline.start} and ${site.baseline.end} has a value, so there is no baseline to compare with` : 'no quarter has a value yet, so there is no baseline');
  if (valued.length < MIN_TREND_QUARTERS) {
    notes.push(`a trend needs at least ${MIN_TREND_QUARTERS} quarters with a value; the site has ${valued.length}`);
    return { ...head, notes };
  }
  const points = valued.map((q) => ({ t: q.midYear, value: q.valueM2 as number, season: q.season }));
  const trend = figures(mannKendallSen(points, { seasonal: false }), false, valued, baseline);
  const seasons = new Map<number, number>();
  for (const q of valued) seasons.set(q.season, (seasons.get(q.season) ?? 0) + 1);
  const enough = [...seasons.values()].some((n) => n >= MIN_SEASONAL_YEARS);
  if (!enough) notes.push(`a seasonally adjusted trend needs at least ${MIN_SEASONAL_YEARS} years of one quarter`);
  const seasonallyAdjusted = enough ? figures(mannKendallSen(points, { seasonal: true }), true, valued, baseline) : undefined;
  return { ...head, trend, ...(seasonallyAdjusted ? { seasonallyAdjusted } : {}), notes };
}

function figures(stats: TrendStats, seasonal: boolean, valued: readonly QuarterValue[], baseline: Baseline | undefined): TrendFigures {
  const { slope = 0, slopeCi95, intercept = 0, ...rest } = stats;
  const significant = stats.pValue < SIGNIFICANCE && slope !== 0;
  const percent = (value: number) => (baseline && baseline.valueM2 > 0 ? (100 * value) / baseline.valueM2 : undefined);
  const ends = [valued[0], valued[valued.length - 1]];
  return {
    ...rest,
    seasonal,
    significant,
    direction: !significant ? 'no significant trend' : slope < 0 ? 'decline' : 'increase',
    slopeM2PerYear: slope,
    ...(slopeCi95 ? { slopeCi95M2PerYear: slopeCi95 } : {}),
    ...(percent(slope) !== undefined ? { percentPerYear: percent(slope) } : {}),
    ...(slopeCi95 && percent(1) !== undefined ? { percentCi95PerYear: slopeCi95.map((s) => percent(s) as number) as [number, number] } : {}),
    line: ends.map((q) => ({ quarter: q.quarter, midYear: q.midYear, valueM2: intercept + slope * q.midYear })),
  };
}

/** The mean of the baseline quarters' values: the site's own period, or the first four quarters with a value. */
function baselineOf(valued: readonly QuarterValue[], site: Pick<SiteRecord, 'baseline'>): Baseline | undefined {
  const chosen = site.baseline ? valued.filter((q) => q.end >= site.baseline!.start && q.start <= site.baseline!.end) : valued.slice(0, MIN_TREND_QUARTERS);
  if (chosen.length === 0) return undefined;
  return {
    start: site.baseline?.start ?? chosen[0].start,
    end: site.baseline?.end ?? chosen[chosen.length - 1].end,
    source: site.baseline ? 'given' : 'first-four',
    quarters: chosen.map((q) => q.quarter),
    valueM2: chosen.reduce((sum, q) => sum + (q.valueM2 as number), 0) / chosen.length,
  };
}

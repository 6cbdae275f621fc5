/**
 * A site's series and trend as CSV (RFC 4180, one header line): figures rounded as
 * core/report/format.ts rounds them for people (m² whole, ha 2 decimals, percent 1 decimal).
 */
import { csvLine, csvNumber } from '../report/format.js';
import type { SiteSeries } from './site-series.js';
import type { SiteTrend, TrendFigures } from './site-trend.js';

const M2_PER_HA = 10_000;

/**
 * The quarterly values, one line per quarter (quarters without a good observation have empty
 * value cells).
 *
 * @example
 * ```ts
 * quartersCsv(series); // 'quarter,start,end,good_observations,…\r\n2022-Q1,2022-01-01,…'
 * ```
 */
export function quartersCsv(series: SiteSeries): string {
  const header = ['quarter', 'start', 'end', 'good_observations', 'flagged_observations', 'unobservable_scenes', 'max_area_m2', 'median_area_m2', `value_m2 (${series.statistic})`, 'value_ha', 'area_mode'];
  return (
    csvLine(header) +
    series.quarters
      .map((q) => csvLine([q.quarter, q.start, q.end, q.count, q.flagged, q.unobservable, csvNumber(q.maxM2, 0), csvNumber(q.medianM2, 0), csvNumber(q.valueM2, 0), csvNumber(q.valueM2 === undefined ? undefined : q.valueM2 / M2_PER_HA, 2), series.areaMode]))
      .join('')
  );
}

/**
 * Every observation, one line each, flagged ones included (with `flagged` true). `sensor` is the
 * satellite the item names (`sentinel-2a`, `landsat-8`); `sensor_id` the sensor it was analysed
 * as and `pixel_size_m` its pixel size (empty for observations recorded before Landsat).
 */
export function observationsCsv(series: SiteSeries): string {
  const header = ['date', 'acquired_at', 'quarter', 'scene_id', 'sensor', 'scene_cloud_percent', 'observable_percent', 'flagged', 'status', 'area_m2', 'area_low_m2', 'area_high_m2', 'binary_area_m2', 'fractional_area_m2', 'beds', 'analysis_id', 'sensor_id', 'pixel_size_m'];
  return (
    csvLine(header) +
    series.observations
      .map((o) =>
        csvLine([
          o.date,
          o.acquiredAt,
          o.quarter,
          o.sceneId,
          o.sensor,
          csvNumber(o.cloudCover, 1),
          csvNumber(o.observableShare * 100, 1),
          o.flagged,
          o.status,
          csvNumber(o.kelp?.areaM2, 0),
          csvNumber(o.kelp?.areaRangeM2.low, 0),
          csvNumber(o.kelp?.areaRangeM2.high, 0),
          csvNumber(o.kelp?.binaryAreaM2, 0),
          csvNumber(o.kelp?.fractionalAreaM2, 0),
          o.kelp?.beds,
          o.analysisId,
          o.sensorId,
          o.pixelSizeM,
        ]),
      )
      .join('')
  );
}

/** The trend, one line per variant (plain, seasonally adjusted). */
export function trendCsv(trend: SiteTrend): string {
  const header = ['variant', 'quarters', 'mann_kendall_s', 'z', 'p_value', 'tau', 'sen_slope_m2_per_year', 'slope_ci95_low', 'slope_ci95_high', 'percent_per_year', 'baseline_m2', 'direction'];
  const line = (name: string, f: TrendFigures | undefined) =>
    f
      ? csvLine([name, f.n, f.s, csvNumber(f.z, 3), f.pValue.toPrecision(3), csvNumber(f.tau, 3), csvNumber(f.slopeM2PerYear, 0), csvNumber(f.slopeCi95M2PerYear?.[0], 0), csvNumber(f.slopeCi95M2PerYear?.[1], 0), csvNumber(f.percentPerYear, 1), csvNumber(trend.baseline?.valueM2, 0), f.direction])
      : '';
  return csvLine(header) + line('plain', trend.trend) + line('seasonally adjusted', trend.seasonallyAdjusted);
}

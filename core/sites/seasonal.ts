import type { Observation } from './observation.js';
import { nextQuarter, quarterBounds } from './quarters.js';
import type { SiteRecord } from './site.js';

/** An observation in a series: flagged when it saw less of the site than `observableMin`. */
export interface SeriesObservation extends Observation {
  flagged: boolean;
}

/** One quarter of a site's series: its good observations' canopy area, m². */
export interface QuarterValue {
  quarter: string;
  start: string;
  end: string;
  season: number;
  midYear: number;
  /** Good observations (seen well enough), flagged ones (kept out), and scenes nothing could be seen in. */
  count: number;
  flagged: number;
  unobservable: number;
  /** Maximum and median canopy area of the good observations, in the site's area mode; absent with none. */
  maxM2?: number;
  medianM2?: number;
  /** The site's statistic of the quarter (`maxM2` or `medianM2`): what the trend and alerts use. */
  valueM2?: number;
}

/**
 * Flags each observation by the site's `observableMin` and sums the good ones up per quarter
 * (Kelpwatch's quarters), from the first observation's quarter to the last, quarters without
 * a good observation included (with no value), so a chart shows the gap and a cloudy quarter
 * never reads as kelp loss. Pure.
 *
 * @example
 * ```ts
 * const { quarters } = quarterlyValues(observations, { observableMin: 0.8, statistic: 'max' });
 * quarters[0]; // { quarter: '2022-Q1', count: 2, flagged: 1, maxM2: 41000, medianM2: 39500, valueM2: 41000, … }
 * ```
 */
export function quarterlyValues(observations: readonly Observation[], site: Pick<SiteRecord, 'observableMin' | 'statistic'>): { observations: SeriesObservation[]; quarters: QuarterValue[] } {
  const sorted = [...observations].sort((a, b) => a.acquiredAt.localeCompare(b.acquiredAt) || a.sceneId.localeCompare(b.sceneId));
  const flagged = sorted.map((o) => ({ ...o, flagged: o.status !== 'observed' || o.observableShare < site.observableMin }));
  if (flagged.length === 0) return { observations: [], quarters: [] };
  const byQuarter = new Map<string, SeriesObservation[]>();
  for (const o of flagged) byQuarter.set(o.quarter, [...(byQuarter.get(o.quarter) ?? []), o]);
  const quarters: QuarterValue[] = [];
  const last = flagged[flagged.length - 1].quarter;
  for (let q = flagged[0].quarter; q <= last; q = nextQuarter(q)) {
    const members = byQuarter.get(q) ?? [];
    const areas = members.filter((o) => !o.flagged && o.kelp).map((o) => o.kelp!.areaM2).sort((a, b) => a - b);
    const stats = areas.length ? { maxM2: areas[areas.length - 1], medianM2: median(areas) } : {};
    quarters.push({
      ...quarterBounds(q),
      count: areas.length,
      flagged: members.filter((o) => o.flagged && o.status === 'observed').length,
      unobservable: members.filter((o) => o.status !== 'observed').length,
      ...stats,
      ...(areas.length ? { valueM2: site.statistic === 'max' ? stats.maxM2 : stats.medianM2 } : {}),
    });
  }
  return { observations: flagged, quarters };
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Quarters as Kelpwatch counts them: Q1 January–March, Q2 April–June, Q3 July–September, Q4
 * October–December, in UTC (Bell et al. 2023, "Kelpwatch", *PLOS ONE* 18(3):e0271477: canopy
 * area per quarter). A quarter's time on the trend's axis is its middle.
 */

/** `YYYY-Qn` of an ISO date or date-time (UTC). */
export function quarterOf(iso: string): string {
  const year = iso.slice(0, 4);
  const month = Number(iso.slice(5, 7));
  return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
}

/** A quarter's first and last day, its season (1–4) and its middle in decimal years. */
export interface QuarterBounds {
  quarter: string;
  start: string;
  end: string;
  season: number;
  midYear: number;
}

/**
 * The bounds of `YYYY-Qn`.
 *
 * @example
 * ```ts
 * quarterBounds('2023-Q3'); // { start: '2023-07-01', end: '2023-09-30', season: 3, midYear: 2023.625 }
 * ```
 */
export function quarterBounds(quarter: string): QuarterBounds {
  const year = Number(quarter.slice(0, 4));
  const season = Number(quarter.slice(6));
  const startMonth = (season - 1) * 3;
  const start = new Date(Date.UTC(year, startMonth, 1));
  const end = new Date(Date.UTC(year, startMonth + 3, 0));
  return { quarter, start: start.toISOString().slice(0, 10), end: end.toISOString().slice(0, 10), season, midYear: year + (season - 0.5) / 4 };
}

/** The quarter after `quarter`. */
export function nextQuarter(quarter: string): string {
  const year = Number(quarter.slice(0, 4));
  const season = Number(quarter.slice(6));
  return season === 4 ? `${year + 1}-Q1` : `${year}-Q${season + 1}`;
}

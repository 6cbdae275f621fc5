/**
 * The trend test of a site's quarterly values: the Mann–Kendall test for a monotonic trend (with
 * the variance corrected for ties) and Sen's slope (the median of pairwise slopes), and their
 * seasonal forms (Hirsch, Slack & Smith 1982, *Water Resources Research* 18(1):107): the test
 * summed over seasons and the slope taken from pairs within one season only, so a seasonal cycle
 * is neither read as a trend nor hides one. Sen 1968, *JASA* 63:1379; Kendall 1975, *Rank
 * Correlation Methods*; Gilbert 1987, *Statistical Methods for Environmental Pollution
 * Monitoring*, §16.5 (the confidence interval of the slope). Pure.
 */

/** One value at a time (decimal years), with the season it belongs to (1–4 for quarters). */
export interface TimedValue {
  t: number;
  value: number;
  season: number;
}

/** What the test and the slope give. */
export interface TrendStats {
  /** Values used. */
  n: number;
  /** Kendall's S, its variance (ties corrected), the normal score Z (continuity corrected) and τ. */
  s: number;
  varS: number;
  z: number;
  tau: number;
  /** Two-sided p-value of "no monotonic trend". */
  pValue: number;
  /** Sen's slope, value units per year; undefined with fewer than two distinct times. */
  slope?: number;
  /** 95 % confidence interval of the slope (Gilbert 1987); undefined when too few pairs. */
  slopeCi95?: [number, number];
  /** Median of `value − slope × t`: the line's value at t = 0. */
  intercept?: number;
}

/** Two-sided 95 % normal quantile. */
const Z_975 = 1.959964;

/**
 * The Mann–Kendall test and Sen's slope of `values` in time order (or not: they are sorted);
 * `seasonal` compares only values of the same season, and sums the seasons' S and variances.
 *
 * @example
 * ```ts
 * const stats = mannKendallSen(quarters.map((q) => ({ t: q.midYear, value: q.valueM2, season: q.season })), { seasonal: false });
 * stats.pValue < 0.05 && stats.slope! < 0; // a significant decline
 * ```
 */
export function mannKendallSen(values: readonly TimedValue[], options: { seasonal: boolean }): TrendStats {
  const sorted = [...values].filter((v) => Number.isFinite(v.value) && Number.isFinite(v.t)).sort((a, b) => a.t - b.t);
  const groups = options.seasonal ? groupBy(sorted, (v) => v.season) : [sorted];
  let s = 0;
  let varS = 0;
  let pairs = 0;
  const slopes: number[] = [];
  for (const group of groups) {
    s += kendallS(group);
    varS += kendallVariance(group.map((v) => v.value));
    pairs += (group.length * (group.length - 1)) / 2;
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const dt = group[j].t - group[i].t;
        if (dt > 0) slopes.push((group[j].value - group[i].value) / dt);
      }
    }
  }
  const z = s > 0 ? (s - 1) / Math.sqrt(varS) : s < 0 ? (s + 1) / Math.sqrt(varS) : 0;
  const stats: TrendStats = {
    n: sorted.length,
    s,
    varS,
    z: Number.isFinite(z) ? z : 0,
    tau: pairs ? s / pairs : 0,
    pValue: varS > 0 ? Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))) : 1,
  };
  if (slopes.length === 0) return stats;
  slopes.sort((a, b) => a - b);
  const slope = medianOfSorted(slopes);
  const intercepts = sorted.map((v) => v.value - slope * v.t).sort((a, b) => a - b);
  // Gilbert (1987): ranks (N − C)/2 and (N + C)/2 + 1 of the ordered slopes, C = z₀.₉₇₅ √Var(S).
  const c = Z_975 * Math.sqrt(varS);
  const lower = Math.round((slopes.length - c) / 2);
  const upper = Math.round((slopes.length + c) / 2) + 1;
  return {
    ...stats,
    slope,
    intercept: medianOfSorted(intercepts),
    ...(lower >= 1 && upper <= slopes.length ? { slopeCi95: [slopes[lower - 1], slopes[upper - 1]] as [number, number] } : {}),
  };
}

/** Kendall's S: concordant minus discordant pairs in time order (ties in value count 0). */
function kendallS(series: readonly TimedValue[]): number {
  let s = 0;
  for (let i = 0; i < series.length; i++) for (let j = i + 1; j < series.length; j++) s += Math.sign(series[j].value - series[i].value);
  return s;
}

/** Var(S) under no trend, with ties: [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18 over groups of t equal values. */
function kendallVariance(values: readonly number[]): number {
  const n = values.length;
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let ties = 0;
  for (const t of counts.values()) ties += t * (t - 1) * (2 * t + 5);
  return (n * (n - 1) * (2 * n + 5) - ties) / 18;
}

function groupBy<T>(items: readonly T[], key: (item: T) => number): T[][] {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return [...groups.values()];
}

function medianOfSorted(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The standard normal CDF, Φ(x), from the complementary error function (W. J. Cody's rational
 * Chebyshev approximation as in Numerical Recipes' `erfc`, |error| < 1.2 × 10⁻⁷).
 *
 * @example
 * ```ts
 * normalCdf(1.959964); // ≈ 0.975
 * ```
 */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

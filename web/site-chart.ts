import type { SiteAlertRecord } from '../core/sites/alerts.js';
import type { SiteSeries } from '../core/sites/site-series.js';
import type { SiteTrend } from '../core/sites/site-trend.js';
import { append, svg } from './dom.js';
import { formatHaFromM2, formatNumber } from './format.js';
import { appendAxes } from './series.js';

/** Chart size in SVG units (it scales to the panel's width). */
const W = 320;
const H = 190;
const PAD = { left: 44, right: 10, top: 14, bottom: 28 };
const M2_PER_HA = 10_000;

/**
 * A site's quarters as an SVG chart built with DOM calls: every observation as a point (flagged
 * ones hollow, kept out of the values), each quarter's value as a square joined by a line, the
 * Sen trend line dashed, and a marker above each quarter that fired an alert. Every mark has a
 * `<title>` saying what it is.
 */
export function siteChart(series: SiteSeries, trend: SiteTrend, alerts: readonly SiteAlertRecord[]): SVGSVGElement {
  const observations = series.observations.filter((o) => o.kelp).map((o) => ({ t: yearOf(o.acquiredAt), ha: (o.kelp?.areaM2 ?? 0) / M2_PER_HA, o }));
  const quarters = series.quarters.filter((q) => q.valueM2 !== undefined).map((q) => ({ t: q.midYear, ha: (q.valueM2 as number) / M2_PER_HA, q }));
  const line = trend.trend?.line ?? [];
  const label = `Kelp canopy of ${series.quarters.length} quarters: ${quarters.map((p) => `${p.q.quarter} ${formatHaFromM2(p.q.valueM2 as number)}`).join('; ') || 'no quarter with a value yet'}`;
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart site-chart', role: 'img', 'aria-label': label }, svg('title', {}, label));
  const times = [...observations.map((p) => p.t), ...series.quarters.map((q) => q.midYear)];
  const [t0, t1] = times.length ? [Math.min(...times), Math.max(...times)] : [0, 1];
  const top = Math.max(...observations.map((p) => p.ha), ...quarters.map((p) => p.ha), 0) * 1.15 || 1;
  const x = (t: number) => PAD.left + (t1 === t0 ? 0.5 : (t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (ha: number) => H - PAD.bottom - (Math.max(0, ha) / top) * (H - PAD.top - PAD.bottom);
  appendAxes(chart, { y, top, left: PAD.left, right: W - PAD.right, labelY: PAD.top - 2 });
  if (series.quarters.length) {
    const [first, last] = [series.quarters[0], series.quarters[series.quarters.length - 1]];
    append(chart, svg('text', { x: x(first.midYear), y: H - 8, class: 'tick start' }, first.quarter), svg('text', { x: x(last.midYear), y: H - 8, class: 'tick end' }, last.quarter));
  }
  for (const alert of alerts) {
    const q = series.quarters.find((quarter) => quarter.quarter === alert.quarter);
    if (!q) continue;
    const words = `Alert ${alert.quarter}: ${formatNumber(alert.changePercent, 1)} % against the baseline`;
    append(chart, svg('line', { x1: x(q.midYear), y1: PAD.top, x2: x(q.midYear), y2: y(0), class: 'alert-rule' }), svg('path', { d: `M${x(q.midYear) - 5},${PAD.top - 8} h10 l-5,8 z`, class: 'alert-marker' }, svg('title', {}, words)));
  }
  if (line.length === 2) {
    const words = `Trend: ${formatHaFromM2(trend.trend?.slopeM2PerYear ?? 0)} a year (Sen's slope)`;
    append(chart, svg('line', { x1: x(line[0].midYear), y1: y(line[0].valueM2 / M2_PER_HA), x2: x(line[1].midYear), y2: y(line[1].valueM2 / M2_PER_HA), class: 'trend-line' }, svg('title', {}, words)));
  }
  if (quarters.length) append(chart, svg('polyline', { points: quarters.map((p) => `${x(p.t)},${y(p.ha)}`).join(' '), class: 'line' }));
  append(
    chart,
    ...quarters.map((p) => svg('rect', { x: x(p.t) - 3.5, y: y(p.ha) - 3.5, width: 7, height: 7, class: 'quarter' }, svg('title', {}, `${p.q.quarter}: ${formatHaFromM2(p.q.valueM2 as number)} (${p.q.count} good scenes)`))),
    ...observations.map((p) =>
      svg('circle', { cx: x(p.t), cy: y(p.ha), r: 2.5, class: p.o.flagged ? 'obs flagged' : 'obs' }, svg('title', {}, `${p.o.date}: ${formatHaFromM2(p.o.kelp?.areaM2 ?? 0)}, ${formatNumber(p.o.observableShare * 100, 0)} % of the site seen${p.o.flagged ? ' (flagged: left out)' : ''}`)),
    ),
  );
  return chart;
}

/** Decimal year of an ISO date-time (UTC), as the quarters' `midYear`. */
function yearOf(iso: string): number {
  const at = Date.parse(iso);
  const year = new Date(at).getUTCFullYear();
  const start = Date.UTC(year, 0, 1);
  return year + (at - start) / (Date.UTC(year + 1, 0, 1) - start);
}

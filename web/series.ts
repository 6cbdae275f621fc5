import { append, el, svg } from './dom.js';
import { formatHa, formatNumber } from './format.js';
import type { SeriesSummary } from './types.js';

/** Chart size in SVG units (it scales to the panel's width). */
const W = 320;
const H = 170;
const PAD = { left: 44, right: 10, top: 12, bottom: 28 };

/** The axes of a chart of hectares: the zero line, the left axis up to `top`, their two ticks and the unit. */
export function appendAxes(chart: SVGSVGElement, frame: { y: (ha: number) => number; top: number; left: number; right: number; labelY: number }): void {
  const { y, top, left, right } = frame;
  append(
    chart,
    svg('line', { x1: left, y1: y(0), x2: right, y2: y(0), class: 'axis' }),
    svg('line', { x1: left, y1: y(top), x2: left, y2: y(0), class: 'axis' }),
    svg('text', { x: left - 4, y: y(0), class: 'tick end' }, '0'),
    svg('text', { x: left - 4, y: y(top) + 8, class: 'tick end' }, formatNumber(top, top < 10 ? 1 : 0)),
    svg('text', { x: 4, y: frame.labelY, class: 'tick' }, 'ha'),
  );
}

/**
 * Kelp area by date as an SVG line chart built with DOM calls (no chart library): one point per
 * analysed scene, each with a `<title>` giving its date and area, axes labelled in ha and dates.
 */
export function seriesChart(series: SeriesSummary): SVGSVGElement {
  const points = series.scenes.filter((scene) => scene.kelpAreaHa !== undefined).map((scene) => ({ t: Date.parse(scene.acquiredAt || scene.date), ha: scene.kelpAreaHa as number, date: scene.date }));
  const label = `Kelp area by date, ${series.start} to ${series.end}: ${points.map((p) => `${p.date} ${formatHa(p.ha)}`).join('; ') || 'no analysed scenes'}`;
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': label }, svg('title', {}, label));
  const [t0, t1] = points.length ? [Math.min(...points.map((p) => p.t)), Math.max(...points.map((p) => p.t))] : [0, 1];
  const top = Math.max(...points.map((p) => p.ha), 0) * 1.1 || 1;
  const x = (t: number) => PAD.left + (t1 === t0 ? 0.5 : (t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (ha: number) => H - PAD.bottom - (ha / top) * (H - PAD.top - PAD.bottom);

  appendAxes(chart, { y, top, left: PAD.left, right: W - PAD.right, labelY: PAD.top - 2 });
  if (points.length) {
    append(
      chart,
      svg('text', { x: x(t0), y: H - 8, class: 'tick start' }, points[0].date),
      svg('text', { x: x(t1), y: H - 8, class: 'tick end' }, points[points.length - 1].date),
      svg('polyline', { points: points.map((p) => `${x(p.t)},${y(p.ha)}`).join(' '), class: 'line' }),
      ...points.map((p) => svg('circle', { cx: x(p.t), cy: y(p.ha), r: 3.5, class: 'dot' }, svg('title', {}, `${p.date}: ${formatHa(p.ha)}`))),
    );
  }
  return chart;
}

/** The series panel: summary, chart, and a table of every date with a way to open its analysis. */
export function renderSeries(container: HTMLElement, series: SeriesSummary, open: (analysisId: string) => void): void {
  const { kelpAreaHa: area } = series;
  const summary = area.count
    ? `${area.count} scene${area.count === 1 ? '' : 's'} analysed; kelp area ${formatHa(area.min as number)} to ${formatHa(area.max as number)}, median ${formatHa(area.median as number)}.`
    : 'No scene could be analysed in this range.';
  const rows = series.scenes.map((scene) => {
    const action = scene.analysisId
      ? (() => {
          const button = el('button', { class: 'link', attrs: { type: 'button' }, text: 'Open' });
          button.addEventListener('click', () => open(scene.analysisId as string));
          return button;
        })()
      : null;
    const status = scene.status === 'skipped' ? `skipped: ${scene.reason?.message ?? ''}` : scene.status;
    return el(
      'tr',
      {},
      el('td', { text: scene.date }),
      el('td', { text: scene.kelpAreaHa === undefined ? '—' : formatHa(scene.kelpAreaHa) }),
      el('td', { text: scene.cloudCover === undefined ? '—' : `${formatNumber(scene.cloudCover, 1)} %` }),
      el('td', { text: status }),
      el('td', {}, action),
    );
  });
  const head = el('tr', {}, ...['Date', 'Kelp area', 'Cloud', 'Status', 'Analysis'].map((name) => el('th', { attrs: { scope: 'col' }, text: name })));
  container.replaceChildren(
    el('h2', { text: 'Series', attrs: { tabindex: '-1' } }),
    el('p', { text: `${series.start} to ${series.end}, scenes with at most ${series.maxCloudCover} % cloud. ${summary}` }),
    seriesChart(series),
    el('table', { class: 'scenes' }, el('caption', { text: 'Every date found' }), el('thead', {}, head), el('tbody', {}, ...rows)),
  );
  container.hidden = false;
}

import type { SiteAlertRecord } from '../core/sites/alerts.js';
import type { SiteView } from '../core/sites/site.js';
import type { SiteSeries } from '../core/sites/site-series.js';
import type { SiteTrend } from '../core/sites/site-trend.js';
import type { ApiClient } from './api.js';
import { el, showError } from './dom.js';
import { formatHaFromM2, formatNumber } from './format.js';
import { wordsFor } from './messages.js';
import { siteChart } from './site-chart.js';

/** What the Sites section needs from the page. */
export interface SitesPageParts {
  /** The place typed or drawn in the analysis form (throws a field error when there is none). */
  place: () => unknown;
  /** Where a site is shown (the results section). */
  results: HTMLElement;
  /** Outlines the site's box on the map. */
  showArea: (bboxWgs84: readonly number[]) => void;
  /** Opens one observation's analysis on the map. */
  openAnalysis: (id: string) => void;
  /** Called before a site is shown, so the page drops the analysis it showed. */
  clear: () => void;
}

/** The nodes of the Sites section (index.html, `#sites`). */
export interface SitesNodes {
  list: HTMLOListElement;
  error: HTMLElement;
  form: HTMLFormElement;
  name: HTMLInputElement;
}

/**
 * The Sites section: the sites the API watches, a form that watches the place of the analysis
 * form (typed, or drawn with its point and box tools) as a new site, and a site's view: its
 * observations as points, its quarterly values with the trend line and alert markers, and every
 * observation's analysis one click away.
 */
export class SitesPanel {
  constructor(
    private readonly api: ApiClient,
    private readonly nodes: SitesNodes,
    private readonly page: SitesPageParts,
  ) {
    nodes.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.create();
    });
  }

  /** Lists the sites (the first hundred). */
  async load(): Promise<void> {
    try {
      const { body } = await this.api.json<{ items: SiteView[] }>('GET', 'api/sites?limit=100');
      this.nodes.list.replaceChildren(...body.items.map((site) => this.item(site)));
      if (body.items.length === 0) this.nodes.list.append(el('li', { class: 'hint', text: 'No site yet: type or draw a place above, name it, and watch it.' }));
      showError(this.nodes.error, undefined);
    } catch (error) {
      showError(this.nodes.error, wordsFor(error as Error));
    }
  }

  private item(site: SiteView): HTMLLIElement {
    const button = el('button', { class: 'link', attrs: { type: 'button', 'data-site': site.id } }, el('span', { class: 'what', text: site.name }), ' ', el('span', { class: 'when', text: `${formatHaFromM2(site.aoi.areaM2)}, since ${site.since}` }));
    button.addEventListener('click', () => void this.show(site.id));
    return el('li', {}, button);
  }

  /** Creates a site of the form's place, then shows it. */
  private async create(): Promise<void> {
    showError(this.nodes.error, undefined);
    try {
      const name = this.nodes.name.value.trim();
      if (!name) throw new Error('Name the site first');
      const { body } = await this.api.json<SiteView>('POST', 'api/sites', { body: { name, aoi: this.page.place() } });
      this.nodes.name.value = '';
      await this.load();
      await this.show(body.id);
    } catch (error) {
      showError(this.nodes.error, wordsFor(error as Error));
    }
  }

  /** Shows site `id`: its chart, figures and observations. */
  async show(id: string): Promise<void> {
    const path = `api/sites/${encodeURIComponent(id)}`;
    try {
      const [site, series, alerts] = await Promise.all([
        this.api.json<SiteView>('GET', path),
        this.api.json<SiteSeries & { trend: SiteTrend }>('GET', `${path}/series`),
        this.api.json<{ items: SiteAlertRecord[] }>('GET', `api/alerts?site=${encodeURIComponent(id)}`),
      ]);
      this.page.clear();
      this.render(site.body, series.body, series.body.trend, alerts.body.items);
      this.page.showArea(site.body.aoi.bboxWgs84);
    } catch (error) {
      showError(this.nodes.error, wordsFor(error as Error));
    }
  }

  private render(site: SiteView, series: SiteSeries, trend: SiteTrend, alerts: SiteAlertRecord[]): void {
    const { results } = this.page;
    const { counts } = series;
    const rows = [...series.observations].reverse().map((o) => {
      const open = el('button', { class: 'link', attrs: { type: 'button' }, text: 'Open' });
      open.addEventListener('click', () => this.page.openAnalysis(o.analysisId));
      const area = o.kelp ? formatHaFromM2(o.kelp.areaM2) : '—';
      const state = o.status !== 'observed' ? `unobservable: ${o.reason?.message ?? ''}` : o.flagged ? 'flagged (too little seen)' : 'good';
      return el('tr', { attrs: { 'data-scene': o.sceneId } }, el('td', { text: o.date }), el('td', { text: area }), el('td', { text: `${formatNumber(o.observableShare * 100, 0)} %` }), el('td', { text: state }), el('td', {}, o.status === 'observed' ? open : null));
    });
    const head = el('tr', {}, ...['Date', 'Canopy', 'Seen', 'Status', 'Analysis'].map((name) => el('th', { attrs: { scope: 'col' }, text: name })));
    const parts: Node[] = [
      el('h2', { text: site.name, attrs: { tabindex: '-1' } }),
      el('p', { text: `${counts.observations} observations since ${site.since}: ${counts.good} good, ${counts.flagged} flagged as seen under ${formatNumber(site.observableMin * 100, 0)} % of the site, ${counts.unobservable} unobservable.` }),
      // A series of Sentinel-2 and Landsat: the 10 m and 30 m areas differ in what they resolve, said in words.
      ...(series.resolutionNote ? [el('p', { class: 'hint', attrs: { 'data-figure': 'resolution' }, text: series.resolutionNote })] : []),
      el('p', { attrs: { 'data-figure': 'trend' }, text: trendWords(trend) }),
      siteChart(series, trend, alerts),
      el('p', { class: 'hint', text: 'Points: every observation (hollow: flagged, left out). Squares: each quarter’s value. Dashed: the trend. Red marks: alerts.' }),
      ...(alerts.length ? [el('ul', { class: 'alerts' }, ...alerts.map((a) => el('li', { text: `${a.quarter}: ${formatNumber(a.changePercent, 1)} % against the baseline (${formatHaFromM2(a.valueM2)} against ${formatHaFromM2(a.baselineM2)}); delivery ${a.delivery.status}` })))] : []),
      el('table', { class: 'scenes' }, el('caption', { text: 'Every observation, newest first' }), el('thead', {}, head), el('tbody', {}, ...rows)),
    ];
    results.replaceChildren(...parts);
    results.hidden = false;
    results.querySelector<HTMLElement>('h2')?.focus();
  }
}

/** The trend in words: direction, slope in ha and percent a year, and the test's p-value. */
export function trendWords(trend: SiteTrend): string {
  const t = trend.trend;
  if (!t) return `No trend yet: ${trend.notes.join('; ')}.`;
  const percent = t.percentPerYear === undefined ? '' : ` (${formatNumber(t.percentPerYear, 1)} % of the baseline a year)`;
  return `Trend: ${t.direction}, ${formatHaFromM2(t.slopeM2PerYear)} a year${percent}; Mann–Kendall p = ${t.pValue.toPrecision(2)} over ${t.n} quarters.`;
}

import type { Labels, Metrics } from '../ports/metrics.js';

/** Histogram buckets (seconds for durations, hectares for areas): Prometheus' defaults, widened. */
const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

interface Family {
  type: 'counter' | 'histogram';
  help: string;
  buckets: number[];
  series: Map<string, { labels: Labels; value: number; counts: number[]; sum: number }>;
}

/**
 * An in-memory Prometheus registry: counters and histograms, rendered in the text exposition
 * format (version 0.0.4). Families are declared once with their help text; unknown names are
 * ignored so a typo cannot create a stray series.
 *
 * @example
 * ```ts
 * const registry = new PrometheusRegistry().counter('kelpie_http_requests_total', 'HTTP requests');
 * registry.count('kelpie_http_requests_total', { route: '/health', status: '200' });
 * registry.render();
 * ```
 */
export class PrometheusRegistry implements Metrics {
  private readonly families = new Map<string, Family>();

  counter(name: string, help: string): this {
    this.families.set(name, { type: 'counter', help, buckets: [], series: new Map() });
    return this;
  }

  histogram(name: string, help: string, buckets = DEFAULT_BUCKETS): this {
    this.families.set(name, { type: 'histogram', help, buckets: [...buckets].sort((a, b) => a - b), series: new Map() });
    return this;
  }

  count(name: string, labels: Labels = {}, value = 1): void {
    const family = this.families.get(name);
    if (family?.type !== 'counter') return;
    this.series(family, labels).value += value;
  }

  observe(name: string, labels: Labels, value: number): void {
    const family = this.families.get(name);
    if (family?.type !== 'histogram' || !Number.isFinite(value)) return;
    const series = this.series(family, labels);
    family.buckets.forEach((bound, i) => {
      if (value <= bound) series.counts[i]++;
    });
    series.value++;
    series.sum += value;
  }

  /** The text exposition of every family. */
  render(): string {
    const lines: string[] = [];
    for (const [name, family] of this.families) {
      lines.push(`# HELP ${name} ${family.help}`, `# TYPE ${name} ${family.type}`);
      for (const series of family.series.values()) {
        if (family.type === 'counter') {
          lines.push(`${name}${formatLabels(series.labels)} ${series.value}`);
          continue;
        }
        family.buckets.forEach((bound, i) => lines.push(`${name}_bucket${formatLabels({ ...series.labels, le: String(bound) })} ${series.counts[i]}`));
        lines.push(`${name}_bucket${formatLabels({ ...series.labels, le: '+Inf' })} ${series.value}`);
        lines.push(`${name}_sum${formatLabels(series.labels)} ${series.sum}`, `${name}_count${formatLabels(series.labels)} ${series.value}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }

  private series(family: Family, labels: Labels) {
    const key = JSON.stringify(Object.entries(labels).sort());
    let series = family.series.get(key);
    if (!series) {
      series = { labels, value: 0, counts: family.buckets.map(() => 0), sum: 0 };
      family.series.set(key, series);
    }
    return series;
  }
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (!entries.length) return '';
  const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
  return `{${entries.map(([key, value]) => `${key}="${escape(value)}"`).join(',')}}`;
}

/** The registry with every metric the API records, declared once. */
export function createApiMetrics(): PrometheusRegistry {
  return new PrometheusRegistry()
    .counter('kelpie_http_requests_total', 'HTTP requests by route, method and status')
    .histogram('kelpie_http_request_duration_seconds', 'HTTP request duration by route')
    .counter('kelpie_analyses_total', 'Analyses run, by outcome (succeeded, failed, reused)')
    .histogram('kelpie_kelp_area_hectares', 'Kelp area found per analysis, hectares', [0, 1, 5, 10, 50, 100, 500, 1000, 5000, 10000]);
}

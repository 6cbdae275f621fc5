/** Label values of one metric sample, e.g. `{ route: '/health', status: '200' }`. */
export type Labels = Record<string, string>;

/**
 * Metrics port: counters and histograms by name and labels. The core records; adapters decide
 * where it goes (Prometheus text at `/metrics`, CloudWatch EMF on AWS).
 *
 * @example
 * ```ts
 * metrics.count('kelpie_analyses_total', { outcome: 'succeeded' });
 * metrics.observe('kelpie_http_request_duration_seconds', { route: '/health' }, 0.004);
 * ```
 */
export interface Metrics {
  count(name: string, labels?: Labels, value?: number): void;
  observe(name: string, labels: Labels, value: number): void;
}

/** Metrics that go nowhere. */
export const noMetrics: Metrics = { count() {}, observe() {} };

import { describe, expect, it } from 'vitest';
import { EmfMetrics, type EmfSink } from '../../../../adapters/aws/emf-metrics.js';
import { createApiMetrics } from '../../../../core/api/prometheus.js';

/** A sink that records what Powertools would have written, one entry per EMF line. */
function recordingSink(): EmfSink & { lines: Array<{ dimensions: Record<string, string>; metrics: Array<[string, string, number]> }> } {
  let dimensions: Record<string, string> = {};
  let metrics: Array<[string, string, number]> = [];
  const lines: Array<{ dimensions: Record<string, string>; metrics: Array<[string, string, number]> }> = [];
  const sink = {
    lines,
    addDimension(name: string, value: string) {
      dimensions[name] = value;
      return sink;
    },
    addMetric(name: string, unit: string, value: number) {
      metrics.push([name, unit, value]);
    },
    publishStoredMetrics() {
      lines.push({ dimensions, metrics });
      dimensions = {};
      metrics = [];
      return sink;
    },
  };
  return sink as unknown as EmfSink & { lines: typeof lines };
}

describe('EmfMetrics', () => {
  it('writes one EMF line per label set, labels as dimensions, units from the name', () => {
    const sink = recordingSink();
    const metrics = new EmfMetrics({ registry: createApiMetrics(), service: 'http-api', sink });
    metrics.count('kelpie_http_requests_total', { route: '/health', method: 'GET', status: '200' });
    metrics.observe('kelpie_http_request_duration_seconds', { route: '/health' }, 0.004);
    metrics.observe('kelpie_kelp_area_hectares', {}, 12.5);

    metrics.publish();

    expect(sink.lines).toEqual([
      { dimensions: { route: '/health', method: 'GET', status: '200' }, metrics: [['kelpie_http_requests_total', 'Count', 1]] },
      { dimensions: { route: '/health' }, metrics: [['kelpie_http_request_duration_seconds', 'Seconds', 0.004]] },
      { dimensions: {}, metrics: [['kelpie_kelp_area_hectares', 'None', 12.5]] },
    ]);
  });

  it('also records into the Prometheus registry', () => {
    const registry = createApiMetrics();
    const metrics = new EmfMetrics({ registry, service: 'http-api', sink: recordingSink() });
    metrics.count('kelpie_analyses_total', { outcome: 'succeeded' });
    expect(registry.render()).toContain('kelpie_analyses_total{outcome="succeeded"} 1');
  });

  it('writes nothing when nothing was recorded since the last publish', () => {
    const sink = recordingSink();
    const metrics = new EmfMetrics({ registry: createApiMetrics(), service: 'http-api', sink });
    metrics.count('kelpie_analyses_total', { outcome: 'reused' });
    metrics.publish();
    metrics.publish();
    expect(sink.lines).toHaveLength(1);
  });
});

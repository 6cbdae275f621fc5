import { describe, expect, it } from 'vitest';
import { PrometheusRegistry } from '../../../core/api/prometheus.js';

describe('PrometheusRegistry', () => {
  it('renders counters with escaped labels', () => {
    const registry = new PrometheusRegistry().counter('requests_total', 'Requests');
    registry.count('requests_total', { route: '/a"b' });
    registry.count('requests_total', { route: '/a"b' }, 2);
    expect(registry.render()).toContain('# TYPE requests_total counter\nrequests_total{route="/a\\"b"} 3');
  });

  it('renders cumulative histogram buckets, sum and count', () => {
    const registry = new PrometheusRegistry().histogram('duration_seconds', 'Duration', [0.1, 1]);
    registry.observe('duration_seconds', {}, 0.05);
    registry.observe('duration_seconds', {}, 0.5);
    registry.observe('duration_seconds', {}, 5);
    const text = registry.render();
    expect(text).toContain('duration_seconds_bucket{le="0.1"} 1');
    expect(text).toContain('duration_seconds_bucket{le="1"} 2');
    expect(text).toContain('duration_seconds_bucket{le="+Inf"} 3');
    expect(text).toContain('duration_seconds_sum 5.55');
    expect(text).toContain('duration_seconds_count 3');
  });

  it('ignores names that were never declared', () => {
    const registry = new PrometheusRegistry();
    registry.count('typo_total');
    expect(registry.render().trim()).toBe('');
  });
});

import { Metrics as PowertoolsMetrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Labels, Metrics } from '../../core/ports/metrics.js';
import type { MetricsPublisher } from './middleware/publish-metrics.js';

/** CloudWatch namespace of every Kelpie Carbon metric. */
const EMF_NAMESPACE = 'KelpieCarbon';

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

/** CloudWatch unit by metric-name suffix (the Prometheus naming convention); `NoUnit` otherwise. */
const UNIT_BY_SUFFIX: Array<[suffix: string, unit: Unit]> = [
  ['_seconds', MetricUnit.Seconds],
  ['_total', MetricUnit.Count],
  ['_bytes', MetricUnit.Bytes],
];

/** The Powertools calls we use, so tests can pass a recorder. */
export type EmfSink = Pick<PowertoolsMetrics, 'addDimension' | 'addMetric' | 'publishStoredMetrics'>;

/** Options for {@link EmfMetrics}. */
export interface EmfMetricsOptions {
  /** Also records every sample here (the `/metrics` Prometheus text). */
  registry: Metrics;
  /** The `service` dimension, e.g. `http-api`. */
  service: string;
  /** Where EMF goes; defaults to Powertools Metrics (stdout, one JSON line per dimension set). Set `POWERTOOLS_METRICS_DISABLED=true` to silence it. */
  sink?: EmfSink;
}

interface Sample {
  name: string;
  unit: Unit;
  value: number;
}

/**
 * The `Metrics` port on Lambda: every sample goes to the Prometheus registry (for `/metrics`) and
 * is buffered for CloudWatch Embedded Metric Format; `publish()` (called after each invocation)
 * writes one EMF line per label set, the labels as dimensions, in namespace `KelpieCarbon`.
 *
 * @example
 * ```ts
 * const registry = createApiMetrics();
 * const metrics = new EmfMetrics({ registry, service: 'http-api' });
 * metrics.count('kelpie_analyses_total', { outcome: 'succeeded' });
 * metrics.publish();
 * ```
 */
export class EmfMetrics implements Metrics, MetricsPublisher {
  private readonly registry: Metrics;
  private readonly sink: EmfSink;
  private readonly pending = new Map<string, { labels: Labels; samples: Sample[] }>();

  constructor(options: EmfMetricsOptions) {
    this.registry = options.registry;
    this.sink = options.sink ?? new PowertoolsMetrics({ namespace: EMF_NAMESPACE, serviceName: options.service });
  }

  count(name: string, labels: Labels = {}, value = 1): void {
    this.registry.count(name, labels, value);
    this.buffer(name, labels, value);
  }

  observe(name: string, labels: Labels, value: number): void {
    this.registry.observe(name, labels, value);
    this.buffer(name, labels, value);
  }

  /** Writes the buffered samples as EMF and empties the buffer. */
  publish(): void {
    const groups = [...this.pending.values()];
    this.pending.clear();
    for (const { labels, samples } of groups) {
      for (const [name, value] of Object.entries(labels)) if (value) this.sink.addDimension(name, value);
      for (const sample of samples) this.sink.addMetric(sample.name, sample.unit, sample.value);
      this.sink.publishStoredMetrics();
    }
  }

  private buffer(name: string, labels: Labels, value: number): void {
    if (!Number.isFinite(value)) return;
    const key = JSON.stringify(Object.entries(labels).sort());
    let group = this.pending.get(key);
    if (!group) this.pending.set(key, (group = { labels, samples: [] }));
    group.samples.push({ name, unit: unitOf(name), value });
  }
}

function unitOf(name: string): Unit {
  return UNIT_BY_SUFFIX.find(([suffix]) => name.endsWith(suffix))?.[1] ?? MetricUnit.NoUnit;
}

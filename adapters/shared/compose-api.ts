import { createApi } from '../../core/api/create-api.js';
import { createApiMetrics, type PrometheusRegistry } from '../../core/api/prometheus.js';
import type { ApiHandler } from '../../core/api/types.js';
import { apiConfigFrom, loadConfig } from '../../core/config.js';
import { systemClock } from '../../core/ports/clock.js';
import type { Logger } from '../../core/ports/logger.js';
import type { Metrics } from '../../core/ports/metrics.js';
import { embeddedWebAssets } from '../web/embedded-web-assets.js';
import { nodeCodecs } from './node-codecs.js';
import { type Platform, createJobQueue, createStores } from './platform.js';
import { withRequestOrigin } from './request-origin.js';
import { CODE_VERSION } from './version.js';

/**
 * The HTTP API wired from the environment with one platform's stores, queue and logger:
 * configuration, stores, logger and metrics once per cold start. `wrapMetrics` lets a platform tee
 * the Prometheus registry into its own metrics (CloudWatch EMF on AWS). Throws on a bad setting;
 * callers wrap it in their configuration-error fallback.
 *
 * @example
 * ```ts
 * const api = apiOrConfigurationError('http-api', () => composeApi(gcpPlatform, 'http-api').api);
 * ```
 */
export function composeApi<M extends Metrics = PrometheusRegistry>(
  platform: Platform,
  service: string,
  wrapMetrics: (registry: PrometheusRegistry) => M = (registry) => registry as unknown as M,
): { api: ApiHandler; logger: Logger; metrics: M } {
  const config = loadConfig(process.env);
  const logger = platform.logger(config, service);
  const registry = createApiMetrics();
  const metrics = wrapMetrics(registry);
  const api = createApi({
    ...createStores(platform, config),
    config: apiConfigFrom(config),
    clock: systemClock,
    logger,
    metrics,
    renderMetrics: () => registry.render(),
    codeVersion: CODE_VERSION,
    // In-process analyses only: what the API runs within a request is small (larger ones are queued).
    ...nodeCodecs(),
    webAssets: embeddedWebAssets(),
    jobQueue: createJobQueue(platform, config),
  });
  return { api: withRequestOrigin(api), logger, metrics };
}

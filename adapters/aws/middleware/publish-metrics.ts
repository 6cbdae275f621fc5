import type { MiddlewareObj } from '@middy/core';

/** Something that buffers metrics during an invocation and writes them out on `publish()`. */
export interface MetricsPublisher {
  publish(): void;
}

/**
 * Middy middleware: publishes the metrics buffered during the invocation (CloudWatch EMF lines)
 * when it ends, whether it succeeded or failed, so nothing is lost when Lambda freezes the
 * process between invocations.
 *
 * @example
 * ```ts
 * middy(handler).use(publishMetrics(emfMetrics));
 * ```
 */
export function publishMetrics(publisher: MetricsPublisher): MiddlewareObj {
  const publishMetricsAfter = () => publisher.publish();
  return { after: publishMetricsAfter, onError: publishMetricsAfter };
}

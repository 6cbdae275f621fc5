import type { InvocationContext } from '@azure/functions';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Config } from '../../core/config.js';
import type { Logger } from '../../core/ports/logger.js';
import { createJsonLogger } from '../shared/json-logger.js';

const invocations = new AsyncLocalStorage<InvocationContext>();

/**
 * The core's `Logger` on Azure Functions: inside an invocation each line goes through that
 * invocation's `InvocationContext` (`context.info`, `context.warn`…), so the host records it with
 * its severity and its invocation id and Application Insights shows it under the invocation;
 * outside one (composition, start-up) it goes to the console. Each line is one JSON object:
 * the level, `message`, `service`, `timestamp` and the fields.
 *
 * @example
 * ```ts
 * const logger = invocationLogger(config, 'upload-analyze');
 * app.eventGrid('analyzeUploadEventGrid', { handler: withInvocationLog(handler) });
 * ```
 */
export function invocationLogger(config: Pick<Config, 'KELPIE_LOG_LEVEL'>, service: string): Logger {
  return createJsonLogger({
    service,
    level: config.KELPIE_LOG_LEVEL,
    write: (line, level) => {
      const context = invocations.getStore();
      // The context's methods are named as our levels; the host records each at its severity.
      if (context) context[level](line);
      else (level === 'error' || level === 'warn' ? console.error : console.log)(line);
    },
  });
}

/**
 * Wraps an Azure Functions handler so the lines its loggers write while it runs go through its
 * `InvocationContext` (see {@link invocationLogger}).
 *
 * @example
 * ```ts
 * app.timer('backup', { schedule, handler: withInvocationLog(backup) });
 * ```
 */
export function withInvocationLog<T, R>(handler: (input: T, context: InvocationContext) => Promise<R>): (input: T, context: InvocationContext) => Promise<R> {
  return (input, context) => invocations.run(context, () => handler(input, context));
}

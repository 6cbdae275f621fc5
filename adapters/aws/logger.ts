import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { Config } from '../../core/config.js';
import type { Logger } from '../../core/ports/logger.js';

/**
 * The core's `Logger` on Lambda: Powertools Logger (one JSON line per entry, which CloudWatch Logs
 * Insights reads), at `KELPIE_LOG_LEVEL`, with `service` on every line. Give the handler's
 * Lambda context to {@link addLambdaContext} so each line names its invocation.
 *
 * @example
 * ```ts
 * const logger = powertoolsLogger(config, 'http-api');
 * logger.info('analysis done', { id, areaHa });
 * ```
 */
export function powertoolsLogger(config: Pick<Config, 'KELPIE_LOG_LEVEL'>, service: string): Logger & { powertools: PowertoolsLogger } {
  const logger = new PowertoolsLogger({ serviceName: service, logLevel: config.KELPIE_LOG_LEVEL });
  return {
    powertools: logger,
    debug: (message, fields) => logger.debug(message, fields ?? {}),
    info: (message, fields) => logger.info(message, fields ?? {}),
    warn: (message, fields) => logger.warn(message, fields ?? {}),
    error: (message, fields) => logger.error(message, fields ?? {}),
  };
}

/**
 * Puts the invocation's Lambda context on every following line of a logger made by
 * {@link powertoolsLogger} (`function_request_id`, `cold_start`, the function's name and memory);
 * any other logger (tests, a silent one) is left as it is.
 *
 * @example
 * ```ts
 * addLambdaContext(worker().logger, context);
 * ```
 */
export function addLambdaContext(logger: Logger, context: Partial<Context>): void {
  if ('powertools' in logger && logger.powertools instanceof PowertoolsLogger && typeof context?.functionName === 'string') logger.powertools.addContext(context as Context);
}

import type { Handler } from 'aws-lambda';
import { silentLogger } from '../../core/ports/logger.js';
import { logCannotStart } from '../shared/compose-once.js';
import { configurationErrorApi } from '../shared/configuration-error.js';
import { type AwsHttpHandler, createAwsHttpHandler } from './http-handler.js';

/**
 * Builds the HTTP handler with `compose` at cold start. When that fails (a bad or missing
 * setting), it logs one line saying what is wrong and returns a handler that answers every
 * request 500 `{ error: { code: 'CONFIGURATION' } }` in the event's result shape: the function
 * stays up, says why it cannot work, and never shows a stack or the setting to clients.
 *
 * @example
 * ```ts
 * export const handler = httpHandlerOrConfigurationError('http-api', () => createAwsHttpHandler(api, { logger }));
 * ```
 */
export function httpHandlerOrConfigurationError(service: string, compose: () => AwsHttpHandler): AwsHttpHandler {
  try {
    return compose();
  } catch (error) {
    logCannotStart(service)(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
    return createAwsHttpHandler(configurationErrorApi, { logger: silentLogger });
  }
}

/**
 * Builds a trigger or scheduled-job handler with `compose` at cold start. When that fails (a bad
 * or missing setting), it logs one line saying what is wrong and returns a handler that fails
 * every invocation with the same error: an event source then retries (SQS, asynchronous
 * invocations) and finally dead-letters, and alarms on the function's errors fire, so nothing is
 * acknowledged by a function that cannot work.
 *
 * @example
 * ```ts
 * export const handler = handlerOrConfigurationError('backup', () => createAwsScheduledHandler(backupJob(deps), { name: 'backup', logger }));
 * ```
 */
export function handlerOrConfigurationError<H extends Handler>(service: string, compose: () => H): H {
  try {
    return compose();
  } catch (error) {
    logCannotStart(service)(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
    const failing = async () => {
      throw error;
    };
    return failing as unknown as H;
  }
}

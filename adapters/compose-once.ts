import { KelpieError } from '../core/errors.js';

/** A trigger function cannot run because a setting is missing or wrong; the message says which. */
export class ConfigurationError extends KelpieError {
  readonly code = 'CONFIGURATION';
  readonly kind = 'invalid';
}

/**
 * Composes an event or scheduled function's dependencies on its first invocation, once per
 * instance. Lazily, because one bundle holds every function of a platform, so each instance loads
 * them all: a function's settings are checked only where that function runs. When `compose`
 * throws (a bad or missing setting), one JSON line says why, and every invocation then fails with
 * a `ConfigurationError` naming the setting: the platform records a failure (and, for retried
 * events, keeps them until a fixed deployment handles them) instead of the instance crashing.
 *
 * @example
 * ```ts
 * const deps = composeOnce('upload-analyze', () => uploadDepsFrom(loadConfig(process.env), 'upload-analyze'));
 * cloudEvent('analyzeUpload', async (event) => runUploadTrigger(fromStorageCloudEvent(event), deps()));
 * ```
 */
export function composeOnce<T>(service: string, compose: () => T): () => T {
  let composed: { value: T } | { error: ConfigurationError } | undefined;
  return () => {
    if (!composed) {
      try {
        composed = { value: compose() };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        console.error(JSON.stringify({ level: 'ERROR', severity: 'ERROR', service, message: `cannot start: ${message}`, timestamp: new Date().toISOString() }));
        composed = { error: new ConfigurationError(`${service} is not configured correctly: ${message}`, undefined, { cause: error }) };
      }
    }
    if ('error' in composed) throw composed.error;
    return composed.value;
  };
}

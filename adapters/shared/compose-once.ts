import { ConfigurationError } from './errors.js';

/**
 * Composes an event or scheduled function's dependencies on its first invocation, once per
 * instance, so a function's settings are checked where that function runs. When `compose` throws
 * (a bad or missing setting), one JSON line on stderr says why,
 * and every invocation then fails with a `ConfigurationError` naming the setting: the platform
 * records a failure (and, for retried events, keeps them until a fixed deployment handles them)
 * instead of the instance crashing.
 *
 * @example
 * ```ts
 * const deps = composeOnce('upload-analyze', () => uploadTriggerDepsFrom(gcpPlatform, loadConfig(process.env), 'upload-analyze'));
 * cloudEvent('analyzeUpload', async (event) => handleUploadEvent(fromStorageCloudEvent(event), deps(), options));
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
        logCannotStart(service)(`cannot start: ${message}`);
        composed = { error: new ConfigurationError(`${service} is not configured correctly: ${message}`, undefined, { cause: error }) };
      }
    }
    if ('error' in composed) throw composed.error;
    return composed.value;
  };
}

/**
 * The line a function logs when it cannot start, before any logger exists: JSON on stderr, with
 * both `level` (Powertools, Azure) and `severity` (Cloud Logging) so every platform files it as an error.
 */
export function logCannotStart(service: string): (message: string) => void {
  return (message) => console.error(JSON.stringify({ level: 'ERROR', severity: 'ERROR', service, message, timestamp: new Date().toISOString() }));
}

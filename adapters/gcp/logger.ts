import type { Config } from '../../core/config.js';
import type { Logger } from '../../core/ports/logger.js';
import { createJsonLogger } from '../shared/json-logger.js';

/** Cloud Logging's `LogSeverity` names for our levels. */
const SEVERITY = { debug: 'DEBUG', info: 'INFO', warn: 'WARNING', error: 'ERROR' } as const;

/**
 * The core's `Logger` on Google Cloud: one JSON object per line on stdout and stderr, which Cloud
 * Run and Cloud Functions turn into structured log entries. Cloud Logging reads the level from
 * `severity` (with `level`, every entry would show as DEFAULT) and the text from `message`; the
 * other fields land in `jsonPayload`, searchable.
 *
 * @example
 * ```ts
 * cloudLoggingLogger(config, 'upload-analyze').warn('upload event dropped', { key });
 * // {"severity":"WARNING","message":"upload event dropped","service":"upload-analyze","timestamp":"…","key":"…"}
 * ```
 */
export function cloudLoggingLogger(config: Pick<Config, 'KELPIE_LOG_LEVEL'>, service: string): Logger {
  return createJsonLogger({ service, level: config.KELPIE_LOG_LEVEL, levelKey: 'severity', levelNames: SEVERITY });
}

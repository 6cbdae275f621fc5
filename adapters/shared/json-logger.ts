import type { Config } from '../../core/config.js';
import type { Logger } from '../../core/ports/logger.js';

/** A logger method's name, which is also its level. */
export type LogLevel = keyof Logger;

/** Levels in order: a logger at `warn` writes `warn` and `error`. */
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Options for {@link createJsonLogger}. */
export interface JsonLoggerOptions {
  service: string;
  /** The least level written (`KELPIE_LOG_LEVEL`). */
  level: Config['KELPIE_LOG_LEVEL'];
  /** The key that carries the level: `level` (Powertools' shape) or `severity` (Cloud Logging's). */
  levelKey?: string;
  /** How each level is spelled in that key. */
  levelNames?: Record<LogLevel, string>;
  /** Where a line goes; default: stdout, warnings and errors to stderr. */
  write?: (line: string, level: LogLevel) => void;
}

const defaults = {
  levelKey: 'level',
  levelNames: { debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' },
  write: (line: string, level: LogLevel) => (RANK[level] >= RANK.warn ? process.stderr : process.stdout).write(`${line}\n`),
} satisfies Partial<JsonLoggerOptions>;

/**
 * A structured logger that writes one JSON object per line: the level, `message`, `service`,
 * `timestamp`, then the fields (a field cannot replace those four). Log services parse such lines
 * into searchable entries; `levelKey` and `levelNames` say how this one spells the level.
 *
 * @example
 * ```ts
 * const logger = createJsonLogger({ service: 'kelpie-cli', level: 'info' });
 * logger.info('backup done', { copied: 3 }); // {"level":"INFO","message":"backup done","service":"kelpie-cli","timestamp":"…","copied":3}
 * ```
 */
export function createJsonLogger(opts: JsonLoggerOptions): Logger {
  const options = { ...defaults, ...opts };
  const least = RANK[options.level];
  const log = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (RANK[level] < least) return;
    options.write(formatLine(options.levelKey, options.levelNames[level], message, options.service, fields), level);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** One log line as JSON; big integers become strings rather than failing the line. */
function formatLine(levelKey: string, levelName: string, message: string, service: string, fields: Record<string, unknown> = {}): string {
  const fixed = { [levelKey]: levelName, message, service, timestamp: new Date().toISOString() };
  return JSON.stringify(Object.assign({}, fixed, fields, fixed), (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

import type { ApiConfig } from './api/types.js';
import { basemapSource, isCspSource, uploadOriginsFor } from './api/web-policy.js';
import { type Parse, ValueProblem, accepted, flag, list, matching, oneOf, text, url, wholeNumber } from './config-values.js';
import { InvalidRequestError } from './errors.js';
import { DEFAULT_PROGRESS_INTERVAL_MS } from './jobs/progress.js';

/** A full Sentinel-2 tile is 10980 × 10980 = 120,560,400 pixels at 10 m. */
const DEFAULT_MAX_IMAGE_PIXELS = 130_000_000;

/**
 * Pixels an analysis answers within the request by default (`KELPIE_SYNC_MAX_PIXELS`): about 5 s
 * of a 1 GB Lambda on a local multi-band file (`npm run bench` reads ~4 Mpx/s on 2 cores), far
 * inside API Gateway's 29 s.
 */
export const DEFAULT_SYNC_MAX_PIXELS = 20_000_000;

/** The settings (docs/design.md, "Configuration"), validated once at start-up by {@link loadConfig}. */
export interface Config {
  KELPIE_ENV: 'development' | 'test' | 'production';
  KELPIE_LOG_LEVEL: 'debug' | 'info' | 'warn' | 'error';
  KELPIE_STORE: 'fs' | 's3' | 'gcs' | 'azure' | 'memory';
  KELPIE_DATA_DIR: string;
  KELPIE_BUCKET?: string;
  KELPIE_BACKUP_BUCKET?: string;
  KELPIE_BACKUP_RETENTION_DAYS: number;
  KELPIE_API_KEYS: string[];
  KELPIE_ALLOWED_ORIGINS: string[];
  KELPIE_MAX_IMAGE_PIXELS: number;
  KELPIE_STAC_URL?: string;
  KELPIE_OUTBOUND_HOSTS: string[];
  KELPIE_HEALTH_URL?: string;
  KELPIE_S3_FORCE_PATH_STYLE: boolean;
  /** Another Cloud Storage JSON API endpoint (a test double or emulator); requests to it are unauthenticated. */
  KELPIE_GCS_ENDPOINT?: string;
  /** Secret for the local store's signed upload URLs (development only). */
  KELPIE_LOCAL_UPLOAD_SECRET?: string;
  /** Base URL local upload URLs point at; default: the request's Host, else http://localhost:3000. */
  KELPIE_PUBLIC_URL?: string;
  /** Largest local upload, bytes (2 GiB). */
  KELPIE_MAX_UPLOAD_BYTES: number;
  /** Largest estimated work (pixels, remote reads weighted) answered within the request; more is queued. */
  KELPIE_SYNC_MAX_PIXELS: number;
  /** Where accepted analyses wait for a worker: none (all within the request), local (a folder), sqs, pubsub or azure. */
  KELPIE_JOB_QUEUE?: 'none' | 'local' | 'sqs' | 'pubsub' | 'azure';
  /** The SQS queue URL of jobs (KELPIE_JOB_QUEUE=sqs). */
  KELPIE_JOB_QUEUE_URL?: string;
  /** The Pub/Sub topic of jobs, `projects/<project>/topics/<topic>` (KELPIE_JOB_QUEUE=pubsub). */
  KELPIE_JOB_TOPIC?: string;
  /** The Azure storage queue of jobs (KELPIE_JOB_QUEUE=azure), in the account AZURE_STORAGE_CONNECTION_STRING names. */
  KELPIE_JOB_QUEUE_NAME?: string;
  /** The worker's timeout, seconds: a job running longer than this (plus a minute) is reported failed. */
  KELPIE_JOB_TIMEOUT_S: number;
  /** Deliveries of one job message before it is given up (the queue's maxReceiveCount / maxDequeueCount). */
  KELPIE_JOB_MAX_ATTEMPTS: number;
  /** Least time between two progress writes of a job, ms (0 writes every step; tests). */
  KELPIE_PROGRESS_INTERVAL_MS: number;
  /** Worker threads per analysis (and scenes of a series at once), 1–64; unset: every core the process may use; 1 scans in-process. */
  KELPIE_WORKERS?: number;
  /** The web map's basemap, a tile URL template (`https://{s}.tile.example.org/{z}/{x}/{y}.png`); unset: no basemap. */
  KELPIE_BASEMAP_URL?: string;
  /** Credit shown on the map for the basemap (plain text), e.g. `© OpenStreetMap contributors`. */
  KELPIE_BASEMAP_ATTRIBUTION?: string;
  /** Origins the web map may upload to (its CSP connect-src); default: the store's presigned-URL hosts. */
  KELPIE_UPLOAD_ORIGINS: string[];
}

type Settings = { [K in keyof Config]-?: { parse: Parse<NonNullable<Config[K]>>; default?: NonNullable<Config[K]> } };

const HTTP = ['http', 'https'] as const;

/** Every setting: how its text is read, and its value when unset (none: optional). */
const SETTINGS: Settings = {
  KELPIE_ENV: { parse: oneOf(['development', 'test', 'production']), default: 'development' },
  KELPIE_LOG_LEVEL: { parse: oneOf(['debug', 'info', 'warn', 'error']), default: 'info' },
  KELPIE_STORE: { parse: oneOf(['fs', 's3', 'gcs', 'azure', 'memory']), default: 'fs' },
  KELPIE_DATA_DIR: { parse: text(), default: '.data' },
  KELPIE_BUCKET: { parse: text() },
  KELPIE_BACKUP_BUCKET: { parse: text() },
  KELPIE_BACKUP_RETENTION_DAYS: { parse: wholeNumber(), default: 30 },
  KELPIE_API_KEYS: { parse: list((key) => key.length >= 16, 'each API key must be at least 16 characters'), default: [] },
  KELPIE_ALLOWED_ORIGINS: { parse: list(), default: [] },
  KELPIE_MAX_IMAGE_PIXELS: { parse: wholeNumber(), default: DEFAULT_MAX_IMAGE_PIXELS },
  KELPIE_STAC_URL: { parse: url(HTTP) },
  KELPIE_OUTBOUND_HOSTS: { parse: list(), default: [] },
  KELPIE_HEALTH_URL: { parse: url() },
  KELPIE_S3_FORCE_PATH_STYLE: { parse: flag, default: false },
  KELPIE_GCS_ENDPOINT: { parse: url(HTTP) },
  KELPIE_LOCAL_UPLOAD_SECRET: { parse: text(16) },
  KELPIE_PUBLIC_URL: { parse: url(HTTP) },
  KELPIE_MAX_UPLOAD_BYTES: { parse: wholeNumber(), default: 2 * 1024 ** 3 },
  KELPIE_SYNC_MAX_PIXELS: { parse: wholeNumber(), default: DEFAULT_SYNC_MAX_PIXELS },
  KELPIE_JOB_QUEUE: { parse: oneOf(['none', 'local', 'sqs', 'pubsub', 'azure']) },
  KELPIE_JOB_QUEUE_URL: { parse: url(HTTP) },
  KELPIE_JOB_TOPIC: { parse: matching(/^projects\/[a-z][-a-z0-9]{4,28}[a-z0-9]\/topics\/[A-Za-z][\w.~+%-]{2,254}$/, 'expected projects/<project>/topics/<topic>') },
  KELPIE_JOB_QUEUE_NAME: { parse: matching(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, 'expected an Azure queue name: 3–63 lower-case letters, digits and single hyphens') },
  KELPIE_JOB_TIMEOUT_S: { parse: wholeNumber(), default: 900 },
  KELPIE_JOB_MAX_ATTEMPTS: { parse: wholeNumber(), default: 5 },
  KELPIE_PROGRESS_INTERVAL_MS: { parse: wholeNumber(0), default: DEFAULT_PROGRESS_INTERVAL_MS },
  KELPIE_WORKERS: {
    parse: (value) => {
      const workers = wholeNumber()(value);
      if (workers > 64) throw new ValueProblem('expected a whole number from 1 to 64');
      return workers;
    },
  },
  KELPIE_BASEMAP_URL: {
    parse: accepted(
      (template) => basemapSource(template) !== undefined && ['{z}', '{x}', '{y}'].every((part) => template.includes(part)),
      'expected an http(s) tile URL template with {z}, {x} and {y} ({s} allowed as the first host label)',
    ),
  },
  KELPIE_BASEMAP_ATTRIBUTION: { parse: text(1, 300) },
  KELPIE_UPLOAD_ORIGINS: { parse: list(isCspSource, 'expected origins like https://bucket.s3.eu-west-1.amazonaws.com (a leading *. allowed), comma-separated'), default: [] },
};

/** The setting each job queue needs besides `KELPIE_JOB_QUEUE`. */
const QUEUE_NEEDS = { sqs: 'KELPIE_JOB_QUEUE_URL', pubsub: 'KELPIE_JOB_TOPIC', azure: 'KELPIE_JOB_QUEUE_NAME' } as const;

/** Problems between settings, each as `[setting, message]`. */
function crossProblems(config: Config): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  if (['s3', 'gcs', 'azure'].includes(config.KELPIE_STORE) && !config.KELPIE_BUCKET) {
    problems.push(['KELPIE_BUCKET', `KELPIE_STORE=${config.KELPIE_STORE} needs the bucket (or container) name`]);
  }
  const queue = config.KELPIE_JOB_QUEUE;
  const needs = queue && queue in QUEUE_NEEDS ? QUEUE_NEEDS[queue as keyof typeof QUEUE_NEEDS] : undefined;
  if (needs && !config[needs]) problems.push([needs, `KELPIE_JOB_QUEUE=${queue} needs ${needs}`]);
  return problems;
}

/**
 * Reads the settings from `env` (e.g. `process.env`), once at start-up: an empty or blank
 * variable counts as unset, variables that are not settings are left alone, and every problem
 * is named in one `InvalidRequestError` (`invalid configuration: NAME: what it should be; …`).
 *
 * @example
 * ```ts
 * loadConfig({ KELPIE_MAX_IMAGE_PIXELS: '1000000' }).KELPIE_MAX_IMAGE_PIXELS; // 1000000
 * ```
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const values: Record<string, unknown> = {};
  const problems: Array<[string, string]> = [];
  for (const [name, setting] of Object.entries(SETTINGS) as Array<[keyof Config, Settings[keyof Config]]>) {
    const raw = env[name]?.trim();
    if (!raw) {
      if (setting.default !== undefined) values[name] = setting.default;
      continue;
    }
    try {
      values[name] = (setting.parse as Parse<unknown>)(raw);
    } catch (error) {
      if (!(error instanceof ValueProblem)) throw error;
      problems.push([name, error.message]);
    }
  }
  const config = values as unknown as Config;
  if (!problems.length) problems.push(...crossProblems(config));
  if (problems.length) throw new InvalidRequestError(`invalid configuration: ${problems.map(([name, message]) => `${name}: ${message}`).join('; ')}`);
  return config;
}

/** The job queue in use: as set, else a folder for the local filesystem store, else none. */
export function jobQueueKind(config: Config): NonNullable<Config['KELPIE_JOB_QUEUE']> {
  return config.KELPIE_JOB_QUEUE ?? (config.KELPIE_STORE === 'fs' ? 'local' : 'none');
}

/** A running job older than the worker's timeout plus a minute cannot still be running. */
function staleAfterMs(config: Config): number {
  return (config.KELPIE_JOB_TIMEOUT_S + 60) * 1000;
}

/**
 * The part of the configuration the HTTP API reads. Throws `InvalidRequestError` for production
 * without API keys: only the API needs them, so event and scheduled functions start without.
 */
export function apiConfigFrom(config: Config): ApiConfig {
  if (config.KELPIE_ENV === 'production' && config.KELPIE_API_KEYS.length === 0) {
    throw new InvalidRequestError('invalid configuration: KELPIE_API_KEYS: production needs at least one API key (comma-separated)');
  }
  return {
    env: config.KELPIE_ENV,
    apiKeys: config.KELPIE_API_KEYS,
    allowedOrigins: config.KELPIE_ALLOWED_ORIGINS,
    maxImagePixels: config.KELPIE_MAX_IMAGE_PIXELS,
    ...(config.KELPIE_STAC_URL ? { stacUrl: config.KELPIE_STAC_URL } : {}),
    outboundHosts: config.KELPIE_OUTBOUND_HOSTS,
    syncMaxPixels: config.KELPIE_SYNC_MAX_PIXELS,
    jobStaleAfterMs: staleAfterMs(config),
    ...(config.KELPIE_BASEMAP_URL ? { basemapUrl: config.KELPIE_BASEMAP_URL } : {}),
    ...(config.KELPIE_BASEMAP_ATTRIBUTION ? { basemapAttribution: config.KELPIE_BASEMAP_ATTRIBUTION } : {}),
    uploadOrigins: uploadOriginsFor(config.KELPIE_STORE, config.KELPIE_UPLOAD_ORIGINS, [config.KELPIE_PUBLIC_URL, config.KELPIE_GCS_ENDPOINT]),
  };
}

import { z } from 'zod';
import type { ApiConfig } from './api/types.js';
import { basemapSource, isCspSource, uploadOriginsFor } from './api/web-policy.js';
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

const wholeNumber = (fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().positive())
    .optional()
    .transform((value) => value ?? fallback);

/** Comma-separated list, blanks dropped. */
const list = z
  .string()
  .optional()
  .transform((value) => (value ?? '').split(',').map((item) => item.trim()).filter(Boolean));

const flag = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((value) => value === 'true' || value === '1');

/**
 * Environment variables (DESIGN.md, "Configuration"), validated once at start-up; every problem
 * is reported in one message. Unset variables take the local defaults (filesystem store under
 * `./.data`), so nothing needs a cloud account.
 */
export const configSchema = z
  .object({
    KELPIE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    KELPIE_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    KELPIE_STORE: z.enum(['fs', 's3', 'gcs', 'azure', 'memory']).default('fs'),
    KELPIE_DATA_DIR: z.string().min(1).default('.data'),
    KELPIE_BUCKET: z.string().min(1).optional(),
    KELPIE_BACKUP_BUCKET: z.string().min(1).optional(),
    KELPIE_BACKUP_RETENTION_DAYS: wholeNumber(30),
    KELPIE_API_KEYS: list,
    KELPIE_ALLOWED_ORIGINS: list,
    KELPIE_MAX_IMAGE_PIXELS: wholeNumber(DEFAULT_MAX_IMAGE_PIXELS),
    KELPIE_STAC_URL: z.url({ protocol: /^https?$/ }).optional(),
    KELPIE_OUTBOUND_HOSTS: list,
    KELPIE_HEALTH_URL: z.url().optional(),
    KELPIE_S3_FORCE_PATH_STYLE: flag,
    /** Another Cloud Storage JSON API endpoint (a test double or emulator); requests to it are unauthenticated. */
    KELPIE_GCS_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
    /** Secret for the local store's signed upload URLs (development only). */
    KELPIE_LOCAL_UPLOAD_SECRET: z.string().min(16).optional(),
    /** Base URL local upload URLs point at; default: the request's Host, else http://localhost:3000. */
    KELPIE_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** Largest local upload, bytes (2 GiB). */
    KELPIE_MAX_UPLOAD_BYTES: wholeNumber(2 * 1024 ** 3),
    /** Largest estimated work (pixels, remote reads weighted) answered within the request; more is queued. */
    KELPIE_SYNC_MAX_PIXELS: wholeNumber(DEFAULT_SYNC_MAX_PIXELS),
    /** Where accepted analyses wait for a worker: none (all within the request), local (a folder), sqs, pubsub or azure. */
    KELPIE_JOB_QUEUE: z.enum(['none', 'local', 'sqs', 'pubsub', 'azure']).optional(),
    /** The SQS queue URL of jobs (KELPIE_JOB_QUEUE=sqs). */
    KELPIE_JOB_QUEUE_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** The Pub/Sub topic of jobs, `projects/<project>/topics/<topic>` (KELPIE_JOB_QUEUE=pubsub). */
    KELPIE_JOB_TOPIC: z.string().regex(/^projects\/[a-z][-a-z0-9]{4,28}[a-z0-9]\/topics\/[A-Za-z][\w.~+%-]{2,254}$/, 'expected projects/<project>/topics/<topic>').optional(),
    /** The Azure storage queue of jobs (KELPIE_JOB_QUEUE=azure), in the account AZURE_STORAGE_CONNECTION_STRING names. */
    KELPIE_JOB_QUEUE_NAME: z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, 'expected an Azure queue name: 3–63 lower-case letters, digits and single hyphens').optional(),
    /** The worker's timeout, seconds: a job running longer than this (plus a minute) is reported failed. */
    KELPIE_JOB_TIMEOUT_S: wholeNumber(900),
    /** Deliveries of one job message before it is given up (the queue's maxReceiveCount / maxDequeueCount). */
    KELPIE_JOB_MAX_ATTEMPTS: wholeNumber(5),
    /** Least time between two progress writes of a job, ms (0 writes every step; tests). */
    KELPIE_PROGRESS_INTERVAL_MS: z.string().trim().regex(/^\d+$/, 'expected a whole number').transform(Number).optional().transform((value) => value ?? DEFAULT_PROGRESS_INTERVAL_MS),
    /** The web map's basemap, a tile URL template (`https://{s}.tile.example.org/{z}/{x}/{y}.png`); unset: no basemap. */
    KELPIE_BASEMAP_URL: z
      .string()
      .refine((url) => basemapSource(url) !== undefined && ['{z}', '{x}', '{y}'].every((part) => url.includes(part)), 'expected an http(s) tile URL template with {z}, {x} and {y} ({s} allowed as the first host label)')
      .optional(),
    /** Credit shown on the map for the basemap (plain text), e.g. `© OpenStreetMap contributors`. */
    KELPIE_BASEMAP_ATTRIBUTION: z.string().max(300).optional(),
    /** Origins the web map may upload to (its CSP connect-src); default: the store's presigned-URL hosts. */
    KELPIE_UPLOAD_ORIGINS: list.refine((origins) => origins.every(isCspSource), 'expected origins like https://bucket.s3.eu-west-1.amazonaws.com (a leading *. allowed), comma-separated'),
  })
  .superRefine((config, context) => {
    if (['s3', 'gcs', 'azure'].includes(config.KELPIE_STORE) && !config.KELPIE_BUCKET) {
      context.addIssue({ code: 'custom', path: ['KELPIE_BUCKET'], message: `KELPIE_STORE=${config.KELPIE_STORE} needs the bucket (or container) name` });
    }
    const queue = config.KELPIE_JOB_QUEUE;
    const needs = { sqs: 'KELPIE_JOB_QUEUE_URL', pubsub: 'KELPIE_JOB_TOPIC', azure: 'KELPIE_JOB_QUEUE_NAME' } as const;
    if (queue && queue in needs && !config[needs[queue as keyof typeof needs]]) {
      const setting = needs[queue as keyof typeof needs];
      context.addIssue({ code: 'custom', path: [setting], message: `KELPIE_JOB_QUEUE=${queue} needs ${setting}` });
    }
    for (const key of config.KELPIE_API_KEYS) {
      if (key.length < 16) context.addIssue({ code: 'custom', path: ['KELPIE_API_KEYS'], message: 'each API key must be at least 16 characters' });
    }
  });

export type Config = z.output<typeof configSchema>;

/**
 * Parses `env` (e.g. `process.env`), or throws `InvalidRequestError` naming each bad variable.
 *
 * @example
 * ```ts
 * loadConfig({ KELPIE_MAX_IMAGE_PIXELS: '1000000' }).KELPIE_MAX_IMAGE_PIXELS; // 1000000
 * ```
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([key, value]) => key.startsWith('KELPIE_') && value !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new InvalidRequestError(`invalid configuration: ${problems}`);
  }
  return parsed.data;
}

/** The job queue in use: as set, else a folder for the local filesystem store, else none. */
export function jobQueueKind(config: Config): NonNullable<Config['KELPIE_JOB_QUEUE']> {
  return config.KELPIE_JOB_QUEUE ?? (config.KELPIE_STORE === 'fs' ? 'local' : 'none');
}

/** A running job older than the worker's timeout plus a minute cannot still be running. */
export function staleAfterMs(config: Config): number {
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

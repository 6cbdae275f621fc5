import { describe, expect, it } from 'vitest';
import { apiConfigFrom, jobQueueKind, loadConfig } from '../../core/config.js';
import { InvalidRequestError } from '../../core/errors.js';

describe('loadConfig', () => {
  it('fills the local defaults, so nothing needs a cloud account', () => {
    expect(loadConfig({})).toMatchObject({
      KELPIE_ENV: 'development',
      KELPIE_LOG_LEVEL: 'info',
      KELPIE_STORE: 'fs',
      KELPIE_DATA_DIR: '.data',
      KELPIE_BACKUP_RETENTION_DAYS: 30,
      KELPIE_API_KEYS: [],
      KELPIE_MAX_IMAGE_PIXELS: 130_000_000,
      KELPIE_S3_FORCE_PATH_STYLE: false,
      KELPIE_MAX_UPLOAD_BYTES: 2 * 1024 ** 3,
      KELPIE_SYNC_MAX_PIXELS: 20_000_000,
      KELPIE_JOB_TIMEOUT_S: 900,
      KELPIE_JOB_MAX_ATTEMPTS: 5,
    });
    expect(loadConfig({}).KELPIE_BUCKET).toBeUndefined();
  });

  it('reads each kind of value: choices, whole numbers, lists, flags and URLs', () => {
    const config = loadConfig({
      KELPIE_STORE: 's3',
      KELPIE_BUCKET: ' imagery ',
      KELPIE_MAX_IMAGE_PIXELS: '1000000',
      KELPIE_ALLOWED_ORIGINS: 'https://a.example, ,https://b.example',
      KELPIE_S3_FORCE_PATH_STYLE: '1',
      KELPIE_STAC_URL: 'https://earth-search.aws.element84.com/v1',
      KELPIE_PROGRESS_INTERVAL_MS: '0',
    });
    expect(config).toMatchObject({ KELPIE_STORE: 's3', KELPIE_BUCKET: 'imagery', KELPIE_MAX_IMAGE_PIXELS: 1_000_000, KELPIE_S3_FORCE_PATH_STYLE: true, KELPIE_PROGRESS_INTERVAL_MS: 0 });
    expect(config.KELPIE_ALLOWED_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
  });

  it('takes KELPIE_WORKERS as a thread count, unset meaning every core (decided by the adapter)', () => {
    expect(loadConfig({ KELPIE_WORKERS: '4' }).KELPIE_WORKERS).toBe(4);
    expect(loadConfig({}).KELPIE_WORKERS).toBeUndefined();
  });

  it('counts an empty or blank variable as unset, and leaves variables that are not settings alone', () => {
    expect(loadConfig({ KELPIE_STORE: '', KELPIE_LOG_LEVEL: '  ', KELPIE_SOMETHING_ELSE: 'x', PATH: '/bin' })).toMatchObject({ KELPIE_STORE: 'fs', KELPIE_LOG_LEVEL: 'info' });
  });

  it.each([
    [{ KELPIE_STORE: 'ftp' }, 'KELPIE_STORE: expected one of fs, s3, gcs, azure, memory'],
    [{ KELPIE_MAX_IMAGE_PIXELS: '1e6' }, 'KELPIE_MAX_IMAGE_PIXELS: expected a whole number'],
    [{ KELPIE_JOB_TIMEOUT_S: '0' }, 'KELPIE_JOB_TIMEOUT_S: expected a whole number of at least 1'],
    [{ KELPIE_WORKERS: '0' }, 'KELPIE_WORKERS: expected a whole number of at least 1'],
    [{ KELPIE_WORKERS: '65' }, 'KELPIE_WORKERS: expected a whole number from 1 to 64'],
    [{ KELPIE_PUBLIC_URL: 'ftp://x' }, 'KELPIE_PUBLIC_URL: expected a http or https URL'],
    [{ KELPIE_HEALTH_URL: 'not a url' }, 'KELPIE_HEALTH_URL: expected an absolute URL'],
    [{ KELPIE_S3_FORCE_PATH_STYLE: 'yes' }, 'KELPIE_S3_FORCE_PATH_STYLE: expected one of true, false, 1, 0'],
    [{ KELPIE_LOCAL_UPLOAD_SECRET: 'short' }, 'KELPIE_LOCAL_UPLOAD_SECRET: expected at least 16 characters'],
    [{ KELPIE_API_KEYS: 'long-enough-key-0001,short' }, 'KELPIE_API_KEYS: each API key must be at least 16 characters'],
    [{ KELPIE_JOB_QUEUE_NAME: 'Kelpie_Jobs' }, 'KELPIE_JOB_QUEUE_NAME: expected an Azure queue name'],
    [{ KELPIE_STORE: 'gcs' }, 'KELPIE_BUCKET: KELPIE_STORE=gcs needs the bucket (or container) name'],
    [{ KELPIE_JOB_QUEUE: 'azure' }, 'KELPIE_JOB_QUEUE_NAME: KELPIE_JOB_QUEUE=azure needs KELPIE_JOB_QUEUE_NAME'],
  ])('names the variable and what it takes: %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(InvalidRequestError);
    expect(() => loadConfig(env)).toThrow(`invalid configuration: ${message}`);
  });

  it('names every bad variable in one message', () => {
    expect(() => loadConfig({ KELPIE_STORE: 'ftp', KELPIE_MAX_UPLOAD_BYTES: '2GB' })).toThrow(
      'invalid configuration: KELPIE_STORE: expected one of fs, s3, gcs, azure, memory; KELPIE_MAX_UPLOAD_BYTES: expected a whole number',
    );
  });

  it('uses a folder queue by default only with the filesystem store', () => {
    expect(jobQueueKind(loadConfig({}))).toBe('local');
    expect(jobQueueKind(loadConfig({ KELPIE_STORE: 'memory' }))).toBe('none');
    expect(jobQueueKind(loadConfig({ KELPIE_STORE: 'memory', KELPIE_JOB_QUEUE: 'local' }))).toBe('local');
  });
});

describe('apiConfigFrom', () => {
  it('refuses production without API keys: only the API needs them', () => {
    const production = loadConfig({ KELPIE_ENV: 'production' });
    expect(() => apiConfigFrom(production)).toThrow(/KELPIE_API_KEYS: production needs at least one API key/);
    expect(apiConfigFrom(loadConfig({ KELPIE_ENV: 'production', KELPIE_API_KEYS: 'a-key-of-16-chars!' })).apiKeys).toEqual(['a-key-of-16-chars!']);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { S3BlobStore } from '../../../adapters/aws/s3-blob-store.js';
import { S3UploadSigner } from '../../../adapters/aws/s3-upload-signer.js';
import { AzureBlobStore } from '../../../adapters/azure/azure-blob-store.js';
import { AzureUploadSigner } from '../../../adapters/azure/azure-client.js';
import { GcsBlobStore } from '../../../adapters/gcp/gcs-blob-store.js';
import { GcsUploadSigner } from '../../../adapters/gcp/gcs-client.js';
import { FsBlobStore } from '../../../adapters/fs/fs-blob-store.js';
import { LocalUploadSigner } from '../../../adapters/shared/local-upload-signer.js';
import { MemoryBlobStore } from '../../../adapters/memory/memory-blob-store.js';
import { awsPlatform } from '../../../adapters/aws/platform.js';
import { azurePlatform } from '../../../adapters/azure/platform.js';
import { gcpPlatform } from '../../../adapters/gcp/platform.js';
import { localPlatform } from '../../../adapters/local/platform.js';
import { type Env, type Platform, createBackupStore, createJobQueue } from '../../../adapters/shared/platform.js';
import { createStores as storesOf } from '../../../adapters/shared/platform.js';
import { type Config, loadConfig } from '../../../core/config.js';
import { InvalidRequestError } from '../../../core/errors.js';
import { AZURITE_ACCOUNT, AZURITE_KEY } from '../../helpers/azurite.js';

/** The platform that carries each store kind; fs and memory are on every one. */
const PLATFORM_OF: Record<Config['KELPIE_STORE'], Platform> = { s3: awsPlatform, gcs: gcpPlatform, azure: azurePlatform, fs: awsPlatform, memory: gcpPlatform };
const createStores = (config: Config, env?: Env) => storesOf(PLATFORM_OF[config.KELPIE_STORE], config, env);

describe('createStores', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('makes a filesystem store with local signed uploads for KELPIE_STORE=fs', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kelpie-runtime-'));
    const stores = createStores(loadConfig({ KELPIE_STORE: 'fs', KELPIE_DATA_DIR: dir }));
    expect(stores.imageStore).toBeInstanceOf(FsBlobStore);
    expect(stores.resultStore).toBe(stores.imageStore);
    expect(stores.imageStoreName).toBe(`file://${dir}`);
    expect(stores.uploadSigner).toBeInstanceOf(LocalUploadSigner);
    expect(stores.extraRoutes.map((route) => `${route.method} ${route.pattern}`)).toEqual(['PUT /local-uploads/{key+}']);
  });

  it('makes an S3 store and presigner on KELPIE_BUCKET for KELPIE_STORE=s3', () => {
    const stores = createStores(loadConfig({ KELPIE_STORE: 's3', KELPIE_BUCKET: 'kelpie-carbon-dev-imagery' }));
    expect(stores.imageStore).toBeInstanceOf(S3BlobStore);
    expect(stores.imageStoreName).toBe('s3://kelpie-carbon-dev-imagery');
    expect(stores.bucket).toBe('kelpie-carbon-dev-imagery');
    expect(stores.uploadSigner).toBeInstanceOf(S3UploadSigner);
    expect(stores.extraRoutes).toEqual([]);
  });

  it('makes a memory store for KELPIE_STORE=memory', () => {
    expect(createStores(loadConfig({ KELPIE_STORE: 'memory' })).imageStore).toBeInstanceOf(MemoryBlobStore);
  });

  it('makes a Cloud Storage store and V4 signer on KELPIE_BUCKET for KELPIE_STORE=gcs', () => {
    const stores = createStores(loadConfig({ KELPIE_STORE: 'gcs', KELPIE_BUCKET: 'kelpie-imagery', KELPIE_GCS_ENDPOINT: 'http://127.0.0.1:9' }));
    expect(stores.imageStore).toBeInstanceOf(GcsBlobStore);
    expect(stores.resultStore).toBe(stores.imageStore);
    expect(stores.imageStoreName).toBe('gs://kelpie-imagery');
    expect(stores.uploadSigner).toBeInstanceOf(GcsUploadSigner);
  });

  it('makes an Azure Blob store and SAS signer on the container KELPIE_BUCKET for KELPIE_STORE=azure', () => {
    const env = { AZURE_STORAGE_CONNECTION_STRING: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=http://127.0.0.1:9/${AZURITE_ACCOUNT};` };
    const stores = createStores(loadConfig({ KELPIE_STORE: 'azure', KELPIE_BUCKET: 'imagery' }), env);
    expect(stores.imageStore).toBeInstanceOf(AzureBlobStore);
    expect(stores.imageStoreName).toBe(`azure://${AZURITE_ACCOUNT}/imagery`);
    expect(stores.uploadSigner).toBeInstanceOf(AzureUploadSigner);
  });

  it('makes no Azure upload signer when the connection string holds a SAS instead of the key', () => {
    const env = { AZURE_STORAGE_CONNECTION_STRING: 'BlobEndpoint=https://kelpiestore.blob.core.windows.net/;SharedAccessSignature=sv=2024-08-04&ss=b&srt=co&sp=rwdl&se=2030-01-01T00:00:00Z&sig=abc' };
    expect(createStores(loadConfig({ KELPIE_STORE: 'azure', KELPIE_BUCKET: 'imagery' }), env).uploadSigner).toBeUndefined();
  });

  it.each([
    [{}, /AZURE_STORAGE_CONNECTION_STRING: KELPIE_STORE=azure needs/],
    [{ AZURE_STORAGE_CONNECTION_STRING: 'AccountKey=secret-key-material' }, /AZURE_STORAGE_CONNECTION_STRING: not a storage connection string/],
  ])('refuses KELPIE_STORE=azure with connection setting %j, naming it without echoing it', (env, message) => {
    const config = loadConfig({ KELPIE_STORE: 'azure', KELPIE_BUCKET: 'imagery' });
    expect(() => createStores(config, env)).toThrow(InvalidRequestError);
    expect(() => createStores(config, env)).toThrow(message);
    expect(() => createStores(config, env)).not.toThrow(/secret-key-material/);
  });

  it('uses KELPIE_PUBLIC_URL for local upload URLs', async () => {
    const stores = createStores(loadConfig({ KELPIE_STORE: 'memory', KELPIE_PUBLIC_URL: 'http://kelpie.local:8080/' }));
    const { url } = await (stores.uploadSigner as LocalUploadSigner).presignPut('uploads/a.tif', { contentType: 'image/tiff', expiresInS: 60 });
    expect(url).toMatch(/^http:\/\/kelpie\.local:8080\/local-uploads\/uploads\/a\.tif\?/);
  });

  it.each([
    ['KELPIE_PUBLIC_URL', 'ftp://x'],
    ['KELPIE_MAX_UPLOAD_BYTES', '2GB'],
  ])('refuses a bad %s naming the variable', (name, value) => {
    expect(() => createStores(loadConfig({ KELPIE_STORE: 'memory', [name]: value }))).toThrow(new RegExp(name));
  });
});

describe('each platform carries its own cloud only', () => {
  it.each([
    [awsPlatform, ['s3', 'fs', 'memory'], ['sqs', 'local']],
    [gcpPlatform, ['gcs', 'fs', 'memory'], ['pubsub', 'local']],
    [azurePlatform, ['azure', 'fs', 'memory'], ['azure', 'local']],
    [localPlatform, ['fs', 'memory'], ['local']],
  ])('%s.name offers its stores and queues', (platform, stores, queues) => {
    expect(Object.keys(platform.stores)).toEqual(stores);
    expect(Object.keys(platform.queues)).toEqual(queues);
  });

  it('refuses another cloud’s store or queue, naming what it has', () => {
    expect(() => storesOf(awsPlatform, loadConfig({ KELPIE_STORE: 'gcs', KELPIE_BUCKET: 'b' }))).toThrow('invalid configuration: KELPIE_STORE: gcs is not available in the AWS functions; use s3, fs, memory');
    expect(() => createJobQueue(gcpPlatform, loadConfig({ KELPIE_STORE: 'memory', KELPIE_JOB_QUEUE: 'sqs', KELPIE_JOB_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/q' }))).toThrow(/KELPIE_JOB_QUEUE: sqs is not available in the Google Cloud functions; use pubsub, local/);
  });

  it('queues nowhere unless a queue is set, except in a folder for the filesystem store', () => {
    expect(createJobQueue(awsPlatform, loadConfig({ KELPIE_STORE: 'memory' }))).toBeUndefined();
    expect(createJobQueue(awsPlatform, loadConfig({ KELPIE_STORE: 'fs' }))?.name).toMatch(/^local:.*\.queue$/);
  });
});

describe('the logger each platform’s log service reads', () => {
  afterEach(() => vi.restoreAllMocks());
  const linesOf = (spy: { mock: { calls: unknown[][] } }, text: string) => spy.mock.calls.map((call) => String(call[0])).filter((line) => line.includes(text)).map((line) => JSON.parse(line));

  it('AWS: Powertools, one JSON line with level, service, message and fields', () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    awsPlatform.logger({ KELPIE_LOG_LEVEL: 'info' }, 'http-api').info('analysis done', { id: 'abc', areaHa: 1.5 });
    expect(linesOf(write, 'analysis done')).toEqual([expect.objectContaining({ level: 'INFO', service: 'http-api', message: 'analysis done', id: 'abc', areaHa: 1.5 })]);
  });

  it('Google Cloud: Cloud Logging’s severity (WARNING, not WARN), on stderr for warnings', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    gcpPlatform.logger({ KELPIE_LOG_LEVEL: 'info' }, 'upload-analyze').warn('upload event dropped', { key: 'uploads/a.tif' });
    const [line] = linesOf(write, 'upload event dropped');
    expect(line).toMatchObject({ severity: 'WARNING', service: 'upload-analyze', message: 'upload event dropped', key: 'uploads/a.tif' });
    expect(line).not.toHaveProperty('level');
  });

  it.each([awsPlatform, gcpPlatform, azurePlatform, localPlatform])('drops lines below KELPIE_LOG_LEVEL ($name)', (platform) => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    platform.logger({ KELPIE_LOG_LEVEL: 'warn' }, 'http-api').info('not shown');
    expect([...out.mock.calls, ...log.mock.calls].some((call) => String(call[0]).includes('not shown'))).toBe(false);
  });
});

describe('createBackupStore', () => {
  it('backs up into the results store when KELPIE_BACKUP_BUCKET is not set', () => {
    const stores = createStores(loadConfig({ KELPIE_STORE: 'memory' }));
    expect(createBackupStore(gcpPlatform, loadConfig({ KELPIE_STORE: 'memory' }), stores.resultStore)).toBe(stores.resultStore);
  });

  it('uses the bucket KELPIE_BACKUP_BUCKET names for gcs', () => {
    const config = loadConfig({ KELPIE_STORE: 'gcs', KELPIE_BUCKET: 'kelpie-imagery', KELPIE_BACKUP_BUCKET: 'kelpie-backups' });
    const backups = createBackupStore(gcpPlatform, config, createStores(config, {}).resultStore, {});
    expect(backups).toBeInstanceOf(GcsBlobStore);
  });

  it('uses the container KELPIE_BACKUP_BUCKET names, in the same account, for azure', () => {
    const env = { AZURE_STORAGE_CONNECTION_STRING: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=http://127.0.0.1:9/${AZURITE_ACCOUNT};` };
    const config = loadConfig({ KELPIE_STORE: 'azure', KELPIE_BUCKET: 'imagery', KELPIE_BACKUP_BUCKET: 'backups' });
    expect(createBackupStore(azurePlatform, config, createStores(config, env).resultStore, env)).toBeInstanceOf(AzureBlobStore);
    expect(() => createBackupStore(azurePlatform, config, createStores(config, env).resultStore, {})).toThrow(/AZURE_STORAGE_CONNECTION_STRING/);
  });

  it('uses another folder for fs and another bucket for s3', () => {
    expect(createBackupStore(awsPlatform, loadConfig({ KELPIE_STORE: 'fs', KELPIE_BACKUP_BUCKET: '/tmp/kelpie-backups' }), new MemoryBlobStore())).toBeInstanceOf(FsBlobStore);
    expect(createBackupStore(awsPlatform, loadConfig({ KELPIE_STORE: 's3', KELPIE_BUCKET: 'a', KELPIE_BACKUP_BUCKET: 'b' }), new MemoryBlobStore())).toBeInstanceOf(S3BlobStore);
  });
});

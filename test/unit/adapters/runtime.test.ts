import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { S3BlobStore } from '../../../adapters/aws/s3-blob-store.js';
import { S3UploadSigner } from '../../../adapters/aws/s3-upload-signer.js';
import { FsBlobStore } from '../../../adapters/local/fs-blob-store.js';
import { LocalUploadSigner } from '../../../adapters/local/local-upload-signer.js';
import { MemoryBlobStore } from '../../../adapters/memory/memory-blob-store.js';
import { createLogger, createStores } from '../../../adapters/runtime.js';
import { loadConfig } from '../../../core/config.js';
import { InvalidRequestError } from '../../../core/errors.js';

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
    expect(stores.uploadSigner).toBeInstanceOf(S3UploadSigner);
    expect(stores.extraRoutes).toEqual([]);
  });

  it('makes a memory store for KELPIE_STORE=memory', () => {
    expect(createStores(loadConfig({ KELPIE_STORE: 'memory' })).imageStore).toBeInstanceOf(MemoryBlobStore);
  });

  it.each(['gcs', 'azure'])('says KELPIE_STORE=%s is not available yet', (store) => {
    const config = loadConfig({ KELPIE_STORE: store, KELPIE_BUCKET: 'b' });
    expect(() => createStores(config)).toThrow(InvalidRequestError);
    expect(() => createStores(config)).toThrow(/not available yet/);
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

describe('createLogger', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes one JSON line with the level, service, message and fields', () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    createLogger({ KELPIE_LOG_LEVEL: 'info' }, 'http-api').info('analysis done', { id: 'abc', areaHa: 1.5 });
    const lines = write.mock.calls.map((call) => String(call[0])).filter((line) => line.includes('analysis done'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'INFO', service: 'http-api', message: 'analysis done', id: 'abc', areaHa: 1.5 });
  });

  it('drops lines below KELPIE_LOG_LEVEL', () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    createLogger({ KELPIE_LOG_LEVEL: 'warn' }, 'http-api').info('not shown');
    expect(write.mock.calls.map((call) => String(call[0])).some((line) => line.includes('not shown'))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { localUploadRoute } from '../../../../adapters/shared/local-upload-route.js';
import { LocalUploadSigner } from '../../../../adapters/shared/local-upload-signer.js';
import { currentRequestOrigin, withRequestOrigin } from '../../../../adapters/shared/request-origin.js';
import { MemoryBlobStore } from '../../../../adapters/memory/memory-blob-store.js';
import type { ApiHandler, ApiRequest } from '../../../../core/api/types.js';
import { createSmallApi } from '../../../helpers/small-api.js';

const NOW = Date.parse('2024-08-01T12:00:00Z');
const TIFF = Uint8Array.from([0x49, 0x49, 0x2a, 0x00, 1, 2, 3]);

function setup(options: { maxBytes?: number } = {}) {
  let now = NOW;
  const signer = new LocalUploadSigner({ secret: 'a-local-secret-of-16+', baseUrl: () => 'http://localhost:3000', now: () => now });
  const store = new MemoryBlobStore();
  const { api } = createSmallApi({ uploadSigner: signer, extraRoutes: [localUploadRoute({ signer, store, maxBytes: options.maxBytes })] }, store);
  return { api, store, advance: (ms: number) => (now += ms) };
}

/** The PUT a client makes to a presigned URL, as the API sees it. */
function putRequest(url: string, body: Uint8Array, contentType = 'application/octet-stream'): ApiRequest {
  const parsed = new URL(url);
  return { method: 'PUT', path: parsed.pathname, query: Object.fromEntries(parsed.searchParams), headers: { 'content-type': contentType }, body, requestId: 'up-1' };
}

async function presign(api: ApiHandler, filename = 'Monterey Bay.tif') {
  const response = await api({ method: 'POST', path: '/api/uploads', query: {}, headers: { 'content-type': 'application/json' }, body: new TextEncoder().encode(JSON.stringify({ filename })), requestId: 'p-1' });
  return JSON.parse(String(response.body)) as { key: string; upload: { url: string; headers: Record<string, string>; expiresAt: string } };
}

const errorCode = (body: string | Uint8Array) => JSON.parse(String(body)).error.code;

describe('local uploads', () => {
  it('stores the body under the signed key', async () => {
    const { api, store } = setup();
    const { key, upload } = await presign(api);

    const response = await api(putRequest(upload.url, TIFF, upload.headers['content-type']));

    expect(response.status).toBe(200);
    expect(JSON.parse(String(response.body))).toEqual({ key, size: TIFF.length });
    expect(await store.get(key)).toEqual(TIFF);
  });

  it('refuses a second upload through the same URL with 409, leaving the first', async () => {
    const { api, store } = setup();
    const { key, upload } = await presign(api);
    await api(putRequest(upload.url, TIFF));

    const again = await api(putRequest(upload.url, Uint8Array.from([1, 2, 3])));

    expect(again.status).toBe(409);
    expect(errorCode(again.body)).toBe('PRECONDITION_FAILED');
    expect(await store.get(key)).toEqual(TIFF);
  });

  it.each([
    ['.tif', /^uploads\/[0-9a-f]{16}-image\.tif$/],
    ['Monterey Bay.TIFF', /^uploads\/[0-9a-f]{16}-Monterey_Bay\.tiff$/],
    ['../../etc/..tif', /^uploads\/[0-9a-f]{16}-image\.tif$/],
  ])('names the upload of %j with a key the trigger analyses (.tif or .tiff kept)', async (filename, key) => {
    const { api } = setup();
    expect((await presign(api, filename)).key).toMatch(key);
  });

  it('presigns a URL on the local server, valid for 15 minutes, asking for application/octet-stream', async () => {
    const { api } = setup();
    const { key, upload } = await presign(api);
    expect(key).toMatch(/^uploads\/[0-9a-f]{16}-Monterey_Bay\.tif$/);
    expect(upload.url).toMatch(new RegExp(`^http://localhost:3000/local-uploads/${key}\\?expires=\\d+&signature=[0-9a-f]{64}$`));
    expect(upload.headers).toEqual({ 'content-type': 'application/octet-stream' });
    expect(upload.expiresAt).toBe('2024-08-01T12:15:00.000Z');
  });

  it('refuses a changed signature with 403', async () => {
    const { api } = setup();
    const { upload } = await presign(api);
    // Flip the first signature digit to a different one (a fixed replacement could be a no-op).
    const tampered = upload.url.replace(/signature=(.)/, (_: string, c: string) => `signature=${c === '0' ? '1' : '0'}`);
    const response = await api(putRequest(tampered, TIFF));
    expect(response.status).toBe(403);
    expect(errorCode(response.body)).toBe('FORBIDDEN');
  });

  it('refuses a URL signed for another key with 403', async () => {
    const { api } = setup();
    const { key, upload } = await presign(api);
    const response = await api(putRequest(upload.url.replace(key, 'uploads/other.tif'), TIFF));
    expect(response.status).toBe(403);
  });

  it('refuses an expired URL with 403', async () => {
    const { api, advance } = setup();
    const { upload } = await presign(api);
    advance(16 * 60 * 1000);
    const response = await api(putRequest(upload.url, TIFF));
    expect(response.status).toBe(403);
    expect(JSON.parse(String(response.body)).error.message).toContain('expired');
  });

  it('refuses keys outside uploads/ with 403', async () => {
    const { api } = setup();
    const response = await api(putRequest('http://localhost:3000/local-uploads/results/x/result.json?expires=9999999999&signature=00', TIFF));
    expect(response.status).toBe(403);
  });

  it('refuses another content type with 415', async () => {
    const { api } = setup();
    const { upload } = await presign(api);
    const response = await api(putRequest(upload.url, TIFF, 'image/tiff'));
    expect(response.status).toBe(415);
  });

  it('refuses a body over the limit with 413', async () => {
    const { api } = setup({ maxBytes: 4 });
    const { upload } = await presign(api);
    const response = await api(putRequest(upload.url, TIFF));
    expect(response.status).toBe(413);
  });

  it('points the URL at the address the client used, behind withRequestOrigin', async () => {
    const signer = new LocalUploadSigner({ baseUrl: () => currentRequestOrigin() ?? 'http://localhost:3000' });
    const api = withRequestOrigin(createSmallApi({ uploadSigner: signer }).api);
    const response = await api({ method: 'POST', path: '/api/uploads', query: {}, headers: { 'content-type': 'application/json', host: '127.0.0.1:4123' }, body: new TextEncoder().encode('{"filename":"a.tif"}'), requestId: 'r' });
    expect(JSON.parse(String(response.body)).upload.url).toMatch(/^http:\/\/127\.0\.0\.1:4123\/local-uploads\/uploads\//);
  });

  it('falls back to the configured base URL outside a request', async () => {
    const signer = new LocalUploadSigner({ baseUrl: () => currentRequestOrigin() ?? 'http://localhost:3000' });
    const { url } = await signer.presignPut('uploads/a.tif', { contentType: 'image/tiff', expiresInS: 60 });
    expect(url).toMatch(/^http:\/\/localhost:3000\/local-uploads\/uploads\/a\.tif\?/);
  });

  it('ignores a Host header that is not a host name', async () => {
    const signer = new LocalUploadSigner({ baseUrl: () => currentRequestOrigin() ?? 'http://localhost:3000' });
    const api = withRequestOrigin(createSmallApi({ uploadSigner: signer }).api);
    const response = await api({ method: 'POST', path: '/api/uploads', query: {}, headers: { 'content-type': 'application/json', host: 'evil.example/path?' }, body: new TextEncoder().encode('{"filename":"a.tif"}'), requestId: 'r' });
    expect(JSON.parse(String(response.body)).upload.url).toMatch(/^http:\/\/localhost:3000\//);
  });
});

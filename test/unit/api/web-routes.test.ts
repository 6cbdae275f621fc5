import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ApiConfig } from '../../../core/api/types.js';
import type { ApiRequest } from '../../../core/api/types.js';
import type { WebAssets } from '../../../core/ports/web-assets.js';
import { createSmallApi } from '../../helpers/small-api.js';

const SCRIPT = new TextEncoder().encode('console.log("kelp");'.repeat(50));
const ASSETS: WebAssets = {
  indexHtml: '<!doctype html><head><meta name="kelpie-config" content=""><script defer src="assets/app-ABC123.js"></script></head>',
  assets: { 'app-ABC123.js': { contentType: 'text/javascript; charset=utf-8', body: SCRIPT, gzip: new Uint8Array(gzipSync(SCRIPT)) } },
};
const CONFIG: ApiConfig = { env: 'test', apiKeys: ['web-route-key-0123456789'], allowedOrigins: [], maxImagePixels: 1e7 };

const get = (path: string, headers: Record<string, string> = {}): ApiRequest => ({ method: 'GET', path, query: {}, headers, requestId: 'r' });
const text = (body: string | Uint8Array) => (typeof body === 'string' ? body : new TextDecoder().decode(body));
const apiWith = (config: Partial<ApiConfig> = {}, webAssets: WebAssets | null = ASSETS) => createSmallApi({ config: { ...CONFIG, ...config }, ...(webAssets ? { webAssets } : {}) }).api;

describe('GET / (the web map)', () => {
  it('serves the page without an API key, not cached, with a CSP that allows no inline code or eval', async () => {
    const response = await apiWith()(get('/', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }));
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'x-frame-options': 'DENY' });
    const csp = response.headers['content-security-policy'];
    expect(csp).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    expect(text(response.body)).toContain('src="assets/app-ABC123.js"');
  });

  it('puts the basemap and upload origins into the CSP and the basemap into the page settings', async () => {
    const api = apiWith({ basemapUrl: 'https://{s}.tiles.example.org/{z}/{x}/{y}.png', basemapAttribution: '© Example & "friends"', uploadOrigins: ['https://*.amazonaws.com'] });
    const response = await api(get('/'));
    expect(response.headers['content-security-policy']).toContain("img-src 'self' data: blob: https://*.tiles.example.org;");
    expect(response.headers['content-security-policy']).toContain("connect-src 'self' https://*.amazonaws.com;");
    const meta = /<meta name="kelpie-config" content="([^"]*)">/.exec(text(response.body))?.[1] ?? '';
    expect(meta).not.toMatch(/[<>"]/);
    const decoded = meta.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    expect(JSON.parse(decoded)).toEqual({ env: 'test', basemapUrl: 'https://{s}.tiles.example.org/{z}/{x}/{y}.png', basemapAttribution: '© Example & "friends"' });
  });

  it.each([`$'" onload="x`, '$&$&', '$`<script>', "$$ and $1"])('keeps a basemap attribution of %s as text inside the meta tag (no replacement patterns)', async (attribution) => {
    const page = text((await apiWith({ basemapUrl: 'https://tiles.example.org/{z}/{x}/{y}.png', basemapAttribution: attribution })(get('/'))).body);
    expect(page.match(/<meta name="kelpie-config"/g)).toHaveLength(1);
    const meta = /<meta name="kelpie-config" content="([^"]*)">/.exec(page)?.[1] ?? '';
    const decoded = meta.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    expect(JSON.parse(decoded).basemapAttribution).toBe(attribution);
    // The rest of the page is as built: the tag is followed by the script, nothing repeated or cut.
    expect(page.replace(/<meta name="kelpie-config" content="[^"]*">/, '<meta name="kelpie-config" content="">')).toBe(ASSETS.indexHtml);
  });

  it('keeps CORS’s Vary: Origin beside the route’s Vary: Accept', async () => {
    const api = apiWith({ allowedOrigins: ['https://maps.example.org'] });
    const page = await api(get('/', { origin: 'https://maps.example.org', accept: 'text/html' }));
    expect(page.headers['access-control-allow-origin']).toBe('https://maps.example.org');
    expect(page.headers.vary).toBe('Origin, Accept');
    expect((await api(get('/assets/app-ABC123.js', { origin: 'https://maps.example.org' }))).headers.vary).toBe('Origin, Accept-Encoding');
    expect((await api(get('/', { accept: 'text/html' }))).headers.vary).toBe('Accept');
    expect((await api(get('/health', { origin: 'https://maps.example.org' }))).headers.vary).toBe('Origin');
  });

  it('answers clients that prefer JSON with the service index, as before, and at /api', async () => {
    const api = apiWith();
    for (const response of [await api(get('/', { accept: 'application/json' })), await api(get('/api'))]) {
      expect(response.status).toBe(200);
      expect(JSON.parse(text(response.body))).toMatchObject({ service: 'kelpie-carbon', routes: expect.arrayContaining(['GET /', 'POST /api/analyses']) });
    }
  });

  it('answers with the service index when no web map is built in', async () => {
    const response = await apiWith({}, null)(get('/', { accept: 'text/html' }));
    expect(JSON.parse(text(response.body))).toMatchObject({ service: 'kelpie-carbon' });
  });
});

describe('GET /assets/{name}', () => {
  it('serves a hashed asset for a year, gzipped when the client accepts it', async () => {
    const api = apiWith();
    const plain = await api(get('/assets/app-ABC123.js'));
    expect(plain.headers).toMatchObject({ 'cache-control': 'public, max-age=31536000, immutable', 'content-type': 'text/javascript; charset=utf-8', vary: 'Accept-Encoding' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(text(plain.body)).toBe(text(SCRIPT));
    const gzipped = await api(get('/assets/app-ABC123.js', { 'accept-encoding': 'gzip, deflate, br' }));
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(text(gunzipSync(gzipped.body as Uint8Array))).toBe(text(SCRIPT));
  });

  it.each(['app-OLD999.js', 'constructor', '__proto__', '..%2Fpackage.json'])('answers 404 for %s', async (name) => {
    const response = await apiWith()(get(`/assets/${name}`));
    expect(response.status).toBe(404);
    expect(JSON.parse(text(response.body)).error.code).toBe('NOT_FOUND');
  });
});

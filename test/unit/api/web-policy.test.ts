import { describe, expect, it } from 'vitest';
import { basemapSource, contentSecurityPolicy, isCspSource, uploadOriginsFor } from '../../../core/api/web-policy.js';
import { loadConfig } from '../../../core/config.js';

describe('the web map policy', () => {
  it.each([
    ['https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png', 'https://*.tile.openstreetmap.org'],
    ['https://tiles.example.org:8443/v1/{z}/{x}/{y}.png?key=abc', 'https://tiles.example.org:8443'],
    ['http://127.0.0.1:9000/{z}/{x}/{y}.png', 'http://127.0.0.1:9000'],
    ['https://tiles.example.org;script-src *', undefined],
    ['javascript:alert(1)', undefined],
    [undefined, undefined],
  ])('takes the CSP source of the basemap %s as %s', (template, source) => {
    expect(basemapSource(template)).toBe(source);
  });

  it('uploads to the store’s presigned-URL hosts by default, to the configured origins otherwise', () => {
    expect(uploadOriginsFor('s3', [])).toEqual(['https://*.amazonaws.com']);
    expect(uploadOriginsFor('gcs', [], [undefined, 'http://127.0.0.1:4443/storage/v1'])).toEqual(['https://storage.googleapis.com', 'http://127.0.0.1:4443']);
    expect(uploadOriginsFor('fs', [], ['http://laptop.local:3000/'])).toEqual(['http://laptop.local:3000']);
    expect(uploadOriginsFor('azure', ['https://acct.blob.core.windows.net'])).toEqual(['https://acct.blob.core.windows.net']);
  });

  it('never lets a setting add a directive or a keyword', () => {
    expect(isCspSource("https://x.example 'unsafe-inline'")).toBe(false);
    const csp = contentSecurityPolicy({ uploadOrigins: ['https://ok.example', "'unsafe-eval'", 'https://x; script-src *'] });
    expect(csp).toContain("connect-src 'self' https://ok.example;");
    expect(csp).not.toMatch(/unsafe|script-src \*/);
  });

  it('validates KELPIE_BASEMAP_URL and KELPIE_UPLOAD_ORIGINS at start-up', () => {
    expect(() => loadConfig({ KELPIE_BASEMAP_URL: 'https://tiles.example.org/tile.png' })).toThrow(/KELPIE_BASEMAP_URL: expected an http\(s\) tile URL template/);
    expect(() => loadConfig({ KELPIE_UPLOAD_ORIGINS: 'bucket.s3.amazonaws.com' })).toThrow(/KELPIE_UPLOAD_ORIGINS/);
    expect(loadConfig({ KELPIE_BASEMAP_URL: 'https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png' }).KELPIE_BASEMAP_URL).toContain('{z}');
  });
});

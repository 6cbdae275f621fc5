import { describe, expect, it } from 'vitest';
import { OutboundBlockedError } from '../../../core/errors.js';
import { classifyHost } from '../../../core/net/host-classifier.js';
import { OutboundPolicy, redactUrl } from '../../../core/net/outbound-policy.js';

const hostOf = (url: string) => new URL(url).hostname;

describe('classifyHost', () => {
  it.each([
    ['http://127.0.0.1/', 'loopback'],
    ['http://127.1/', 'loopback'],
    ['http://2130706433/', 'loopback'],
    ['http://0x7f.0.0.1/', 'loopback'],
    ['http://localhost/', 'loopback'],
    ['http://tiles.localhost/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://10.1.2.3/', 'private'],
    ['http://172.16.0.1/', 'private'],
    ['http://172.31.255.255/', 'private'],
    ['http://192.168.1.1/', 'private'],
    ['http://100.64.0.1/', 'private'],
    ['http://[fd00::1]/', 'private'],
    ['http://[::ffff:10.0.0.1]/', 'private'],
    ['http://169.254.169.254/', 'link-local'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://224.0.0.1/', 'reserved'],
    ['http://172.32.0.1/', 'public'],
    ['http://8.8.8.8/', 'public'],
    ['http://[2606:4700::1111]/', 'public'],
    ['https://earth-search.aws.element84.com/v1', 'name'],
  ])('classifies %s as %s', (url, kind) => {
    expect(classifyHost(hostOf(url))).toBe(kind);
  });
});

describe('OutboundPolicy', () => {
  const catalog = 'https://earth-search.aws.element84.com/v1';

  it('allows the trusted catalog and the asset hosts its items name', () => {
    const policy = new OutboundPolicy().trust(catalog, 'https://sentinel-cogs.s3.us-west-2.amazonaws.com/a/B04.tif');
    expect(policy.check(`${catalog}/search`).hostname).toBe('earth-search.aws.element84.com');
    expect(policy.check('https://sentinel-cogs.s3.us-west-2.amazonaws.com/b/B08.tif').pathname).toBe('/b/B08.tif');
  });

  it('refuses a host that is neither trusted nor listed', () => {
    const policy = new OutboundPolicy().trust(catalog);
    expect(() => policy.check('https://evil.example.org/x.tif')).toThrow(/neither the catalog/);
  });

  it('allows hosts the operator lists, with *. matching subdomains', () => {
    const policy = new OutboundPolicy(['data.example.org', '*.blob.core.windows.net']);
    expect(() => policy.check('https://data.example.org/x.tif')).not.toThrow();
    expect(() => policy.check('https://sentinel2l2a01.blob.core.windows.net/x.tif')).not.toThrow();
    expect(() => policy.check('https://blob.core.windows.net.evil.org/x.tif')).toThrow(OutboundBlockedError);
  });

  it.each(['file:///etc/passwd', 'ftp://example.org/a', 'data:text/plain,hi', 'gopher://x/'])('refuses the scheme of %s', (url) => {
    expect(() => new OutboundPolicy(['example.org']).trust('https://example.org').check(url)).toThrow(/only http and https/);
  });

  it('refuses credentials in URLs', () => {
    expect(() => new OutboundPolicy(['example.org']).check('https://user:pw@example.org/')).toThrow(/credentials/);
  });

  it('refuses loopback, private and metadata addresses even when a catalog names them', () => {
    const policy = new OutboundPolicy().trust('http://127.0.0.1:9000/stac', 'http://169.254.169.254/latest', 'http://10.0.0.5/x.tif');
    expect(() => policy.check('http://127.0.0.1:9000/stac/search')).toThrow(/loopback address; list it in KELPIE_OUTBOUND_HOSTS/);
    expect(() => policy.check('http://169.254.169.254/latest/meta-data')).toThrow(/link-local/);
    expect(() => policy.check('http://10.0.0.5/x.tif')).toThrow(/private/);
    expect(() => policy.check('http://2130706433/')).toThrow(/loopback/);
  });

  it('allows a loopback or private address the operator listed explicitly', () => {
    const policy = new OutboundPolicy(['127.0.0.1', '::1']);
    expect(() => policy.check('http://127.0.0.1:8080/files/B04.tif')).not.toThrow();
    expect(() => policy.check('http://[::1]:8080/')).not.toThrow();
    expect(() => policy.check('http://localhost:8080/')).toThrow(/loopback/);
  });

  it('keeps signatures out of messages', () => {
    expect(redactUrl('https://a.blob.core.windows.net/c/B04.tif?st=1&sig=SECRET')).toBe('https://a.blob.core.windows.net/c/B04.tif');
    expect(() => new OutboundPolicy().check('https://x.example/a.tif?sig=SECRET')).toThrow(expect.objectContaining({ message: expect.not.stringContaining('SECRET') }));
  });
});

import { describe, expect, it } from 'vitest';
import { RemoteReadError, RemoteUnavailableError } from '../../../core/errors.js';
import { guardFetch } from '../../../core/net/guarded-fetch.js';
import { type ReadStats, openHttpSource } from '../../../core/net/http-source.js';
import { createLimiter } from '../../../core/net/limiter.js';
import { OutboundPolicy } from '../../../core/net/outbound-policy.js';

const URL_ = 'https://cogs.example.org/scene/B04.tif?sig=abc';
const FILE = Uint8Array.from({ length: 100_000 }, (_, i) => i % 251);

/** A fake file server answering Range requests from memory, failing on demand. */
function fakeServer(options: { failures?: Array<number | 'reset'>; ignoreRange?: boolean } = {}) {
  const failures = [...(options.failures ?? [])];
  const ranges: string[] = [];
  let active = 0;
  let peak = 0;
  const fetch = async (_url: string, init?: RequestInit) => {
    const range = new Headers(init?.headers).get('range') ?? '';
    ranges.push(range);
    active++;
    peak = Math.max(peak, active);
    await new Promise((resolve) => setTimeout(resolve, 2));
    active--;
    const failure = failures.shift();
    if (failure === 'reset') throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    if (failure) return new Response('down', { status: failure });
    if (options.ignoreRange) return new Response(FILE.slice(), { status: 200, headers: { 'content-length': String(FILE.length) } });
    const [, a, b] = /bytes=(\d+)-(\d+)/.exec(range) ?? [];
    const start = Number(a);
    if (start >= FILE.length) return new Response(null, { status: 416, headers: { 'content-range': `bytes */${FILE.length}` } });
    const end = Math.min(FILE.length - 1, Number(b));
    return new Response(FILE.slice(start, end + 1), { status: 206, headers: { 'content-range': `bytes ${start}-${end}/${FILE.length}` } });
  };
  return { fetch: guardFetch(fetch, new OutboundPolicy().trust(URL_)), ranges, peak: () => peak };
}

const fast = { sleep: async () => undefined };

describe('openHttpSource', () => {
  it('learns the size from the first range request, and serves header reads from it', async () => {
    const server = fakeServer();
    const stats: ReadStats = { requests: 0, bytes: 0 };
    const source = await openHttpSource(URL_, { fetch: server.fetch, stats });
    expect(source.size).toBe(FILE.length);
    expect([...(await source.read(100, 8))]).toEqual([...FILE.subarray(100, 108)]);
    expect(server.ranges).toEqual(['bytes=0-16383']);
    expect(stats).toEqual({ requests: 1, bytes: 16384 });
  });

  it('names the file without its query string (no signature in messages)', async () => {
    const source = await openHttpSource(URL_, { fetch: fakeServer().fetch });
    expect(source.name).toBe('https://cogs.example.org/scene/B04.tif');
  });

  it('merges adjacent tile ranges into one request and splits the answer', async () => {
    const server = fakeServer();
    const source = await openHttpSource(URL_, { fetch: server.fetch });
    const ranges = [{ offset: 20_000, length: 1000 }, { offset: 21_000, length: 500 }, { offset: 60_000, length: 100 }];
    const parts = await source.readRanges!(ranges);
    expect(server.ranges.slice(1).sort()).toEqual(['bytes=20000-21499', 'bytes=60000-60099']);
    parts.forEach((part, i) => expect([...part]).toEqual([...FILE.subarray(ranges[i].offset, ranges[i].offset + ranges[i].length)]));
  });

  it('bounds parallel requests with the shared limiter', async () => {
    const server = fakeServer();
    const limiter = createLimiter(2);
    const source = await openHttpSource(URL_, { fetch: server.fetch, limiter, maxGapBytes: 0 });
    await source.readRanges!(Array.from({ length: 8 }, (_, i) => ({ offset: 20_000 + i * 5000, length: 100 })));
    expect(server.peak()).toBeLessThanOrEqual(2);
  });

  it('retries 5xx answers and connection resets with backoff', async () => {
    const server = fakeServer({ failures: [503, 'reset', 500] });
    const source = await openHttpSource(URL_, { fetch: server.fetch, retry: fast });
    expect(source.size).toBe(FILE.length);
    expect(server.ranges).toHaveLength(4);
  });

  it('gives up after the retries with a 503-kind error naming the file', async () => {
    const server = fakeServer({ failures: [503, 503, 503, 503] });
    await expect(openHttpSource(URL_, { fetch: server.fetch, retry: fast })).rejects.toThrow(RemoteUnavailableError);
  });

  it('does not retry a 403 and hints at the signature', async () => {
    const server = fakeServer({ failures: [403] });
    await expect(openHttpSource(URL_, { fetch: server.fetch, retry: fast })).rejects.toThrow(/HTTP 403 \(access denied/);
    expect(server.ranges).toHaveLength(1);
  });

  it('refuses a server that ignores Range instead of downloading the whole file', async () => {
    const server = fakeServer({ ignoreRange: true });
    await expect(openHttpSource(URL_, { fetch: server.fetch })).rejects.toThrow(RemoteReadError);
  });

  it('stops reading when the signal aborts', async () => {
    const server = fakeServer();
    const source = await openHttpSource(URL_, { fetch: server.fetch });
    const controller = new AbortController();
    controller.abort(new Error('deadline'));
    await expect(source.read(50_000, 40_000, controller.signal)).rejects.toThrow();
  });

  it('returns fewer bytes at the end of the file', async () => {
    const source = await openHttpSource(URL_, { fetch: fakeServer().fetch });
    expect((await source.read(99_990, 20_000)).byteLength).toBe(10);
    expect((await source.read(100_000, 10)).byteLength).toBe(0);
  });
});

describe('guardFetch', () => {
  it('checks every redirect target against the policy', async () => {
    const fetch = async (url: string) =>
      url.startsWith('https://cogs.example.org') ? new Response(null, { status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data' } }) : new Response('secret');
    const guarded = guardFetch(fetch, new OutboundPolicy().trust(URL_));
    await expect(guarded(URL_)).rejects.toThrow(/link-local/);
  });

  it('follows a redirect to an allowed host', async () => {
    const fetch = async (url: string) =>
      url.includes('old') ? new Response(null, { status: 301, headers: { location: '/new/B04.tif' } }) : new Response('ok', { status: 200 });
    const guarded = guardFetch(fetch, new OutboundPolicy().trust('https://cogs.example.org'));
    expect(await (await guarded('https://cogs.example.org/old/B04.tif')).text()).toBe('ok');
  });

  it('ends a request that takes longer than its timeout', async () => {
    const fetch = (_url: string, init?: RequestInit) =>
      new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const guarded = guardFetch(fetch, new OutboundPolicy().trust(URL_), { timeoutMs: 20 });
    await expect(guarded(URL_)).rejects.toMatchObject({ name: 'TimeoutError' });
  });
});

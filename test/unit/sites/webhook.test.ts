import { describe, expect, it } from 'vitest';
import { OutboundPolicy } from '../../../core/net/outbound-policy.js';
import { ALERT_ID_HEADER, SIGNATURE_HEADER, deliverWebhook, signPayload, verifySignature } from '../../../core/sites/webhook.js';

const SECRET = 'a'.repeat(64);
const NOW = Date.parse('2024-01-10T06:00:00Z');

/** A fetch answering `statuses` in turn, recording every request. */
function answering(...statuses: Array<number | Error>) {
  const requests: Array<{ url: string; init: RequestInit }> = [];
  const fetch = async (url: string, init: RequestInit = {}) => {
    requests.push({ url, init });
    const next = statuses.shift() ?? 200;
    if (next instanceof Error) throw next;
    return new Response(null, { status: next });
  };
  return { fetch, requests };
}

const deps = (fetch: ReturnType<typeof answering>['fetch'], hosts = ['hooks.example.org']) => ({ fetch, policy: new OutboundPolicy(hosts), now: () => NOW, retry: { sleep: async () => undefined, random: () => 0 } });

describe('signPayload and verifySignature', () => {
  it('signs time and body with HMAC-SHA256, as a receiver checks it', async () => {
    const header = await signPayload(SECRET, '{"a":1}', 1704866400);
    expect(header).toMatch(/^t=1704866400,v1=[0-9a-f]{64}$/);
    expect(await verifySignature(SECRET, '{"a":1}', header, 1704866400)).toBe(true);
    expect(await verifySignature(SECRET, '{"a":2}', header, 1704866400)).toBe(false);
    expect(await verifySignature('b'.repeat(64), '{"a":1}', header, 1704866400)).toBe(false);
    expect(await verifySignature(SECRET, '{"a":1}', header, 1704866400 + 301)).toBe(false);
  });

  it('matches an HMAC computed independently (node:crypto)', async () => {
    const { createHmac } = await import('node:crypto');
    const expected = createHmac('sha256', SECRET).update('1704866400.{"a":1}').digest('hex');
    expect(await signPayload(SECRET, '{"a":1}', 1704866400)).toBe(`t=1704866400,v1=${expected}`);
  });
});

describe('deliverWebhook', () => {
  it('POSTs the JSON body signed, with the alert id, once when the receiver accepts', async () => {
    const { fetch, requests } = answering(204);
    const outcome = await deliverWebhook('https://hooks.example.org/kelp', SECRET, 'site-1/2023-Q3-drop', { quarter: '2023-Q3' }, deps(fetch));
    expect(outcome).toEqual({ ok: true, attempts: 1, status: 204 });
    const headers = requests[0].init.headers as Record<string, string>;
    expect(requests[0].init.method).toBe('POST');
    expect(headers[ALERT_ID_HEADER]).toBe('site-1/2023-Q3-drop');
    expect(await verifySignature(SECRET, String(requests[0].init.body), headers[SIGNATURE_HEADER], NOW / 1000)).toBe(true);
  });

  it('retries 5xx, 429 and network errors, then succeeds', async () => {
    const { fetch, requests } = answering(503, new TypeError('fetch failed'), 429, 200);
    expect(await deliverWebhook('https://hooks.example.org/kelp', SECRET, 'x', {}, deps(fetch))).toEqual({ ok: true, attempts: 4, status: 200 });
    expect(requests).toHaveLength(4);
  });

  it('does not retry a 4xx answer and reports it without throwing', async () => {
    const { fetch, requests } = answering(410);
    const outcome = await deliverWebhook('https://hooks.example.org/kelp', SECRET, 'x', {}, deps(fetch));
    expect(outcome).toMatchObject({ ok: false, attempts: 1, status: 410 });
    expect(requests).toHaveLength(1);
  });

  it('gives up after four attempts of a failing receiver', async () => {
    const { fetch, requests } = answering(500, 500, 500, 500, 500);
    expect(await deliverWebhook('https://hooks.example.org/kelp', SECRET, 'x', {}, deps(fetch))).toMatchObject({ ok: false, attempts: 4, status: 500 });
    expect(requests).toHaveLength(4);
  });

  it('never follows a redirect to a private address', async () => {
    const requests: string[] = [];
    const fetch = async (url: string) => {
      requests.push(url);
      return new Response(null, { status: 307, headers: { location: 'http://10.0.0.5/steal' } });
    };
    const outcome = await deliverWebhook('https://hooks.example.org/kelp', SECRET, 'x', {}, deps(fetch));
    expect(outcome.ok).toBe(false);
    expect(requests.every((url) => url.startsWith('https://hooks.example.org/'))).toBe(true);
  });
});

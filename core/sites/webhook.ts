/**
 * Alerts as signed webhooks. Each POST carries `X-Kelpie-Signature: t=<unix seconds>,v1=<hex>`,
 * where v1 is HMAC-SHA256 over `<t>.<body>` with the site's secret (the scheme Stripe and others
 * use: the time in the signed text lets a receiver refuse replays), and `X-Kelpie-Alert-Id`, the
 * same for every delivery of one alert, so a receiver can drop repeats.
 */
import type { Fetch } from '../ports/fetch.js';
import { guardFetch } from '../net/guarded-fetch.js';
import { HttpStatusError, describeFailure, isTransient } from '../net/http-status.js';
import type { OutboundPolicy } from '../net/outbound-policy.js';
import { type RetryOptions, withRetries } from '../net/retry.js';

export const SIGNATURE_HEADER = 'x-kelpie-signature';
export const ALERT_ID_HEADER = 'x-kelpie-alert-id';

/** Tries per delivery and the first wait between them (doubling, with jitter): 1 s, 2 s, 4 s. */
const DELIVERY_RETRY = { retries: 3, baseDelayMs: 1000, maxDelayMs: 8000 } as const;
/** One attempt's time limit. */
const ATTEMPT_TIMEOUT_MS = 10_000;

/**
 * The signature header's value for `body` at `timestampS`.
 *
 * @example
 * ```ts
 * await signPayload(secret, '{"id":"2023-Q2-drop"}', 1700000000); // 't=1700000000,v1=5f0c…'
 * ```
 */
export async function signPayload(secret: string, body: string, timestampS: number): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${timestampS}.${body}`)));
  return `t=${timestampS},v1=${[...mac].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Whether `header` signs `body` with `secret`, made at most `toleranceS` from `nowS`: what a
 * receiver checks (compare in constant time in production code; see docs/sites.md).
 */
export async function verifySignature(secret: string, body: string, header: string, nowS: number, toleranceS = 300): Promise<boolean> {
  const t = Number(/(?:^|,)t=(\d+)/.exec(header)?.[1]);
  const v1 = /(?:^|,)v1=([0-9a-f]{64})/.exec(header)?.[1];
  if (!Number.isFinite(t) || !v1 || Math.abs(nowS - t) > toleranceS) return false;
  const expected = (await signPayload(secret, body, t)).split('v1=')[1];
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ v1.charCodeAt(i);
  return diff === 0;
}

/** How one delivery went. */
export interface DeliveryOutcome {
  ok: boolean;
  attempts: number;
  /** The receiver's last status, when it answered. */
  status?: number;
  /** Why it failed, in words (never the URL's query). */
  error?: string;
}

/** What sending a webhook needs. */
export interface WebhookDeps {
  fetch: Fetch;
  /** The deployment's outbound policy: the webhook's host must pass it (redirects too). */
  policy: OutboundPolicy;
  now: () => number;
  userAgent?: string;
  retry?: Pick<RetryOptions, 'sleep' | 'random' | 'baseDelayMs'>;
  signal?: AbortSignal;
}

/**
 * POSTs `payload` to `url`, signed with `secret`; retries network errors, timeouts, 408, 429 and
 * 5xx with backoff (up to 4 attempts), not other answers. Never throws for the receiver's
 * failures: the outcome says what happened, for the alert's record.
 *
 * @example
 * ```ts
 * const outcome = await deliverWebhook(site.alert.webhookUrl, site.alert.secret, alert, deps);
 * ```
 */
export async function deliverWebhook(url: string, secret: string, alertId: string, payload: unknown, deps: WebhookDeps): Promise<DeliveryOutcome> {
  const body = JSON.stringify(payload);
  const post = guardFetch(deps.fetch, deps.policy, { timeoutMs: ATTEMPT_TIMEOUT_MS });
  let attempts = 0;
  let status: number | undefined;
  try {
    await withRetries(
      async () => {
        attempts++;
        const signature = await signPayload(secret, body, Math.floor(deps.now() / 1000));
        const response = await post(url, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature, [ALERT_ID_HEADER]: alertId, 'user-agent': deps.userAgent ?? 'kelpie-carbon' },
          ...(deps.signal ? { signal: deps.signal } : {}),
        });
        status = response.status;
        await response.body?.cancel().catch(() => undefined);
        if (!response.ok) throw new HttpStatusError(response.status, url);
      },
      { ...DELIVERY_RETRY, ...deps.retry, signal: deps.signal, isRetryable: isTransient },
    );
    return { ok: true, attempts, ...(status !== undefined ? { status } : {}) };
  } catch (error) {
    return { ok: false, attempts, ...(status !== undefined ? { status } : {}), error: describeFailure(error) };
  }
}

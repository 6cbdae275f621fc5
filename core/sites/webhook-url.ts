import { InvalidRequestError, OutboundBlockedError } from '../errors.js';
import { classifyHost } from '../net/host-classifier.js';
import { OutboundPolicy, redactUrl } from '../net/outbound-policy.js';

/** Host kinds no webhook may name, even when listed: cloud metadata (link-local), `0.0.0.0`, multicast and reserved ranges. */
const NEVER = new Set(['link-local', 'unspecified', 'reserved']);

/**
 * Checks a site's webhook URL before anything is stored: http(s), no credentials, never a
 * link-local (cloud metadata at 169.254.169.254), unspecified or reserved address, and a host on
 * the deployment's outbound allow-list (`KELPIE_OUTBOUND_HOSTS`), where loopback and private
 * addresses must be listed exactly. Throws `InvalidRequestError` (400) for what is not a URL and
 * `OutboundBlockedError` (422) for a host it may not reach, saying why.
 *
 * @example
 * ```ts
 * checkWebhookUrl('https://hooks.example.org/kelp', ['hooks.example.org']); // URL
 * checkWebhookUrl('http://127.0.0.1:8080/', []); // throws OutboundBlockedError: a loopback address
 * ```
 */
export function checkWebhookUrl(url: string, outboundHosts: readonly string[]): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidRequestError(`alert.webhookUrl "${url.slice(0, 200)}" is not an absolute URL (https://…)`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new InvalidRequestError(`alert.webhookUrl must be an http or https URL (got ${parsed.protocol})`);
  if (parsed.username || parsed.password) throw new InvalidRequestError('alert.webhookUrl must not carry a user name or password; the signature header authenticates each alert');
  const kind = classifyHost(parsed.hostname);
  if (NEVER.has(kind)) {
    throw new OutboundBlockedError(`alerts cannot be sent to ${redactUrl(parsed)}: ${parsed.hostname} is a ${kind} address (cloud metadata and reserved ranges are never reached)`, { host: parsed.hostname, kind });
  }
  try {
    return new OutboundPolicy(outboundHosts).check(url);
  } catch (error) {
    if (!(error instanceof OutboundBlockedError)) throw error;
    const host = parsed.hostname;
    const reason = kind === 'name' || kind === 'public' ? `${host} is not on this deployment's outbound allow-list` : `${host} is a ${kind} address`;
    throw new OutboundBlockedError(`alerts cannot be sent to ${redactUrl(parsed)}: ${reason}; ask the operator to add the host to KELPIE_OUTBOUND_HOSTS`, { host, kind });
  }
}

import { OutboundBlockedError } from '../errors.js';
import { classifyHost, isNonPublic } from './host-classifier.js';

/** Schemes the functions may fetch; `file:`, `data:`, `ftp:` and the rest are refused. */
const SCHEMES = new Set(['http:', 'https:']);

/** A host entry as an operator writes it: lower case, IPv6 in brackets, no trailing dot, no port. */
function normalizeHost(entry: string): string {
  let host = entry.trim().toLowerCase().replace(/\.$/, '');
  if (host.includes(':') && !host.startsWith('[')) host = `[${host}]`;
  return host;
}

/** A URL's host written the way `normalizeHost` writes entries. */
function hostOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/\.$/, '');
}

/**
 * Which URLs the functions may fetch (docs/design.md, `KELPIE_OUTBOUND_HOSTS`): http(s) only, no
 * credentials in the URL, and a host that is either listed by the operator or trusted by the
 * code (the configured catalog, the asset hosts its items name). Loopback, private, link-local
 * and other non-public addresses are refused unless the operator listed them explicitly, even
 * when a catalog names them. `*.example.org` in the operator list matches its subdomains.
 * DNS names are not resolved here: a public name that resolves to a private address is the
 * network's to block (an adapter may add a resolving check).
 *
 * @example
 * ```ts
 * const policy = new OutboundPolicy(['127.0.0.1']).trust('http://127.0.0.1:9000/stac');
 * policy.check('http://127.0.0.1:9000/search'); // URL
 * policy.check('http://169.254.169.254/latest/meta-data'); // throws OutboundBlockedError
 * ```
 */
export class OutboundPolicy {
  private readonly listed: ReadonlySet<string>;
  private readonly trusted: ReadonlySet<string>;

  constructor(operatorHosts: readonly string[] = [], trusted: Iterable<string> = []) {
    this.listed = new Set(operatorHosts.map(normalizeHost).filter(Boolean));
    this.trusted = new Set(trusted);
  }

  /** A policy that also trusts the hosts of `urls` (a catalog, or the assets of its items). */
  trust(...urls: string[]): OutboundPolicy {
    const hosts = [...this.trusted];
    for (const url of urls) hosts.push(hostOf(this.parse(url)));
    return new OutboundPolicy([...this.listed], hosts);
  }

  /** The parsed URL when it may be fetched; throws `OutboundBlockedError` saying why not. */
  check(url: string): URL {
    const parsed = this.parse(url);
    const host = hostOf(parsed);
    const listed = this.isListed(host);
    const kind = classifyHost(host);
    if (isNonPublic(kind) && !listed) {
      throw new OutboundBlockedError(
        `refusing to fetch ${redactUrl(parsed)}: ${host} is a ${kind} address; list it in KELPIE_OUTBOUND_HOSTS to allow it (as local test servers do)`,
        { host, kind },
      );
    }
    if (!listed && !this.trusted.has(host)) {
      throw new OutboundBlockedError(
        `refusing to fetch ${redactUrl(parsed)}: ${host} is neither the catalog, an asset host its items name, nor in KELPIE_OUTBOUND_HOSTS`,
        { host },
      );
    }
    return parsed;
  }

  private isListed(host: string): boolean {
    if (this.listed.has(host)) return true;
    for (const entry of this.listed) if (entry.startsWith('*.') && host.endsWith(entry.slice(1))) return true;
    return false;
  }

  private parse(url: string): URL {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new OutboundBlockedError(`refusing to fetch "${url.slice(0, 200)}": not an absolute URL`);
    }
    if (!SCHEMES.has(parsed.protocol)) {
      throw new OutboundBlockedError(`refusing to fetch a ${parsed.protocol} URL; only http and https are allowed`, { scheme: parsed.protocol });
    }
    if (parsed.username || parsed.password) {
      throw new OutboundBlockedError(`refusing to fetch ${redactUrl(parsed)}: credentials in URLs are not allowed`);
    }
    return parsed;
  }
}

/**
 * A URL for messages and logs: origin and path, never the query (it may hold a SAS token or
 * other signature).
 */
export function redactUrl(url: URL | string): string {
  try {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return String(url).split('?')[0].slice(0, 200);
  }
}

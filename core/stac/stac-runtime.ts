import type { Clock } from '../ports/clock.js';
import type { Fetch } from '../ports/fetch.js';
import type { SceneCatalog } from '../ports/scene-catalog.js';
import { guardFetch } from '../net/guarded-fetch.js';
import { OutboundPolicy } from '../net/outbound-policy.js';
import type { RetryOptions } from '../net/retry.js';
import { planetaryComputerSigner, planetaryComputerTokenUrl } from './pc-signer.js';
import { createStacCatalog } from './stac-client.js';

/** The catalog and the outbound HTTP of STAC analyses, built once per cold start. */
export interface StacRuntime {
  catalog: SceneCatalog;
  /** The raw `fetch` and the operator's policy; each scene trusts its own asset hosts on top. */
  outbound: { fetch: Fetch; policy: OutboundPolicy };
}

/** Options of {@link createStacRuntime}. */
export interface StacRuntimeOptions {
  /** `KELPIE_STAC_URL`. */
  url: string;
  fetch: Fetch;
  /** `KELPIE_OUTBOUND_HOSTS`: extra hosts, and the only way to reach loopback or private addresses. */
  outboundHosts: readonly string[];
  clock: Clock;
  retry?: RetryOptions;
}

/**
 * Wires a STAC catalog: the policy trusts the catalog's host (loopback or private only when
 * listed), and a catalog laid out like the Planetary Computer (`…/api/stac/v1`) gets a SAS
 * token signer for its assets, with its token endpoint beside it.
 *
 * @example
 * ```ts
 * const stac = createStacRuntime({ url: config.KELPIE_STAC_URL, fetch, outboundHosts: config.KELPIE_OUTBOUND_HOSTS, clock: systemClock });
 * ```
 */
export function createStacRuntime(options: StacRuntimeOptions): StacRuntime {
  const policy = new OutboundPolicy(options.outboundHosts);
  const tokenUrl = planetaryComputerTokenUrl(options.url);
  const catalogFetch = guardFetch(options.fetch, policy.trust(options.url));
  const signer = tokenUrl ? planetaryComputerSigner({ tokenUrl, fetch: catalogFetch, clock: options.clock, retry: options.retry }) : undefined;
  return {
    catalog: createStacCatalog({ url: options.url, fetch: catalogFetch, signer, retry: options.retry }),
    outbound: { fetch: options.fetch, policy },
  };
}

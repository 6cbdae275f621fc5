import { DependencyUnavailableError } from '../../errors.js';
import { type StacRuntime, createStacRuntime } from '../../stac/stac-runtime.js';
import type { ApiDeps } from '../types.js';

/**
 * The STAC runtime of the API, built on first use and kept for the life of the instance (so the
 * Planetary Computer token cache lasts): from `deps.stac`, else from `config.stacUrl`.
 * Calling the returned function without a catalog configured throws a 503 naming the setting.
 */
export function stacRuntimeOnce(deps: ApiDeps): () => StacRuntime {
  let runtime: StacRuntime | undefined = deps.stac;
  return () => {
    if (runtime) return runtime;
    const url = deps.config.stacUrl;
    if (!url) throw new DependencyUnavailableError('analyses of a place and dates need a STAC catalog; none is configured (set KELPIE_STAC_URL)');
    // Platforms inject their fetch; the Web-standard global is the same function everywhere we run.
    const fetch = deps.fetch ?? ((input: string, init?: RequestInit) => globalThis.fetch(input, init));
    runtime = createStacRuntime({ url, fetch, outboundHosts: deps.config.outboundHosts ?? [], clock: deps.clock });
    return runtime;
  };
}

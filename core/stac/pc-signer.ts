import { CatalogUnavailableError, isKelpieError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { StacItem } from '../ports/scene-catalog.js';
import type { GuardedFetch } from '../net/guarded-fetch.js';
import { readBodyCapped } from '../net/guarded-fetch.js';
import { HttpStatusError, describeFailure } from '../net/http-status.js';
import { type RetryOptions, withRetries } from '../net/retry.js';

/** Turns an asset URL into one that can be read (adds a signature, a token…). */
export interface AssetSigner {
  sign(href: string, item: StacItem, signal?: AbortSignal): Promise<string>;
}

/** Where the Planetary Computer's STAC API lives, and its SAS token endpoint beside it. */
const PC_STAC_PATH = /\/api\/stac\/v1\/?$/;
const PC_TOKEN_PATH = '/api/sas/v1/token';

/** A token is renewed this long before it expires, so a read never starts with one about to lapse. */
const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * The SAS token endpoint for a catalog laid out like the Planetary Computer
 * (`…/api/stac/v1` → `…/api/sas/v1/token`), or undefined for other catalogs.
 *
 * @example
 * ```ts
 * planetaryComputerTokenUrl('https://planetarycomputer.microsoft.com/api/stac/v1');
 * // 'https://planetarycomputer.microsoft.com/api/sas/v1/token'
 * ```
 */
export function planetaryComputerTokenUrl(catalogUrl: string): string | undefined {
  const url = new URL(catalogUrl);
  if (!PC_STAC_PATH.test(url.pathname)) return undefined;
  url.pathname = url.pathname.replace(PC_STAC_PATH, PC_TOKEN_PATH);
  return url.toString().replace(/\/$/, '');
}

/** Options of {@link planetaryComputerSigner}. */
export interface PcSignerOptions {
  /** The token endpoint; `GET {tokenUrl}/{collection}` answers `{ token, "msft:expiry" }`. */
  tokenUrl: string;
  fetch: GuardedFetch;
  clock: Clock;
  retry?: RetryOptions;
}

/**
 * Signs Planetary Computer asset URLs with a SAS token for the item's collection, fetched from
 * the token endpoint and cached until shortly before its `msft:expiry` (one request per
 * collection per token lifetime, shared by concurrent callers). URLs that already carry a
 * signature are left alone.
 *
 * @example
 * ```ts
 * const signer = planetaryComputerSigner({ tokenUrl, fetch: guarded, clock: systemClock });
 * const href = await signer.sign(item.assets.B04.href, item);
 * ```
 */
export function planetaryComputerSigner(options: PcSignerOptions): AssetSigner {
  const tokens = new Map<string, Promise<{ token: string; expiresAt: number }>>();
  const fresh = async (collection: string, signal?: AbortSignal) => {
    const cached = tokens.get(collection);
    if (cached) {
      const value = await cached.catch(() => undefined);
      if (value && value.expiresAt - RENEW_BEFORE_MS > options.clock.now()) return value.token;
      if (tokens.get(collection) !== cached) return fresh(collection, signal);
    }
    const request = fetchToken(options, collection, signal);
    tokens.set(collection, request);
    request.catch(() => tokens.get(collection) === request && tokens.delete(collection));
    return (await request).token;
  };
  return {
    async sign(href, item, signal) {
      const url = new URL(href);
      if (url.searchParams.has('sig')) return href;
      const token = await fresh(item.collection ?? 'sentinel-2-l2a', signal);
      return `${href}${url.search ? '&' : '?'}${token.replace(/^\?/, '')}`;
    },
  };
}

async function fetchToken(options: PcSignerOptions, collection: string, signal?: AbortSignal): Promise<{ token: string; expiresAt: number }> {
  const url = `${options.tokenUrl}/${encodeURIComponent(collection)}`;
  try {
    return await withRetries(
      async () => {
        const response = await options.fetch(url, { headers: { accept: 'application/json' }, signal });
        if (!response.ok) {
          await response.body?.cancel().catch(() => undefined);
          throw new HttpStatusError(response.status, url);
        }
        const body = JSON.parse(new TextDecoder().decode(await readBodyCapped(response, 64 * 1024, 'a SAS token'))) as { token?: unknown; 'msft:expiry'?: unknown };
        const expiresAt = Date.parse(String(body['msft:expiry'] ?? ''));
        if (typeof body.token !== 'string' || !body.token || !Number.isFinite(expiresAt)) {
          throw new CatalogUnavailableError(`the token endpoint ${options.tokenUrl} answered without a token and expiry`, { tokenUrl: options.tokenUrl });
        }
        return { token: body.token, expiresAt };
      },
      { ...options.retry, signal },
    );
  } catch (error) {
    if (signal?.aborted || isKelpieError(error)) throw error;
    throw new CatalogUnavailableError(`could not get a SAS token from ${options.tokenUrl} for ${collection}: ${describeFailure(error)}`, {
      tokenUrl: options.tokenUrl,
    }, { cause: error });
  }
}

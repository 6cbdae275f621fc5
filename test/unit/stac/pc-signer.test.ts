import { describe, expect, it } from 'vitest';
import { guardFetch } from '../../../core/net/guarded-fetch.js';
import { OutboundPolicy } from '../../../core/net/outbound-policy.js';
import type { StacItem } from '../../../core/ports/scene-catalog.js';
import { planetaryComputerSigner, planetaryComputerTokenUrl } from '../../../core/stac/pc-signer.js';

const TOKEN_URL = 'https://planetarycomputer.microsoft.com/api/sas/v1/token';
const ITEM = { id: 'S2B_X', collection: 'sentinel-2-l2a', properties: { datetime: null }, assets: {} } as StacItem;
const HREF = 'https://sentinel2l2a01.blob.core.windows.net/sentinel2-l2/10/S/EF/B04.tif';

/** A token endpoint that hands out numbered tokens valid for `ttlMs` from the fake clock. */
function tokenEndpoint(clock: { t: number }, ttlMs = 3_600_000) {
  const calls: string[] = [];
  const fetch = async (url: string) => {
    calls.push(url);
    return Response.json({ token: `se=x&sig=token${calls.length}`, 'msft:expiry': new Date(clock.t + ttlMs).toISOString() });
  };
  return { fetch: guardFetch(fetch, new OutboundPolicy().trust(TOKEN_URL)), calls };
}

describe('planetaryComputerTokenUrl', () => {
  it('finds the SAS endpoint beside a catalog laid out like the Planetary Computer', () => {
    expect(planetaryComputerTokenUrl('https://planetarycomputer.microsoft.com/api/stac/v1')).toBe(TOKEN_URL);
    expect(planetaryComputerTokenUrl('http://127.0.0.1:9/pc/api/stac/v1/')).toBe('http://127.0.0.1:9/pc/api/sas/v1/token');
    expect(planetaryComputerTokenUrl('https://earth-search.aws.element84.com/v1')).toBeUndefined();
  });
});

describe('planetaryComputerSigner', () => {
  it('appends the collection token to asset URLs', async () => {
    const clock = { t: Date.parse('2024-01-01T00:00:00Z') };
    const endpoint = tokenEndpoint(clock);
    const signer = planetaryComputerSigner({ tokenUrl: TOKEN_URL, fetch: endpoint.fetch, clock: { now: () => clock.t } });
    expect(await signer.sign(HREF, ITEM)).toBe(`${HREF}?se=x&sig=token1`);
    expect(endpoint.calls).toEqual([`${TOKEN_URL}/sentinel-2-l2a`]);
  });

  it('reuses the token until shortly before it expires, then fetches a new one', async () => {
    const clock = { t: Date.parse('2024-01-01T00:00:00Z') };
    const endpoint = tokenEndpoint(clock);
    const signer = planetaryComputerSigner({ tokenUrl: TOKEN_URL, fetch: endpoint.fetch, clock: { now: () => clock.t } });
    await Promise.all([signer.sign(HREF, ITEM), signer.sign(HREF, ITEM), signer.sign(HREF, ITEM)]);
    clock.t += 50 * 60_000;
    await signer.sign(HREF, ITEM);
    expect(endpoint.calls).toHaveLength(1);
    clock.t += 6 * 60_000;
    expect(await signer.sign(HREF, ITEM)).toMatch(/sig=token2$/);
    expect(endpoint.calls).toHaveLength(2);
  });

  it('leaves an already signed URL alone', async () => {
    const clock = { t: 0 };
    const endpoint = tokenEndpoint(clock);
    const signer = planetaryComputerSigner({ tokenUrl: TOKEN_URL, fetch: endpoint.fetch, clock: { now: () => clock.t } });
    expect(await signer.sign(`${HREF}?sig=already`, ITEM)).toBe(`${HREF}?sig=already`);
    expect(endpoint.calls).toHaveLength(0);
  });

  it('says which endpoint failed when no token comes back', async () => {
    const fetch = guardFetch(async () => new Response('nope', { status: 403 }), new OutboundPolicy().trust(TOKEN_URL));
    const signer = planetaryComputerSigner({ tokenUrl: TOKEN_URL, fetch, clock: { now: () => 0 }, retry: { sleep: async () => undefined } });
    await expect(signer.sign(HREF, ITEM)).rejects.toThrow(/could not get a SAS token from https:\/\/planetarycomputer.microsoft.com\/api\/sas\/v1\/token for sentinel-2-l2a: HTTP 403/);
  });
});

import type { ApiClient } from './api.js';

/** What `GET /api` tells the page before its first real call (core/api/routes/service.ts). */
export interface ServiceInfo {
  /** Whether `/api` needs an access key; unknown (undefined) when the server did not say. */
  keyRequired?: boolean;
  /** Whether a STAC catalog is set up for a point or a box, and its host (to name it). */
  catalog?: { configured: boolean; host?: string };
}

/**
 * Asks `GET /api` (no key needed, so no error to learn from) whether the API needs a key and
 * whether it can search a catalog. An older server that does not say, or one that cannot be
 * reached, gives `{}`: the page then behaves as before (asks for a key when it is refused).
 */
export async function readService(api: ApiClient): Promise<ServiceInfo> {
  try {
    const { body } = await api.json<{ auth?: { required?: unknown }; catalog?: { configured?: unknown; host?: unknown } }>('GET', 'api');
    const info: ServiceInfo = {};
    if (typeof body.auth?.required === 'boolean') info.keyRequired = body.auth.required;
    if (typeof body.catalog?.configured === 'boolean') info.catalog = { configured: body.catalog.configured, ...(typeof body.catalog.host === 'string' ? { host: body.catalog.host } : {}) };
    return info;
  } catch {
    return {};
  }
}

import type { Route, RouteContext } from '../router.js';
import type { ApiDeps, ApiResponse } from '../types.js';
import type * as SiteHandlers from './site-handlers.js';

type Handlers = typeof SiteHandlers;

/**
 * The monitored-sites routes (docs/sites.md): create, list, read, change and delete sites, their
 * series and trend (JSON or CSV), and the alerts of every site. The handlers, and the site code
 * with its schemas, load on the first such request, so a cold start that answers `/health` or an
 * analysis does not load them.
 */
export function sitesRoutes(deps: ApiDeps): Route[] {
  let handlers: Promise<Handlers> | undefined;
  const lazy =
    (name: keyof Handlers) =>
    async (context: RouteContext): Promise<ApiResponse> => {
      const module = await (handlers ??= import('./site-handlers.js'));
      return (module[name] as (context: RouteContext, deps: ApiDeps) => Promise<ApiResponse>)(context, deps);
    };
  return [
    { method: 'POST', pattern: '/api/sites', auth: true, handle: lazy('createSiteRoute') },
    { method: 'GET', pattern: '/api/sites', auth: true, handle: lazy('listSitesRoute') },
    { method: 'GET', pattern: '/api/sites/{id}', auth: true, handle: lazy('getSiteRoute') },
    { method: 'PATCH', pattern: '/api/sites/{id}', auth: true, handle: lazy('patchSiteRoute') },
    { method: 'DELETE', pattern: '/api/sites/{id}', auth: true, handle: lazy('deleteSiteRoute') },
    { method: 'GET', pattern: '/api/sites/{id}/series', auth: true, handle: lazy('seriesRoute') },
    { method: 'GET', pattern: '/api/sites/{id}/trend', auth: true, handle: lazy('trendRoute') },
    { method: 'GET', pattern: '/api/alerts', auth: true, handle: lazy('alertsRoute') },
  ];
}

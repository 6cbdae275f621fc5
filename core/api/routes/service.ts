import { json } from '../json.js';
import type { ApiDeps } from '../types.js';
import type { Route } from '../router.js';
import { canary, timed } from '../../usecases/health-ping.js';

/** How long `/ready` waits for a dependency before calling it down. */
const READY_TIMEOUT_MS = 2000;

/** Health, readiness, metrics, uploads and the service index. */
export function serviceRoutes(deps: ApiDeps): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/health',
      auth: false,
      handle: async () =>
        json(200, { status: 'ok', version: deps.codeVersion, environment: deps.config.env, time: new Date(deps.clock.now()).toISOString() }),
    },
    {
      method: 'GET',
      pattern: '/ready',
      auth: false,
      async handle() {
        const checks = await Promise.all(readyChecks(deps).map(([name, run]) => timed(name, run, deps.clock, READY_TIMEOUT_MS)));
        const ready = checks.every((c) => c.ok);
        return json(ready ? 200 : 503, { status: ready ? 'ready' : 'not-ready', checks });
      },
    },
    {
      method: 'GET',
      pattern: '/metrics',
      auth: false,
      handle: async () => ({ status: 200, headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }, body: deps.renderMetrics() }),
    },
    {
      method: 'POST',
      pattern: '/api/uploads',
      auth: true,
      // Loaded on the first upload: its body schema is not built at a cold start.
      handle: async (context) => (await import('./uploads.js')).createUpload(context, deps),
    },
    { method: 'GET', pattern: '/api', auth: false, handle: async () => serviceIndex(deps) },
  ];
}

/**
 * What `/ready` checks: that the results store takes a write now (a canary written, read back and
 * deleted: a store that lists but refuses writes would fail every analysis), and, when the job
 * queue can tell, that a worker consumes it (a local folder queue with no `kelpie watch` running
 * would keep accepted jobs for ever).
 */
function readyChecks(deps: ApiDeps): Array<[string, (signal: AbortSignal) => Promise<void>]> {
  const checks: Array<[string, (signal: AbortSignal) => Promise<void>]> = [['store', (signal) => canary({ store: deps.resultStore, clock: deps.clock }, signal)]];
  const queue = deps.jobQueue;
  if (queue?.checkReady) checks.push(['job-worker', (signal) => (queue.checkReady as NonNullable<typeof queue.checkReady>)({ signal })]);
  return checks;
}

/**
 * The service index (at `GET /api`, and at `GET /` for clients that prefer JSON): name, version,
 * routes, and what a client needs to know before its first call, without an error to learn it:
 * whether the `/api` routes need a key (and in which header), and whether a STAC catalog is set
 * up for analyses of a place and dates (its host only; no settings or secrets).
 *
 * @example
 * ```ts
 * JSON.parse(serviceIndex(deps).body as string).auth; // { required: true, header: 'x-api-key' }
 * ```
 */
export function serviceIndex(deps: Pick<ApiDeps, 'codeVersion' | 'config'>) {
  const catalog = deps.config.stacUrl ? catalogHost(deps.config.stacUrl) : undefined;
  return json(200, {
    service: 'kelpie-carbon',
    version: deps.codeVersion,
    routes: ['GET /', 'GET /api', 'GET /health', 'GET /ready', 'GET /metrics', 'POST /api/analyses', 'GET /api/analyses', 'GET /api/analyses/{id}', 'GET /api/analyses/{id}/{artifact}', 'POST /api/uploads',
      'POST /api/sites', 'GET /api/sites', 'GET /api/sites/{id}', 'PATCH /api/sites/{id}', 'DELETE /api/sites/{id}', 'GET /api/sites/{id}/series', 'GET /api/sites/{id}/trend', 'GET /api/alerts',
    ],
    auth: { required: deps.config.apiKeys.length > 0, header: 'x-api-key' },
    catalog: catalog ? { configured: true, host: catalog } : { configured: false },
  });
}

/** The host of a catalog URL (what a page may name to its user); the URL itself stays on the server. */
function catalogHost(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

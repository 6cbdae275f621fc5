import { DependencyUnavailableError } from '../../errors.js';
import { type StacRuntime, createStacRuntime } from '../../stac/stac-runtime.js';
import { analyzeStac } from '../../usecases/analyze-stac.js';
import { analyzeStacSeries } from '../../usecases/analyze-stac-series.js';
import { json } from '../body.js';
import type { ApiDeps } from '../create-api.js';
import type { ApiResponse } from '../types.js';

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

/**
 * `POST /api/analyses` with a `stac` source: one scene (201 new, 200 found done, with the
 * `AnalysisResult`), or with `series: true` every usable scene (200, the series summary: kelp
 * area by date, each scene's analysis id).
 */
export async function analyzeFromCatalog(runtime: StacRuntime, stac: unknown, options: Record<string, unknown>, deps: ApiDeps, signal?: AbortSignal): Promise<ApiResponse> {
  const useCaseDeps = { ...runtime, ...deps, maxImagePixels: deps.config.maxImagePixels, signal };
  if ((stac as { series?: boolean }).series) {
    const { series, analyses } = await analyzeStacSeries({ stac, options }, useCaseDeps);
    for (const analysis of analyses) deps.metrics.count('kelpie_analyses_total', { outcome: analysis.reused ? 'reused' : 'succeeded' });
    return json(200, series);
  }
  const { result, reused } = await analyzeStac({ stac, options }, useCaseDeps);
  deps.metrics.count('kelpie_analyses_total', { outcome: reused ? 'reused' : 'succeeded' });
  if (!reused) deps.metrics.observe('kelpie_kelp_area_hectares', {}, result.kelp.areaHa);
  return json(reused ? 200 : 201, result, { location: `/api/analyses/${result.id}` });
}

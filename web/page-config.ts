/** Settings the server writes into the page's `kelpie-config` meta tag (core/api/routes/web.ts). */
export interface PageConfig {
  env: string;
  basemapUrl?: string;
  basemapAttribution?: string;
  /** The offline basemap's data, an asset of the page (`assets/basemap-<hash>.json`), set by the build. */
  basemapData?: string;
}

/** The page's settings; an empty or broken tag means the defaults (the offline basemap). */
export function readPageConfig(doc: Document = document): PageConfig {
  const content = doc.querySelector<HTMLMetaElement>('meta[name="kelpie-config"]')?.content ?? '';
  const data = doc.querySelector<HTMLMetaElement>('meta[name="kelpie-basemap"]')?.content;
  const basemapData = data && /^assets\/basemap-[A-Za-z0-9]+\.json$/.test(data) ? { basemapData: data } : {};
  try {
    const value = JSON.parse(content) as Partial<PageConfig>;
    return {
      env: typeof value.env === 'string' ? value.env : 'production',
      ...(typeof value.basemapUrl === 'string' ? { basemapUrl: value.basemapUrl } : {}),
      ...(typeof value.basemapAttribution === 'string' ? { basemapAttribution: value.basemapAttribution } : {}),
      ...basemapData,
    };
  } catch {
    return { env: 'production', ...basemapData };
  }
}

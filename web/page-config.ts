/** Settings the server writes into the page's `kelpie-config` meta tag (core/api/routes/web.ts). */
export interface PageConfig {
  env: string;
  basemapUrl?: string;
  basemapAttribution?: string;
}

/** The page's settings; an empty or broken tag means the defaults (no basemap). */
export function readPageConfig(doc: Document = document): PageConfig {
  const content = doc.querySelector<HTMLMetaElement>('meta[name="kelpie-config"]')?.content ?? '';
  try {
    const value = JSON.parse(content) as Partial<PageConfig>;
    return {
      env: typeof value.env === 'string' ? value.env : 'production',
      ...(typeof value.basemapUrl === 'string' ? { basemapUrl: value.basemapUrl } : {}),
      ...(typeof value.basemapAttribution === 'string' ? { basemapAttribution: value.basemapAttribution } : {}),
    };
  } catch {
    return { env: 'production' };
  }
}

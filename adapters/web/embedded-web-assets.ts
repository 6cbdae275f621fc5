import type { WebAsset, WebAssets } from '../../core/ports/web-assets.js';
import { WEB_BUILD } from './web-assets.generated.js';

/** One file as `scripts/build-web.mjs` writes it into the generated module. */
export interface EmbeddedFile {
  name: string;
  contentType: string;
  base64: string;
  gzipBase64?: string;
}

const decode = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));

/** The generated module's files as the `WebAssets` the API serves (decoded once). */
export function webAssetsFrom(build: { indexHtml: string; files: readonly EmbeddedFile[] }): WebAssets {
  const assets: Record<string, WebAsset> = {};
  for (const file of build.files) {
    assets[file.name] = { contentType: file.contentType, body: decode(file.base64), ...(file.gzipBase64 ? { gzip: decode(file.gzipBase64) } : {}) };
  }
  return { indexHtml: build.indexHtml, assets };
}

let cached: WebAssets | undefined;

/**
 * The web map built into this bundle by `scripts/build-web.mjs` (which `npm run build` and
 * `npm ci` run), decoded on first use.
 *
 * @example
 * ```ts
 * createApi({ ...deps, webAssets: embeddedWebAssets() });
 * ```
 */
export function embeddedWebAssets(): WebAssets {
  return (cached ??= webAssetsFrom(WEB_BUILD));
}

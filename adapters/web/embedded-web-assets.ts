import { gunzipSync } from 'node:zlib';
import type { WebAsset, WebAssets } from '../../core/ports/web-assets.js';
import { WEB_BUILD } from './web-assets.generated.js';

/** One file as `scripts/build-web.mjs` writes it into the generated module: its bytes gzipped, in base64. */
export interface EmbeddedFile {
  name: string;
  contentType: string;
  gzipBase64: string;
}

/**
 * The generated module's files as the `WebAssets` the API serves: each asset's gzip decoded once,
 * its plain bytes unzipped only when a client that does not accept gzip first asks for them.
 */
function webAssetsFrom(build: { indexHtml: string; files: readonly EmbeddedFile[] }): WebAssets {
  const assets: Record<string, WebAsset> = {};
  for (const file of build.files) {
    const gzip = new Uint8Array(Buffer.from(file.gzipBase64, 'base64'));
    let body: Uint8Array | undefined;
    assets[file.name] = {
      contentType: file.contentType,
      gzip,
      get body() {
        return (body ??= new Uint8Array(gunzipSync(gzip)));
      },
    };
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

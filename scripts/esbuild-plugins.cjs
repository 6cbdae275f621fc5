// esbuild plugins of every function bundle: serverless.yml (`custom.esbuild.plugins`, for the
// Lambda bundles) and scripts/build-functions.mjs (Google Cloud, Azure) both load this file.
const path = require('node:path');

/**
 * zod's classic and core APIs re-export every locale's error messages as `z.locales` (about 260 KiB
 * minified, over a sixth of a Lambda bundle), and a bundler cannot drop a namespace re-export.
 * Our code never reads `z.locales`; zod itself configures English from `locales/en.js`, which
 * stays. So `z.locales` is resolved to English only: the same messages, a smaller bundle.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!/[\\/]zod[\\/]v4[\\/](classic[\\/]external|core[\\/]index)\.js$/.test(args.importer)) return undefined;
      return { path: path.join(path.dirname(args.importer), '../locales/en.js'), namespace: 'zod-english-only' };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: path.dirname(args.path),
    }));
  },
};

module.exports = [zodEnglishOnly];

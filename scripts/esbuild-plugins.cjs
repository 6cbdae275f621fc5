// esbuild plugins of every function bundle: serverless.yml (`custom.esbuild.plugins`, for the
// Lambda bundles) and scripts/build-functions.mjs (Google Cloud, Azure) both load this file.
const { mkdirSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { transform } = require('esbuild');

/**
 * zod's classic and core APIs re-export every locale's error messages as `z.locales` (about
 * 260 KiB minified, over a sixth of a Lambda bundle), and a bundler cannot drop a namespace
 * re-export. Our code never reads `z.locales`; zod itself configures English from
 * `locales/en.js`, which stays. So `z.locales` is resolved to English only: the same messages,
 * a smaller bundle.
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

/**
 * Code splitting for the CommonJS Lambda bundles. Lambda, serverless-offline and `sls invoke
 * local` load CommonJS (an ES module importing the CommonJS AWS SDK also pays a parse of the SDK
 * at every cold start), but esbuild splits only ES modules. Without splitting, a cold start
 * compiles the whole bundle, the analysis that only `POST /api/analyses` runs included (~40 ms
 * of the HTTP function's ~90). So a CommonJS build with an `outdir` (serverless-esbuild's) is
 * built as split ES modules instead, each file is then turned into CommonJS (`import` becomes
 * `require`, `import()` a deferred `require`), and written under the same names: the entry, and
 * `<entry>.chunk-<hash>.cjs` files beside it, which serverless-esbuild packages with that entry's
 * function only. Each module still exists once, so `instanceof` holds across files.
 * The source maps (`*.map`, not referenced from the code) map each file to the readable bundled
 * module code it was made from (its `// path/to/file.ts` markers name the sources).
 */
const commonJsSplitting = {
  name: 'commonjs-splitting',
  setup(build) {
    const options = build.initialOptions;
    if (options.format !== 'cjs' || !options.outdir || !options.bundle) return;
    const entry = [options.entryPoints].flat()[0];
    const base = path.basename(typeof entry === 'string' ? entry : entry.in, path.extname(typeof entry === 'string' ? entry : entry.in));
    const { minify, minifyWhitespace, minifySyntax, minifyIdentifiers, keepNames, sourcemap } = options;
    // The names are kept (keepNames) where they are minified: in the second pass.
    Object.assign(options, { format: 'esm', splitting: true, write: false, chunkNames: `${base}.chunk-[hash]`, minify: false, minifyWhitespace: false, minifySyntax: false, minifyIdentifiers: false, keepNames: false, sourcemap: false });
    build.onEnd(async (result) => {
      if (result.errors.length || !result.outputFiles) return;
      for (const file of result.outputFiles) {
        const out = await transform(file.text, {
          format: 'cjs',
          platform: 'node',
          target: options.target,
          minify,
          minifyWhitespace,
          minifySyntax,
          minifyIdentifiers,
          keepNames,
          sourcemap: sourcemap ? 'external' : false,
          sourcefile: `${path.basename(file.path)} (bundled modules)`,
          sourcesContent: true,
          logLevel: 'silent',
        });
        if (out.warnings.length) throw new Error(`${file.path}: ${out.warnings.map((warning) => warning.text).join('; ')}`);
        mkdirSync(path.dirname(file.path), { recursive: true });
        writeFileSync(file.path, out.code);
        if (sourcemap) writeFileSync(`${file.path}.map`, out.map);
      }
    });
  },
};

module.exports = [zodEnglishOnly, commonJsSplitting];

// Bundles the Google Cloud and Azure functions into folders that deploy as they are:
//   dist/gcp/<entry point>/   index.mjs (+ chunks), package.json   gcloud functions deploy <name> --source=dist/gcp/<entry point> --entry-point=<entry point>
//   dist/azure/               index.mjs, functions/*.mjs (+ chunks), package.json, host.json   (cd dist/azure && func azure functionapp publish …)
// Each Cloud Function is deployed on its own, so each gets its own folder with only its code: the
// web page only in `api`, no function with the code of another. An Azure function app is one
// deployment: its functions share chunks, and each function file loads only what it needs.
// Bundles are minified ES modules; source maps are written beside them (`*.map`) and are not
// referenced from the code, so nothing reads them at cold start. esbuild's metafile of each
// platform goes to `dist/<platform>/meta.json` (the bundle test reads it).
// Our code and its dependencies are bundled; only the platform library stays external, because
// the platform loads it itself and our registration (`http()`, `app.http()`) must reach that very
// instance. The generated package.json pins it to the version in package-lock.json.
// Usage: node scripts/build-functions.mjs [gcp|azure]...   (both when none is given)
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import plugins from './esbuild-plugins.cjs';

const root = new URL('../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8'));

/** Per platform: the function files (by entry point or function name), the external platform library, extra files to copy. */
export const TARGETS = {
  gcp: {
    entries: {
      api: 'functions/http-api.gcp.ts',
      analyzeUpload: 'functions/upload-analyze.gcp.ts',
      backup: 'functions/backup.gcp.ts',
      healthPing: 'functions/health-ping.gcp.ts',
      analyzeJob: 'functions/analyze-job.gcp.ts',
      monitorSites: 'functions/monitor-sites.gcp.ts',
    },
    platformLibrary: '@google-cloud/functions-framework',
    copy: [],
  },
  azure: {
    // One app; functions api, analyzeUploadEventGrid, analyzeUploadBlob, backup, healthPing, analyzeJob, monitorSites.
    entries: {
      'http-api': 'functions/http-api.azure.ts',
      'upload-analyze': 'functions/upload-analyze.azure.ts',
      backup: 'functions/backup.azure.ts',
      'health-ping': 'functions/health-ping.azure.ts',
      'analyze-job': 'functions/analyze-job.azure.ts',
      'monitor-sites': 'functions/monitor-sites.azure.ts',
    },
    platformLibrary: '@azure/functions',
    copy: ['azure/host.json'],
  },
};

/** esbuild options every Google Cloud and Azure function bundle shares (`npm run bench:cold` bundles its references with them too). */
export const FUNCTION_BUNDLE_OPTIONS = {
  bundle: true,
  splitting: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: true,
  // Class names stay: errors are told apart by name in logs and responses.
  keepNames: true,
  sourcemap: 'external',
  metafile: true,
  plugins,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  // CommonJS dependencies inside an ES module bundle still call require() for Node built-ins.
  banner: { js: "import { createRequire as __kelpieCreateRequire } from 'node:module'; const require = __kelpieCreateRequire(import.meta.url);" },
  define: { __KELPIE_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
};

function manifest(name, target, main) {
  const version = lock.packages[`node_modules/${target.platformLibrary}`]?.version ?? pkg.dependencies[target.platformLibrary];
  return `${JSON.stringify({ name, version: pkg.version, private: true, type: 'module', main, engines: pkg.engines, dependencies: { [target.platformLibrary]: version } }, null, 2)}\n`;
}

async function bundleGcp() {
  const target = TARGETS.gcp;
  const out = new URL('dist/gcp/', root);
  rmSync(out, { recursive: true, force: true });
  const metafiles = {};
  for (const [entryPoint, file] of Object.entries(target.entries)) {
    const folder = new URL(`${entryPoint}/`, out);
    mkdirSync(folder, { recursive: true });
    const result = await build({ ...FUNCTION_BUNDLE_OPTIONS, entryPoints: { index: file }, outdir: folder.pathname, external: [target.platformLibrary] });
    metafiles[entryPoint] = result.metafile;
    writeFileSync(new URL('package.json', folder), manifest(`kelpie-carbon-gcp-${entryPoint}`, target, 'index.mjs'));
  }
  writeFileSync(new URL('meta.json', out), JSON.stringify(metafiles));
  console.log(`dist/gcp/ ready (${Object.keys(target.entries).map((name) => `${name}/`).join(', ')})`);
}

async function bundleAzure() {
  const target = TARGETS.azure;
  const out = new URL('dist/azure/', root);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const entryPoints = Object.fromEntries(Object.entries(target.entries).map(([name, file]) => [`functions/${name}`, file]));
  const result = await build({ ...FUNCTION_BUNDLE_OPTIONS, entryPoints, outdir: out.pathname, external: [target.platformLibrary] });
  // The host loads `main`, which registers every function of the app.
  writeFileSync(new URL('index.mjs', out), Object.keys(target.entries).map((name) => `import './functions/${name}.mjs';\n`).join(''));
  writeFileSync(new URL('package.json', out), manifest('kelpie-carbon-azure', target, 'index.mjs'));
  writeFileSync(new URL('meta.json', out), JSON.stringify({ app: result.metafile }));
  for (const file of target.copy) copyFileSync(new URL(file, root), new URL(file.split('/').pop(), out));
  console.log(`dist/azure/ ready (${Object.keys(target.entries).join(', ')})`);
}

const BUILDERS = { gcp: bundleGcp, azure: bundleAzure };

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  const names = process.argv.slice(2);
  for (const name of names.length ? names : Object.keys(BUILDERS)) {
    if (!BUILDERS[name]) throw new Error(`unknown target "${name}"; use ${Object.keys(BUILDERS).join(' or ')}`);
    await BUILDERS[name]();
  }
}

// Bundles the Google Cloud and Azure function apps into folders that deploy as they are:
//   dist/gcp/    index.mjs, package.json          gcloud functions deploy … --source=dist/gcp
//   dist/azure/  index.mjs, package.json, host.json   (cd dist/azure && func azure functionapp publish …)
// Our code and its dependencies are bundled; only the platform library stays external, because
// the platform loads it itself and our registration (`http()`, `app.http()`) must reach that very
// instance. The generated package.json pins it to the version in package-lock.json.
// Usage: node scripts/build-functions.mjs [gcp|azure]...   (both when none is given)
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8'));

/** Per platform: the function files, the external platform library, extra files to copy. */
const TARGETS = {
  gcp: {
    // Entry points: api, analyzeUpload, backup, healthPing, analyzeJob (gcloud functions deploy --entry-point=…).
    entries: ['functions/http-api.gcp.ts', 'functions/upload-analyze.gcp.ts', 'functions/backup.gcp.ts', 'functions/health-ping.gcp.ts', 'functions/analyze-job.gcp.ts'],
    platformLibrary: '@google-cloud/functions-framework',
    copy: [],
  },
  azure: {
    // Functions: api, analyzeUploadEventGrid, analyzeUploadBlob, backup, healthPing, analyzeJob (one app).
    entries: ['functions/http-api.azure.ts', 'functions/upload-analyze.azure.ts', 'functions/backup.azure.ts', 'functions/health-ping.azure.ts', 'functions/analyze-job.azure.ts'],
    platformLibrary: '@azure/functions',
    copy: ['azure/host.json'],
  },
};

async function bundle(name) {
  const target = TARGETS[name];
  const out = new URL(`dist/${name}/`, root);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  // One entry file that imports every function file, so one bundle registers them all.
  const entry = target.entries.map((file) => `import '../../${file}';`).join('\n');
  await build({
    stdin: { contents: entry, resolveDir: new URL(`dist/${name}/`, root).pathname, sourcefile: 'index.ts', loader: 'ts' },
    outfile: new URL('index.mjs', out).pathname,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    external: [target.platformLibrary],
    // CommonJS dependencies inside an ES module bundle still call require() for Node built-ins.
    banner: { js: "import { createRequire as __kelpieCreateRequire } from 'node:module'; const require = __kelpieCreateRequire(import.meta.url);" },
    sourcemap: true,
    define: { __KELPIE_VERSION__: JSON.stringify(pkg.version) },
    logLevel: 'warning',
  });
  const version = lock.packages[`node_modules/${target.platformLibrary}`]?.version ?? pkg.dependencies[target.platformLibrary];
  const manifest = {
    name: `kelpie-carbon-${name}`,
    version: pkg.version,
    private: true,
    type: 'module',
    main: 'index.mjs',
    engines: { node: '>=20' },
    dependencies: { [target.platformLibrary]: version },
  };
  writeFileSync(new URL('package.json', out), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const file of target.copy) copyFileSync(new URL(file, root), new URL(file.split('/').pop(), out));
  console.log(`dist/${name}/ ready (${target.entries.join(', ')})`);
}

const names = process.argv.slice(2);
for (const name of names.length ? names : Object.keys(TARGETS)) {
  if (!TARGETS[name]) throw new Error(`unknown target "${name}"; use ${Object.keys(TARGETS).join(' or ')}`);
  await bundle(name);
}

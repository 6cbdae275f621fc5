// Bundles the CLI with esbuild. Dependencies stay external (they are installed beside it);
// the Lambda bundles are built per function by serverless.yml's esbuild settings. Also builds the
// web map (scripts/build-web.mjs), whose generated module the HTTP function embeds: typecheck,
// lint and tests need it, so `npm ci` (prepare) makes it in a clean clone; and, first, the scan
// worker every analysing bundle embeds (scripts/build-worker.mjs), for the same reason.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { buildWeb } from './build-web.mjs';
import { buildWorker } from './build-worker.mjs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// First: the CLI imports the generated worker module, so a clean clone cannot bundle it before.
await buildWorker();
await build({
  entryPoints: { kelpie: 'adapters/local/cli/bin.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  define: { __KELPIE_VERSION__: JSON.stringify(version) },
  logLevel: 'warning',
});

await buildWeb();

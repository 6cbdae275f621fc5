// Bundles the CLI with esbuild. Dependencies stay external (they are installed beside it);
// the Lambda bundles are built per function by serverless.yml's esbuild settings.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

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

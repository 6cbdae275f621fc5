import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The repository root, where serverless.yml is. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The osls CLI (`serverless`/`sls`), run with `node` so no shell or npx is involved. */
export const SERVERLESS_BIN = createRequire(import.meta.url).resolve('osls/bin/serverless.js');

/**
 * Environment for one serverless run in a test: no inherited KELPIE_* settings, its own esbuild
 * work folder (so parallel runs do not delete each other's bundles), EMF metrics off, quiet logs.
 */
export function serverlessTestEnv(name: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // The developer's own KELPIE_* settings must not change what the test sees.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('KELPIE_')));
  return {
    ...inherited,
    KELPIE_ESBUILD_DIR: `.esbuild/test-${name}-${process.pid}`,
    POWERTOOLS_METRICS_DISABLED: 'true',
    KELPIE_LOG_LEVEL: 'warn',
    SLS_TELEMETRY_DISABLED: '1',
    ...extra,
  };
}

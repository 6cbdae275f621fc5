import { vi } from 'vitest';

/**
 * Loads a function file afresh under `env` (after clearing earlier stubs), as a cold start would.
 * Classes from a fresh module graph are not the test's own: compare errors by `code`, not class.
 *
 * @example
 * ```ts
 * const { backup } = await coldStart(() => import('../../../functions/backup.gcp.js'), { KELPIE_STORE: 'memory' });
 * ```
 */
export async function coldStart<T>(load: () => Promise<T>, env: Record<string, string>): Promise<T> {
  vi.resetModules();
  vi.unstubAllEnvs();
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  return load();
}

/** Settings that compose fine: the memory store, quiet logs. */
export const GOOD_ENV = { KELPIE_STORE: 'memory', KELPIE_ENV: 'test', KELPIE_LOG_LEVEL: 'error' };

/** Cloud Functions (2nd gen) runs an invocation for 60 s unless deployed with `--timeout`. */
export const GCP_DEFAULT_TIMEOUT_MS = 60_000;

/**
 * How long one invocation may run, in ms: `CLOUD_RUN_TIMEOUT_SECONDS` (which the Functions
 * Framework itself reads; set it to the `--timeout` you deploy with; event-driven functions
 * allow up to 540 s), else gen1's `FUNCTION_TIMEOUT_SEC`, else the 60 s default.
 *
 * @example
 * ```ts
 * gcpFunctionTimeoutMs({ CLOUD_RUN_TIMEOUT_SECONDS: '540' }); // 540000
 * ```
 */
export function gcpFunctionTimeoutMs(env: Record<string, string | undefined>): number {
  const seconds = Number(env.CLOUD_RUN_TIMEOUT_SECONDS || env.FUNCTION_TIMEOUT_SEC);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : GCP_DEFAULT_TIMEOUT_MS;
}

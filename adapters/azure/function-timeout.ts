/** azure/host.json sets `functionTimeout` to 10 minutes, the most the Consumption plan allows. */
const AZURE_DEFAULT_TIMEOUT_MS = 600_000;

/** The app setting that overrides host.json's `functionTimeout` (`hh:mm:ss`). */
const OVERRIDE = 'AzureFunctionsJobHost__functionTimeout';

/**
 * How long one invocation may run, in ms: the app setting `AzureFunctionsJobHost__functionTimeout`
 * (`hh:mm:ss`, which overrides host.json) when it parses, else host.json's 10 minutes.
 *
 * @example
 * ```ts
 * azureFunctionTimeoutMs({ AzureFunctionsJobHost__functionTimeout: '00:30:00' }); // 1800000
 * ```
 */
export function azureFunctionTimeoutMs(env: Record<string, string | undefined>): number {
  const match = /^(\d+):([0-5]\d):([0-5]\d)$/.exec(env[OVERRIDE]?.trim() ?? '');
  if (!match) return AZURE_DEFAULT_TIMEOUT_MS;
  const ms = ((Number(match[1]) * 60 + Number(match[2])) * 60 + Number(match[3])) * 1000;
  return ms > 0 ? ms : AZURE_DEFAULT_TIMEOUT_MS;
}

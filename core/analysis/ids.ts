/**
 * A stable analysis id from the parts that identify the work (store, key, etag, options):
 * the first 20 hex digits of their SHA-256, so a re-delivered event finds the same id.
 *
 * @example
 * ```ts
 * await deriveAnalysisId(['s3', 'imagery', 'uploads/a.tif', '"9b2cf5"']); // 'a3f0…' (20 hex digits)
 * ```
 */
export async function deriveAnalysisId(parts: readonly string[]): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(parts));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest.subarray(0, 10)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

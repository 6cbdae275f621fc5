/**
 * Names a person reading the web map or the CLI should never see: they belong to the code, the
 * API's JSON or the deployment, not to the science. What counts, by surface:
 *
 * - everywhere: camelCase identifiers (`wetBiomassKgPerM2`, `swirLandMax`, `boaOffset`),
 *   snake_case ones (`area_mode`, `eo:cloud_cover`), HTTP header names (`x-api-key`);
 * - on the page also: settings (`KELPIE_STAC_URL`), API routes (`POST /api/…`) and error codes
 *   (`CATALOG_UNAVAILABLE`). The CLI's reader sets the settings and may quote a code, so there
 *   they are words of the interface, as its flags are.
 *
 * Product terms a user reads in their own files (Sentinel-2's `BOA_ADD_OFFSET`,
 * `PROCESSING_BASELINE`; Landsat's band files `SR_B1`…`SR_B7` and `QA_PIXEL`) are not internal names.
 */
const EVERYWHERE: Array<[string, RegExp]> = [
  ['camelCase name', /\b[a-z]+(?:[A-Z][a-z0-9]*)+\b/g],
  ['snake_case name', /\b[a-z]+(?:_[a-z0-9]+)+\b/g],
  ['header name', /\bx-[a-z]+(?:-[a-z]+)*\b/g],
];
const PAGE_ONLY: Array<[string, RegExp]> = [
  ['setting', /\bKELPIE_[A-Z_]+\b/g],
  ['route', /\b(?:GET|POST|PUT) \/\S*|\/api\/\S*/g],
  ['code', /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g],
];
const PRODUCT_TERMS = new Set(['BOA_ADD_OFFSET', 'PROCESSING_BASELINE', 'QA_PIXEL', ...[1, 2, 3, 4, 5, 6, 7].map((n) => `SR_B${n}`)]);
/** Words that look like camelCase but are not code (brand and unit spellings). */
const ALLOWED = new Set(['iOS']);

/** The internal names in `text` for `surface`, each as `kind: name`; `[]` when it is clean. */
export function internalNames(text: string, surface: 'page' | 'cli'): string[] {
  const rules = surface === 'page' ? [...EVERYWHERE, ...PAGE_ONLY] : EVERYWHERE;
  const found = new Map<string, string>();
  for (const [kind, pattern] of rules) {
    for (const [name] of text.matchAll(pattern)) if (!PRODUCT_TERMS.has(name) && !ALLOWED.has(name) && !found.has(name)) found.set(name, `${kind}: ${name}`);
  }
  return [...found.values()];
}

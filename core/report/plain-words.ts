/**
 * Messages of the core and the API are written for API clients, so they name request fields
 * (`boaOffset`), settings (`KELPIE_STAC_URL`) and routes. Before a person reads one, each surface
 * puts its own words in: the CLI its flags (`--boa-offset -1000`), the web map its form's labels.
 * One table, one row per name, a column per surface.
 */

/** Who reads the message: someone at a terminal, or someone using the web map. */
export type Surface = 'cli' | 'page';

const REWRITES: Array<[pattern: RegExp, words: Record<Surface, string>]> = [
  [/\bpass boaOffset (-?\d+)/g, { cli: 'pass --boa-offset $1', page: 'set the reflectance offset (under Options) to $1' }],
  [/\bboaOffset\b/g, { cli: '--boa-offset', page: 'the reflectance offset' }],
  [/\bminBedAreaM2\b/g, { cli: '--min-bed-area', page: 'the smallest bed' }],
  [/\bareaMode\b/g, { cli: '--area-mode', page: 'the area mode' }],
  [/\bmaxCloudCover\b/g, { cli: '--max-cloud', page: 'the cloud limit' }],
  [/\bbufferKm\b/g, { cli: '--buffer-km', page: 'the buffer' }],
  [/\bcanopyFai\b/g, { cli: 'the full-canopy FAI', page: 'the full-canopy FAI' }],
  [/\bthe bands option\b/g, { cli: '--bands', page: 'the band names' }],
  [/\b(method|species|layers|bands)(?=: )/g, { cli: '--$1', page: '$1' }],
  [/ \((?:POST|GET) \/api\/[^)]*\)/g, { cli: '', page: '' }],
  [/\bPOST \/api\/analyses\b/g, { cli: 'an analysis', page: 'an analysis' }],
  [/\bin the x-api-key header\b/g, { cli: 'as the API key', page: 'in the key field at the top of the page' }],
  [/ \(set (KELPIE_[A-Z_]+)\)/g, { cli: ' (set $1)', page: ' (ask whoever runs this service to set one up)' }],
  [/\b(?:list it in|nor in) (KELPIE_[A-Z_]+)\b/g, { cli: '$&', page: 'allowed in the server’s settings' }],
  [/\bKELPIE_[A-Z_]+\b/g, { cli: '$&', page: 'a server setting' }],
];

/**
 * `message` in the words of `surface`: request fields as CLI flags or form labels, routes and
 * settings a page user cannot act on replaced by what they can do.
 *
 * @example
 * ```ts
 * inPlainWords('… or later pass boaOffset -1000, or …', 'cli'); // '… or later pass --boa-offset -1000, or …'
 * ```
 */
export function inPlainWords(message: string, surface: Surface): string {
  return REWRITES.reduce((text, [pattern, words]) => text.replace(pattern, words[surface]), message);
}

import { inPlainWords } from '../core/report/plain-words.js';

/**
 * Every sentence the page writes itself (the HTML's own text aside), in one catalogue: plain
 * words for a marine scientist, no code names, settings, headers or routes
 * (test/unit/web/messages.test.ts checks). What the API says is shown through
 * `inPlainWords(…, 'page')` (core/report/plain-words.ts), or replaced by a line here when the
 * page knows better words for its code.
 */
export const MESSAGES = {
  keyNeeded: 'This service needs an access key. Enter the key you were given and press “Use key”.',
  keyNeededToOpen: 'Enter the access key at the top of the page to open this analysis.',
  keyNeededToList: 'Enter the access key at the top of the page to see them.',
  keyChecking: 'Checking the key…',
  keyAccepted: 'Key accepted: it is kept until you close this tab.',
  keyRejected: 'That key was not accepted. Check it (keys are case-sensitive) and try again.',
  keyMissing: 'Enter the access key first.',
  keyUnchecked: (reason: string) => `The key could not be checked just now (${reason}); it will be tried with your next request.`,
  loading: 'Loading the analysis…',
  starting: 'Starting the analysis…',
  noCatalog: 'This service has no image catalog set up, so it cannot find Sentinel-2 images of a point or a box. Upload a GeoTIFF, or analyse an image already stored.',
  catalogUnreachable: (catalog: string) =>
    `The image catalog (${catalog}) could not be reached, so a point or a box cannot be analysed right now. You can still upload a GeoTIFF, or analyse an image already stored.`,
  networkDown: 'The server could not be reached. Check the connection and try again.',
  unexpectedAnswer: 'The server answered with something that is not an analysis; try again in a moment.',
  uploadRefused: (status: number) => `The storage service refused the upload (status ${status}).`,
  uploadUnreachable: 'The upload could not reach the storage service (a network problem, or the storage does not accept uploads from this page).',
  uploading: (name: string, percent: number, megabytes: string) => `Uploading “${name}”: ${percent} % of ${megabytes} MB`,
  layersFailed: (reason: string) => `The map layers could not be loaded: ${reason}`,
  alignmentApproximate: 'Alignment approximate: this result has no map images, so its scene images are stretched over their latitude and longitude box.',
  acquiredUnknown: 'not recorded: the file carries no acquisition time (scenes found in a catalog do)',
  historyEmpty: 'None yet.',
  rejectedUpload: 'could not be analysed',
  basemapOffline: 'Land and borders: Natural Earth (public domain)',
  basemapFailed: 'The land outlines could not be loaded; the map shows the sea only.',
} as const;

/** Titles of the page's error messages by API code, where the page has better words than the API's message. */
export const ERROR_WORDS: Record<string, string> = {
  UNAUTHORIZED: MESSAGES.keyRejected,
  NETWORK: MESSAGES.networkDown,
  UNEXPECTED_ANSWER: MESSAGES.unexpectedAnswer,
};

/**
 * What the page shows for an error: its own words for the codes it knows, else the API's
 * message in plain words (request fields as the form's labels, no settings or routes).
 */
export function wordsFor(error: Error & { code?: string; status?: number }): string {
  if (error.status === 401) return MESSAGES.keyRejected;
  if (error.code && Object.hasOwn(ERROR_WORDS, error.code)) return ERROR_WORDS[error.code];
  return inPlainWords(error.message, 'page');
}

/** Public catalogs by host, as their users know them. */
const CATALOG_NAMES: Record<string, string> = {
  'earth-search.aws.element84.com': 'Earth Search',
  'planetarycomputer.microsoft.com': 'Microsoft Planetary Computer',
};

/** A catalog's name from its host: `Earth Search`, or the host itself. */
export function catalogName(host: string | undefined): string {
  if (!host) return 'the catalog';
  return Object.hasOwn(CATALOG_NAMES, host) ? CATALOG_NAMES[host] : host;
}

/** API codes that mean the catalog could not be searched (none set up, or it did not answer). */
export const CATALOG_CODES = new Set(['CATALOG_UNAVAILABLE', 'DEPENDENCY_UNAVAILABLE', 'REMOTE_UNAVAILABLE']);

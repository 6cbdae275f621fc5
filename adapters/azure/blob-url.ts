/** Hosts whose URLs put the account in the path (Azurite, the emulator, IP addresses): `/<account>/<container>/<blob>`. */
const PATH_STYLE_HOST = /^(localhost|host\.docker\.internal|\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\])$/i;

/**
 * The container and blob name of a blob URL, each path segment URL-decoded (`%20` is a space, a
 * `+` stays a `+`). Account-in-host URLs (`https://<account>.blob.core.windows.net/<container>/<blob>`)
 * and path-style ones (`http://127.0.0.1:10000/devstoreaccount1/<container>/<blob>`) both work.
 * Undefined when the URL does not name a blob.
 *
 * @example
 * ```ts
 * blobLocationFromUrl('https://acct.blob.core.windows.net/imagery/uploads/Bah%C3%ADa%20one.tif');
 * // { container: 'imagery', name: 'uploads/Bahía one.tif' }
 * ```
 */
export function blobLocationFromUrl(url: string): { container: string; name: string } | undefined {
  let parsed: URL;
  try {
    // The parser also percent-encodes a raw space or non-ASCII letter, so both spellings decode alike.
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const segments = parsed.pathname.split('/').slice(1).map(decodeSegment);
  if (PATH_STYLE_HOST.test(parsed.hostname)) segments.shift();
  const [container, ...name] = segments;
  return container && name.length && name.join('/') ? { container, name: name.join('/') } : undefined;
}

/** A decoded path segment; one with a stray `%` (not an escape) is taken as it is. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

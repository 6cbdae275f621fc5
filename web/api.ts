/** The page's HTTP client: the API key on every call, errors as the API words them. */

/** An error answer of the API, `{ error: { code, message, details? } }`, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: { issues?: Array<{ path: string; message: string }> } & Record<string, unknown>,
    /** The answer's `Retry-After`, in milliseconds (429 and 503 answers may say when to come back). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A successful JSON answer. */
export interface ApiReply<T> {
  status: number;
  body: T;
  /** The `Location` header (202 and 201 answers point at the analysis). */
  location?: string;
  /** The `Retry-After` header in milliseconds (a 202 says when to ask again). */
  retryAfterMs?: number;
}

/** A `Retry-After` value (delay in seconds, or an HTTP date) in milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export interface ApiClient {
  json<T>(method: 'GET' | 'POST', path: string, init?: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal }): Promise<ApiReply<T>>;
  /** An artifact's bytes (fetched with the key, so images are shown from object URLs). */
  blob(path: string, signal?: AbortSignal): Promise<Blob>;
  /** An absolute URL of the API for `path` (relative to the page, so a path prefix is kept). */
  url(path: string): string;
}

/** The error an answer carries, in the API's words; a body that is not the API's JSON says so. */
export async function errorFrom(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
  try {
    const { error } = JSON.parse(text) as { error?: { code?: string; message?: string; details?: ApiError['details'] } };
    if (error?.message) return new ApiError(response.status, error.code ?? 'ERROR', error.message, error.details, retryAfter);
  } catch {
    // not JSON: fall through
  }
  return new ApiError(response.status, 'HTTP_ERROR', `the server answered ${response.status} ${response.statusText}`.trim(), undefined, retryAfter);
}

/**
 * A client of the API the page was served by. `apiKey` is read at every call, so a key entered
 * later is used from then on.
 *
 * @example
 * ```ts
 * const api = createApiClient(() => sessionStorage.getItem('kelpie.apiKey') ?? undefined);
 * const { body } = await api.json<{ items: unknown[] }>('GET', 'api/analyses');
 * ```
 */
export function createApiClient(apiKey: () => string | undefined, base = new URL('./', window.location.href).href): ApiClient {
  const url = (path: string) => new URL(path, base).href;
  const send = async (method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {}) => {
    const key = apiKey();
    const headers: Record<string, string> = { accept: 'application/json', ...(key ? { 'x-api-key': key } : {}), ...init.headers };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url(path), { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body), signal: init.signal, cache: 'no-store' });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new ApiError(0, 'NETWORK', `could not reach the server (${(error as Error).message})`);
    }
    if (!response.ok) throw await errorFrom(response);
    return response;
  };
  return {
    url,
    async json<T>(method: 'GET' | 'POST', path: string, init = {}) {
      const response = await send(method, path, init);
      const body = (await response.json()) as T;
      return { status: response.status, body, location: response.headers.get('location') ?? undefined, retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) };
    },
    async blob(path, signal) {
      return (await send('GET', path, { signal })).blob();
    },
  };
}

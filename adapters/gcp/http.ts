import type { HttpFunction, Request, Response } from '@google-cloud/functions-framework';
import type { ApiHandler, ApiResponse } from '../../core/api/types.js';
import { startDeadline } from '../shared/deadline.js';
import { definedOnly } from '../shared/http-edge.js';
import { GCP_DEFAULT_TIMEOUT_MS } from './function-timeout.js';
import { passBodyParseErrorsToFunction } from './framework-body-errors.js';
import { toApiRequest } from './request.js';

/** Options for {@link createGcpHttpHandler}. */
export interface GcpHttpOptions {
  /**
   * A path prefix to remove, for a function reached under a path (a Firebase Hosting rewrite or
   * a load balancer path rule such as `/kelpie/*`). The `cloudfunctions.net/<name>` and `run.app`
   * URLs already deliver paths without the function name, so the default is none.
   */
  basePath?: string;
  /** The function's timeout (`gcloud functions deploy --timeout`, see `gcpFunctionTimeoutMs`); gen2 defaults to 60 s. */
  timeoutMs?: number;
  /** How long before the timeout the API stops and answers 504 (default `DEADLINE_MARGIN_MS`; tests shorten it). */
  deadlineMarginMs?: number;
}

const defaults = { basePath: '', timeoutMs: GCP_DEFAULT_TIMEOUT_MS } satisfies GcpHttpOptions;

/** Sends the neutral response as is: status, headers byte-exact, body as a Buffer (binary safe). */
function sendApiResponse(res: Response, response: ApiResponse): void {
  const body = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : Buffer.from(response.body.buffer, response.body.byteOffset, response.body.byteLength);
  res.status(response.status);
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.end(body);
}

/**
 * A Functions Framework HTTP function serving `api`: translates the Express request (raw body,
 * first query values, lower-cased headers, request id, protocol) and sends the response back,
 * binary bodies untouched. A deadline signal aborts `deadlineMarginMs` before the function's
 * timeout, and when the client disconnects. Creating a handler also makes the framework pass
 * unparseable bodies on to it (see `framework-body-errors.ts`), so they get the API's JSON errors.
 *
 * @example
 * ```ts
 * import { http } from '@google-cloud/functions-framework';
 * http('api', createGcpHttpHandler(createApi(deps), { timeoutMs: 120_000 }));
 * ```
 */
export function createGcpHttpHandler(api: ApiHandler, options: GcpHttpOptions = {}): HttpFunction {
  const settings = { ...defaults, ...definedOnly(options) };
  passBodyParseErrorsToFunction();
  return async (req: Request, res: Response) => {
    const deadline = startDeadline(settings.timeoutMs, settings.deadlineMarginMs);
    const onClose = () => {
      if (!res.writableFinished) deadline.abort(new DOMException('the client closed the connection', 'AbortError'));
    };
    res.once('close', onClose);
    try {
      const response = await api(toApiRequest(req, { basePath: settings.basePath, signal: deadline.signal }));
      if (!res.headersSent && !res.destroyed) sendApiResponse(res, response);
    } finally {
      deadline.dispose();
      res.off('close', onClose);
    }
  };
}

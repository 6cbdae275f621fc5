import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Why this exists: the Functions Framework (v5, `build/src/server.js`) runs body-parser's
 * `json`, `text`, `urlencoded` and `raw` parsers before any user code, and passes their errors
 * to Express's default error handler. Malformed JSON (even `null`), a non-UTF charset on JSON or
 * an unknown `content-encoding` are then answered with an HTML page (with a stack trace unless
 * NODE_ENV=production) and the function never runs; the framework offers no error middleware
 * (GoogleCloudPlatform/functions-framework-nodejs#686, open). The API must answer those with its
 * own JSON errors, like on every other platform.
 *
 * So the framework's parsers are wrapped: a body-parser error (an `http-errors` error with a
 * `type` such as `entity.parse.failed`) is recorded on the request and the chain goes on, to the
 * next parser (the catch-all `raw` parser then reads a body the JSON parser refused by charset)
 * and to the function, which reads `req.rawBody` (saved before parsing) and lets the core decide.
 */

/** The body-parser error the framework met, if any; the adapter ignores `req.body` anyway. */
const BODY_PARSE_ERROR = Symbol.for('kelpie.gcp.bodyParseError');

const WRAPPED = Symbol.for('kelpie.gcp.bodyParsersWrapped');
const PARSERS = ['json', 'text', 'urlencoded', 'raw'] as const;

type Next = (error?: unknown) => void;
type Middleware = (req: IncomingMessage, res: ServerResponse, next: Next) => void;
type ParserFactory = ((options?: unknown) => Middleware) & { [WRAPPED]?: true };
type BodyParser = Record<(typeof PARSERS)[number], ParserFactory>;

/** True for the client-side errors body-parser raises (400, 403, 413, 415 with a `type`). */
function isBodyParserError(error: unknown): boolean {
  const { status, type } = (error ?? {}) as { status?: unknown; type?: unknown };
  return typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500;
}

function lenient(factory: ParserFactory): ParserFactory {
  const wrapped: ParserFactory = (options) => {
    const parse = factory(options);
    return (req, res, next) =>
      parse(req, res, (error) => {
        if (!isBodyParserError(error)) return next(error);
        const request = req as IncomingMessage & { [BODY_PARSE_ERROR]?: unknown };
        request[BODY_PARSE_ERROR] ??= error;
        next();
      });
  };
  wrapped[WRAPPED] = true;
  return wrapped;
}

/**
 * Makes the Functions Framework hand requests with unparseable bodies to the function instead
 * of answering them itself (see the file comment). Affects servers the framework creates after
 * the call: call it when the function module loads (the framework loads the module before it
 * builds its server). Idempotent. Returns false when the framework's body-parser cannot be
 * found (the adapter then still works, only without this rescue).
 *
 * @example
 * ```ts
 * passBodyParseErrorsToFunction();
 * http('api', createGcpHttpHandler(api));
 * ```
 */
export function passBodyParseErrorsToFunction(): boolean {
  let bodyParser: BodyParser;
  try {
    const framework = createRequire(import.meta.url).resolve('@google-cloud/functions-framework');
    bodyParser = createRequire(framework)('body-parser') as BodyParser;
  } catch {
    return false;
  }
  for (const name of PARSERS) {
    if (typeof bodyParser[name] === 'function' && !bodyParser[name][WRAPPED]) bodyParser[name] = lenient(bodyParser[name]);
  }
  return true;
}

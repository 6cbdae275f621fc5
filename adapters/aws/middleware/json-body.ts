import type { MiddlewareObj, Request } from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { Context } from 'aws-lambda';
import { MAX_BODY_BYTES } from '../../../core/api/json.js';
import type { AwsHttpEvent } from '../http-event.js';

/** The Lambda context, with the body {@link jsonBody} parsed. */
export interface JsonBodyContext extends Context {
  /** Present when the body was JSON and parsed; `value` may be any JSON value. */
  jsonBody?: { value: unknown };
}

/** Options for {@link jsonBody}. */
export interface JsonBodyOptions {
  /** Bodies larger than this are not parsed; the core answers 413. */
  maxBytes?: number;
}

const defaults: Required<JsonBodyOptions> = { maxBytes: MAX_BODY_BYTES };

/**
 * Middy middleware around `@middy/http-json-body-parser`: parses a JSON body into
 * `context.jsonBody` and leaves `event.body` untouched, so the raw bytes still reach the core.
 * A body that is not JSON, too large, or malformed is left unparsed: the core then answers
 * 415, 413 or 400 `MALFORMED_REQUEST` with its own JSON error, security headers and metrics,
 * never middy's plain-text 415/422.
 *
 * @example
 * ```ts
 * middy(handler).use(jsonBody());
 * ```
 */
export function jsonBody(opts: JsonBodyOptions = {}): MiddlewareObj<AwsHttpEvent, unknown, Error, JsonBodyContext> {
  const options = { ...defaults, ...opts };
  const parser = httpJsonBodyParser({ disableContentTypeError: true });

  const jsonBodyBefore = async (request: Request<AwsHttpEvent, unknown, Error, JsonBodyContext>) => {
    const { body, isBase64Encoded, headers } = request.event;
    if (!body || encodedSize(body, isBase64Encoded) > options.maxBytes) return;
    // The parser replaces `event.body`; give it a copy with lower-cased header names instead.
    const lowerCased = Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
    const probe = { event: { headers: lowerCased, body, isBase64Encoded } as unknown as AwsHttpEvent, context: request.context, response: null, error: null, internal: {} };
    try {
      await parser.before?.(probe);
    } catch {
      return; // malformed: the core re-reads the raw body and names the problem
    }
    if (probe.event.body !== body) request.context.jsonBody = { value: probe.event.body };
  };

  return { before: jsonBodyBefore };
}

/** Decoded size in bytes of a (possibly base64) body, without decoding it. */
function encodedSize(body: string, isBase64Encoded: boolean): number {
  return isBase64Encoded ? Math.floor((body.length * 3) / 4) : Buffer.byteLength(body);
}

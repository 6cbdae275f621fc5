import { type ZodType, z } from 'zod';
import { describeZodError } from '../validation.js';
import { MalformedRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from './http-errors.js';
import { MAX_BODY_BYTES } from './json.js';
import type { ApiRequest } from './types.js';

/**
 * The JSON body of `request`, checked against `schema` (zod, so this module is loaded only by
 * the routes that read a body, not at a cold start): 415 unless `application/json`, 413 over
 * 1 MB, 400 for malformed JSON or a body of the wrong shape (naming each bad field).
 */
export function readJsonBody<T>(request: ApiRequest, schema: ZodType<T>): T {
  const size = request.body?.byteLength ?? 0;
  if (size > MAX_BODY_BYTES) throw new PayloadTooLargeError(`the body is ${size} bytes; the limit is ${MAX_BODY_BYTES}`);
  let value = request.json;
  if (value === undefined) {
    const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (contentType !== 'application/json' && !contentType.endsWith('+json')) {
      throw new UnsupportedMediaTypeError(`send the body as application/json (got ${contentType || 'no content type'})`);
    }
    const body = request.body ?? new Uint8Array(0);
    if (body.byteLength === 0) throw new MalformedRequestError('the body is empty; send a JSON object');
    try {
      value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
    } catch (error) {
      throw new MalformedRequestError(`the body is not valid JSON: ${(error as Error).message}`);
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new MalformedRequestError(`invalid request: ${describeZodError(parsed.error)}`, {
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return parsed.data;
}

export { z };

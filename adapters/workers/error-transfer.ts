import * as coreErrors from '../../core/errors.js';
import { KelpieError } from '../../core/errors.js';

/** An error as a worker thread sends it: the class name, message, stack and own fields (code, kind, details…). */
export interface SentError {
  className: string;
  message: string;
  stack?: string;
  fields: Record<string, unknown>;
}

/** The core's error classes by name, so a worker's error comes back as the same class. */
const CLASSES = new Map<string, typeof KelpieError>(
  Object.values(coreErrors)
    .filter((value): value is typeof KelpieError => typeof value === 'function' && value.prototype instanceof KelpieError)
    .map((value) => [value.name, value]),
);

/** Turns a thrown value into plain data (structured-clonable) that `receiveError` turns back. */
export function sendError(error: unknown): SentError {
  if (!(error instanceof Error)) return { className: 'Error', message: String(error), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    try {
      structuredClone(value);
      fields[key] = value;
    } catch {
      // A field that cannot cross threads (a function, a socket) is left behind.
    }
  }
  return { className: error.constructor.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}), fields };
}

/**
 * The error a worker sent, as the class it was thrown as: a core error keeps its class, code,
 * kind and details (so it maps to the same status or exit code as in-process); anything else
 * (a bug) becomes a plain `Error` with its message and name.
 */
export function receiveError(sent: SentError): Error {
  const Class = CLASSES.get(sent.className);
  const error: Error = Class ? Object.create(Class.prototype) : new Error(sent.message);
  Object.defineProperty(error, 'message', { value: sent.message, writable: true, configurable: true });
  if (sent.stack) Object.defineProperty(error, 'stack', { value: sent.stack, writable: true, configurable: true });
  Object.assign(error, sent.fields);
  if (!Class && sent.className !== 'Error') error.name = sent.className;
  return error;
}

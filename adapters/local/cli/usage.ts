import { parseArgs } from 'node:util';
import { KelpieError } from '../../../core/errors.js';

/** A mistake in how the command was called; exit code 2. */
export class UsageError extends KelpieError {
  readonly code = 'USAGE';
  readonly kind = 'invalid';
}

/** `parseArgs` with our options; unknown flags are usage errors. */
export function parseFlags<T extends NonNullable<Parameters<typeof parseArgs>[0]>['options']>(args: string[], options: T) {
  return parseArgs({ args, options, allowPositionals: true, strict: true });
}

import type { z } from 'zod';

/**
 * A zod error as one sentence a user can act on, e.g. `method: expected one of kd, fai, …`: each
 * issue as `path: message` (`body` for the root), joined by `; `.
 *
 * @example
 * ```ts
 * describeZodError(schema.safeParse({ metod: 'kd' }).error!); // 'body: Unrecognized key: "metod"'
 * ```
 */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join('.') || 'body';
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

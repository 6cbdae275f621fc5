import { z } from 'zod';
import { InvalidRequestError } from './errors.js';

/** A full Sentinel-2 tile is 10980 × 10980 = 120,560,400 pixels at 10 m. */
const DEFAULT_MAX_IMAGE_PIXELS = 130_000_000;

const positiveInt = (fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().positive())
    .optional()
    .transform((value) => value ?? fallback);

/**
 * Environment variables (DESIGN.md, "Configuration"), validated once at start-up. Only the
 * ones the running entry point uses are read; every problem is reported in one message.
 */
export const configSchema = z.object({
  KELPIE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  KELPIE_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  KELPIE_MAX_IMAGE_PIXELS: positiveInt(DEFAULT_MAX_IMAGE_PIXELS),
});

export type Config = z.output<typeof configSchema>;

/**
 * Parses `env` (e.g. `process.env`), or throws `InvalidRequestError` naming each bad variable.
 *
 * @example
 * ```ts
 * loadConfig({ KELPIE_MAX_IMAGE_PIXELS: '1000000' }).KELPIE_MAX_IMAGE_PIXELS; // 1000000
 * ```
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([key, value]) => key.startsWith('KELPIE_') && value !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new InvalidRequestError(`invalid configuration: ${problems}`);
  }
  return parsed.data;
}

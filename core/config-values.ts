/**
 * Parsers of one environment variable each, for `core/config.ts`: a value as written (trimmed,
 * never empty) in, the typed value out, or a `ValueProblem` saying what was expected. Plain
 * functions rather than a schema library, so a cold start validates its settings in microseconds.
 */

/** A value that is not what its setting takes; the message says what it should be. */
export class ValueProblem extends Error {}

/** Turns the text of one variable into its value, or throws `ValueProblem`. */
export type Parse<T> = (text: string) => T;

/**
 * One of `values`.
 *
 * @example
 * ```ts
 * oneOf(['fs', 's3'] as const)('s3'); // 's3'
 * ```
 */
export function oneOf<const T extends string>(values: readonly T[]): Parse<T> {
  return (text) => {
    if ((values as readonly string[]).includes(text)) return text as T;
    throw new ValueProblem(`expected one of ${values.join(', ')}`);
  };
}

/** A whole number of at least `min` (1 unless given). */
export function wholeNumber(min = 1): Parse<number> {
  return (text) => {
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new ValueProblem('expected a whole number');
    if (Number(text) < min) throw new ValueProblem(`expected a whole number of at least ${min}`);
    return Number(text);
  };
}

/** Text of `min` to `max` characters. */
export function text(min = 1, max = Infinity): Parse<string> {
  return (value) => {
    if (value.length < min) throw new ValueProblem(`expected at least ${min} characters`);
    if (value.length > max) throw new ValueProblem(`expected at most ${max} characters`);
    return value;
  };
}

/** A comma-separated list, blanks dropped; each item checked by `item` when given. */
export function list(item?: (value: string) => boolean, expected = ''): Parse<string[]> {
  return (value) => {
    const items = value.split(',').map((entry) => entry.trim()).filter(Boolean);
    if (item && !items.every(item)) throw new ValueProblem(expected);
    return items;
  };
}

/** `true`, `false`, `1` or `0`. */
export const flag: Parse<boolean> = (value) => oneOf(['true', 'false', '1', '0'] as const)(value) === 'true' || value === '1';

/** An absolute URL, with one of `protocols` when given (e.g. `['http', 'https']`). */
export function url(protocols?: readonly string[]): Parse<string> {
  return (value) => {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new ValueProblem('expected an absolute URL');
    }
    if (protocols && !protocols.includes(parsed.protocol.replace(/:$/, ''))) throw new ValueProblem(`expected a ${protocols.join(' or ')} URL`);
    return value;
  };
}

/** Text matching `pattern`; `expected` says what that is. */
export function matching(pattern: RegExp, expected: string): Parse<string> {
  return (value) => {
    if (!pattern.test(value)) throw new ValueProblem(expected);
    return value;
  };
}

/** Text that `accept` accepts; `expected` says what that is. */
export function accepted(accept: (value: string) => boolean, expected: string): Parse<string> {
  return (value) => {
    if (!accept(value)) throw new ValueProblem(expected);
    return value;
  };
}

import { vi } from 'vitest';

/**
 * Captures the JSON log lines written to stdout and stderr (the Powertools logger and the
 * "cannot start" line) from now on, without printing them. Call `restore()` when done.
 *
 * @example
 * ```ts
 * const logs = captureLogLines();
 * // … invoke …
 * expect(logs.matching('upload event handled')).toHaveLength(1);
 * ```
 */
export function captureLogLines(): { all(): Array<Record<string, unknown>>; matching(message: string): Array<Record<string, unknown>>; restore(): void } {
  const lines: string[] = [];
  const capture = (chunk: unknown) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  const all = () =>
    lines.flatMap((line) => {
      try {
        const parsed: unknown = JSON.parse(line);
        return typeof parsed === 'object' && parsed !== null ? [parsed as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
  return {
    all,
    matching: (message) => all().filter((line) => line.message === message),
    restore: () => {
      out.mockRestore();
      err.mockRestore();
    },
  };
}

/**
 * An Azure `InvocationContext` log handler that writes each line to stdout, as the Functions host
 * forwards them to its log stream, so {@link captureLogLines} sees what functions log through
 * their context.
 *
 * @example
 * ```ts
 * new InvocationContext({ invocationId: 'inv-1', logHandler: hostLogHandler });
 * ```
 */
export function hostLogHandler(_level: string, ...args: unknown[]): void {
  process.stdout.write(`${args.map(String).join(' ')}\n`);
}

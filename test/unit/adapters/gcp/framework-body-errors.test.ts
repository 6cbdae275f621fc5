import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { passBodyParseErrorsToFunction } from '../../../../adapters/gcp/framework-body-errors.js';

/** The body-parser instance the Functions Framework's server uses. */
function frameworkBodyParser(): Record<string, unknown> {
  const framework = createRequire(import.meta.url).resolve('@google-cloud/functions-framework');
  return createRequire(framework)('body-parser') as Record<string, unknown>;
}

describe('passBodyParseErrorsToFunction', () => {
  it("wraps the framework's four body parsers", () => {
    expect(passBodyParseErrorsToFunction()).toBe(true);
    const parsers = frameworkBodyParser();
    for (const name of ['json', 'text', 'urlencoded', 'raw']) {
      expect(Object.getOwnPropertySymbols(parsers[name])).toContain(Symbol.for('kelpie.gcp.bodyParsersWrapped'));
    }
  });

  it('wraps them once however often it is called', () => {
    passBodyParseErrorsToFunction();
    const first = frameworkBodyParser().json;
    passBodyParseErrorsToFunction();
    expect(frameworkBodyParser().json).toBe(first);
  });
});

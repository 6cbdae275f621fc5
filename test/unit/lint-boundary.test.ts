import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  return result.messages.filter((m) => m.ruleId === 'boundaries/core-imports').map((m) => m.message);
}

describe('the lint rule that keeps core/ platform-neutral', () => {
  it.each([
    ["import { readFile } from 'node:fs';", /no Node built-ins/],
    ["import { S3Client } from '@aws-sdk/client-s3';", /belongs in adapters/],
    ["import middy from '@middy/core';", /belongs in adapters/],
    ["import { FsBlobStore } from '../../adapters/local/fs-blob-store.js';", /outside core/],
    ["export * from '../../functions/http-api.aws.js';", /outside core/],
    ["const fs = await import('node:fs');", /no Node built-ins/],
  ])('refuses %s in core/', async (code, message) => {
    const found = await problems('core/analysis/probe.ts', code);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  it('allows core-relative imports and the pure libraries', async () => {
    const code = "import { z } from 'zod';\nimport proj4 from 'proj4';\nimport { GeoTIFF } from 'geotiff';\nimport { BAND_TABLE } from './bands.js';\nexport { z, proj4, GeoTIFF, BAND_TABLE };";
    expect(await problems('core/analysis/probe.ts', code)).toEqual([]);
  });

  it('does not apply outside core/', async () => {
    expect(await problems('adapters/local/probe.ts', "import { readFile } from 'node:fs';\nexport { readFile };")).toEqual([]);
  });
});

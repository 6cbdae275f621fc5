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
    ["import { FsBlobStore } from '../../adapters/fs/fs-blob-store.js';", /outside core/],
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

describe('the lint rule that keeps each platform to itself', () => {
  async function platformProblems(file: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
    return result.messages.filter((m) => m.ruleId === 'boundaries/platform-imports').map((m) => m.message);
  }

  it.each([
    ['adapters/aws/probe.ts', "import { GcsBlobStore } from '../gcp/gcs-blob-store.js';", /aws code must not import gcp code/],
    ['adapters/aws/probe.ts', "import { ContainerClient } from '@azure/storage-blob';", /aws code must not import azure code/],
    ['adapters/gcp/probe.ts', "import { S3Client } from '@aws-sdk/client-s3';", /gcp code must not import aws code/],
    ['adapters/azure/probe.ts', "import middy from '@middy/core';", /azure code must not import aws code/],
    ['adapters/shared/probe.ts', "import { awsPlatform } from '../aws/platform.js';", /shared adapters serve every platform/],
    ['adapters/fs/probe.ts', "import { Storage } from '@google-cloud/storage';", /shared adapters serve every platform/],
    ['functions/http-api.gcp.ts', "import { azurePlatform } from '../adapters/azure/platform.js';", /gcp code must not import azure code/],
    ['functions/aws/probe.ts', "export { handler } from '../upload-analyze.gcp.js';", /aws code must not import gcp code/],
    ['adapters/aws/probe.ts', "import { localPlatform } from '../local/platform.js';", /must not import the CLI/],
    ['adapters/local/probe.ts', "import { awsPlatform } from '../aws/platform.js';", /local code must not import aws code/],
  ])('refuses, in %s, %s', async (file, code, message) => {
    const found = await platformProblems(file, code);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  it.each([
    ['adapters/aws/probe.ts', "import { startDeadline } from '../shared/deadline.js';\nimport { S3Client } from '@aws-sdk/client-s3';\nexport { startDeadline, S3Client };"],
    ['functions/backup.azure.ts', "import { azurePlatform } from '../adapters/azure/platform.js';\nimport { app } from '@azure/functions';\nexport { azurePlatform, app };"],
    ['adapters/local/probe.ts', "export const load = () => import('../gcp/platform.js');"],
  ])('allows, in %s, its own platform, the shared adapters, and the CLI loading a cloud on demand', async (file, code) => {
    expect(await platformProblems(file, code)).toEqual([]);
  });
});

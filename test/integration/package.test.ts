import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, SERVERLESS_BIN, serverlessTestEnv } from '../helpers/serverless.js';

const run = promisify(execFile);

interface Template {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}

/** `sls package --stage dev`, as a deployment would build it, without touching AWS. */
describe('sls package', () => {
  let out: string;
  let template: Template;

  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'kelpie-package-'));
    await run(process.execPath, [SERVERLESS_BIN, 'package', '--stage', 'dev', '--package', out], { cwd: REPO_ROOT, env: serverlessTestEnv('package'), timeout: 180_000 });
    template = JSON.parse(await readFile(path.join(out, 'cloudformation-template-update-stack.json'), 'utf8'));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
    await rm(path.join(REPO_ROOT, `.esbuild/test-package-${process.pid}`), { recursive: true, force: true });
  });

  it('points the function at a handler Lambda can load: no dot before the export name', () => {
    const handler = String(template.Resources.ApiLambdaFunction.Properties.Handler);
    expect(handler).toBe('functions/aws/http-api.handler');
    // Lambda's Node.js runtime takes everything up to the FIRST dot as the module path.
    expect(handler.indexOf('.')).toBe(handler.lastIndexOf('.'));
  });

  it('runs Node.js 22 with 1 GiB and a 29 s timeout', () => {
    expect(template.Resources.ApiLambdaFunction.Properties).toMatchObject({ Runtime: 'nodejs22.x', MemorySize: 1024, Timeout: 29 });
  });

  it('grants S3 object access and listing on the imagery and backup buckets only', () => {
    const role = template.Resources.IamRoleLambdaExecution.Properties as { Policies: Array<{ PolicyDocument: { Statement: Array<{ Action: string[]; Resource: unknown[] }> } }> };
    const s3 = role.Policies[0].PolicyDocument.Statement.filter((statement) => statement.Action.some((action) => action.startsWith('s3:')));
    expect(s3).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        Resource: ['arn:aws:s3:::kelpie-carbon-dev-imagery/*', 'arn:aws:s3:::kelpie-carbon-dev-backups/*'],
      },
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: ['arn:aws:s3:::kelpie-carbon-dev-imagery', 'arn:aws:s3:::kelpie-carbon-dev-backups'] },
    ]);
  });

  it('configures a deployed stage as production on S3', () => {
    const variables = (template.Resources.ApiLambdaFunction.Properties.Environment as { Variables: Record<string, string> }).Variables;
    expect(variables).toMatchObject({ KELPIE_ENV: 'production', KELPIE_STORE: 's3', KELPIE_BUCKET: 'kelpie-carbon-dev-imagery' });
  });

  it('routes every HTTP API request to the function', () => {
    expect(template.Resources.HttpApiRouteDefault.Properties).toMatchObject({ RouteKey: '$default' });
  });
});

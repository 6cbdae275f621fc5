import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Metafile, bytesOnDisk, closureOf, filesReferencingMaps, foreignInputs, inputsOf } from '../helpers/bundles.js';
import { REPO_ROOT, SERVERLESS_BIN, serverlessTestEnv } from '../helpers/serverless.js';

const run = promisify(execFile);

interface Template {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, unknown> }>;
}

/** True when this machine can run a command without any network (`unshare -n`, as root or with user namespaces). */
function canUnshareNetwork(): boolean {
  try {
    execFileSync('unshare', ['-n', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `sls package --stage dev`, as a deployment would build it, without touching AWS. */
describe('sls package', () => {
  let out: string;
  let template: Template;

  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'kelpie-package-'));
    // Without a network where the machine allows it: packaging must never need AWS.
    const command = [process.execPath, SERVERLESS_BIN, 'package', '--stage', 'dev', '--package', out];
    const [file, ...args] = canUnshareNetwork() ? ['unshare', '-n', '--', ...command] : command;
    // The esbuild work folder is kept: the bundle checks below read its bundles and metafiles.
    await run(file, args, { cwd: REPO_ROOT, env: { ...serverlessTestEnv('package'), KELPIE_KEEP_ESBUILD_OUTPUT: 'true' }, timeout: 180_000 });
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
    const role = template.Resources.IamRoleLambdaExecution.Properties as { Policies: Array<{ PolicyDocument: { Statement: Array<{ Action: string | string[]; Resource: unknown[] }> } }> };
    // A single action is a string (the destinations' sqs:SendMessage), several an array.
    const s3 = role.Policies[0].PolicyDocument.Statement.filter((statement) => [statement.Action].flat().some((action) => action.startsWith('s3:')));
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

  const resource = (name: string) => template.Resources[name];
  const functionNames = () => Object.keys(template.Resources).filter((name) => template.Resources[name].Type === 'AWS::Lambda::Function' && !name.startsWith('CustomDash'));

  it('points every function at a dot-free handler', () => {
    expect(functionNames().map((name) => resource(name).Properties.Handler).sort()).toEqual([
      'functions/aws/analyze-job.handler',
      'functions/aws/backup.handler',
      'functions/aws/health-ping.handler',
      'functions/aws/http-api.handler',
      'functions/aws/monitor-sites.handler',
      'functions/aws/upload-analyze.handler',
      'functions/aws/upload-analyze.handler',
    ]);
  });

  it('sends uploads/*.tif, *.tiff, *.zip (a .SAFE) and */manifest.json (a folder of band files) ObjectCreated notifications of the stack’s imagery bucket to analyzeUpload, after the bucket exists', () => {
    const custom = resource('AnalyzeUploadCustomS31');
    expect(custom.Properties).toMatchObject({
      FunctionName: 'kelpie-carbon-dev-analyzeUpload',
      BucketName: 'kelpie-carbon-dev-imagery',
      BucketConfigs: [
        { Event: 's3:ObjectCreated:*', Rules: [{ Prefix: 'uploads/' }, { Suffix: '.tif' }] },
        { Event: 's3:ObjectCreated:*', Rules: [{ Prefix: 'uploads/' }, { Suffix: '.tiff' }] },
        { Event: 's3:ObjectCreated:*', Rules: [{ Prefix: 'uploads/' }, { Suffix: '.zip' }] },
        { Event: 's3:ObjectCreated:*', Rules: [{ Prefix: 'uploads/' }, { Suffix: '/manifest.json' }] },
      ],
    });
    expect(custom.Metadata).toEqual({ ImageryBucket: { 'Fn::If': ['CreateImageryBucket', { Ref: 'ImageryBucket' }, ''] } });
    // The s3 event must not make serverless create a second bucket of the same name.
    expect(Object.values(template.Resources).filter((r) => r.Type === 'AWS::S3::Bucket' && r.Properties.BucketName === 'kelpie-carbon-dev-imagery')).toHaveLength(1);
  });

  it('sends events that ran out of retries to the dead-letter queue', () => {
    expect(resource('AnalyzeUploadLambdaEvConf').Properties.DestinationConfig).toEqual({ OnFailure: { Destination: { 'Fn::GetAtt': ['UploadDeadLetterQueue', 'Arn'] } } });
  });

  it('feeds analyzeUploadQueue from the upload queue with partial batch responses and a dead-letter queue after 5 receives', () => {
    const mapping = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::EventSourceMapping');
    expect(mapping?.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['UploadQueue', 'Arn'] },
      FunctionName: { 'Fn::GetAtt': ['AnalyzeUploadQueueLambdaFunction', 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const queue = resource('UploadQueue').Properties;
    expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': ['UploadDeadLetterQueue', 'Arn'] }, maxReceiveCount: 5 });
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * Number(resource('AnalyzeUploadQueueLambdaFunction').Properties.Timeout));
  });

  it('lets only the imagery bucket of this account send to the upload queue', () => {
    const [statement] = (resource('UploadQueuePolicy').Properties.PolicyDocument as { Statement: unknown[] }).Statement;
    expect(statement).toMatchObject({
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:s3:::kelpie-carbon-dev-imagery' }, StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
  });

  it('schedules the backup daily at 03:00 UTC, monitorSites daily at 04:00 UTC and the health ping every 5 minutes, never retrying a ping', () => {
    const schedules = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Events::Rule').map((r) => [r.Properties.ScheduleExpression, (r.Properties.Targets as Array<{ Arn: unknown }>)[0].Arn]);
    expect(schedules).toEqual(
      expect.arrayContaining([
        ['cron(0 3 * * ? *)', { 'Fn::GetAtt': ['BackupLambdaFunction', 'Arn'] }],
        ['cron(0 4 * * ? *)', { 'Fn::GetAtt': ['MonitorSitesLambdaFunction', 'Arn'] }],
        ['rate(5 minutes)', { 'Fn::GetAtt': ['HealthPingLambdaFunction', 'Arn'] }],
      ]),
    );
    expect(resource('HealthPingLambdaEvConf').Properties.MaximumRetryAttempts).toBe(0);
  });

  it('gives SQS rights on the upload and job queues only: send jobs, receive uploads and jobs, dead-letter uploads', () => {
    const role = resource('IamRoleLambdaExecution').Properties as { Policies: Array<{ PolicyDocument: { Statement: Array<{ Action: string | string[]; Resource: unknown }> } }> };
    const sqs = role.Policies[0].PolicyDocument.Statement.filter((statement) => [statement.Action].flat().some((action) => action.startsWith('sqs:')));
    expect(sqs).toEqual([
      { Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:ChangeMessageVisibility'], Resource: [{ 'Fn::GetAtt': ['JobQueue', 'Arn'] }] },
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': ['UploadDeadLetterQueue', 'Arn'] } },
      { Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], Resource: [{ 'Fn::GetAtt': ['UploadQueue', 'Arn'] }, { 'Fn::GetAtt': ['JobQueue', 'Arn'] }] },
    ]);
  });

  it('feeds analyzeJob from the job queue: one message at a time, partial batch responses, a visibility timeout over the function timeout, a dead-letter queue', () => {
    const mapping = Object.values(template.Resources).find(
      (r) => r.Type === 'AWS::Lambda::EventSourceMapping' && JSON.stringify(r.Properties.FunctionName).includes('AnalyzeJob'),
    ) as { Properties: Record<string, unknown> };
    expect(mapping.Properties).toMatchObject({ BatchSize: 1, FunctionResponseTypes: ['ReportBatchItemFailures'], EventSourceArn: { 'Fn::GetAtt': ['JobQueue', 'Arn'] } });
    const timeout = resource('AnalyzeJobLambdaFunction').Properties.Timeout as number;
    const queue = resource('JobQueue').Properties as { VisibilityTimeout: number; RedrivePolicy: { maxReceiveCount: number; deadLetterTargetArn: unknown } };
    expect(queue.VisibilityTimeout).toBeGreaterThan(timeout);
    expect(queue.RedrivePolicy.deadLetterTargetArn).toEqual({ 'Fn::GetAtt': ['JobDeadLetterQueue', 'Arn'] });
    const variables = (resource('AnalyzeJobLambdaFunction').Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables).toMatchObject({ KELPIE_JOB_QUEUE: 'sqs', KELPIE_JOB_QUEUE_URL: { Ref: 'JobQueue' }, KELPIE_JOB_TIMEOUT_S: String(timeout) });
    expect(Number(variables.KELPIE_JOB_MAX_ATTEMPTS)).toBe(queue.RedrivePolicy.maxReceiveCount);
  });

  it('gives the API keys to the API function only, and points the health ping at the stage’s own /health', () => {
    const variables = (name: string) => (resource(name).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(functionNames().filter((name) => 'KELPIE_API_KEYS' in variables(name))).toEqual(['ApiLambdaFunction']);
    expect(variables('HealthPingLambdaFunction').KELPIE_HEALTH_URL).toEqual({ 'Fn::GetAtt': ['HttpApi', 'ApiEndpoint'] });
  });

  it('creates a private, encrypted backup bucket that outlives the stack', () => {
    expect(resource('BackupBucket')).toMatchObject({
      Condition: 'CreateBackupBucket',
      DeletionPolicy: 'Retain',
      Properties: { BucketName: 'kelpie-carbon-dev-backups', PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true } },
    });
  });

  describe('each Lambda bundle (read from esbuild’s metafile)', () => {
    const FUNCTIONS = ['http-api', 'upload-analyze', 'analyze-job', 'backup', 'health-ping', 'monitor-sites'];
    const buildDir = () => path.join(REPO_ROOT, `.esbuild/test-package-${process.pid}/.build/functions/aws`);
    const bundle = (name: string) => {
      const metafile = JSON.parse(readFileSync(path.join(buildDir(), `${name}-meta.json`), 'utf8')) as Metafile;
      const entry = Object.keys(metafile.outputs).find((output) => output.endsWith(`/functions/aws/${name}.cjs`)) as string;
      const outputs = closureOf(metafile, entry);
      return { metafile, outputs, inputs: inputsOf(metafile, outputs) };
    };

    it.each(FUNCTIONS)('%s carries no Azure or Google code', (name) => {
      const { inputs } = bundle(name);
      expect(inputs.some((input) => input.includes('node_modules/@aws-lambda-powertools/'))).toBe(true);
      expect(foreignInputs(inputs, 'aws')).toEqual([]);
    });

    it.each(FUNCTIONS)('%s carries the web page only if it is the HTTP function, and the sample generator never', (name) => {
      const { inputs } = bundle(name);
      expect(inputs.some((input) => input.startsWith('adapters/web/'))).toBe(name === 'http-api');
      expect(inputs.filter((input) => input.startsWith('core/sample/') || input.includes('sample-writer'))).toEqual([]);
    });

    it('keeps the HTTP function’s bundle, its chunks included, at or under 1.5 MB minified', () => {
      const { outputs } = bundle('http-api');
      expect(bytesOnDisk(REPO_ROOT, outputs)).toBeLessThanOrEqual(1_500_000);
    });

    it.each(FUNCTIONS)('%s has its source maps beside it, named by no bundle file, so a cold start never reads them', (name) => {
      const { outputs } = bundle(name);
      expect(filesReferencingMaps(REPO_ROOT, outputs)).toEqual([]);
      for (const output of outputs) expect(existsSync(path.join(REPO_ROOT, `${output}.map`))).toBe(true);
    });
  });
});

// The reference cold start on AWS Lambda: a handler that creates the SDK clients the Kelpie
// functions create, configured as they are (adapters/aws/s3-client.ts, sqs-job-queue.ts: S3 for
// the store, SQS for the job queue), and answers every event at once.
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';

const s3 = new S3Client({
  requestHandler: { connectionTimeout: 3_000, socketTimeout: 20_000 },
  maxAttempts: 3,
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
  forcePathStyle: process.env.KELPIE_S3_FORCE_PATH_STYLE === 'true',
});
const sqs = new SQSClient({ requestHandler: { connectionTimeout: 3_000, socketTimeout: 10_000 }, maxAttempts: 3 });

export const handler = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'ok', clients: [s3, sqs].length }) });

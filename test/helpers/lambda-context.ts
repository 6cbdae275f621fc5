import type { Context } from 'aws-lambda';

/**
 * A Lambda context as the runtime passes it, for calling handlers in tests. The remaining time
 * counts down from `remainingMs` (default: the function's 29 s timeout) in real time.
 */
export function fakeLambdaContext(options: { remainingMs?: number; requestId?: string } = {}): Context {
  const deadline = Date.now() + (options.remainingMs ?? 29_000);
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'kelpie-carbon-test-api',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:kelpie-carbon-test-api',
    memoryLimitInMB: '1024',
    awsRequestId: options.requestId ?? 'c0ffee00-0000-4000-8000-000000000001',
    logGroupName: '/aws/lambda/kelpie-carbon-test-api',
    logStreamName: '2024/08/01/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

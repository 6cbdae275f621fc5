import type { SQSEvent, SQSRecord } from 'aws-lambda';

/** The region moto's S3 client uses (see `motoClient`): queues must live there for notifications to arrive. */
export const MOTO_REGION = 'us-east-1';

/** A queue on moto. */
export interface MotoQueue {
  url: string;
  arn: string;
}

/** A message as SQS ReceiveMessage returns it. */
export interface ReceivedMessage {
  MessageId: string;
  ReceiptHandle: string;
  MD5OfBody: string;
  Body: string;
  Attributes?: Record<string, string>;
}

/** The few SQS calls the tests need, on a moto server. */
export interface MotoSqs {
  createQueue(name: string): Promise<MotoQueue>;
  /** Receives until `count` messages arrived or `timeoutMs` passed; messages stay in the queue (hidden for `visibilityS`). */
  receive(queue: MotoQueue, count: number, options?: { timeoutMs?: number; visibilityS?: number }): Promise<ReceivedMessage[]>;
  /** Makes a received message visible again after `seconds` (0: at once). */
  changeVisibility(queue: MotoQueue, message: ReceivedMessage, seconds: number): Promise<void>;
  /** Deletes received messages (what Lambda does after a batch succeeds). */
  deleteMessages(queue: MotoQueue, messages: ReceivedMessage[]): Promise<void>;
}

/**
 * SQS on moto over its JSON protocol, with plain `fetch`: the project has no SQS SDK (Lambda's
 * event source mapping does the receiving and deleting in production). moto routes a request by
 * the service in the SigV4 credential scope and does not check the signature, so a fixed header
 * naming `sqs` is enough.
 *
 * @example
 * ```ts
 * const sqs = motoSqs(moto.endpoint);
 * const queue = await sqs.createQueue('uploads');
 * const messages = await sqs.receive(queue, 1);
 * ```
 */
export function motoSqs(endpoint: string): MotoSqs {
  const call = async <T>(action: string, body: Record<string, unknown>): Promise<T> => {
    const response = await fetch(`${endpoint}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `AmazonSQS.${action}`,
        authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${MOTO_REGION}/sqs/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`SQS ${action} answered ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  };
  return {
    async createQueue(name) {
      const { QueueUrl } = await call<{ QueueUrl: string }>('CreateQueue', { QueueName: name });
      const { Attributes } = await call<{ Attributes: { QueueArn: string } }>('GetQueueAttributes', { QueueUrl, AttributeNames: ['QueueArn'] });
      return { url: QueueUrl, arn: Attributes.QueueArn };
    },
    async receive(queue, count, options = {}) {
      const deadline = Date.now() + (options.timeoutMs ?? 10_000);
      const messages: ReceivedMessage[] = [];
      while (messages.length < count && Date.now() < deadline) {
        const { Messages = [] } = await call<{ Messages?: ReceivedMessage[] }>('ReceiveMessage', {
          QueueUrl: queue.url,
          MaxNumberOfMessages: Math.min(10, count - messages.length),
          MessageSystemAttributeNames: ['All'],
          WaitTimeSeconds: 1,
          VisibilityTimeout: options.visibilityS ?? 300,
        });
        messages.push(...Messages);
      }
      return messages;
    },
    async changeVisibility(queue, message, seconds) {
      await call('ChangeMessageVisibility', { QueueUrl: queue.url, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: seconds });
    },
    async deleteMessages(queue, messages) {
      for (const message of messages) await call('DeleteMessage', { QueueUrl: queue.url, ReceiptHandle: message.ReceiptHandle });
    },
  };
}

/**
 * The Lambda event an SQS event source mapping would build from `messages` (the `aws:sqs` record
 * shape of the Lambda developer guide, "Using Lambda with Amazon SQS").
 *
 * @example
 * ```ts
 * await handler(toLambdaSqsEvent(messages, queue.arn), context, () => undefined);
 * ```
 */
export function toLambdaSqsEvent(messages: ReceivedMessage[], queueArn: string): SQSEvent {
  return { Records: messages.map((message) => toLambdaSqsRecord(message, queueArn)) };
}

function toLambdaSqsRecord(message: ReceivedMessage, queueArn: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId,
    receiptHandle: message.ReceiptHandle,
    body: message.Body,
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'AIDAIT2UOQQY3AUEKVGXU',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: MOTO_REGION,
  };
}

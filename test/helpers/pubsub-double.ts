import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { PUBSUB_MESSAGE_PUBLISHED } from '../../adapters/gcp/schedule-event.js';

/**
 * A test double of the Pub/Sub REST API's `topics.publish`, as `gcs-double.ts` is of Cloud
 * Storage: the Pub/Sub emulator needs Java and gcloud, which the build machines do not have. It
 * answers `POST /v1/projects/<p>/topics/<t>:publish` for topics made with `createTopic` and keeps
 * what was published; request and error shapes follow
 * https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.topics/publish (a missing topic
 * is 404 NOT_FOUND, a message without data or with data that is not base64 400 INVALID_ARGUMENT).
 * Anything else answers 501 and is recorded in `unhandled`. It cannot show how the real service
 * behaves (quotas, ordering keys, authentication): it only receives.
 */
export interface PubSubDouble {
  /** `host:port`, the form of `PUBSUB_EMULATOR_HOST`. */
  host: string;
  /** Makes a topic, `projects/<p>/topics/<t>`; publishing to any other answers 404. */
  createTopic(name: string): void;
  /** What was published to `topic`, oldest first. */
  published(topic: string): PublishedMessage[];
  /** The `Authorization` header of every publish request (undefined when none was sent). */
  authorizations: Array<string | undefined>;
  /** Answers the next publish requests with this error instead (one per entry). */
  failNext(status: number, message: string): void;
  /** `METHOD path` of every request the double did not recognise. */
  unhandled: string[];
  close(): Promise<void>;
}

/** A message as Pub/Sub stores and pushes it (`PubsubMessage`). */
export interface PublishedMessage {
  data: string;
  attributes?: Record<string, string>;
  messageId: string;
  publishTime: string;
}

const STATUS_NAMES: Record<number, string> = { 400: 'INVALID_ARGUMENT', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };

/** Starts the double on a free 127.0.0.1 port. */
export async function startPubSubDouble(): Promise<PubSubDouble> {
  const topics = new Map<string, PublishedMessage[]>();
  const failures: Array<{ status: number; message: string }> = [];
  const authorizations: Array<string | undefined> = [];
  const unhandled: string[] = [];
  let nextId = 4_000_000_000_000_000;

  const publish = (topic: string, body: Buffer): { status: number; body: object } => {
    const failure = failures.shift();
    if (failure) return error(failure.status, failure.message);
    const messages = topics.get(topic);
    if (!messages) return error(404, `Resource not found (resource=${topic.split('/').pop()}).`);
    let request: { messages?: Array<{ data?: unknown; attributes?: Record<string, string> }> };
    try {
      request = JSON.parse(body.toString('utf8'));
    } catch {
      return error(400, 'Invalid JSON payload received.');
    }
    if (!Array.isArray(request.messages) || request.messages.length === 0) return error(400, 'The request must contain at least one message.');
    const stored: PublishedMessage[] = [];
    for (const message of request.messages) {
      if (typeof message.data !== 'string' || !message.data || !/^[A-Za-z0-9+/]*={0,2}$/.test(message.data)) return error(400, 'A message must have non-empty base64 data.');
      stored.push({ data: message.data, ...(message.attributes ? { attributes: message.attributes } : {}), messageId: String(nextId++), publishTime: new Date().toISOString() });
    }
    messages.push(...stored);
    return { status: 200, body: { messageIds: stored.map((message) => message.messageId) } };
  };

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = new URL(req.url ?? '/', 'http://double').pathname;
    const match = /^\/v1\/projects\/([^/]+)\/topics\/([^/:]+):publish$/.exec(path);
    let reply: { status: number; body: object };
    if (req.method === 'POST' && match) {
      authorizations.push(req.headers.authorization);
      reply = publish(`projects/${decodeURIComponent(match[1])}/topics/${decodeURIComponent(match[2])}`, Buffer.concat(chunks));
    } else {
      unhandled.push(`${req.method} ${path}`);
      reply = error(501, `The test double does not implement ${req.method} ${path}`);
    }
    const body = Buffer.from(JSON.stringify(reply.body));
    res.writeHead(reply.status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': String(body.length) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    host: `127.0.0.1:${port}`,
    createTopic: (name) => void topics.set(name, []),
    published: (topic) => [...(topics.get(topic) ?? [])],
    authorizations,
    failNext: (status, message) => void failures.push({ status, message }),
    unhandled,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The HTTP request Eventarc makes to a function for a published message, in binary content mode:
 * `ce-*` headers and `MessagePublishedData` as the JSON body (`message` with its id and publish
 * time in both cases, `subscription`, and `deliveryAttempt` only when given, as Pub/Sub sets it
 * only for a subscription with a dead-letter policy). Shapes as in events/gcp (see events/README.md).
 *
 * @example
 * ```ts
 * const { headers, body } = messagePublishedRequest('projects/p/topics/jobs', double.published('projects/p/topics/jobs')[0], { deliveryAttempt: 1 });
 * await fetch(functionUrl, { method: 'POST', headers, body });
 * ```
 */
export function messagePublishedRequest(topic: string, message: PublishedMessage, options: { deliveryAttempt?: number; subscription?: string } = {}): { headers: Record<string, string>; body: string } {
  const project = topic.split('/')[1];
  const subscription = options.subscription ?? `projects/${project}/subscriptions/eventarc-europe-west1-kelpie-analyze-job-${randomUUID().slice(0, 6)}-sub-001`;
  const data = {
    message: { ...message, message_id: message.messageId, publish_time: message.publishTime },
    subscription,
    ...(options.deliveryAttempt !== undefined ? { deliveryAttempt: options.deliveryAttempt } : {}),
  };
  return {
    headers: {
      'content-type': 'application/json',
      'ce-specversion': '1.0',
      'ce-id': message.messageId,
      'ce-source': `//pubsub.googleapis.com/${topic}`,
      'ce-type': PUBSUB_MESSAGE_PUBLISHED,
      'ce-time': message.publishTime,
    },
    body: JSON.stringify(data),
  };
}

/** An error body shaped like Google's: `{ error: { code, message, status } }`. */
function error(status: number, message: string): { status: number; body: object } {
  return { status, body: { error: { code: status, message, status: STATUS_NAMES[status] ?? 'UNKNOWN' } } };
}

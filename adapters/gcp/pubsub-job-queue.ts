import { GoogleAuth } from 'google-auth-library';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { DeadlineExceededError, DependencyUnavailableError, InvalidRequestError } from '../../core/errors.js';
import type { CallOptions } from '../../core/ports/blob-store.js';
import type { JobQueue } from '../../core/ports/job-queue.js';
import { eventData } from './event-data.js';
import { PUBSUB_MESSAGE_PUBLISHED } from './schedule-event.js';

/** The OAuth scope of the Pub/Sub API. */
const PUBSUB_SCOPE = 'https://www.googleapis.com/auth/pubsub';
const PUBSUB_API = 'https://pubsub.googleapis.com';

/** Options for {@link PubSubJobQueue}. */
export interface PubSubJobQueueOptions {
  /** `projects/<project>/topics/<topic>` (`KELPIE_JOB_TOPIC`). */
  topic: string;
  /** `host:port` of a Pub/Sub emulator (`PUBSUB_EMULATOR_HOST`): plain HTTP, no credentials. */
  emulatorHost?: string;
  /** Longest wait for the publish (token included), in ms. */
  timeoutMs?: number;
  /** Signs requests; default: Application Default Credentials with {@link PUBSUB_SCOPE}. */
  auth?: Pick<GoogleAuth, 'getRequestHeaders'>;
  fetch?: typeof globalThis.fetch;
}

const defaults = { timeoutMs: 10_000 };

/**
 * Jobs on a Pub/Sub topic, delivered to `functions/analyze-job.gcp.ts` by an Eventarc trigger.
 * Publishes through the REST API (`POST /v1/{topic}:publish`, the body base64 in `data`) with
 * `fetch` and a token from google-auth-library: no gRPC client to bundle or warm up for one call
 * per request. With `emulatorHost` it posts to the emulator without credentials, as the client
 * libraries do for `PUBSUB_EMULATOR_HOST`. Errors carry the HTTP status and the API's message.
 *
 * @example
 * ```ts
 * const queue = new PubSubJobQueue({ topic: 'projects/my-project/topics/kelpie-jobs' });
 * await queue.send(serializeJob(job), { signal });
 * ```
 */
export class PubSubJobQueue implements JobQueue {
  readonly name: string;
  private readonly url: string;
  private readonly auth?: Pick<GoogleAuth, 'getRequestHeaders'>;
  private readonly fetch: typeof globalThis.fetch;
  private readonly timeoutMs: number;

  constructor(options: PubSubJobQueueOptions) {
    const [, project, topic] = /^projects\/([^/]+)\/topics\/([^/]+)$/.exec(options.topic) ?? [];
    if (!project || !topic) throw new InvalidRequestError(`invalid configuration: KELPIE_JOB_TOPIC: expected projects/<project>/topics/<topic>, got ${JSON.stringify(options.topic.slice(0, 80))}`);
    this.name = `pubsub:${topic}`;
    const origin = options.emulatorHost ? emulatorOrigin(options.emulatorHost) : PUBSUB_API;
    this.url = `${origin}/v1/projects/${encodeURIComponent(project)}/topics/${encodeURIComponent(topic)}:publish`;
    this.auth = options.emulatorHost ? undefined : (options.auth ?? new GoogleAuth({ scopes: [PUBSUB_SCOPE] }));
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? defaults.timeoutMs;
  }

  async send(body: string, options: CallOptions = {}): Promise<void> {
    const aborted = () => new DeadlineExceededError(`publishing the job message to ${this.name} was aborted`, { queue: this.name });
    if (options.signal?.aborted) throw aborted();
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let response: Response;
    try {
      const credentials = this.auth ? await untilAborted(this.auth.getRequestHeaders(this.url), signal) : {};
      const message = JSON.stringify({ messages: [{ data: Buffer.from(body, 'utf8').toString('base64') }] });
      response = await this.fetch(this.url, { method: 'POST', headers: { ...credentials, 'content-type': 'application/json' }, body: message, signal });
    } catch (error) {
      if (options.signal?.aborted) throw aborted();
      const reason = timeout.aborted ? `no answer within ${this.timeoutMs} ms` : (error as Error).message;
      throw new DependencyUnavailableError(`Pub/Sub could not take the job message: ${reason}`, { queue: this.name }, { cause: error });
    }
    if (!response.ok) {
      throw new DependencyUnavailableError(`Pub/Sub refused the job message: HTTP ${response.status} ${await apiMessage(response)}`, { queue: this.name, status: response.status });
    }
    await response.body?.cancel(); // the message id is not needed; free the connection
  }
}

/** A job message as the worker gets it from a Pub/Sub CloudEvent, or why the event is not one. */
export type JobDelivery = { body: string; attempt: number; messageId?: string } | { ignored: string; eventId?: string };

/**
 * The job message in a `google.cloud.pubsub.topic.v1.messagePublished` CloudEvent: the text of
 * `data.message.data` (base64) and the delivery count `data.deliveryAttempt`. Pub/Sub sets that
 * count only when the subscription has a dead-letter policy; without one it is 1 on every
 * delivery, so the worker never knows its last attempt. Another event type, or a message with no
 * data, is `{ ignored }` with the reason (retrying cannot fix it).
 *
 * @example
 * ```ts
 * fromJobCloudEvent(event); // { body: '{"v":1,"kind":"object",…}', attempt: 2, messageId: '10168204355476545' }
 * ```
 */
export function fromJobCloudEvent(event: CloudEvent<unknown>): JobDelivery {
  const eventId = event.id;
  if (event.type !== PUBSUB_MESSAGE_PUBLISHED) return { ignored: `not a Pub/Sub message (type ${JSON.stringify(event.type)}); jobs arrive as ${PUBSUB_MESSAGE_PUBLISHED}`, eventId };
  const data = eventData<{ message?: { data?: unknown; messageId?: unknown }; deliveryAttempt?: unknown }>(event.data);
  const encoded = data?.message?.data;
  if (typeof encoded !== 'string' || !encoded) return { ignored: 'the event has no data.message.data', eventId };
  const attempt = Number(data?.deliveryAttempt);
  const messageId = typeof data?.message?.messageId === 'string' ? data.message.messageId : eventId;
  return { body: Buffer.from(encoded, 'base64').toString('utf8'), attempt: Number.isSafeInteger(attempt) && attempt >= 1 ? attempt : 1, ...(messageId ? { messageId } : {}) };
}

/** `http://host:port` for `PUBSUB_EMULATOR_HOST` (`host:port`, as the emulator prints it; a URL is kept). */
function emulatorOrigin(host: string): string {
  const trimmed = host.trim().replace(/\/+$/, '');
  return /^https?:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
}

/** The promise, or a rejection as soon as `signal` fires (getting a token takes no signal). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** `STATUS: message` from Google's error body (`{ error: { code, message, status } }`), else the start of the text. */
async function apiMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const { error } = JSON.parse(text) as { error?: { message?: string; status?: string } };
    if (error?.message) return `${error.status ? `${error.status}: ` : ''}${error.message}`.slice(0, 300);
  } catch {
    // not JSON: a proxy's or load balancer's page
  }
  return text.trim().slice(0, 200) || response.statusText;
}

import { type ApiClient, ApiError } from './api.js';
import { type AnalysisDocument, type StatusDocument, classify } from './types.js';

/** How long to wait before asking again when the server does not say (its `Retry-After` is 2 s). */
export const DEFAULT_POLL_MS = 2000;
/** Never ask sooner than this, whatever a `Retry-After` says. */
const MIN_POLL_MS = 500;
/** The longest wait between two questions about a long analysis (or two retries). */
export const MAX_POLL_MS = 15_000;
/** Questions asked at the server's pace before the wait starts to grow. */
const STEADY_POLLS = 5;
/** How much the wait grows per question after that. */
const BACKOFF = 1.5;
/** Answers worth asking again for: no answer (network), too many requests, a gateway's or a busy server's. */
const RETRYABLE = new Set([0, 429, 502, 503, 504]);
/** Retryable failures in a row before the page gives up and shows the error (the address still brings the user back). */
export const MAX_FAILURES = 6;

/**
 * The wait before status question `polls + 1` (counted from 0) of a running analysis: the
 * server's `Retry-After` (2 s when it says nothing) for the first few, then growing by half
 * each time up to {@link MAX_POLL_MS}, so a long analysis is asked about less and less often.
 * A `Retry-After` longer than that maximum is honoured as it is.
 */
export function pollDelay(polls: number, retryAfterMs: number | undefined): number {
  const base = Math.max(MIN_POLL_MS, retryAfterMs ?? DEFAULT_POLL_MS);
  const grown = base * BACKOFF ** Math.max(0, polls - STEADY_POLLS + 1);
  return Math.max(base, Math.min(MAX_POLL_MS, grown));
}

/** The wait after retryable failure `failures` (1, 2, …): 1 s, 2 s, 4 s… up to {@link MAX_POLL_MS}, or the server's `Retry-After` when longer. */
export function retryDelay(failures: number, retryAfterMs: number | undefined): number {
  return Math.max(Math.min(MAX_POLL_MS, retryAfterMs ?? 0), Math.min(MAX_POLL_MS, 1000 * 2 ** Math.max(0, failures - 1)));
}

/** What the runner reports to the page. */
export interface JobEvents {
  /** Queued or running: the status document with its progress. */
  status(status: StatusDocument): void;
  /** Done: the result or the series summary. */
  done(document: Exclude<AnalysisDocument, { type: 'status' }>): void;
  /** The analysis failed (`job`), or the API refused to tell its state (`request`): in the API's words. */
  failed(error: ApiError, phase: 'job' | 'request'): void;
  /** A status question failed in a way worth retrying (network, 429, 502–504): asking again after `delayMs`. */
  retrying?(error: ApiError, delayMs: number): void;
}

/** Whether the page is shown: a hidden tab asks nothing until it is shown again. */
export interface PageVisibility {
  hidden(): boolean;
  /** Resolves once the page is visible; rejects with the signal's reason when it aborts. */
  visible(signal: AbortSignal): Promise<void>;
}

/** The document's visibility (`document.hidden`, `visibilitychange`). */
export const documentVisibility: PageVisibility = {
  hidden: () => document.hidden,
  visible: (signal) =>
    new Promise<void>((resolve, reject) => {
      const done = () => {
        document.removeEventListener('visibilitychange', changed);
        signal.removeEventListener('abort', aborted);
      };
      const changed = () => {
        if (document.hidden) return;
        done();
        resolve();
      };
      const aborted = () => {
        done();
        reject(signal.reason);
      };
      if (signal.aborted) return reject(signal.reason);
      if (!document.hidden) return resolve();
      document.addEventListener('visibilitychange', changed);
      signal.addEventListener('abort', aborted, { once: true });
    }),
};

/** A random Idempotency-Key (32 hex digits). */
export function idempotencyKey(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * The Idempotency-Key of the form's submissions. The API answers a key it has seen (for 24 h)
 * with the analysis that key started, so the same key is sent again for the same request body
 * until a POST of it is answered with an analysis: resending a submission whose answer was lost
 * (a timeout, a dropped connection, a gateway's 504 after the job was queued) gets the analysis
 * the first POST started instead of queuing a second one. A different body (the form changed)
 * gets a new key, as the API refuses a key reused with another body; and after a POST succeeded,
 * the next submission is a new one with a new key.
 */
export class SubmissionKeys {
  private pending?: { body: string; key: string };

  constructor(private readonly newKey: () => string = idempotencyKey) {}

  /** The key to send with `body`. */
  keyFor(body: unknown): string {
    const text = JSON.stringify(body);
    if (this.pending?.body !== text) this.pending = { body: text, key: this.newKey() };
    return this.pending.key;
  }

  /** The POST was answered with an analysis: the next submission gets a new key. */
  succeeded(): void {
    this.pending = undefined;
  }
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first; leaves no listener behind either way. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const aborted = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', aborted);
      resolve();
    }, ms);
    signal.addEventListener('abort', aborted, { once: true });
  });
}

/** An answer about an analysis: the document, and when the server asks to be asked again. */
export interface Answer {
  document: AnalysisDocument;
  retryAfterMs?: number;
}

/**
 * Starts analyses and follows them: a 201/200 answer is the result; a 202 is a status document,
 * polled at `GET /api/analyses/{id}` at the pace the server's `Retry-After` asks (then less often
 * as a long analysis goes on; never while the tab is hidden) until it is done or failed. Network
 * failures, 429 and 502–504 are retried with a growing wait, {@link MAX_FAILURES} times in a row
 * at most. One analysis is followed at a time: following another stops the previous one, and
 * nothing of a stopped one is reported any more. A submission (`submit`) has its own request: it
 * does not stop the analysis being followed, so a refused submission leaves that one running.
 */
export class JobRunner {
  private controller = new AbortController();
  /** The controller of the follow loop now running, if any. */
  private followed?: AbortController;
  private posting?: AbortController;

  constructor(
    private readonly api: ApiClient,
    private readonly events: JobEvents,
    private readonly visibility: PageVisibility = documentVisibility,
  ) {}

  /** True while an analysis is being followed (queued or running, its status being polled). */
  get following(): boolean {
    return this.followed !== undefined;
  }

  /** Stops following the current analysis (a submission under way goes on). */
  stop(): void {
    this.controller.abort(new DOMException('stopped', 'AbortError'));
    this.controller = new AbortController();
    this.followed = undefined;
  }

  /**
   * `POST /api/analyses` with Idempotency-Key `key`; resolves with the analysis id and the answer
   * (errors are thrown: the caller shows them by their field). Following the analysis is the
   * caller's next step, once this succeeded.
   */
  async submit(body: unknown, key = idempotencyKey()): Promise<{ id: string } & Answer> {
    this.posting?.abort(new DOMException('replaced', 'AbortError'));
    const posting = (this.posting = new AbortController());
    try {
      const reply = await this.api.json<unknown>('POST', 'api/analyses', { body, headers: { 'idempotency-key': key }, signal: posting.signal });
      const document = understood(reply.status, reply.body);
      const id = document.type === 'result' ? document.result.id : document.type === 'series' ? document.series.id : document.status.id;
      return { id, document, retryAfterMs: reply.retryAfterMs };
    } finally {
      if (this.posting === posting) this.posting = undefined;
    }
  }

  /** Follows analysis `id`, starting from `known` when the page already has its latest answer. */
  async follow(id: string, known?: Answer): Promise<void> {
    this.stop();
    const controller = (this.followed = this.controller);
    try {
      await this.poll(id, controller.signal, known);
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    } finally {
      if (this.followed === controller) this.followed = undefined;
    }
  }

  private async poll(id: string, signal: AbortSignal, known: Answer | undefined): Promise<void> {
    let answer = known;
    let polls = 0;
    let failures = 0;
    while (!signal.aborted) {
      if (!answer) {
        if (this.visibility.hidden()) await this.visibility.visible(signal);
        try {
          const reply = await this.api.json<unknown>('GET', `api/analyses/${encodeURIComponent(id)}`, { signal });
          answer = { document: understood(reply.status, reply.body), retryAfterMs: reply.retryAfterMs };
          failures = 0;
        } catch (error) {
          if (signal.aborted) return;
          const failure = asApiError(error);
          if (!RETRYABLE.has(failure.status) || ++failures >= MAX_FAILURES) return this.events.failed(failure, 'request');
          const delay = retryDelay(failures, failure.retryAfterMs);
          this.events.retrying?.(failure, delay);
          await sleep(delay, signal);
          continue;
        }
      }
      if (signal.aborted) return;
      const { document } = answer;
      if (document.type !== 'status') return this.events.done(document);
      const { status } = document;
      if (status.status === 'failed') {
        return this.events.failed(new ApiError(200, status.error?.code ?? 'FAILED', status.error?.message ?? 'the analysis failed'), 'job');
      }
      this.events.status(status);
      await sleep(pollDelay(polls++, answer.retryAfterMs), signal);
      answer = undefined;
    }
  }
}

/** The document in an answer, or an `ApiError` saying the server answered something else. */
function understood(status: number, body: unknown): AnalysisDocument {
  const document = classify(body);
  if (document) return document;
  const said = (body as { errorMessage?: unknown; message?: unknown } | null) ?? {};
  const detail = typeof said.errorMessage === 'string' ? said.errorMessage : typeof said.message === 'string' ? said.message : 'no analysis in it';
  throw new ApiError(status === 200 ? 502 : status, 'UNEXPECTED_ANSWER', `the server's answer was not an analysis (${detail.slice(0, 200)})`);
}

function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, 'ERROR', (error as Error)?.message ?? String(error));
}

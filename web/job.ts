import { type ApiClient, ApiError } from './api.js';
import { type AnalysisDocument, type StatusDocument, classify } from './types.js';

/** How often a running analysis is asked for its status. */
const POLL_MS = 1000;
/** Network failures in a row before polling gives up (the address still brings the user back). */
const MAX_POLL_FAILURES = 10;

/** What the runner reports to the page. */
export interface JobEvents {
  /** Queued or running: the status document with its progress. */
  status(status: StatusDocument): void;
  /** Done: the result or the series summary. */
  done(document: Exclude<AnalysisDocument, { type: 'status' }>): void;
  /** The analysis failed (`job`), or the API refused to tell its state (`request`): in the API's words. */
  failed(error: ApiError, phase: 'job' | 'request'): void;
}

/** A random Idempotency-Key: one per submission, so a second click cannot start a second job. */
export function idempotencyKey(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

/**
 * Starts analyses and follows them: a 201/200 answer is the result; a 202 is a status document,
 * polled about once a second at `GET /api/analyses/{id}` until it is done or failed. One
 * analysis is followed at a time: opening another stops following the previous one.
 */
export class JobRunner {
  private controller = new AbortController();

  constructor(
    private readonly api: ApiClient,
    private readonly events: JobEvents,
  ) {}

  /** Stops following the current analysis. */
  stop(): void {
    this.controller.abort(new DOMException('stopped', 'AbortError'));
    this.controller = new AbortController();
  }

  /** `POST /api/analyses`; resolves with the analysis id (errors are thrown: the caller shows them by their field). */
  async submit(body: unknown, key = idempotencyKey()): Promise<{ id: string; document: AnalysisDocument }> {
    this.stop();
    const reply = await this.api.json<unknown>('POST', 'api/analyses', { body, headers: { 'idempotency-key': key }, signal: this.controller.signal });
    const document = understood(reply.status, reply.body);
    const id = document.type === 'result' ? document.result.id : document.type === 'series' ? document.series.id : document.status.id;
    return { id, document };
  }

  /** Follows analysis `id`, starting from `known` when the page already has its latest document. */
  async follow(id: string, known?: AnalysisDocument): Promise<void> {
    this.stop();
    const { signal } = this.controller;
    let document = known;
    let failures = 0;
    while (!signal.aborted) {
      if (!document) {
        try {
          const reply = await this.api.json<unknown>('GET', `api/analyses/${encodeURIComponent(id)}`, { signal });
          document = understood(reply.status, reply.body);
          failures = 0;
        } catch (error) {
          if (signal.aborted) return;
          if (!(error instanceof ApiError) || error.status !== 0 || ++failures >= MAX_POLL_FAILURES) return this.events.failed(asApiError(error), 'request');
          await sleep(POLL_MS * failures, signal).catch(() => undefined);
          continue;
        }
      }
      if (document.type !== 'status') return this.events.done(document);
      const { status } = document;
      if (status.status === 'failed') {
        return this.events.failed(new ApiError(200, status.error?.code ?? 'FAILED', status.error?.message ?? 'the analysis failed'), 'job');
      }
      this.events.status(status);
      document = undefined;
      if (await sleep(POLL_MS, signal).then(() => false, () => true)) return;
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

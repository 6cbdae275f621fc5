import { KelpieError } from '../errors.js';
import type { BlobStore, CallOptions } from '../ports/blob-store.js';
import { NotFoundError } from '../errors.js';
import { readVersioned, writeVersioned } from '../storage/versioned.js';

/** How long an `Idempotency-Key` keeps answering with the same analysis. */
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The same `Idempotency-Key` was sent with a different body. */
export class IdempotencyKeyReusedError extends KelpieError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  readonly kind = 'invalid';
}

interface IdempotencyRecord {
  bodyHash: string;
  id: string;
  createdAt: string;
}

/** A claim that keeps losing races this many times gives up (another request keeps rewriting the record). */
const CLAIM_ATTEMPTS = 5;

type IdempotentRequest = { scope: string; key: string; body: string };

/**
 * `Idempotency-Key` records (IETF draft "The Idempotency-Key HTTP Header Field"): the first
 * request with a key claims it for its analysis, under `idempotency/<hash>.json`, with one
 * create-if-absent write (so of two requests racing with one key exactly one claims it); the
 * same key and body within 24 h get that analysis back instead of a new one; the same key with
 * another body is refused (422). Keys are scoped by the caller (its API key's hash), so two
 * clients cannot collide. A key older than 24 h is treated as new.
 *
 * @example
 * ```ts
 * const keys = new IdempotencyKeys(store);
 * const id = (await keys.find(request, now)) ?? (await keys.claim(request, plannedId, now));
 * ```
 */
export class IdempotencyKeys {
  constructor(private readonly store: BlobStore) {}

  /** The analysis id an earlier request with this key started, if it is fresh and had the same body. */
  async find(request: IdempotentRequest, now: number, options: CallOptions = {}): Promise<string | undefined> {
    const record = await this.read(await recordKey(request), options);
    if (!record || now - Date.parse(record.createdAt) > IDEMPOTENCY_TTL_MS) return undefined;
    checkBody(request, record, await sha256(request.body));
    return record.id;
  }

  /**
   * Claims the key for analysis `id`, or answers the analysis an earlier request with this key and
   * body claimed it for (the same key with another body throws `IdempotencyKeyReusedError`).
   */
  async claim(request: IdempotentRequest, id: string, now: number, options: CallOptions = {}): Promise<string> {
    const key = await recordKey(request);
    const bodyHash = await sha256(request.body);
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      const current = await readVersioned<IdempotencyRecord>(this.store, key, options);
      if (current && now - Date.parse(current.value.createdAt) <= IDEMPOTENCY_TTL_MS) {
        checkBody(request, current.value, bodyHash);
        return current.value.id;
      }
      const record: IdempotencyRecord = { bodyHash, id, createdAt: new Date(now).toISOString() };
      if ((await writeVersioned(this.store, key, record, current ? { etag: current.etag } : 'absent', options)) !== undefined) return id;
    }
    return id;
  }

  private async read(key: string, options: CallOptions): Promise<IdempotencyRecord | undefined> {
    try {
      return JSON.parse(new TextDecoder().decode(await this.store.get(key, options))) as IdempotencyRecord;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }
}

/** Refuses a key used earlier with another body. */
function checkBody(request: IdempotentRequest, record: IdempotencyRecord, bodyHash: string): void {
  if (record.bodyHash === bodyHash) return;
  throw new IdempotencyKeyReusedError(
    `Idempotency-Key "${request.key.slice(0, 64)}" was used within the last 24 hours for a different request (analysis ${record.id}); use a new key for a new request`,
    { analysisId: record.id },
  );
}

/** Whether a header value is a usable key: 1–255 visible ASCII characters. */
export function isIdempotencyKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

async function recordKey(request: { scope: string; key: string }): Promise<string> {
  return `idempotency/${await sha256(`${request.scope}\n${request.key}`)}.json`;
}

async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

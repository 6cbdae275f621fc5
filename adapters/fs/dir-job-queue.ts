import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DependencyUnavailableError } from '../../core/errors.js';
import type { CallOptions } from '../../core/ports/blob-store.js';
import type { JobQueue } from '../../core/ports/job-queue.js';

/** A message in the local queue: its body and how many deliveries it has had. */
interface Envelope {
  body: string;
  attempt: number;
}

/** A message claimed from the queue, owned by the caller until it acks, retries or releases it. */
export interface ClaimedMessage {
  body: string;
  /** This delivery's number (1 first). */
  attempt: number;
  ack(): Promise<void>;
  /** Delivered again after `delayMs` as a new attempt, or parked in `dead/` after the last. */
  retry(maxAttempts: number, delayMs?: number): Promise<'requeued' | 'dead'>;
  /** Handed back undone (another worker holds its job): delivered again after `delayMs`, the attempt not counted. */
  release(delayMs: number): Promise<void>;
}

/** The worker writes its heartbeat this often; `/ready` calls a worker silent for 3 × as long gone. */
export const WORKER_HEARTBEAT_MS = 5_000;

/**
 * The job queue of a laptop: one file per message under `<dir>/pending/`, claimed by renaming
 * it into `<dir>/running/` (atomic, so two workers never take the same file), given up into
 * `<dir>/dead/` after the last attempt — the same at-least-once contract SQS gives, with no
 * cloud. A file's name starts with the time it is due, so a message handed back with a delay
 * waits without holding up the others. `npm start`'s worker (`kelpie watch`) consumes it and
 * keeps `<dir>/worker.json` fresh, so the API can tell whether anyone consumes the queue.
 *
 * @example
 * ```ts
 * const queue = new DirJobQueue('.data/queue');
 * await queue.send(serializeJob(job));
 * const claimed = await queue.claim();
 * ```
 */
export class DirJobQueue implements JobQueue {
  readonly name: string;
  private sequence = 0;

  constructor(private readonly dir: string) {
    this.name = `local:${dir}`;
  }

  async send(body: string, _options: CallOptions = {}): Promise<void> {
    await this.enqueue({ body, attempt: 0 }, 0);
  }

  /** The oldest due pending message, now owned by the caller, or undefined when none is due. */
  async claim(now = Date.now()): Promise<ClaimedMessage | undefined> {
    const pending = path.join(this.dir, 'pending');
    const names = (await readdir(pending).catch(() => [] as string[])).filter((name) => name.endsWith('.json') && Number(name.split('-')[0]) <= now).sort();
    for (const name of names) {
      const claimed = path.join(this.dir, 'running', name);
      await mkdir(path.dirname(claimed), { recursive: true });
      try {
        await rename(path.join(pending, name), claimed);
      } catch {
        continue; // another worker took it
      }
      let envelope: Envelope;
      try {
        envelope = JSON.parse(await readFile(claimed, 'utf8')) as Envelope;
      } catch {
        // Not a message this queue wrote (a hand edit, a full disk): parked, not delivered for ever.
        await this.park(claimed, name);
        continue;
      }
      return this.delivery(claimed, name, envelope);
    }
    return undefined;
  }

  /** Whether any message waits, due or not. */
  async hasPending(): Promise<boolean> {
    const names = await readdir(path.join(this.dir, 'pending')).catch(() => [] as string[]);
    return names.some((name) => name.endsWith('.json'));
  }

  /**
   * Messages a worker held when it stopped go back to pending: the redelivery a queue would make.
   * One runner per data folder: a second one's recovery would hand back messages the first is running.
   */
  async recover(): Promise<number> {
    const running = path.join(this.dir, 'running');
    const names = await readdir(running).catch(() => [] as string[]);
    for (const name of names) {
      await mkdir(path.join(this.dir, 'pending'), { recursive: true });
      await rename(path.join(running, name), path.join(this.dir, 'pending', name)).catch(() => undefined);
    }
    return names.length;
  }

  /** Records that a worker consumes this queue now (`kelpie watch` calls it every {@link WORKER_HEARTBEAT_MS}). */
  async beat(now = Date.now()): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const temporary = path.join(this.dir, `.worker.${process.pid}.tmp`);
    await writeFile(temporary, JSON.stringify({ pid: process.pid, at: new Date(now).toISOString() }));
    await rename(temporary, path.join(this.dir, 'worker.json'));
  }

  /** Throws `DependencyUnavailableError` unless a worker has reported within 3 heartbeats: queued jobs would wait for ever. */
  async checkReady(_options?: CallOptions, now = Date.now()): Promise<void> {
    const report = await readFile(path.join(this.dir, 'worker.json'), 'utf8').then((text) => JSON.parse(text) as { at?: string }, () => undefined);
    const silentMs = report?.at ? now - Date.parse(report.at) : Number.POSITIVE_INFINITY;
    if (!(silentMs <= 3 * WORKER_HEARTBEAT_MS)) {
      const since = report?.at ? `it last reported at ${report.at}` : 'none has reported';
      throw new DependencyUnavailableError(`no job worker is running for the local queue (${since}); \`npm start\` runs one (kelpie watch)`);
    }
  }

  private delivery(claimed: string, name: string, envelope: Envelope): ClaimedMessage {
    const attempt = envelope.attempt + 1;
    return {
      body: envelope.body,
      attempt,
      ack: () => rm(claimed, { force: true }),
      retry: async (maxAttempts, delayMs = 0) => {
        if (attempt >= maxAttempts) {
          await this.park(claimed, name);
          return 'dead';
        }
        await this.enqueue({ body: envelope.body, attempt }, delayMs);
        await rm(claimed, { force: true });
        return 'requeued';
      },
      release: async (delayMs) => {
        await this.enqueue(envelope, delayMs);
        await rm(claimed, { force: true });
      },
    };
  }

  private async park(claimed: string, name: string): Promise<void> {
    await mkdir(path.join(this.dir, 'dead'), { recursive: true });
    await rename(claimed, path.join(this.dir, 'dead', name));
  }

  private async enqueue(envelope: Envelope, delayMs: number): Promise<void> {
    const pending = path.join(this.dir, 'pending');
    await mkdir(pending, { recursive: true });
    // The due time first, so the first due sorts first; pid and a counter keep names unique.
    const due = Date.now() + Math.max(0, Math.round(delayMs));
    const name = `${String(due).padStart(15, '0')}-${process.pid}-${this.sequence++}-${Math.random().toString(36).slice(2, 8)}.json`;
    const temporary = path.join(pending, `.${name}.tmp`);
    await writeFile(temporary, JSON.stringify(envelope));
    await rename(temporary, path.join(pending, name));
  }
}

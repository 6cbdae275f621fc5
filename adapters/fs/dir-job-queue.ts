import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CallOptions } from '../../core/ports/blob-store.js';
import type { JobQueue } from '../../core/ports/job-queue.js';

/** A message in the local queue: its body and how many deliveries it has had. */
interface Envelope {
  body: string;
  attempt: number;
}

/**
 * The job queue of a laptop: one file per message under `<dir>/pending/`, claimed by renaming
 * it into `<dir>/running/` (atomic, so two workers never take the same file), given up into
 * `<dir>/dead/` after the last attempt — the same at-least-once contract SQS gives, with no
 * cloud. `npm start`'s worker (`kelpie watch`) consumes it.
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
    await this.enqueue({ body, attempt: 0 });
  }

  /** The oldest pending message, now owned by the caller (`ack` or `retry` it), or undefined. */
  async claim(): Promise<{ body: string; attempt: number; ack(): Promise<void>; retry(maxAttempts: number): Promise<'requeued' | 'dead'> } | undefined> {
    const pending = path.join(this.dir, 'pending');
    const names = (await readdir(pending).catch(() => [] as string[])).filter((name) => name.endsWith('.json')).sort();
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
        await mkdir(path.join(this.dir, 'dead'), { recursive: true });
        await rename(claimed, path.join(this.dir, 'dead', name));
        continue;
      }
      const attempt = envelope.attempt + 1;
      return {
        body: envelope.body,
        attempt,
        ack: () => rm(claimed, { force: true }),
        retry: async (maxAttempts) => {
          if (attempt >= maxAttempts) {
            await mkdir(path.join(this.dir, 'dead'), { recursive: true });
            await rename(claimed, path.join(this.dir, 'dead', name));
            return 'dead';
          }
          await this.enqueue({ body: envelope.body, attempt });
          await rm(claimed, { force: true });
          return 'requeued';
        },
      };
    }
    return undefined;
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

  private async enqueue(envelope: Envelope): Promise<void> {
    const pending = path.join(this.dir, 'pending');
    await mkdir(pending, { recursive: true });
    // Time first so the oldest message sorts first; pid and a counter keep names unique.
    const name = `${String(Date.now()).padStart(15, '0')}-${process.pid}-${this.sequence++}-${Math.random().toString(36).slice(2, 8)}.json`;
    const temporary = path.join(pending, `.${name}.tmp`);
    await writeFile(temporary, JSON.stringify(envelope));
    await rename(temporary, path.join(pending, name));
  }
}

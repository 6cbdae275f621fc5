import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';

/** A port nothing listens on right now, on 127.0.0.1 (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A child process started in its own process group, with its output kept for error messages. */
export interface Child {
  process: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Stops the whole process group (SIGTERM, then SIGKILL after `graceMs`), and waits for the exit. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `command` detached in a new process group, so `stop` ends it and every process it started
 * (npx, shims, workers) without touching anything else. Rejects with `missingMessage` when the
 * binary does not exist.
 */
export async function startChild(command: string, args: string[], options: SpawnOptions & { missingMessage?: string } = {}): Promise<Child> {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' && options.missingMessage ? new Error(options.missingMessage) : error),
    );
  });
  const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // already gone
    }
  };
  return {
    process: child,
    output: () => output,
    async stop(graceMs = 5_000) {
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      // Anything in the group that outlived its parent goes too; wait until the group is empty.
      for (let waited = 0; groupAlive(child.pid as number) && waited < graceMs; waited += 50) {
        signalGroup('SIGKILL');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

/** True while any process of the group `pgid` exists. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Polls `url` until it answers with `accept(status)` true, the child exits, or `timeoutMs` passes;
 * the error carries the child's output so a failed start explains itself.
 */
export async function waitForHttp(url: string, child: Child, options: { timeoutMs?: number; accept?: (status: number) => boolean } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const accept = options.accept ?? (() => true);
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`process exited (${child.process.exitCode}) before ${url} answered:\n${child.output()}`);
    const status = await fetch(url, { signal: AbortSignal.timeout(1_000) }).then(
      (response) => response.status,
      () => undefined,
    );
    if (status !== undefined && accept(status)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${options.timeoutMs ?? 30_000} ms:\n${child.output()}`);
}

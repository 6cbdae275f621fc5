import { promisify } from 'node:util';
import { Inflate as ZlibInflate, constants, inflate, inflateSync } from 'node:zlib';
import type { Inflate } from '../../core/raster/tile-decode.js';

const inflateAsync = promisify(inflate);

/** Output chunk for a block: the whole block in one buffer (so no concatenation), and room to see the stream end. */
const chunkFor = (expectedBytes: number) => Math.max(64, expectedBytes + 64);

/**
 * Node's zlib on libuv's thread pool: what the main thread uses when it scans in-process, so
 * the blocks of one tile row inflate in parallel while the event loop stays free.
 */
export const inflateOnThreadPool: Inflate = (data, expectedBytes) => inflateAsync(data, { chunkSize: chunkFor(expectedBytes) });

/** The native zlib handle under a `zlib.Inflate` stream: Node's own sync path writes through it. */
interface ZlibHandle {
  writeSync(flush: number, input: Uint8Array, inOffset: number, inLength: number, output: Uint8Array, outOffset: number, outLength: number): void;
  reset(): void;
  close(): void;
  onerror: (message: string, errno: number) => void;
}

/**
 * Node's zlib on the calling thread, for a worker thread, where blocking is the point. When the
 * caller passes the block's previous buffer (`into`), the block is inflated straight into it
 * through the zlib handle Node's own `inflateSync` writes through: a full tile's gigabyte of
 * decoded blocks then reuses one tile row of buffers instead of leaving garbage for the
 * collector (and the allocator's arenas) to catch up with. Without `into`, or on a Node whose
 * zlib no longer has that handle, it is `zlib.inflateSync`.
 *
 * @example
 * ```ts
 * const inflate = createThreadInflate();
 * const samples = await decodeTile(bytes, layout, ty, inflate, previous);
 * ```
 */
export function createThreadInflate(): Inflate {
  let engine: { handle: ZlibHandle; state: Uint32Array; error?: string } | undefined;
  const open = () => {
    const stream = new ZlibInflate() as unknown as { _handle?: ZlibHandle; _writeState?: Uint32Array };
    const handle = stream._handle;
    const state = stream._writeState;
    if (!handle || typeof handle.writeSync !== 'function' || typeof handle.reset !== 'function' || !(state instanceof Uint32Array)) return undefined;
    const opened: { handle: ZlibHandle; state: Uint32Array; error?: string } = { handle, state };
    // Errors are reported to us, synchronously, instead of destroying (and crashing) the stream.
    handle.onerror = (message) => (opened.error = message);
    return opened;
  };
  return (data, expectedBytes, into) => {
    if (!into || into.byteLength < expectedBytes) return inflateSync(data, { chunkSize: chunkFor(expectedBytes) });
    engine ??= open();
    if (!engine) return inflateSync(data, { chunkSize: chunkFor(expectedBytes) });
    engine.handle.reset();
    engine.handle.writeSync(constants.Z_FINISH, data, 0, data.byteLength, into, 0, into.byteLength);
    if (engine.error) {
      const message = engine.error;
      engine.handle.close();
      engine = undefined;
      throw new Error(`zlib: ${message}`);
    }
    return into.subarray(0, into.byteLength - engine.state[0]);
  };
}

import openJpegModule, { type OpenJpegModule } from '@cornerstonejs/codec-openjpeg/decodewasmjs';
import { CorruptImageError } from '../../core/errors.js';
import type { DecodeRequest, DecodedSamples, Jpeg2000Decoder } from '../../core/ports/jpeg2000-decoder.js';

/**
 * Above this many pixels an image is decoded in a module instance of its own, dropped after:
 * WebAssembly memory only grows, so one large decode would otherwise keep its peak (about 8
 * bytes a pixel) for the life of the thread. Tiles (1024 × 1024) stay well under it.
 */
const SHARED_INSTANCE_MAX_PIXELS = 4 * 1024 * 1024;

/** Where the decoder's WebAssembly comes from: its bytes, or how to get them. */
export type WasmSource = Uint8Array | (() => Promise<Uint8Array>);

/**
 * A {@link Jpeg2000Decoder} on OpenJPEG compiled to WebAssembly (@cornerstonejs/codec-openjpeg,
 * its decode-only build). The module's printf output (OpenJPEG's `[INFO]`, `[WARNING]` and
 * `[ERROR]` lines) is captured instead of printed: an `[ERROR]` line, or a decoder that throws,
 * fails the decode with `CorruptImageError`, and the output is checked against what the header
 * declared (the C++ wrapper keeps its last buffer when a decode fails, so a failure must never
 * be read as samples). One decode at a time per instance: the module is single-threaded.
 *
 * @example
 * ```ts
 * const decoder = createOpenJpegDecoder(await readFile(wasmPath));
 * const samples = await decoder.decode(codestream, { name: 'B04.jp2 (tile 3)', width: 1024, height: 1024, bits: 15, signed: false });
 * ```
 */
export function createOpenJpegDecoder(wasm: WasmSource): Jpeg2000Decoder {
  let bytes: Promise<Uint8Array> | undefined;
  let shared: Promise<Instance> | undefined;
  const wasmBytes = () => (bytes ??= typeof wasm === 'function' ? wasm() : Promise.resolve(wasm));
  return {
    async decode(codestream, request, options) {
      options?.signal?.throwIfAborted();
      const large = request.width * request.height > SHARED_INSTANCE_MAX_PIXELS;
      const instance = large ? await startInstance(await wasmBytes()) : await (shared ??= wasmBytes().then(startInstance));
      try {
        return decodeWith(instance, codestream, request);
      } catch (error) {
        // A trap (out of bounds, out of memory) leaves the module's state undefined: start a new one next time.
        if (!large && !(error instanceof CorruptImageError)) shared = undefined;
        throw error;
      }
    },
  };
}

/** A module instance and the lines it printed during the current decode. */
interface Instance {
  module: OpenJpegModule;
  printed: string[];
}

async function startInstance(wasmBinary: Uint8Array): Promise<Instance> {
  const printed: string[] = [];
  const capture = (text: string) => {
    if (printed.length < 20) printed.push(text);
  };
  const module = await openJpegModule({ wasmBinary, print: capture, printErr: capture });
  return { module, printed };
}

const BYTES_PER_SAMPLE = (bits: number) => (bits <= 8 ? 1 : 2);

function decodeWith({ module, printed }: Instance, codestream: Uint8Array, request: DecodeRequest): DecodedSamples {
  printed.length = 0;
  const decoder = new module.J2KDecoder();
  try {
    decoder.getEncodedBuffer(codestream.byteLength).set(codestream);
    try {
      decoder.decode();
    } catch (error) {
      throw new CorruptImageError(`${request.name} could not be decoded: the JPEG 2000 data is damaged`, undefined, { cause: error });
    }
    const failure = printed.find((line) => line.includes('[ERROR]'));
    if (failure) throw new CorruptImageError(`${request.name} could not be decoded: the JPEG 2000 data is damaged (${failure.replace('[ERROR]', '').trim().slice(0, 120)})`);
    const frame = decoder.getFrameInfo();
    if (frame.width !== request.width || frame.height !== request.height || frame.componentCount !== 1 || frame.bitsPerSample !== request.bits || frame.isSigned !== request.signed) {
      throw new CorruptImageError(
        `${request.name} could not be decoded: it decodes to ${frame.width} × ${frame.height} × ${frame.componentCount} samples of ${frame.bitsPerSample} bits, not the ${request.width} × ${request.height} × 1 of ${request.bits} its header declares`,
      );
    }
    const decoded = decoder.getDecodedBuffer();
    const count = request.width * request.height;
    if (decoded.byteLength !== count * BYTES_PER_SAMPLE(request.bits)) throw new CorruptImageError(`${request.name} could not be decoded: the decoder returned ${decoded.byteLength} bytes`);
    // getDecodedBuffer copies into an array of its own, so its buffer can be viewed as it is.
    if (request.bits <= 8) return new Uint8Array(decoded.buffer, decoded.byteOffset, count);
    return request.signed ? new Int16Array(decoded.buffer, decoded.byteOffset, count) : new Uint16Array(decoded.buffer, decoded.byteOffset, count);
  } finally {
    decoder.delete();
  }
}

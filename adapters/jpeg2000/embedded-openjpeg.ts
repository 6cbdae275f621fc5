import type { Jpeg2000Decoder } from '../../core/ports/jpeg2000-decoder.js';
import { createOpenJpegDecoder } from './openjpeg-decoder.js';
import { OPENJPEG_WASM_BASE64 } from './openjpeg-wasm.generated.js';

let decoder: Jpeg2000Decoder | undefined;

/**
 * This thread's JPEG 2000 decoder, on the WebAssembly embedded at build time
 * (scripts/build-worker.mjs): made on first use, its module started on the first decode.
 *
 * @example
 * ```ts
 * await analyzeScene(command, { ...deps, jpeg2000: embeddedJpeg2000Decoder() });
 * ```
 */
export function embeddedJpeg2000Decoder(): Jpeg2000Decoder {
  decoder ??= createOpenJpegDecoder(async () => new Uint8Array(Buffer.from(OPENJPEG_WASM_BASE64, 'base64')));
  return decoder;
}

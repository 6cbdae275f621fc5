import { BaseDecoder, addDecoder } from 'geotiff';
import { inflate } from './deflate.js';

/**
 * geotiff.js inflates DEFLATE tiles with pako (JavaScript). Every platform we run on has a
 * native zlib behind the Web-standard `DecompressionStream`, several times faster, so we
 * register it for TIFF compression 8 and 32946. The predictor is still applied by BaseDecoder.
 */
class NativeDeflateDecoder extends BaseDecoder {
  override async decodeBlock(buffer: ArrayBufferLike): Promise<ArrayBufferLike> {
    const bytes = await inflate(new Uint8Array(buffer));
    return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
  }
}

let registered = false;

/** Registers the native DEFLATE decoder once (idempotent). */
export function useNativeInflate(): void {
  if (registered) return;
  registered = true;
  addDecoder([8, 32946], async () => NativeDeflateDecoder as never, undefined, false);
}

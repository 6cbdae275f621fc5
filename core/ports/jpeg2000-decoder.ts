/** Samples of one decoded image, row-major: 8-bit as Uint8Array, 9–16-bit as Uint16Array (Int16Array when signed). */
export type DecodedSamples = Uint8Array | Uint16Array | Int16Array;

/** What the header says the codestream holds; the decoder checks its output against it. */
export interface DecodeRequest {
  /** For messages: the file (or zip member) the codestream came from, and the tile. */
  name: string;
  width: number;
  height: number;
  bits: number;
  signed: boolean;
}

/**
 * Decodes JPEG 2000 codestreams (ISO/IEC 15444-1 J2K, not JP2 files) of one component. Adapters
 * implement it (a WebAssembly build of OpenJPEG in Node); core hands it one tile at a time, or a
 * whole image small enough to decode at once.
 *
 * @example
 * ```ts
 * const samples = await decoder.decode(codestream, { name: 'B04.jp2 tile 7', width: 1024, height: 1024, bits: 15, signed: false });
 * ```
 */
export interface Jpeg2000Decoder {
  /**
   * Resolves with `width × height` samples; rejects with `CorruptImageError` when the codestream
   * is damaged or decodes to another size or depth than `request` says.
   */
  decode(codestream: Uint8Array, request: DecodeRequest, options?: { signal?: AbortSignal }): Promise<DecodedSamples>;
}

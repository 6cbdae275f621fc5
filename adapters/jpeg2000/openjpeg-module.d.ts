// Types for the parts of @cornerstonejs/codec-openjpeg's WebAssembly decoder build (an
// Emscripten module factory, CommonJS, no types of its own) that adapters/jpeg2000 uses.
declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  /** One decoder (C++ `J2KDecoder` through embind); `delete()` frees its buffers. */
  export interface J2KDecoder {
    /** Resizes the input buffer to `length` bytes and returns a view of it in the module's memory. */
    getEncodedBuffer(length: number): Uint8Array;
    decode(): void;
    /** A copy of the decoded samples (little-endian bytes). */
    getDecodedBuffer(): Uint8ClampedArray;
    getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned: boolean };
    delete(): void;
  }
  export interface OpenJpegModule {
    J2KDecoder: new () => J2KDecoder;
  }
  /** Emscripten module settings: the wasm bytes, and where printf output goes. */
  export interface OpenJpegModuleOptions {
    wasmBinary?: Uint8Array | ArrayBuffer;
    print?: (text: string) => void;
    printErr?: (text: string) => void;
  }
  const factory: (options?: OpenJpegModuleOptions) => Promise<OpenJpegModule>;
  export default factory;
}

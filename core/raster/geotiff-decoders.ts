import { BaseDecoder, addDecoder } from 'geotiff';
import { decodeLzw, decodePackBits } from './bounded-codecs.js';
import { decodeZstdBlock } from './zstd-block.js';

/** What geotiff.js's decoders are built with. */
type BaseDecoderParameters = BaseDecoder['parameters'];

/** What geotiff.js hands a decoder, reading the tags its registry asks for. */
interface FileDirectory {
  hasTag(name: string): boolean;
  loadValue(name: string): Promise<unknown>;
}

/**
 * A block's decoder parameters as geotiff.js's default reads them, with a strip's height held to
 * the image (RowsPerStrip may say 2³² − 1 for "one strip"), so a block's size is what it can hold.
 */
async function blockParameters(directory: FileDirectory): Promise<BaseDecoderParameters> {
  const tiled = !directory.hasTag('StripOffsets');
  const value = async (name: string) => Number(await directory.loadValue(name)) || 0;
  const imageHeight = await value('ImageLength');
  return {
    tileWidth: tiled ? await value('TileWidth') : await value('ImageWidth'),
    tileHeight: tiled ? await value('TileLength') : Math.min(imageHeight, (await value('RowsPerStrip')) || imageHeight),
    planarConfiguration: (await value('PlanarConfiguration')) || 1,
    bitsPerSample: (await directory.loadValue('BitsPerSample')) as BaseDecoderParameters['bitsPerSample'],
    predictor: (await value('Predictor')) || 1,
  };
}

/** Bytes of one decoded block: every sample of a pixel when pixel-interleaved, one otherwise. */
function blockBytes({ tileWidth, tileHeight, bitsPerSample, planarConfiguration }: BaseDecoderParameters): number {
  const bits: number[] = typeof bitsPerSample === 'number' ? [bitsPerSample] : Array.from(bitsPerSample as ArrayLike<number>);
  const pixelBits = planarConfiguration === 2 ? bits[0] : bits.reduce((sum, b) => sum + b, 0);
  return Math.ceil((tileWidth * pixelBits) / 8) * tileHeight;
}

/** A geotiff.js decoder over one of ours: a block-sized buffer, what was written returned. */
function boundedDecoder(decode: (data: Uint8Array, out: Uint8Array) => number): typeof BaseDecoder {
  return class extends BaseDecoder {
    override decodeBlock(buffer: ArrayBufferLike): ArrayBufferLike {
      const out = new Uint8Array(blockBytes(this.parameters));
      const written = decode(new Uint8Array(buffer), out);
      return written === out.length ? out.buffer : out.slice(0, written).buffer;
    }
  };
}

let registered: Promise<void> | undefined;

/**
 * Puts the bounded decoders (LZW, PackBits, ZSTD into a block-sized buffer) in
 * geotiff.js's registry, so its general `readRasters` (the path for unusual layouts) cannot run
 * away either. Idempotent; `openTiff` awaits it.
 *
 * @example
 * ```ts
 * await registerBoundedDecoders();
 * ```
 */
export function registerBoundedDecoders(): Promise<void> {
  registered ??= (async () => {
    const ZstdBlock = class extends BaseDecoder {
      override async decodeBlock(buffer: ArrayBufferLike) {
        return (await decodeZstdBlock(new Uint8Array(buffer), blockBytes(this.parameters))).slice().buffer;
      }
    };
    addDecoder(5, async () => boundedDecoder(decodeLzw), blockParameters as never, false);
    addDecoder(32773, async () => boundedDecoder(decodePackBits), blockParameters as never, false);
    addDecoder(50000, async () => ZstdBlock, blockParameters as never, false);
  })();
  return registered;
}

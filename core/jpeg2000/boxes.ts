/**
 * The boxes of a JP2 file (ISO/IEC 15444-1, Annex I) that a band reader needs: the image header
 * (`ihdr`), the georeference (a GeoJP2 `uuid` box holding a small GeoTIFF, or GMLJP2 XML in an
 * `asoc` or `xml ` box) and where the codestream (`jp2c`) is. A bare codestream (`.j2k`) has no
 * boxes. Only box headers and the small boxes are read; the codestream is not.
 */
import { CorruptImageError } from '../errors.js';
import type { ByteSource } from '../raster/byte-source.js';

/** The JP2 signature box: length 12, type `jP  `, content 0x0D0A870A. */
const SIGNATURE = [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a];
/** GeoJP2's uuid (b14bf8bd-083d-4b43-a5ae-8cd7d5a6ce03): its content is a GeoTIFF. */
const GEOJP2_UUID = 'b14bf8bd083d4b43a5ae8cd7d5a6ce03';
/** Largest metadata box read (GeoJP2, GMLJP2); larger ones are skipped, never allocated. */
const MAX_METADATA_BOX = 1 << 20;
/** Most top-level boxes looked at before the codestream. */
const MAX_BOXES = 256;

/** What `ihdr` declares (I.5.3.1). */
export interface ImageHeaderBox {
  width: number;
  height: number;
  components: number;
  /** Bits per component (1–38), or undefined when they differ (BPC 255). */
  bits: number | undefined;
  signed: boolean;
}

/** The parts of a JP2 file, or of a bare codestream. */
export interface Jp2Layout {
  codestream: { offset: number; length: number };
  imageHeader?: ImageHeaderBox;
  /** The GeoTIFF inside a GeoJP2 box. */
  geoTiff?: Uint8Array;
  /** GMLJP2 XML (the first `xml ` box content found at the top level or inside `asoc`). */
  gml?: string;
}

/** True when `head` (a file's first bytes) starts a JP2 file or a bare JPEG 2000 codestream. */
export function isJpeg2000(head: Uint8Array): boolean {
  if (head.byteLength >= 4 && head[0] === 0xff && head[1] === 0x4f && head[2] === 0xff && head[3] === 0x51) return true;
  return head.byteLength >= 12 && SIGNATURE.every((byte, i) => head[i] === byte);
}

/**
 * Finds the boxes of `source`: reads each top-level box header in turn, the small boxes whole,
 * and stops at the codestream.
 *
 * @example
 * ```ts
 * const layout = await readJp2Layout(source, 'T10SEG_20240715T185919_B04_10m.jp2');
 * layout.codestream; // { offset: 2448, length: 1073380 }
 * ```
 */
export async function readJp2Layout(source: ByteSource, name: string, signal?: AbortSignal): Promise<Jp2Layout> {
  const head = await source.read(0, 12, signal);
  if (head[0] === 0xff && head[1] === 0x4f) return { codestream: { offset: 0, length: source.size } };
  const layout: Partial<Jp2Layout> = {};
  let at = 0;
  for (let count = 0; at < source.size && count < MAX_BOXES; count++) {
    const box = await readBoxHeader(source, at, source.size, name, signal);
    if (box.type === 'jp2c') return { ...layout, codestream: { offset: box.contentStart, length: box.end - box.contentStart } };
    if (box.type === 'jp2h' || box.type === 'asoc') await readSuperBox(source, box, layout, name, signal);
    else await readLeafBox(source, box, layout, signal);
    at = box.end;
  }
  throw new CorruptImageError(`${name} is not a readable JPEG 2000 file: it has no codestream (jp2c box)`);
}

interface BoxHeader {
  type: string;
  contentStart: number;
  end: number;
}

async function readBoxHeader(source: ByteSource, at: number, limit: number, name: string, signal?: AbortSignal): Promise<BoxHeader> {
  const bytes = await source.read(at, 16, signal);
  if (bytes.byteLength < 8) throw truncated(name, source);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(0);
  const type = String.fromCharCode(...bytes.subarray(4, 8));
  if (length === 1) {
    if (bytes.byteLength < 16) throw truncated(name, source);
    const extended = Number(view.getBigUint64(8));
    if (extended < 16 || at + extended > limit) throw truncated(name, source);
    return { type, contentStart: at + 16, end: at + extended };
  }
  // Length 0: the box runs to the end of its container (the codestream usually).
  const end = length === 0 ? limit : at + length;
  if ((length !== 0 && length < 8) || end > limit) throw truncated(name, source);
  return { type, contentStart: at + 8, end };
}

async function readSuperBox(source: ByteSource, box: BoxHeader, layout: Partial<Jp2Layout>, name: string, signal?: AbortSignal): Promise<void> {
  let at = box.contentStart;
  for (let count = 0; at < box.end && count < MAX_BOXES; count++) {
    const child = await readBoxHeader(source, at, box.end, name, signal);
    if (child.type === 'asoc') await readSuperBox(source, child, layout, name, signal);
    else await readLeafBox(source, child, layout, signal);
    at = child.end;
  }
}

async function readLeafBox(source: ByteSource, box: BoxHeader, layout: Partial<Jp2Layout>, signal?: AbortSignal): Promise<void> {
  const size = box.end - box.contentStart;
  const wanted = box.type === 'ihdr' || (box.type === 'uuid' && !layout.geoTiff) || (box.type === 'xml ' && !layout.gml);
  if (!wanted || size > MAX_METADATA_BOX) return;
  const content = await source.read(box.contentStart, size, signal);
  if (box.type === 'ihdr' && content.byteLength >= 14) {
    const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
    const bpc = content[10];
    layout.imageHeader = { height: view.getUint32(0), width: view.getUint32(4), components: view.getUint16(8), bits: bpc === 255 ? undefined : (bpc & 0x7f) + 1, signed: bpc !== 255 && (bpc & 0x80) !== 0 };
  } else if (box.type === 'uuid' && content.byteLength > 16 && hex(content.subarray(0, 16)) === GEOJP2_UUID) {
    layout.geoTiff = content.slice(16);
  } else if (box.type === 'xml ' && /RectifiedGrid/.test(new TextDecoder().decode(content))) {
    layout.gml = new TextDecoder().decode(content);
  }
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function truncated(name: string, source: ByteSource): CorruptImageError {
  return new CorruptImageError(`${name} is truncated or damaged: a JP2 box runs past the end of the file (${source.size} bytes)`, { size: source.size });
}

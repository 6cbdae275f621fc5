/**
 * Deterministic TIFF mutants for the fuzz run: from a seed, the same mutants every time. Kinds:
 * bit flips, truncations, huge tag counts or values, swapped compression codes, IFD loops, and
 * non-finite or absurd georeferences; plus named mutants that reproduce what once took the
 * service down (deflate tiles labelled LZW or ZSTD).
 */

/** One mutated file: what was done to it, and its bytes. */
export interface Mutant {
  name: string;
  bytes: Uint8Array;
}

/** A small seeded generator (mulberry32): the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** The first IFD's entries of a little-endian classic TIFF: tag, type, count and where the entry is. */
function entries(bytes: Uint8Array): Array<{ tag: number; type: number; count: number; at: number }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ifd = view.getUint32(4, true);
  return Array.from({ length: view.getUint16(ifd, true) }, (_, i) => {
    const at = ifd + 2 + i * 12;
    return { tag: view.getUint16(at, true), type: view.getUint16(at + 2, true), count: view.getUint32(at + 4, true), at };
  });
}

/** Sets a SHORT or LONG tag held in its entry to `value` (a copy). */
function setTag(source: Uint8Array, tag: number, value: number): Uint8Array {
  const bytes = source.slice();
  const view = new DataView(bytes.buffer);
  const entry = entries(bytes).find((e) => e.tag === tag);
  if (!entry) return bytes;
  if (entry.type === 3) view.setUint16(entry.at + 8, value, true);
  else view.setUint32(entry.at + 8, value, true);
  return bytes;
}

/** Writes `value` over the `index`-th double of a DOUBLE tag (ModelPixelScale, ModelTiepoint). */
function setDouble(source: Uint8Array, tag: number, index: number, value: number): Uint8Array {
  const bytes = source.slice();
  const view = new DataView(bytes.buffer);
  const entry = entries(bytes).find((e) => e.tag === tag);
  if (entry && entry.type === 12 && index < entry.count) view.setFloat64(view.getUint32(entry.at + 8, true) + index * 8, value, true);
  return bytes;
}

const COMPRESSION = 259;
const PIXEL_SCALE = 33550;
const TIEPOINT = 33922;
const CODES = [1, 5, 6, 7, 8, 32773, 32946, 34887, 50000, 50001, 34712, 2, 99, 65535];

/** The mutants every run includes: each reproduces a finding of the attack on the service. */
export function namedMutants(source: Uint8Array): Mutant[] {
  const ifd = new DataView(source.buffer, source.byteOffset).getUint32(4, true);
  const loop = source.slice();
  const count = new DataView(loop.buffer).getUint16(ifd, true);
  new DataView(loop.buffer).setUint32(ifd + 2 + count * 12, ifd, true); // next IFD: itself
  return [
    { name: 'deflate tiles labelled LZW', bytes: setTag(source, COMPRESSION, 5) },
    { name: 'deflate tiles labelled ZSTD', bytes: setTag(source, COMPRESSION, 50000) },
    { name: 'deflate tiles labelled PackBits', bytes: setTag(source, COMPRESSION, 32773) },
    { name: 'origin x infinite', bytes: setDouble(source, TIEPOINT, 3, Number.POSITIVE_INFINITY) },
    { name: 'origin y NaN', bytes: setDouble(source, TIEPOINT, 4, Number.NaN) },
    { name: 'pixel size 1e308', bytes: setDouble(source, PIXEL_SCALE, 0, 1e308) },
    { name: 'IFD pointing at itself', bytes: loop },
  ];
}

/** The `index`-th random mutant of `source` for `seed`. */
export function randomMutant(source: Uint8Array, seed: number, index: number): Mutant {
  const random = seededRandom(seed * 100_003 + index);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const kind = pick(['bit flips', 'truncation', 'huge tag', 'compression code', 'IFD loop', 'header bit flips'] as const);
  const bytes = source.slice();
  const view = new DataView(bytes.buffer);
  const tags = entries(source);
  switch (kind) {
    case 'bit flips':
    case 'header bit flips': {
      const span = kind === 'header bit flips' ? Math.min(bytes.length, 4096) : bytes.length;
      const flips = 1 + Math.floor(random() * 16);
      for (let k = 0; k < flips; k++) bytes[Math.floor(random() * span)] ^= 1 << Math.floor(random() * 8);
      return { name: `${kind} ×${flips}`, bytes };
    }
    case 'truncation': {
      const length = Math.floor(random() * bytes.length);
      return { name: `truncated to ${length} bytes`, bytes: bytes.slice(0, length) };
    }
    case 'huge tag': {
      const entry = pick(tags);
      const field = pick([4, 8] as const);
      view.setUint32(entry.at + field, pick([0xffffffff, 0x7fffffff, 0x10000000, 0]), true);
      return { name: `tag ${entry.tag} ${field === 4 ? 'count' : 'value'} made huge`, bytes };
    }
    case 'compression code': {
      const code = pick(CODES);
      return { name: `compression ${code}`, bytes: setTag(source, COMPRESSION, code) };
    }
    case 'IFD loop': {
      const ifd = view.getUint32(4, true);
      const count = view.getUint16(ifd, true);
      view.setUint32(ifd + 2 + count * 12, pick([ifd, 8, 4]), true);
      return { name: 'IFD loop', bytes };
    }
  }
}

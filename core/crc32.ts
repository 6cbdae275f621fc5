/** CRC-32 (ISO 3309, the zip and PNG checksum; reflected polynomial 0xEDB88320), one table lookup per byte. */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * The CRC-32 of bytes seen so far (`crc`, 0 to start) extended by `bytes`.
 *
 * @example
 * ```ts
 * updateCrc32(0, new TextEncoder().encode('123456789')); // 0xcbf43926
 * ```
 */
export function updateCrc32(crc: number, bytes: Uint8Array): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

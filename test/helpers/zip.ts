import { crc32, deflateRawSync } from 'node:zlib';

/** One member to write: its path and bytes, how it is stored, and sizes to declare instead of the true ones. */
export interface ZipMemberSpec {
  path: string;
  data: Uint8Array;
  method?: 'stored' | 'deflate';
  /** Declared uncompressed size (a lie, for bomb tests). */
  declaredSize?: number;
}

/**
 * A zip archive in memory (PKWARE APPNOTE: local headers, central directory, end record), the
 * one zip writer of the tests. `zip64` writes every size and offset through Zip64 records, as
 * tools do for archives over 4 GiB.
 *
 * @example
 * ```ts
 * const zip = makeZip([{ path: 'a.SAFE/MTD_MSIL2A.xml', data: xml, method: 'deflate' }]);
 * ```
 */
export function makeZip(members: ZipMemberSpec[], options: { zip64?: boolean } = {}): Uint8Array {
  const zip64 = options.zip64 ?? false;
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const member of members) {
    const name = Buffer.from(member.path, 'utf8');
    const method = member.method === 'deflate' ? 8 : 0;
    const body = method === 8 ? deflateRawSync(member.data) : Buffer.from(member.data);
    const size = member.declaredSize ?? member.data.byteLength;
    const crc = crc32(member.data);
    const extra = zip64 ? zip64Extra([size, body.byteLength, offset]) : Buffer.alloc(0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(zip64 ? 45 : 20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(zip64 ? 0xffffffff : body.byteLength, 18);
    local.writeUInt32LE(zip64 ? 0xffffffff : Math.min(size, 0xffffffff), 22);
    local.writeUInt16LE(name.byteLength, 26);
    local.writeUInt16LE(extra.byteLength, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(zip64 ? 45 : 20, 4);
    header.writeUInt16LE(zip64 ? 45 : 20, 6);
    header.writeUInt16LE(0x800, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(zip64 ? 0xffffffff : body.byteLength, 20);
    header.writeUInt32LE(zip64 ? 0xffffffff : Math.min(size, 0xffffffff), 24);
    header.writeUInt16LE(name.byteLength, 28);
    header.writeUInt16LE(extra.byteLength, 30);
    header.writeUInt32LE(zip64 ? 0xffffffff : offset, 42);
    central.push(header, name, extra);
    parts.push(local, name, extra, body);
    offset += local.byteLength + name.byteLength + extra.byteLength + body.byteLength;
  }
  const directory = Buffer.concat(central);
  const end: Buffer[] = [];
  if (zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeUInt16LE(45, 12);
    record.writeUInt16LE(45, 14);
    record.writeBigUInt64LE(BigInt(members.length), 24);
    record.writeBigUInt64LE(BigInt(members.length), 32);
    record.writeBigUInt64LE(BigInt(directory.byteLength), 40);
    record.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + directory.byteLength), 8);
    locator.writeUInt32LE(1, 16);
    end.push(record, locator);
  }
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(zip64 ? 0xffff : members.length, 8);
  eocd.writeUInt16LE(zip64 ? 0xffff : members.length, 10);
  eocd.writeUInt32LE(zip64 ? 0xffffffff : directory.byteLength, 12);
  eocd.writeUInt32LE(zip64 ? 0xffffffff : offset, 16);
  return new Uint8Array(Buffer.concat([...parts, directory, ...end, eocd]));
}

/** The Zip64 extended information field: uncompressed size, compressed size, local header offset. */
function zip64Extra(values: number[]): Buffer {
  const field = Buffer.alloc(4 + 8 * values.length);
  field.writeUInt16LE(0x0001, 0);
  field.writeUInt16LE(8 * values.length, 2);
  values.forEach((value, i) => field.writeBigUInt64LE(BigInt(value), 4 + 8 * i));
  return field;
}

import { CRC32C } from '@google-cloud/storage';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * A test double of the Cloud Storage JSON API: there is no Cloud Storage emulator on the build
 * machines. It holds objects in memory and answers exactly the requests `@google-cloud/storage` 7
 * sends for `GcsBlobStore` (found by running the client against it and logging what it did not
 * know): object metadata, media download with `Range`, multipart upload (with the
 * `ifGenerationMatch` precondition, decided atomically as the service does), list, rewrite (copy)
 * and delete. Status codes, headers (`x-goog-hash`, `Content-Range`) and error bodies follow
 * https://cloud.google.com/storage/docs/json_api; anything else answers 501 and is recorded in
 * `unhandled`, so a test can assert the client asked for nothing the double does not know.
 */
export interface GcsDouble {
  /** `http://127.0.0.1:<port>`: give it to the client as `apiEndpoint`. */
  endpoint: string;
  /** Makes an empty bucket; requests to any other bucket answer 404 like a missing bucket. */
  createBucket(name: string): void;
  /** `METHOD path?query` of every request the double did not recognise. */
  unhandled: string[];
  /** Stops listening and drops open connections: the next request is refused. */
  close(): Promise<void>;
}

interface StoredObject {
  bytes: Buffer;
  contentType: string;
  generation: number;
  updated: Date;
}

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | object;
}

type Bucket = Map<string, StoredObject>;
type Handler = (bucket: Bucket, names: { bucket: string; object?: string; target?: string; targetBucket?: string }, request: Parsed) => Reply;

interface Parsed {
  method: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** Starts the double on a free 127.0.0.1 port. */
export async function startGcsDouble(): Promise<GcsDouble> {
  const buckets = new Map<string, Bucket>();
  const unhandled: string[] = [];
  let generations = 0;

  const objectResource = (bucket: string, name: string, o: StoredObject) => ({
    kind: 'storage#object',
    id: `${bucket}/${name}/${o.generation}`,
    name,
    bucket,
    generation: String(o.generation),
    metageneration: '1',
    contentType: o.contentType,
    size: String(o.bytes.length),
    md5Hash: createHash('md5').update(o.bytes).digest('base64'),
    crc32c: crc32c(o.bytes),
    etag: Buffer.from(`g${o.generation}m1`).toString('base64'),
    timeCreated: o.updated.toISOString(),
    updated: o.updated.toISOString(),
    storageClass: 'STANDARD',
  });
  const store = (bucket: Bucket, name: string, bytes: Buffer, contentType: string): StoredObject => {
    const o = { bytes, contentType, generation: ++generations, updated: new Date() };
    bucket.set(name, o);
    return o;
  };

  const routes: Array<[method: string, path: RegExp, handler: Handler]> = [
    ['GET', /^\/b\/([^/]+)\/o$/, (bucket, names, { query }) => {
      const prefix = query.get('prefix') ?? '';
      const limit = Number(query.get('maxResults') ?? 1000);
      const token = query.get('pageToken');
      const after = token ? /^v1:(.+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'))?.[1] : undefined;
      if (token && after === undefined) return error(400, 'Invalid Value', 'invalid');
      const matching = [...bucket.keys()].filter((name) => name.startsWith(prefix) && (after === undefined || byteOrder(name, after) > 0)).sort(byteOrder);
      const page = matching.slice(0, limit);
      return json(200, {
        kind: 'storage#objects',
        ...(page.length ? { items: page.map((name) => objectResource(names.bucket, name, bucket.get(name) as StoredObject)) } : {}),
        ...(matching.length > limit ? { nextPageToken: Buffer.from(`v1:${page[page.length - 1]}`).toString('base64url') } : {}),
      });
    }],
    ['GET', /^\/b\/([^/]+)\/o\/([^/]+)$/, (bucket, names, { query, headers }) => {
      const o = bucket.get(names.object as string);
      if (!o) return notFound(`No such object: ${names.bucket}/${names.object}`);
      return query.get('alt') === 'media' ? media(o, headers.range) : json(200, objectResource(names.bucket, names.object as string, o));
    }],
    ['DELETE', /^\/b\/([^/]+)\/o\/([^/]+)$/, (bucket, names) =>
      bucket.delete(names.object as string) ? { status: 204 } : notFound(`No such object: ${names.bucket}/${names.object}`)],
    ['POST', /^\/b\/([^/]+)\/o\/([^/]+)\/(?:rewriteTo|copyTo)\/b\/([^/]+)\/o\/([^/]+)$/, (bucket, names) => {
      const source = bucket.get(names.object as string);
      const target = buckets.get(names.targetBucket as string);
      if (!source) return notFound(`No such object: ${names.bucket}/${names.object}`);
      if (!target) return notFound('The specified bucket does not exist.');
      const copy = store(target, names.target as string, source.bytes, source.contentType);
      const resource = objectResource(names.targetBucket as string, names.target as string, copy);
      return json(200, { kind: 'storage#rewriteResponse', totalBytesRewritten: resource.size, objectSize: resource.size, done: true, resource });
    }],
    ['POST', /^\/upload\/b\/([^/]+)\/o$/, (bucket, names, { query, headers, body }) => {
      if (query.get('uploadType') !== 'multipart') return error(501, 'only uploadType=multipart is implemented by the test double', 'notImplemented');
      const parts = parseMultipart(body, headers['content-type'] ?? '');
      if (!parts) return error(400, 'Malformed multipart body.', 'invalid');
      const metadata = JSON.parse(parts[0].content.toString('utf8')) as { name?: string; contentType?: string };
      const name = metadata.name ?? query.get('name');
      if (!name) return error(400, 'Required', 'required');
      const contentType = metadata.contentType ?? parts[1].contentType ?? 'application/octet-stream';
      // Preconditions: ifGenerationMatch=0 means "only if absent"; N, "only if the live generation is N".
      const expected = query.get('ifGenerationMatch');
      if (expected !== null && String(bucket.get(name)?.generation ?? 0) !== expected) {
        return error(412, 'At least one of the pre-conditions you specified did not hold.', 'conditionNotMet');
      }
      return json(200, objectResource(names.bucket, name, store(bucket, name, Buffer.from(parts[1].content), contentType)));
    }],
  ];

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://double');
    // Clients send `/storage/v1/...` (apiEndpoint) or `/...` (STORAGE_EMULATOR_HOST); uploads `/upload/storage/v1/...`.
    const path = url.pathname.replace(/^(\/upload)?\/storage\/v1(?=\/)/, '$1');
    const parsed: Parsed = { method: req.method ?? 'GET', query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks) };
    let reply: Reply | undefined;
    for (const [method, pattern, handler] of routes) {
      const match = method === parsed.method ? pattern.exec(path) : null;
      if (!match) continue;
      const [bucketName, object, targetBucket, target] = match.slice(1).map((segment) => segment && decodeURIComponent(segment));
      const bucket = buckets.get(bucketName);
      try {
        reply = bucket ? handler(bucket, { bucket: bucketName, object, targetBucket, target }, parsed) : notFound('The specified bucket does not exist.');
      } catch {
        reply = error(400, 'The test double could not parse the request.', 'invalid');
      }
      break;
    }
    if (!reply) {
      unhandled.push(`${parsed.method} ${url.pathname}${url.search}`);
      reply = error(501, `The test double does not implement ${parsed.method} ${url.pathname}`, 'notImplemented');
    }
    const body = reply.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(JSON.stringify(reply.body));
    res.writeHead(reply.status, { 'content-length': String(body.length), ...reply.headers });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    createBucket: (name) => void buckets.set(name, new Map()),
    unhandled,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Whole object (200) or `Range: bytes=start-[end]` (206, or 416 when start is at or after the end). */
function media(o: StoredObject, range: string | undefined): Reply {
  const size = o.bytes.length;
  const hashes = `crc32c=${crc32c(o.bytes)},md5=${createHash('md5').update(o.bytes).digest('base64')}`;
  const headers = { 'content-type': o.contentType, 'x-goog-generation': String(o.generation), 'x-goog-hash': hashes, 'x-goog-stored-content-encoding': 'identity', 'x-goog-stored-content-length': String(size) };
  const match = range ? /^bytes=(\d+)-(\d*)$/.exec(range) : null;
  if (!match) return { status: 200, headers, body: o.bytes };
  const start = Number(match[1]);
  const end = Math.min(match[2] === '' ? size - 1 : Number(match[2]), size - 1);
  if (start >= size) return error(416, 'The requested range cannot be satisfied.', 'requestedRangeNotSatisfiable');
  return { status: 206, headers: { ...headers, 'content-range': `bytes ${start}-${end}/${size}` }, body: o.bytes.subarray(start, end + 1) };
}

/** The parts of a `multipart/related` body: metadata JSON first, then the media. */
function parseMultipart(body: Buffer, contentType: string): Array<{ contentType?: string; content: Buffer }> | undefined {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Array<{ contentType?: string; content: Buffer }> = [];
  for (let at = body.indexOf(delimiter); at !== -1; ) {
    const next = body.indexOf(delimiter, at + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(at + delimiter.length, next);
    const split = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, split).toString('latin1');
    parts.push({ contentType: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1], content: part.subarray(split + 4, part.length - 2) }); // drop the CRLF before the delimiter
    at = next;
  }
  return parts.length === 2 ? parts : undefined;
}

/** Base64 of the big-endian CRC32C, as Cloud Storage gives it. */
function crc32c(bytes: Buffer): string {
  const crc = new CRC32C();
  crc.update(bytes);
  return crc.toString();
}

/** Cloud Storage lists names in UTF-8 byte order. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function json(status: number, body: object): Reply {
  return { status, headers: { 'content-type': 'application/json; charset=UTF-8' }, body };
}

/** An error body shaped like Google's: `{ error: { code, message, errors: [{ domain, reason, message }] } }`. */
function error(status: number, message: string, reason: string): Reply {
  return json(status, { error: { code: status, message, errors: [{ message, domain: 'global', reason }] } });
}

function notFound(message: string): Reply {
  return error(404, message, 'notFound');
}

/**
 * A STAC API and COG file server for tests, on 127.0.0.1: Earth Search style under `/es/v1`,
 * Planetary Computer style under `/pc/api/stac/v1` with a fake SAS token endpoint, and band files
 * with real Range support (206, 416, HEAD). It counts every request and byte, and can fail
 * requests on demand (statuses or connection resets) to exercise retries.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type SearchBody, searchItems } from './stac-search.js';

/** One logged request. */
export interface LoggedRequest {
  method: string;
  /** Path without the query (SAS tokens stay out of assertions). */
  path: string;
  query: string;
  range?: string;
  status: number;
  /** Body bytes sent. */
  bytes: number;
}

/** A request to fail: matching path, how, and how many times. */
export interface Fault {
  path: RegExp;
  /** Answer with this status, or cut the connection (`reset`). */
  status?: number;
  reset?: boolean;
  times: number;
}

/** Options of {@link startStacServer}. */
export interface StacServerOptions {
  /** Items per convention, with `{{base}}` in hrefs standing for the server's URL. */
  earthSearch: () => Array<Record<string, unknown>>;
  planetaryComputer: () => Array<Record<string, unknown>>;
  /** Folder holding `<sceneId>/<file>.tif` served under `/files/` (Earth Search) and `/blob/` (PC, signed). */
  files: Record<string, string>;
  /** Items per search page (to exercise paging). */
  pageSize?: number;
  /** SAS token lifetime, ms. */
  tokenTtlMs?: number;
}

export interface StacServer {
  url: string;
  earthSearchUrl: string;
  planetaryComputerUrl: string;
  log: LoggedRequest[];
  faults: Fault[];
  /** Tokens issued by the fake SAS endpoint. */
  tokensIssued: number;
  /** Answer searches with this status instead (e.g. 503), while set. */
  searchStatus?: number;
  reset(): void;
  close(): Promise<void>;
}

/**
 * Starts the server on an ephemeral port of 127.0.0.1; `close()` stops it.
 *
 * @example
 * ```ts
 * const server = await startStacServer({ earthSearch: () => [item], planetaryComputer: () => [], files: { S2X: dir } });
 * ```
 */
export async function startStacServer(options: StacServerOptions): Promise<StacServer> {
  const tokens = new Map<string, number>();
  const state: StacServer = {
    url: '',
    earthSearchUrl: '',
    planetaryComputerUrl: '',
    log: [],
    faults: [],
    tokensIssued: 0,
    reset() {
      state.log.length = 0;
      state.faults.length = 0;
      state.searchStatus = undefined;
    },
    close: async () => undefined,
  };
  const server: Server = createServer((request, response) => {
    handle(request, response, options, state, tokens).catch((error: unknown) => {
      if (!response.headersSent) send(response, state, request, 500, { error: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}`;
  state.earthSearchUrl = `${state.url}/es/v1`;
  state.planetaryComputerUrl = `${state.url}/pc/api/stac/v1`;
  state.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return state;
}

async function handle(request: IncomingMessage, response: ServerResponse, options: StacServerOptions, state: StacServer, tokens: Map<string, number>): Promise<void> {
  const url = new URL(request.url ?? '/', state.url);
  const fault = state.faults.find((candidate) => candidate.times > 0 && candidate.path.test(url.pathname));
  if (fault) {
    fault.times--;
    if (fault.reset) {
      logRequest(state, request, 0, 0);
      request.socket.destroy();
      return;
    }
    return send(response, state, request, fault.status ?? 500, { error: 'injected fault' });
  }
  const body = await readBody(request);
  const search = /^\/(es\/v1|pc\/api\/stac\/v1)\/search$/.exec(url.pathname);
  if (search && request.method === 'POST') {
    if (state.searchStatus) return send(response, state, request, state.searchStatus, { error: 'catalog down (test)' });
    const pc = search[1].startsWith('pc');
    const items = (pc ? options.planetaryComputer() : options.earthSearch()).map((item) => withBase(item, state.url));
    const page = searchItems(items, JSON.parse(body.toString() || '{}') as SearchBody, { pageSize: options.pageSize, style: pc ? 'planetary-computer' : 'earth-search', href: `${state.url}${url.pathname}` });
    return send(response, state, request, 200, page, 'application/geo+json');
  }
  const token = /^\/pc\/api\/sas\/v1\/token\/([\w-]+)$/.exec(url.pathname);
  if (token && request.method === 'GET') {
    const sig = randomBytes(8).toString('hex');
    const expiry = Date.now() + (options.tokenTtlMs ?? 3600_000);
    tokens.set(sig, expiry);
    state.tokensIssued++;
    return send(response, state, request, 200, { 'msft:expiry': new Date(expiry).toISOString(), token: `st=2024-01-01&se=2099-01-01&sp=rl&sv=2021-06-08&sr=c&sig=${sig}` });
  }
  const file = /^\/(files|blob)\/([\w.-]+)\/([\w.-]+\.tif)$/i.exec(url.pathname);
  if (file && (request.method === 'GET' || request.method === 'HEAD')) {
    if (file[1] === 'blob') {
      const expiry = tokens.get(url.searchParams.get('sig') ?? '');
      if (!expiry || expiry < Date.now()) return send(response, state, request, 403, { error: 'AuthenticationFailed: missing or expired SAS token' });
    }
    const dir = options.files[file[2]];
    if (!dir) return send(response, state, request, 404, { error: 'no such scene' });
    return sendFile(request, response, state, join(dir, file[3]));
  }
  return send(response, state, request, 404, { error: `no route ${request.method} ${url.pathname}` });
}

/** Serves a file, honouring a single `Range: bytes=` range (206, 416); several ranges get the whole file. */
async function sendFile(request: IncomingMessage, response: ServerResponse, state: StacServer, path: string): Promise<void> {
  const size = await stat(path).then((info) => info.size).catch(() => -1);
  if (size < 0) return send(response, state, request, 404, { error: 'no such file' });
  const range = parseRange(request.headers.range, size);
  const head = request.method === 'HEAD';
  if (range === 'unsatisfiable') {
    response.writeHead(416, { 'content-range': `bytes */${size}`, 'content-length': 0 });
    response.end();
    return logRequest(state, request, 416, 0);
  }
  const [start, end] = range ?? [0, size - 1];
  const length = end - start + 1;
  response.writeHead(range ? 206 : 200, {
    'accept-ranges': 'bytes',
    'content-type': 'image/tiff',
    'content-length': length,
    ...(range ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
  });
  logRequest(state, request, range ? 206 : 200, head ? 0 : length);
  if (head) return void response.end();
  await new Promise<void>((resolve) => createReadStream(path, { start, end }).on('close', resolve).pipe(response));
}

/** `[start, end]` of one `bytes=` range, `unsatisfiable`, or undefined (no Range, or several). */
function parseRange(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header ?? '');
  if (!match || (!match[1] && !match[2])) return undefined;
  if (!match[1]) return size === 0 ? 'unsatisfiable' : [Math.max(0, size - Number(match[2])), size - 1];
  const start = Number(match[1]);
  if (start >= size) return 'unsatisfiable';
  return [start, match[2] ? Math.min(size - 1, Number(match[2])) : size - 1];
}

function withBase(item: Record<string, unknown>, base: string): Record<string, unknown> {
  return JSON.parse(JSON.stringify(item).replaceAll('{{base}}', base)) as Record<string, unknown>;
}

function send(response: ServerResponse, state: StacServer, request: IncomingMessage, status: number, value: unknown, type = 'application/json'): void {
  const text = JSON.stringify(value);
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  response.end(text);
  logRequest(state, request, status, Buffer.byteLength(text));
}

function logRequest(state: StacServer, request: IncomingMessage, status: number, bytes: number): void {
  const url = new URL(request.url ?? '/', state.url);
  state.log.push({ method: request.method ?? 'GET', path: url.pathname, query: url.search, range: request.headers.range, status, bytes });
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

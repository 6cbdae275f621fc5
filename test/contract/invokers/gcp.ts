import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { http } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { createGcpHttpHandler } from '../../../adapters/gcp/http.js';
import type { ApiHandler } from '../../../core/api/types.js';
import type { ContractRequest, ContractResponse, Invoker } from '../invoker.js';

/** One Functions Framework test server per API under test, on a free 127.0.0.1 port. */
const servers = new Map<ApiHandler, Promise<{ server: Server; base: string }>>();
let registered = 0;

async function serve(api: ApiHandler): Promise<{ server: Server; base: string }> {
  const name = `contract-api-${++registered}`;
  http(name, createGcpHttpHandler(api));
  const server = getTestServer(name);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function urlFor(base: string, request: ContractRequest): string {
  const query = new URLSearchParams(request.query ?? {}).toString();
  return `${base}${request.path}${query ? `?${query}` : ''}`;
}

/**
 * Calls the API through the Functions Framework's own Express server (its body parsers, its
 * routing) over real HTTP, as Cloud Functions does after its front end.
 */
export const gcpInvoker: Invoker = {
  name: 'gcp (functions-framework)',
  async invoke(api, request): Promise<ContractResponse> {
    if (!servers.has(api)) servers.set(api, serve(api));
    const { base } = await (servers.get(api) as Promise<{ base: string }>);
    // Bytes, not a string: fetch would add `content-type: text/plain` to a string body.
    const body = typeof request.body === 'string' ? new TextEncoder().encode(request.body) : request.body && new Uint8Array(request.body);
    const response = await fetch(urlFor(base, request), { method: request.method, headers: request.headers ?? {}, body, redirect: 'manual' });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: response.status, headers, body: new Uint8Array(await response.arrayBuffer()) };
  },
  async close() {
    const running = await Promise.all(servers.values());
    servers.clear();
    await Promise.all(
      running.map(({ server }) => new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
    );
  },
};

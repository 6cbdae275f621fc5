import { randomUUID } from 'node:crypto';
import { HttpRequest, HttpResponse, InvocationContext } from '@azure/functions';
import { createAzureHttpHandler } from '../../../adapters/azure/http.js';
import type { ApiHandler } from '../../../core/api/types.js';
import type { ContractResponse, Invoker } from '../invoker.js';

/** The host's address as the Functions host builds request URLs (routePrefix "" in host.json). */
const HOST = 'https://kelpie-contract.azurewebsites.net';

const handlers = new WeakMap<ApiHandler, ReturnType<typeof createAzureHttpHandler>>();

/**
 * Calls the API as the Azure Functions Node worker does (no local host is possible here): a real
 * `HttpRequest` and `InvocationContext` in, and the handler's `HttpResponseInit` turned into the
 * library's `HttpResponse` and read back as bytes, as the worker's `toRpcHttp` does.
 */
export const azureInvoker: Invoker = {
  name: 'azure (functions v4)',
  async invoke(api, request): Promise<ContractResponse> {
    let handler = handlers.get(api);
    if (!handler) handlers.set(api, (handler = createAzureHttpHandler(api)));
    const url = new URL(`${HOST}${request.path}`);
    for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
    const bytes = typeof request.body === 'string' ? new TextEncoder().encode(request.body) : request.body;
    const httpRequest = new HttpRequest({
      method: request.method,
      url: url.toString(),
      headers: request.headers ?? {},
      ...(bytes ? { body: { bytes } } : {}),
    });
    const context = new InvocationContext({ invocationId: randomUUID(), functionName: 'api', logHandler: () => {} });
    const response = new HttpResponse(await handler(httpRequest, context));
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: response.status, headers, body: new Uint8Array(await response.arrayBuffer()) };
  },
};

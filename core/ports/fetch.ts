/**
 * How the core reaches HTTP servers: the Web-standard `fetch`, injected so the core stays
 * platform-neutral and tests can count or fail requests. Adapters pass the runtime's `fetch`.
 *
 * @example
 * ```ts
 * const deps = { fetch: (url, init) => fetch(url, init) } satisfies { fetch: Fetch };
 * ```
 */
export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

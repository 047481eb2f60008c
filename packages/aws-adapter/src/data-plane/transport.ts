/**
 * What the data-plane client hands to its transport: a signed request (header names lower case,
 * `host` among them) and the full URL; what it gets back: status, lower-case headers, body text.
 * The default transport is `fetch` (Node ≥ 18 and browsers alike); the factory adds an
 * in-process one for the emulator.
 */
export interface DataPlaneHttpRequest {
  method: string;
  /** origin + path, the path percent-encoded as signed */
  url: string;
  /** the path as signed (base path of the endpoint included) */
  path: string;
  headers: Readonly<Record<string, string>>;
  body: string;
  abortSignal?: AbortSignal | undefined;
}

export interface DataPlaneHttpResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: string;
}

export type DataPlaneTransport = (request: DataPlaneHttpRequest) => Promise<DataPlaneHttpResponse>;

/** `fetch` with keep-alive (undici's pool in Node). `host` is left to fetch, which sets the same value. */
export function fetchTransport(fetchImpl: typeof fetch = globalThis.fetch): DataPlaneTransport {
  return async (req) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (k !== 'host') headers[k] = v;
    const res = await fetchImpl(req.url, { method: req.method, headers, body: req.body, signal: req.abortSignal ?? null, keepalive: false });
    const out: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      out[k.toLowerCase()] = v;
    });
    return { status: res.status, headers: out, body: await res.text() };
  };
}

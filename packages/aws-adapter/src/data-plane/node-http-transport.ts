import { NodeHttpHandler, streamCollector } from '@smithy/node-http-handler';
import { HttpRequest } from '@smithy/protocol-http';
import type { DataPlaneTransport } from './transport.js';

/**
 * The Node entry's default transport: the SDK's own `NodeHttpHandler` (@smithy/node-http-handler,
 * keep-alive agent), which is markedly faster than Node 20's `fetch` for small JSON requests.
 * `content-length` is added here (not signed, as SigV4 allows).
 */
export function nodeHttpTransport(handler: NodeHttpHandler = new NodeHttpHandler()): DataPlaneTransport {
  const decoder = new TextDecoder();
  return async (req) => {
    const url = new URL(req.url);
    const { response } = await handler.handle(
      new HttpRequest({
        method: req.method,
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port === '' ? undefined : Number(url.port),
        path: req.path,
        headers: { ...req.headers, 'content-length': String(new TextEncoder().encode(req.body).length) },
        body: req.body,
      }),
      req.abortSignal !== undefined ? { abortSignal: req.abortSignal } : {},
    );
    const bytes = await streamCollector(response.body);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(response.headers)) headers[k.toLowerCase()] = v;
    return { status: response.statusCode, headers, body: decoder.decode(bytes) };
  };
}

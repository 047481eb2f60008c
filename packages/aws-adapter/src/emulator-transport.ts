import { handleRequest, type Emulator, type WireOptions } from '@paycrypt/emulator';
import type { DataPlaneTransport } from './data-plane/transport.js';

/**
 * The data plane's in-process transport: the signed request goes to the emulator's router
 * (`handleRequest`, the same code its HTTP server runs) without a socket. Node only (the
 * emulator is).
 */
export function inProcessDataPlaneTransport(emulator: Emulator, options: WireOptions = {}): DataPlaneTransport {
  return async (req) => {
    const res = await handleRequest(emulator, { method: req.method, path: req.path, headers: req.headers, body: req.body }, options);
    return { status: res.status, headers: lowerCase(res.headers), body: res.body };
  };
}

function lowerCase(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}

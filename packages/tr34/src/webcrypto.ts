/**
 * The WebCrypto entry points this package uses (native in Node ≥ 20 and browsers).
 * `bs` narrows a Uint8Array for the DOM BufferSource typing (our arrays never sit on a
 * SharedArrayBuffer).
 */
export const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

export function bs(b: Uint8Array): Uint8Array<ArrayBuffer> {
  return b as Uint8Array<ArrayBuffer>;
}

export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest('SHA-256', bs(data)));
}

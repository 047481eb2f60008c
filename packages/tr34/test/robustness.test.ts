import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bytesToHex } from '@paycrypt/primitives';
import {
  Certificate,
  RsaPrivateKey,
  Tr34Error,
  buildTr34KeyBlock,
  createCaCertificate,
  generateRsaKeyPair,
  inspectTr34KeyBlock,
  issueCertificate,
  openTr34KeyBlock,
  unwrapKeyCryptogram,
  verifyCertificateChain,
  wrapKeyCryptogram,
  type OpenTr34Options,
} from '../src/index.js';
import { TR34 } from './fixtures.js';

/**
 * Robustness properties of the parsers and unwrappers: arbitrary bytes and strings, and
 * single-byte mutations of one valid token / certificate / cryptogram, only ever throw Tr34Error
 * (TypeError/RangeError only for arguments of the wrong type), never another exception; an
 * open or unwrap that succeeds on mutated input answers the original key (the mutation was in an
 * unsigned, unused part), never a different one. A per-call timeout guards the async calls; the
 * synchronous parsers are guarded by the test timeout.
 *
 * One valid set for the file: the research RSA-4096 CA key (fixtures), RSA-2048 KDH and KRD keys
 * generated here, a two-pass TDES token and an RSA-OAEP-SHA-256 cryptogram of a random key.
 */

const CALL_TIMEOUT_MS = 5_000;
const notBefore = new Date('2026-01-01T00:00:00Z');
const at = new Date('2026-01-15T00:00:00Z');
const caKey = RsaPrivateKey.fromPkcs8(TR34.generated_test_keys.ca_rsa4096.private_key_pem);

let ca: Certificate;
let kdhCert: Certificate;
let krdCert: Certificate;
let krdKey: RsaPrivateKey;
let options: OpenTr34Options;
let token: Uint8Array;
let cryptogram: Uint8Array;
const key = crypto.getRandomValues(new Uint8Array(16));
const cryptogramKey = crypto.getRandomValues(new Uint8Array(32));
const nonce = crypto.getRandomValues(new Uint8Array(16));
const HEADER = 'D0000K0TB00E0000';

beforeAll(async () => {
  ca = await createCaCertificate({ privateKey: caKey, subject: { commonName: 'robustness CA' }, seed: 'robust-ca', notBefore });
  const [kdh, krd] = await Promise.all([generateRsaKeyPair(2048), generateRsaKeyPair(2048)]);
  const issuer = { certificate: ca, privateKey: caKey };
  kdhCert = await issueCertificate({ profile: 'signing', subject: { commonName: 'KDH' }, publicKey: kdh.publicKey, issuer, seed: 'kdh', notBefore });
  krdCert = await issueCertificate({ profile: 'keyTransport', subject: { commonName: 'KRD' }, publicKey: krd.publicKey, issuer, seed: 'krd', notBefore });
  krdKey = krd.privateKey;
  const built = await buildTr34KeyBlock({ kdhCertificate: kdhCert, kdhPrivateKey: kdh.privateKey, krdCertificate: krdCert, key, header: HEADER, nonce });
  token = built.der;
  options = { krdPrivateKey: krdKey, krdCertificate: krdCert, kdhCertificate: kdhCert, trustAnchors: [ca], at, expectedNonce: nonce };
  cryptogram = Uint8Array.from(Buffer.from(await wrapKeyCryptogram(krdCert, cryptogramKey), 'hex'));
  // the valid set is valid
  expect((await openTr34KeyBlock(token, options)).key).toEqual(key);
  expect(await unwrapKeyCryptogram(krdKey, cryptogram)).toEqual(cryptogramKey);
}, 60_000);

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${CALL_TIMEOUT_MS} ms`)), CALL_TIMEOUT_MS);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Run `fn`; a throw must be a Tr34Error (or, when `typeErrorsAllowed`, TypeError/RangeError). */
async function outcome<T>(what: string, fn: () => T | Promise<T>, typeErrorsAllowed = false): Promise<{ ok: true; value: T } | { ok: false; error: Error }> {
  try {
    return { ok: true, value: await withTimeout(Promise.resolve().then(fn), what) };
  } catch (e) {
    if (e instanceof Tr34Error) return { ok: false, error: e };
    if (typeErrorsAllowed && (e instanceof TypeError || e instanceof RangeError)) return { ok: false, error: e };
    throw new Error(`${what} threw ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`, { cause: e });
  }
}

/** A copy of `bytes` with the byte at `index % length` changed by xor with `delta` (1–255). */
const mutate = (bytes: Uint8Array, index: number, delta: number): Uint8Array => {
  const copy = bytes.slice();
  copy[index % copy.length]! ^= delta;
  return copy;
};
const mutation = fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 }));

/** Arbitrary inputs of the right type: bytes, hex, and text. */
const anyInput = fc.oneof(
  fc.uint8Array({ maxLength: 600 }),
  fc.uint8Array({ maxLength: 300 }).map((b) => bytesToHex(b)),
  fc.uint8Array({ maxLength: 300 }).map((b) => `30${bytesToHex(b)}`),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('', '0', '00', '3000', '3080', '308400000000', '30FFFFFFFFFFFFFFFF', '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----', 'LS0tLS1CRUdJTg=='),
);
/** Arguments of the wrong type. */
const wrongType = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.constant({}), fc.array(fc.nat({ max: 255 }), { maxLength: 4 }), fc.constant(new ArrayBuffer(4)));

/** Ways to cut or extend the valid token: truncation at any point, bytes appended or inserted. */
const reshaped = (bytes: () => Uint8Array) =>
  fc.oneof(
    fc.nat().map((n) => bytes().subarray(0, n % bytes().length)),
    fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([n, extra]) => {
      const b = bytes();
      const i = n % (b.length + 1);
      return Uint8Array.from([...b.subarray(0, i), ...extra, ...b.subarray(i)]);
    }),
  );

describe('TR-34 token parsing and opening', () => {
  it('inspectTr34KeyBlock: arbitrary input → Tr34Error or a result; wrong types → TypeError', { timeout: 60_000 }, async () => {
    await fc.assert(fc.asyncProperty(anyInput, async (input) => void (await outcome('inspect', () => inspectTr34KeyBlock(input)))), { numRuns: 1000 });
    await fc.assert(fc.asyncProperty(wrongType, async (input) => void (await outcome('inspect', () => inspectTr34KeyBlock(input as never), true))), { numRuns: 200 });
  });

  it('inspectTr34KeyBlock: single-byte mutations, truncations and insertions of a valid token', { timeout: 60_000 }, async () => {
    const inputs = fc.oneof(mutation.map(([i, d]) => mutate(token, i, d)), reshaped(() => token));
    await fc.assert(
      fc.asyncProperty(inputs, fc.boolean(), async (bytes, asHex) => {
        const r = await outcome('inspect', () => inspectTr34KeyBlock(asHex ? bytesToHex(bytes) : bytes));
        if (r.ok) expect(r.value.headerString.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });

  it('openTr34KeyBlock: a mutated token never opens to another key', { timeout: 60_000 }, async () => {
    let opened = 0;
    const codes = new Map<string, number>();
    const inputs = fc.oneof({ weight: 4, arbitrary: mutation.map(([i, d]) => mutate(token, i, d)) }, { weight: 1, arbitrary: reshaped(() => token) });
    await fc.assert(
      fc.asyncProperty(inputs, async (bytes) => {
        const r = await outcome('open', () => openTr34KeyBlock(bytes, options));
        const code = r.ok ? 'opened' : (r.error as Tr34Error).code;
        codes.set(code, (codes.get(code) ?? 0) + 1);
        if (r.ok) {
          opened++;
          expect(r.value.key).toEqual(key);
          expect(r.value.headerString).toBe(HEADER);
        }
      }),
      { numRuns: 1000 },
    );
    console.log(`tr34 robustness: mutated tokens → ${[...codes].map(([c, n]) => `${c} ${n}`).join(', ')}`);
    // almost every byte is signed or decrypted: few mutations may open (to the same key)
    expect(opened).toBeLessThan(200);
    // the mutations reach the cryptographic checks, not only the parser
    expect(codes.get('CRYPTO_FAILED') ?? 0).toBeGreaterThan(0);
  });

  it('openTr34KeyBlock: arbitrary input and wrong option types', { timeout: 60_000 }, async () => {
    await fc.assert(fc.asyncProperty(anyInput, async (input) => void (await outcome('open', () => openTr34KeyBlock(input, options)))), { numRuns: 300 });
    const badOptions = fc.oneof(
      wrongType.map((v) => ({ ...options, expectedNonce: v })),
      wrongType.map((v) => ({ ...options, kdhCertificate: v })),
      wrongType.map((v) => ({ ...options, trustAnchors: [v] })),
      fc.uint8Array({ maxLength: 20 }).map((v) => ({ ...options, expectedNonce: v })),
    );
    await fc.assert(fc.asyncProperty(badOptions, async (o) => void (await outcome('open', () => openTr34KeyBlock(token, o as never), true))), { numRuns: 200 });
  });
});

describe('certificate parsing', () => {
  it('Certificate.parse: arbitrary bytes and strings → Tr34Error or a certificate; wrong types → TypeError', { timeout: 60_000 }, async () => {
    await fc.assert(fc.asyncProperty(anyInput, async (input) => void (await outcome('parse', () => Certificate.parse(input)))), { numRuns: 1000 });
    await fc.assert(fc.asyncProperty(wrongType, async (input) => void (await outcome('parse', () => Certificate.parse(input as never), true))), { numRuns: 200 });
  });

  it('Certificate.parse: a mutated DER / PEM / AWS certificate never verifies under the CA', { timeout: 60_000 }, async () => {
    let parsed = 0;
    const der = kdhCert.der;
    const pemBytes = new TextEncoder().encode(kdhCert.toPem());
    const awsBytes = new TextEncoder().encode(kdhCert.toAwsBase64());
    const inputs = fc.oneof(
      { weight: 4, arbitrary: mutation.map(([i, d]): Uint8Array | string => mutate(der, i, d)) },
      { weight: 1, arbitrary: reshaped(() => der) },
      { weight: 1, arbitrary: mutation.map(([i, d]) => new TextDecoder().decode(mutate(pemBytes, i, d))) },
      { weight: 1, arbitrary: mutation.map(([i, d]) => new TextDecoder().decode(mutate(awsBytes, i, d))) },
    );
    await fc.assert(
      fc.asyncProperty(inputs, async (input) => {
        const r = await outcome('parse', () => Certificate.parse(input));
        if (!r.ok) return;
        parsed++;
        if (bytesToHex(r.value.der) === bytesToHex(der)) return; // e.g. a PEM mutation outside the base64 body
        // any other certificate that parses must not verify as the KDH certificate
        const v = await outcome('verify', () => verifyCertificateChain(r.value, { trustAnchors: [ca], at }));
        expect(v.ok, `a mutated certificate verified: ${bytesToHex(r.value.der)}`).toBe(false);
      }),
      { numRuns: 1000 },
    );
    expect(parsed).toBeGreaterThan(0);
  });
});

describe('RSA key cryptograms', () => {
  it('unwrapKeyCryptogram: arbitrary input, mutations and reshapes → Tr34Error, never a key', { timeout: 60_000 }, async () => {
    const inputs = fc.oneof(
      { weight: 2, arbitrary: anyInput },
      { weight: 1, arbitrary: fc.uint8Array({ minLength: 256, maxLength: 256 }) },
      { weight: 3, arbitrary: mutation.map(([i, d]) => mutate(cryptogram, i, d)) },
      { weight: 1, arbitrary: mutation.map(([i, d]) => bytesToHex(mutate(cryptogram, i, d))) },
      { weight: 1, arbitrary: reshaped(() => cryptogram) },
    );
    await fc.assert(
      fc.asyncProperty(inputs, fc.constantFrom('RSA_OAEP_SHA_256', 'RSA_OAEP_SHA_512') as fc.Arbitrary<'RSA_OAEP_SHA_256'>, async (input, spec) => {
        const r = await outcome('unwrap', () => unwrapKeyCryptogram(krdKey, input, spec));
        expect(r.ok, 'an altered cryptogram unwrapped').toBe(false);
      }),
      { numRuns: 1000 },
    );
    await fc.assert(
      fc.asyncProperty(wrongType, fc.oneof(fc.constant('RSA_OAEP_SHA_256'), fc.string({ maxLength: 10 })), async (input, spec) => {
        await outcome('unwrap', () => unwrapKeyCryptogram(krdKey, input as never, spec as never), true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('regression: the unsigned outer signatureAlgorithm', () => {
  it('a certificate whose outer AlgorithmIdentifier differs from the signed one does not verify (found by the mutation property)', async () => {
    const hex = bytesToHex(kdhCert.der);
    // the outer AlgorithmIdentifier is the last `30 0D 06 09 2A864886F70D0101xx 05 00` of the DER
    const at15 = hex.lastIndexOf('300D06092A864886F70D0101');
    expect(at15).toBeGreaterThan(hex.indexOf('300D06092A864886F70D0101')); // not the TBSCertificate's own
    expect(hex.slice(at15 + 26, at15 + 30)).toBe('0500');
    const altered = Certificate.parse(Uint8Array.from(Buffer.from(`${hex.slice(0, at15 + 26)}0400${hex.slice(at15 + 30)}`, 'hex')));
    expect(altered.signatureAlgorithm).toBe(kdhCert.signatureAlgorithm);
    expect(altered.tbsDer).toEqual(kdhCert.tbsDer);
    expect((await verifyCertificateChain(kdhCert, { trustAnchors: [ca], at })).length).toBe(2);
    const e = await verifyCertificateChain(altered, { trustAnchors: [ca], at }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Tr34Error);
    expect((e as Tr34Error).code).toBe('CERTIFICATE_INVALID');
  });
});

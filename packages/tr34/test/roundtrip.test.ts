import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bytesToHex, hexToBytes } from '@paycrypt/primitives';
import {
  Certificate,
  RsaPrivateKey,
  Tr34Error,
  buildTr34KeyBlock,
  createCaCertificate,
  generateRsaKeyPair,
  issueCertificate,
  openTr34KeyBlock,
  type OpenTr34Options,
  type RsaModulusBits,
} from '../src/index.js';
import { serializeTr31Header, type Tr31Header } from '@paycrypt/keyblock';
import { childrenOf, tlvRaw } from '../src/der/der-reader.js';
import { parseTr34Token } from '../src/tr34/token.js';
import { TR34 } from './fixtures.js';
import { assembleToken } from './assemble.js';

interface Party {
  certificate: Certificate;
  privateKey: RsaPrivateKey;
}

const notBefore = new Date('2026-01-01T00:00:00Z');
const at = new Date('2026-01-15T00:00:00Z');
// The CA is the research RSA-4096 key; KDH and KRD keys are generated once for this file.
const caKey = RsaPrivateKey.fromPkcs8(TR34.generated_test_keys.ca_rsa4096.private_key_pem);
let ca: Certificate;
let otherCa: Certificate;
let kdh: Party;
let otherKdh: Party;
const krd = new Map<RsaModulusBits, Party>();

async function leaf(profile: 'keyTransport' | 'signing', bits: RsaModulusBits, name: string, issuer = ca): Promise<Party> {
  const { privateKey } = bits === 4096 && profile === 'keyTransport' ? await generateRsaKeyPair(4096) : await generateRsaKeyPair(bits);
  const certificate = await issueCertificate({ profile, subject: { commonName: name, organization: 'paycrypt tests' }, publicKey: privateKey.publicKey, issuer: { certificate: issuer, privateKey: caKey }, seed: name, notBefore });
  return { certificate, privateKey };
}

beforeAll(async () => {
  ca = await createCaCertificate({ privateKey: caKey, subject: { commonName: 'round-trip CA' }, seed: 'rt-ca', notBefore });
  otherCa = await createCaCertificate({ privateKey: caKey, subject: { commonName: 'another CA' }, seed: 'other-ca', notBefore });
  [kdh, otherKdh] = await Promise.all([leaf('signing', 2048, 'KDH'), leaf('signing', 2048, 'other KDH')]);
  const parties = await Promise.all(([2048, 3072, 4096] as const).map((b) => leaf('keyTransport', b, `KRD ${b}`)));
  ([2048, 3072, 4096] as const).forEach((b, i) => krd.set(b, parties[i]!));
});

const openOptions = (r: Party, extra: Partial<OpenTr34Options> = {}): OpenTr34Options => ({
  krdPrivateKey: r.privateKey,
  krdCertificate: r.certificate,
  kdhCertificate: kdh.certificate,
  trustAnchors: [ca],
  at,
  ...extra,
});

const KEYS = [
  ['TDES 2-key', 16, 'D0000K0TB00E0000', 'des-ede3-cbc'],
  ['TDES 3-key', 24, 'D0000K0TB00E0000', 'des-ede3-cbc'],
  ['AES-128', 16, 'D0000K0AB00E0000', 'aes128-cbc'],
] as const;

describe('build ∘ open is the identity', () => {
  for (const bits of [2048, 3072, 4096] as const) {
    for (const [label, len, header, alg] of KEYS) {
      it(`RSA-${bits} KRD, ${label}: one-pass and two-pass`, async () => {
        const r = krd.get(bits)!;
        const key = crypto.getRandomValues(new Uint8Array(len));
        const nonce = crypto.getRandomValues(new Uint8Array(8));
        const two = await buildTr34KeyBlock({ kdhCertificate: kdh.certificate, kdhPrivateKey: kdh.privateKey, krdCertificate: r.certificate, key, header, nonce });
        expect(two.hex).toMatch(/^[0-9A-F]+$/);
        expect(two.hex.length).toBeLessThanOrEqual(4096); // the AWS WrappedKeyBlock limit
        const o2 = await openTr34KeyBlock(two.hex, openOptions(r, { expectedNonce: nonce }));
        expect(o2).toMatchObject({ key, headerString: header, mode: 'two-pass', layout: 'X9_TR34_2012', contentEncryption: alg });
        expect(o2.header).toMatchObject({ version: 'D', keyUsage: 'K0', algorithm: header[7], modeOfUse: 'B' });
        const one = await buildTr34KeyBlock({ kdhCertificate: kdh.certificate, kdhPrivateKey: kdh.privateKey, krdCertificate: r.certificate, key, header, signingTime: at });
        const o1 = await openTr34KeyBlock(one.der, openOptions(r));
        expect(o1).toMatchObject({ key, headerString: header, mode: 'one-pass', signingTime: at, nonce: undefined });
      });
    }
  }

  it('the TR-34-2019 corrigendum layout (standard CMS EnvelopedData) opens and is reported as such', async () => {
    const r = krd.get(2048)!;
    const key = hexToBytes('0123456789ABCDEFFEDCBA9876543210');
    const nonce = hexToBytes('167EB0E72781E4940112233445566778');
    const t = await buildTr34KeyBlock({ kdhCertificate: kdh.certificate, kdhPrivateKey: kdh.privateKey, krdCertificate: r.certificate, key, header: 'A0256K0TB00E0000', nonce, layout: 'TR34_2019_CMS' });
    const o = await openTr34KeyBlock(t.der, openOptions(r, { expectedNonce: nonce }));
    expect(o.layout).toBe('TR34_2019_CMS');
    expect(o.key).toEqual(key);
  });

  it('property: random keys, headers with optional blocks and 8–16-byte nonces round-trip', async () => {
    const r = krd.get(2048)!;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...KEYS),
        fc.uint8Array({ minLength: 8, maxLength: 16 }),
        fc.option(fc.stringMatching(/^[0-9A-Z]{1,96}$/), { nil: undefined }),
        fc.constantFrom('E', 'N', 'S'),
        async ([, len, header], nonce, label, exportability) => {
          const key = crypto.getRandomValues(new Uint8Array(len));
          // a Tr31Header object (serialised by @paycrypt/keyblock), optionally with a label block
          const h: Tr31Header = {
            version: 'D',
            keyUsage: 'K0',
            algorithm: header[7]!,
            modeOfUse: 'B',
            keyVersion: '00',
            exportability,
            keyContext: '0',
            optionalBlocks: label === undefined ? [] : [{ id: 'LB', data: label, raw: '' }],
          };
          const t = await buildTr34KeyBlock({ kdhCertificate: kdh.certificate, kdhPrivateKey: kdh.privateKey, krdCertificate: r.certificate, key, header: h, nonce });
          const o = await openTr34KeyBlock(t.der, openOptions(r, { expectedNonce: nonce }));
          expect(o.key).toEqual(key);
          expect(o.header).toMatchObject({ ...h, optionalBlocks: h.optionalBlocks.map((b) => ({ id: b.id, data: b.data })) });
          expect(o.headerString).toBe(serializeTr31Header(h));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a 16-byte nonce with a 16-character header gives signed attributes out of DER SET order; they are signed and verified as sent', async () => {
    const r = krd.get(2048)!;
    const nonce = hexToBytes('167EB0E72781E4940112233445566778');
    const t = await buildTr34KeyBlock({ kdhCertificate: kdh.certificate, kdhPrivateKey: kdh.privateKey, krdCertificate: r.certificate, key: new Uint8Array(16).fill(1), header: 'D0000K0TB00E0000', nonce });
    const attrs = childrenOf(parseTr34Token(t.der).signerInfo.signedAttrs!, 'a').map((a) => bytesToHex(tlvRaw(a)));
    expect([...attrs].sort()).not.toEqual(attrs);
    expect((await openTr34KeyBlock(t.der, openOptions(r, { expectedNonce: nonce }))).key).toEqual(new Uint8Array(16).fill(1));
  });
});

describe('tampering and binding are rejected', () => {
  const code = async (p: Promise<unknown>): Promise<string> => {
    const e = await p.then(() => 'resolved', (x: unknown) => (x instanceof Tr34Error ? x.code : `not a Tr34Error: ${String(x)}`));
    return e;
  };
  let token: Uint8Array;
  const nonce = hexToBytes('0011223344556677');
  const key = hexToBytes('00112233445566778899AABBCCDDEEFF');
  beforeAll(async () => {
    token = (await buildTr34KeyBlock({ kdhCertificate: kdh.certificate, kdhPrivateKey: kdh.privateKey, krdCertificate: krd.get(2048)!.certificate, key, header: 'D0000K0TB00E0000', nonce })).der;
  });

  it('flipping any single bit of any byte of the token is rejected with a Tr34Error', async () => {
    const r = krd.get(2048)!;
    expect((await openTr34KeyBlock(token, openOptions(r, { expectedNonce: nonce }))).key).toEqual(key);
    const seen = new Map<string, number>();
    for (let i = 0; i < token.length; i++) {
      for (const bit of [0x01, 0x80]) {
        const t = token.slice();
        t[i]! ^= bit;
        const c = await code(openTr34KeyBlock(t, openOptions(r, { expectedNonce: nonce })));
        expect(c, `byte ${i} bit ${bit}`).not.toBe('resolved');
        expect(c, `byte ${i} bit ${bit}`).not.toMatch(/^not a Tr34Error/);
        seen.set(c, (seen.get(c) ?? 0) + 1);
      }
    }
    expect([...seen.keys()].sort()).toEqual(expect.arrayContaining(['CRYPTO_FAILED', 'MALFORMED']));
  });

  it('a different expected nonce, a missing one, or an unexpected one is NONCE_MISMATCH', async () => {
    const r = krd.get(2048)!;
    expect(await code(openTr34KeyBlock(token, openOptions(r, { expectedNonce: hexToBytes('0011223344556678') })))).toBe('NONCE_MISMATCH');
    expect(await code(openTr34KeyBlock(token, openOptions(r)))).toBe('NONCE_MISMATCH');
    const onePass = await buildTr34KeyBlock({ kdhCertificate: kdh.certificate, kdhPrivateKey: kdh.privateKey, krdCertificate: r.certificate, key, header: 'D0000K0TB00E0000' });
    expect(await code(openTr34KeyBlock(onePass.der, openOptions(r, { expectedNonce: nonce })))).toBe('NONCE_MISMATCH');
  });

  it('nonces outside 8–16 bytes are refused when building and as an expected nonce when opening', async () => {
    const r = krd.get(2048)!;
    for (const n of [0, 7, 17]) {
      await expect(buildTr34KeyBlock({ kdhCertificate: kdh.certificate, kdhPrivateKey: kdh.privateKey, krdCertificate: r.certificate, key, header: 'D0000K0TB00E0000', nonce: new Uint8Array(n) })).rejects.toThrow(RangeError);
      await expect(openTr34KeyBlock(token, openOptions(r, { expectedNonce: new Uint8Array(n) }))).rejects.toThrow(RangeError);
    }
    const sixteen = new Uint8Array(16).fill(0xa5);
    const t = await buildTr34KeyBlock({ kdhCertificate: kdh.certificate, kdhPrivateKey: kdh.privateKey, krdCertificate: r.certificate, key, header: 'D0000K0TB00E0000', nonce: sixteen });
    expect((await openTr34KeyBlock(t.der, openOptions(r, { expectedNonce: sixteen }))).nonce).toEqual(sixteen);
  });

  it('another recipient, another signer, an untrusted or expired KDH certificate are refused before decryption', async () => {
    const r = krd.get(2048)!;
    expect(await code(openTr34KeyBlock(token, openOptions(krd.get(3072)!, { expectedNonce: nonce })))).toBe('RECIPIENT_MISMATCH');
    expect(await code(openTr34KeyBlock(token, openOptions(r, { expectedNonce: nonce, kdhCertificate: otherKdh.certificate })))).toBe('SIGNER_MISMATCH');
    expect(await code(openTr34KeyBlock(token, openOptions(r, { expectedNonce: nonce, trustAnchors: [otherCa] })))).toBe('CERTIFICATE_INVALID');
    expect(await code(openTr34KeyBlock(token, openOptions(r, { expectedNonce: nonce, at: new Date('2026-03-01Z') })))).toBe('CERTIFICATE_INVALID');
    await expect(openTr34KeyBlock(token, openOptions(r, { expectedNonce: nonce, krdPrivateKey: krd.get(3072)!.privateKey }))).rejects.toThrow(TypeError);
  });

  it('an inner header or inner KDH identity that differs from the signed one is the opaque CRYPTO_FAILED', async () => {
    const r = krd.get(2048)!;
    const base = { kdh, krd: r.certificate, key, signedHeader: 'D0000K0TB00E0000', innerHeader: 'D0000K0TB00E0000', innerIdKdh: kdh.certificate.issuerAndSerialNumber, nonce };
    expect((await openTr34KeyBlock(await assembleToken(base), openOptions(r, { expectedNonce: nonce }))).key).toEqual(key); // control
    const cases = [
      { ...base, innerHeader: 'D0000K0TB00N0000' },
      { ...base, innerIdKdh: otherKdh.certificate.issuerAndSerialNumber },
      { ...base, plaintext: new Uint8Array(40) },
    ];
    for (const c of cases) {
      const e = await openTr34KeyBlock(await assembleToken(c), openOptions(r, { expectedNonce: nonce })).catch((x: unknown) => x as Tr34Error);
      expect((e as Tr34Error).code).toBe('CRYPTO_FAILED');
      expect((e as Tr34Error).message).toBe('TR-34 verification or decryption failed');
    }
  });
});

describe('the header is a TR-31 header (@paycrypt/keyblock)', () => {
  it('build refuses an invalid header; open names a malformed signed header; proprietary values need headerOptions', async () => {
    const r = krd.get(2048)!;
    const key = new Uint8Array(16).fill(3);
    const nonce = new Uint8Array(8).fill(9);
    const base = { kdhCertificate: kdh.certificate, kdhPrivateKey: kdh.privateKey, krdCertificate: r.certificate, key, nonce };
    await expect(buildTr34KeyBlock({ ...base, header: 'D0000K0TB00E0000X' })).rejects.toThrow(RangeError);
    await expect(buildTr34KeyBlock({ ...base, header: 'D0000K0HB00E0000' })).rejects.toThrow(/TDES \(T\) or AES-128 \(A\)/);
    // a token whose signed (and inner) header is not a TR-31 header: MALFORMED before any crypto
    const bad = await assembleToken({ kdh, krd: r.certificate, key, signedHeader: 'Z0000K0TB00E0000', innerHeader: 'Z0000K0TB00E0000', innerIdKdh: kdh.certificate.issuerAndSerialNumber, nonce });
    const e = await openTr34KeyBlock(bad, openOptions(r, { expectedNonce: nonce })).catch((x: unknown) => x as Tr34Error);
    expect((e as Tr34Error).code).toBe('MALFORMED');
    expect((e as Tr34Error).message).toMatch(/key block header attribute: key block version "Z"/);
    // IBM-style proprietary key usage "10": refused by default, accepted when asked, both ways
    const proprietary = 'D0000' + '10' + 'TB00E0000';
    await expect(buildTr34KeyBlock({ ...base, header: proprietary })).rejects.toThrow(RangeError);
    const t = await buildTr34KeyBlock({ ...base, header: proprietary, headerOptions: { allowProprietaryValues: true } });
    expect(await openTr34KeyBlock(t.der, openOptions(r, { expectedNonce: nonce })).catch((x: Tr34Error) => x.code)).toBe('MALFORMED');
    const o = await openTr34KeyBlock(t.der, openOptions(r, { expectedNonce: nonce, headerOptions: { allowProprietaryValues: true } }));
    expect(o.header.keyUsage).toBe('10');
  });
});

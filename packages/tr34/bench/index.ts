import { benchAsync, type BenchRow } from '../../../scripts/bench-lib.js';
import {
  Certificate,
  buildTr34KeyBlock,
  createCaCertificate,
  generateRsaKeyPair,
  issueCertificate,
  openTr34KeyBlock,
  unwrapKeyCryptogram,
  wrapKeyCryptogram,
} from '../src/index.js';

export async function run(): Promise<BenchRow[]> {
  const ca = await generateRsaKeyPair(4096);
  const kdh = await generateRsaKeyPair(2048);
  const krd = await generateRsaKeyPair(2048);
  const caCert = await createCaCertificate({ privateKey: ca.privateKey, subject: { commonName: 'bench CA' }, seed: 'ca' });
  const issue = (profile: 'signing' | 'keyTransport', publicKey: typeof kdh.publicKey, cn: string): Promise<Certificate> =>
    issueCertificate({ profile, subject: { commonName: cn }, publicKey, issuer: { certificate: caCert, privateKey: ca.privateKey }, seed: cn });
  const kdhCert = await issue('signing', kdh.publicKey, 'bench KDH');
  const krdCert = await issue('keyTransport', krd.publicKey, 'bench KRD');
  const key = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
  const nonce = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
  const header = 'D0000K0TB00E0000';
  const build = (): ReturnType<typeof buildTr34KeyBlock> =>
    buildTr34KeyBlock({ kdhCertificate: kdhCert, kdhPrivateKey: kdh.privateKey, krdCertificate: krdCert, key, header, nonce });
  const token = (await build()).der;
  const openWith = (kdhCertificate: Certificate | string): ReturnType<typeof openTr34KeyBlock> =>
    openTr34KeyBlock(token, { krdPrivateKey: krd.privateKey, krdCertificate: krdCert, kdhCertificate, trustAnchors: [caCert], expectedNonce: nonce });
  const awsKdhCert = kdhCert.toAwsBase64();
  const cryptogram = await wrapKeyCryptogram(krdCert, key);
  const seed = new Uint8Array(32).fill(7);
  if ((await unwrapKeyCryptogram(krd.privateKey, await wrapKeyCryptogram(krdCert, key, { oaepSeed: seed }))).join() !== key.join()) {
    throw new Error('seeded cryptogram does not unwrap');
  }

  // check every result before timing it
  const opened = await openWith(kdhCert);
  if (opened.key.join() !== key.join() || opened.headerString !== header) throw new Error('TR-34 open returned the wrong key');
  if ((await openWith(awsKdhCert)).key.join() !== key.join()) throw new Error('TR-34 open (AWS cert string) returned the wrong key');
  if ((await unwrapKeyCryptogram(krd.privateKey, cryptogram)).join() !== key.join()) throw new Error('cryptogram unwrap returned the wrong key');

  const g = 'tr34';
  return [
    await benchAsync(g, 'TR-34 build two-pass, RSA-2048 KDH + KRD, TDES', build),
    await benchAsync(g, 'TR-34 open two-pass, RSA-2048, certificates parsed once', () => openWith(kdhCert), { target: '>= 500' }),
    await benchAsync(g, 'TR-34 open two-pass, RSA-2048, 2 in flight', () => openWith(kdhCert), { concurrency: 2, target: '>= 500' }),
    await benchAsync(g, 'TR-34 open two-pass, RSA-2048, KDH cert as AWS base64 PEM per call', () => openWith(awsKdhCert)),
    await benchAsync(g, 'RSA_OAEP_SHA_256 wrap (KeyCryptogram), RSA-2048', () => wrapKeyCryptogram(krdCert, key)),
    await benchAsync(g, 'RSA_OAEP_SHA_256 wrap, fixed seed (own OAEP encoding + BigInt RSA), RSA-2048', () => wrapKeyCryptogram(krdCert, key, { oaepSeed: seed })),
    await benchAsync(g, 'RSA_OAEP_SHA_256 unwrap (KeyCryptogram), RSA-2048', () => unwrapKeyCryptogram(krd.privateKey, cryptogram)),
  ];
}

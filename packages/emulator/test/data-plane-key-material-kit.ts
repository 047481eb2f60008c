import { readFileSync } from 'node:fs';
import { partnerKdf, partnerPki, partnerZ, type Curve, type KdfHash, type KdfName, type PartnerPki } from './ecdh-kit.js';
import { createAgreementKey, importRoot, type AgreementKey } from './ecdh-sdk-kit.js';
import type { DataPlaneHarness } from './data-plane-kit.js';
import { hex } from './tr31-kit.js';

/**
 * The shared setup of the data-plane ECDH tests (TranslateKeyMaterial and the
 * DiffieHellmanSymmetricKey dynamic key): the partner's PKI (ecdh-kit.ts: an RSA root made with
 * @paycrypt/tr34 and EC leaves it signs), the root imported, the emulator's K3 key pairs, and the
 * partner-side key derivation (node:crypto ECDH with the partner's private key and the emulator's
 * public key from GetPublicKeyCertificate, then the test's own SP 800-56C / X9.63 KDF).
 */

export const KEY_BYTES: Record<string, number> = { TDES_2KEY: 16, TDES_3KEY: 24, AES_128: 16, AES_192: 24, AES_256: 32 };

interface KcvVector {
  inputs: { key: string; aws_kcv_algorithm: string; kcv_bytes: number };
  expected: { kcv: string };
}
const KCV_VECTORS = JSON.parse(readFileSync(new URL('../../../test-vectors/kcv.json', import.meta.url), 'utf8')) as KcvVector[];

/** A published 3-byte KCV (test-vectors/kcv.json) of `key`. */
export function publishedKcv(key: string, method: 'ANSI_X9_24' | 'CMAC'): string {
  const v = KCV_VECTORS.find((e) => e.inputs.key === key && e.inputs.aws_kcv_algorithm === method && e.inputs.kcv_bytes === 3);
  if (v === undefined) throw new Error(`no published ${method} KCV for ${key}`);
  return v.expected.kcv;
}

export interface EcdhSetup {
  pki: PartnerPki;
  rootArn: string;
  /** K3 keys per name: `kbpk-P-256` etc. (DeriveKeyUsage K1/K0), `pek-P-256` etc. (P0) */
  keys: Record<string, AgreementKey>;
  /** the key the partner holding the `curve` leaf derives with the emulator key `name` */
  partnerKey(name: string, curve: Curve, kdf: KdfName, hash: KdfHash, algorithm: string, info: string): Buffer;
}

export async function ecdhSetup(h: DataPlaneHarness, wanted: Record<string, [Curve, string]>): Promise<EcdhSetup> {
  const pki = await partnerPki();
  const rootArn = await importRoot(h.client, pki.root.toAwsBase64());
  const keys: Record<string, AgreementKey> = {};
  for (const [name, [curve, usage]] of Object.entries(wanted)) keys[name] = await createAgreementKey(h.client, curve, usage);
  return {
    pki,
    rootArn,
    keys,
    partnerKey: (name, curve, kdf, hash, algorithm, info) => partnerKdf(kdf, hash, partnerZ(pki.leaves[curve].privateKey, keys[name]!.publicKey), hex(info), KEY_BYTES[algorithm]!),
  };
}

import { Certificate, RsaPrivateKey } from '../src/index.js';
import { loadVectors } from './vectors.js';

export interface KeyEntry {
  cert_pem: string;
  private_key_pem: string;
  subject?: string;
  issuer_and_serial_hex?: string;
  clause?: string;
  not_before?: string;
  not_after?: string;
}
export interface Tr34VectorInputs {
  clear_key: string;
  header_ascii: string;
  content_encryption: 'desEde3Cbc' | 'aes128Cbc';
  ephemeral_key: string;
  iv: string;
  oaep_seed: string;
  random_nonce: string | null;
  signing_time: string | null;
}
export interface Tr34Vector {
  id: string;
  description: string;
  kdh_signing_key_ref: string;
  krd_wrapping_key_ref: string;
  inputs: Tr34VectorInputs;
  expected: Record<
    | 'kcv'
    | 'kcv_algorithm'
    | 'kdh_issuer_and_serial'
    | 'krd_issuer_and_serial'
    | 'key_block_der'
    | 'ciphertext'
    | 'encrypted_ephemeral_key'
    | 'envelope_content_octets'
    | 'message_digest'
    | 'signed_attrs_set_der'
    | 'signature'
    | 'wrapped_key_block_hex',
    string
  >;
}
export interface RsaWrapVector {
  id: string;
  wrapping_spec: 'RSA_OAEP_SHA_256' | 'RSA_OAEP_SHA_512';
  wrapping_key_ref: string;
  inputs: { clear_key: string; oaep_seed: string; oaep_hash: string };
  expected: { wrapped_key_cryptogram_hex: string; kcv: string };
}
export interface Tr34Json {
  asc_x9_tr34_2019_annex_b: {
    keys: Record<'root' | 'ca_kdh' | 'ca_krd' | 'kdh_1' | 'kdh_2' | 'krd_1', KeyEntry>;
    items: Record<string, { clause: string; description: string; der_hex: string }>;
    known_values: Record<string, string>;
  };
  generated_test_keys: Record<'ca_rsa4096' | 'kdh_rsa3072' | 'krd_rsa3072', KeyEntry>;
  aws_tr34_2012_vectors: { vectors: Tr34Vector[] };
  rsa_wrap_vectors: { vectors: RsaWrapVector[] };
}

export const TR34 = loadVectors<Tr34Json>('tr34.json');
export const ASC = TR34.asc_x9_tr34_2019_annex_b;
type KnownKey =
  | 'clear_key'
  | 'clear_key_kcv_tdes_2key'
  | 'clear_key_kcv_aes_cmac'
  | 'header_tdea'
  | 'header_aes'
  | 'tdea_ephemeral_key'
  | 'tdea_iv'
  | 'aes_ephemeral_key'
  | 'aes_iv_effective'
  | 'random_nonce_2pass_16'
  | 'random_nonce_8';
export const KNOWN = ASC.known_values as Record<KnownKey, string>;

/** A date inside the validity of every ASC Annex B certificate (2010-11-02 … 2020-10-29). */
export const ASC_VALID_AT = new Date('2015-06-01T00:00:00Z');

export interface Party {
  certificate: Certificate;
  privateKey: RsaPrivateKey;
}

/** Resolves a vector's key reference ("asc.keys.kdh_1", "generated_test_keys.krd_rsa3072"). */
export function keyRef(ref: string): KeyEntry {
  const [top, ...rest] = ref.split('.');
  const entry =
    top === 'asc' && rest[0] === 'keys'
      ? ASC.keys[rest[1] as keyof typeof ASC.keys]
      : top === 'generated_test_keys'
        ? TR34.generated_test_keys[rest[0] as keyof typeof TR34.generated_test_keys]
        : undefined;
  if (entry === undefined) throw new Error(`unknown key reference ${ref}`);
  return entry;
}

export function party(ref: string): Party {
  const e = keyRef(ref);
  return { certificate: Certificate.parse(e.cert_pem), privateKey: RsaPrivateKey.fromPkcs8(e.private_key_pem) };
}

import { GetParametersForImportCommand, ImportKeyCommand, type KeyModesOfUse, type PaymentCryptographyClient } from '@aws-sdk/client-payment-cryptography';
import { AWS_KEY_ALGORITHMS, tr31HeaderFieldsFromAws, wrapTr31 } from '@paycrypt/keyblock';
import { spawnSync } from 'node:child_process';
import { constants, createCipheriv, createDecipheriv, createHmac, publicEncrypt, randomBytes, X509Certificate } from 'node:crypto';

/**
 * The adapter's test kit. Keys are imported *by value* so that expected answers can be computed
 * independently: a KEK by RSA-OAEP key cryptogram (node:crypto encrypts to the emulator's import
 * certificate), working keys as TR-31 version D blocks under it. The expected values (KCV, CVV,
 * HMAC) are computed here with node:crypto only.
 */

export const PAN = '4111111111111111';
export const EXPIRY = '1230';
export const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

export interface Kek {
  arn: string;
  clear: Uint8Array;
}

/** An AES-128 K0 KEK imported by RSA-3072 OAEP-SHA256 key cryptogram; its clear value is known. */
export async function kekByValue(client: PaymentCryptographyClient): Promise<Kek> {
  const params = await client.send(new GetParametersForImportCommand({ KeyMaterialType: 'KEY_CRYPTOGRAM', WrappingKeyAlgorithm: 'RSA_3072' }));
  const cert = new X509Certificate(Buffer.from(params.WrappingKeyCertificate!, 'base64').toString('utf8'));
  const clear = new Uint8Array(randomBytes(16));
  const cryptogram = publicEncrypt({ key: cert.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, clear).toString('hex').toUpperCase();
  const out = await client.send(
    new ImportKeyCommand({
      KeyMaterial: {
        KeyCryptogram: {
          KeyAttributes: { KeyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_128', KeyModesOfUse: { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true } },
          Exportable: true,
          WrappedKeyCryptogram: cryptogram,
          ImportToken: params.ImportToken!,
        },
      },
    }),
  );
  return { arn: out.Key!.KeyArn!, clear };
}

/** Import `clear` with the given attributes as a TR-31 D block under `kek`; answers ARN and KCV. */
export async function importByValue(client: PaymentCryptographyClient, kek: Kek, clear: Uint8Array, KeyUsage: string, KeyAlgorithm: string, KeyModesOfUse: KeyModesOfUse): Promise<{ arn: string; kcv: string }> {
  const fields = tr31HeaderFieldsFromAws({ KeyUsage, KeyAlgorithm, KeyModesOfUse: KeyModesOfUse as never }, 'E');
  // an HMAC key carries its hash in an HM optional block (X9.143), from keyblock's AWS table
  const hm = AWS_KEY_ALGORITHMS.find((r) => r.aws === KeyAlgorithm)?.hm;
  const optionalBlocks = hm === undefined ? [] : [{ id: 'HM', data: hm, raw: `HM06${hm}` }];
  const block = wrapTr31(kek.clear, { version: 'D', keyVersion: '00', keyContext: '0', optionalBlocks, ...fields }, clear);
  const out = await client.send(new ImportKeyCommand({ KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kek.arn, WrappedKeyBlock: block } } }));
  return { arn: out.Key!.KeyArn!, kcv: out.Key!.KeyCheckValue! };
}

// ---- independent oracles (node:crypto only) -------------------------------------------------

/** TDES (2- or 3-key) ECB encryption of one or more 8-byte blocks. */
export function tdesEcb(key: Uint8Array, data: Uint8Array): Uint8Array {
  const k = key.length === 16 ? Buffer.concat([key, key.subarray(0, 8)]) : key.length === 8 ? Buffer.concat([key, key, key]) : Buffer.from(key);
  const c = createCipheriv('des-ede3-ecb', k, null);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

/** ANSI X9.24 KCV of a TDES key: first 3 bytes of E(0…0), hex. */
export function tdesKcvOracle(key: Uint8Array): string {
  return Buffer.from(tdesEcb(key, new Uint8Array(8)).subarray(0, 3)).toString('hex').toUpperCase();
}

/** AES-CMAC KCV (first 3 bytes of CMAC over a zero block) via AES-ECB: CMAC of one full block = E(K, M xor K1). */
export function aesCmacKcvOracle(key: Uint8Array): string {
  const ecb = (b: Uint8Array) => {
    const c = createCipheriv(`aes-${key.length * 8}-ecb`, key, null);
    c.setAutoPadding(false);
    return new Uint8Array(Buffer.concat([c.update(b), c.final()]));
  };
  const l = ecb(new Uint8Array(16));
  const k1 = new Uint8Array(16);
  for (let i = 0; i < 16; i++) k1[i] = ((l[i]! << 1) | (i < 15 ? l[i + 1]! >> 7 : 0)) & 0xff;
  if ((l[0]! & 0x80) !== 0) k1[15] = k1[15]! ^ 0x87;
  return Buffer.from(ecb(k1).subarray(0, 3)).toString('hex').toUpperCase();
}

/**
 * The Visa CVV method (CVV, CVV2 with service code 000, iCVV 999), from its published
 * description: PAN ‖ expiry ‖ service code, zero-padded to 32 digits; encrypt the first 8 bytes
 * with key A (single DES), XOR the second 8, encrypt with A‖B (TDES); decimalise (digits first,
 * then A–F minus 10) and take the first `length` digits.
 */
export function cvvOracle(cvk: Uint8Array, pan: string, expiry: string, serviceCode: string, length = 3): string {
  const digits = (pan + expiry + serviceCode).padEnd(32, '0');
  const d = Buffer.from(digits, 'hex');
  const a = cvk.subarray(0, 8);
  const step1 = tdesEcb(a, d.subarray(0, 8));
  const x = new Uint8Array(8);
  for (let i = 0; i < 8; i++) x[i] = step1[i]! ^ d[8 + i]!;
  const hex = Buffer.from(tdesEcb(cvk, x)).toString('hex').toUpperCase();
  const dec = [...hex].filter((c) => c >= '0' && c <= '9').join('') + [...hex].filter((c) => c >= 'A').map((c) => String(c.charCodeAt(0) - 65)).join('');
  return dec.slice(0, length);
}

export function hmacSha256Oracle(key: Uint8Array, messageHex: string): string {
  return createHmac('sha256', key).update(Buffer.from(messageHex, 'hex')).digest('hex').toUpperCase();
}

let boto3: boolean | undefined;
/** Whether python3 with botocore is here; warns once when not. */
export function hasBotocore(): boolean {
  if (boto3 === undefined) {
    const r = spawnSync('python3', ['-c', 'import botocore.auth'], { encoding: 'utf8' });
    boto3 = r.status === 0;
    if (!boto3) console.warn('WARNING: python3 with boto3/botocore is not available: the botocore SigV4 cross-check is skipped');
  }
  return boto3;
}

/** ISO 9797-1 MAC algorithm 3 (retail MAC, padding method 1) with a 2-key TDES key, by node:crypto single-DES steps. */
export function retailMacOracle(key: Uint8Array, messageHex: string): string {
  const m = Buffer.from(messageHex, 'hex');
  const padded = Buffer.concat([m, Buffer.alloc((8 - (m.length % 8)) % 8 || (m.length === 0 ? 8 : 0))]);
  const k1 = key.subarray(0, 8);
  const k2 = key.subarray(8, 16);
  let h: Uint8Array = new Uint8Array(8);
  for (let i = 0; i < padded.length; i += 8) {
    const x = new Uint8Array(8);
    for (let j = 0; j < 8; j++) x[j] = h[j]! ^ padded[i + j]!;
    h = tdesEcb(k1, x);
  }
  const d = createDecipheriv('des-ede3-ecb', Buffer.concat([k2, k2, k2]), null).setAutoPadding(false);
  const mid = Buffer.concat([d.update(h), d.final()]);
  return Buffer.from(tdesEcb(k1, mid)).toString('hex').toUpperCase();
}

/** ISO 9564 format 0: the clear PIN of a PIN block decrypted under a TDES PEK, by node:crypto. */
export function pinFromIso0Block(pek: Uint8Array, encryptedHex: string, pan: string): string {
  const d = createDecipheriv('des-ede3-ecb', Buffer.concat([pek, pek.subarray(0, 8)]), null).setAutoPadding(false);
  const clear = Buffer.concat([d.update(Buffer.from(encryptedHex, 'hex')), d.final()]).toString('hex').toUpperCase();
  const panField = ('0000' + pan.slice(-13, -1)).toUpperCase();
  let pinField = '';
  for (let i = 0; i < 16; i++) pinField += (parseInt(clear[i]!, 16) ^ parseInt(panField[i]!, 16)).toString(16).toUpperCase();
  const n = parseInt(pinField[1]!, 16);
  return pinField.slice(2, 2 + n);
}

/** The Visa PVV from its published description: TSP = 11 PAN digits (check digit excluded) ‖ PVKI ‖ 4 PIN digits, TDES under the PVK, decimalised, 4 digits. */
export function visaPvvOracle(pvk: Uint8Array, pan: string, pin: string, pvki: number): string {
  const tsp = pan.slice(-12, -1) + String(pvki) + pin.slice(0, 4);
  const hex = Buffer.from(tdesEcb(pvk, Buffer.from(tsp, 'hex'))).toString('hex').toUpperCase();
  const dec = [...hex].filter((c) => c >= '0' && c <= '9').join('') + [...hex].filter((c) => c >= 'A').map((c) => String(c.charCodeAt(0) - 65)).join('');
  return dec.slice(0, 4);
}

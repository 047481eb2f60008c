import { constants, publicEncrypt, X509Certificate } from 'node:crypto';
import { Agent, request } from 'node:http';
import { bytesToHex, createTdes, decipherIso4PinBlock, ecbEncrypt, encodePinBlock, hexToBytes, tdesDukptWorkingKey } from '@paycrypt/primitives';
import { wrapTr31, tr31HeaderFieldsFromAws } from '@paycrypt/keyblock';
import { benchAsync, type BenchRow } from '../../../scripts/bench-lib.js';
import { Emulator } from '../src/index.js';
import { startChild } from './child.js';

/**
 * Data-plane benchmarks: the core (`emulator.call`, no wire) in this process, and HTTP keep-alive
 * against the emulator in its own process with a plain node:http client (the server's
 * throughput, not a client SDK's). Every key is imported by value (RSA-OAEP key cryptogram) so
 * that each result is checked against a published value before timing:
 * - CVV2: test-vectors/cvv.json "CVV2 = CVV algorithm with service code 000" → 221;
 * - CMAC: NIST SP 800-38B, AES-128 example 2 → 070A16B46B4D4144F79BDD9DD04A287C;
 * - ARQC: the AWS user guide's CVN18 example (IMK KCV 08D7B4) → 61EDCC708B4C97B4;
 * - TranslatePinData: the ISO-4 output decrypts (AES-128 PEK known) to the PIN sent in.
 */

const AUTH = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260110/us-east-1/payment-cryptography/aws4_request, SignedHeaders=host, Signature=0';
const PAN = '4123456789012345';
const CVK = '0123456789ABCDEFFEDCBA9876543210';
const IMK = '0123456789ABCDEFFEDCBA9876543210';
const BDK = '0123456789ABCDEFFEDCBA9876543210';
const KSN = 'FFFF9876543210E00001';
const CMAC_KEY = '2B7E151628AED2A6ABF7158809CF4F3C';
const PEK_AES = '000102030405060708090A0B0C0D0E0F';
const DEK_AES = '00112233445566778899AABBCCDDEEFF';
const ARQC_INPUT = {
  // test-vectors/emv.json aws-doc-arqc-visa-cvn18-emvcommon (AWS user guide)
  TransactionData: '00000000170000000000000008400080008000084016051700000000093800000B1F2201030000000000000000000000000000000000000000000000000000008000000000000000',
  AuthRequestCryptogram: '61EDCC708B4C97B4',
  MajorKeyDerivationMode: 'EMV_OPTION_A',
  SessionKeyDerivationAttributes: { EmvCommon: { PrimaryAccountNumber: '9137631040001422', PanSequenceNumber: '01', ApplicationTransactionCounter: '000B' } },
  AuthResponseAttributes: { ArpcMethod1: { AuthResponseCode: '3030' } },
};

type Call = (op: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;

const ROUTES: Record<string, string> = {
  GenerateCardValidationData: '/cardvalidationdata/generate',
  GenerateMac: '/mac/generate',
  TranslatePinData: '/pindata/translate',
  VerifyAuthRequestCryptogram: '/cryptogram/verify',
};

function post(agent: Agent, url: URL, path: string, headers: Record<string, string>, body: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: url.hostname, port: url.port, path, method: 'POST', headers: { ...headers, authorization: AUTH, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode === 200) resolve(JSON.parse(text) as Record<string, unknown>);
        else reject(new Error(`${path}: HTTP ${res.statusCode} ${text.slice(0, 200)}`));
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

function httpCaller(agent: Agent, endpoint: string): { control: Call; data: Call } {
  const url = new URL(endpoint);
  return {
    control: (op, input) => post(agent, url, '/', { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `PaymentCryptographyControlPlane.${op}` }, JSON.stringify(input)),
    data: (op, input) => post(agent, url, ROUTES[op]!, { 'content-type': 'application/json' }, JSON.stringify(input)),
  };
}

function coreCaller(em: Emulator): Call {
  return (op, input) => em.call(op as never, input) as Promise<Record<string, unknown>>;
}

/** Import a TDES / AES-128 key of known value by RSA-3072 OAEP key cryptogram. */
async function importByCryptogram(control: Call, clearHex: string, KeyUsage: string, KeyAlgorithm: string, KeyModesOfUse: Record<string, boolean>): Promise<string> {
  const p = await control('GetParametersForImport', { KeyMaterialType: 'KEY_CRYPTOGRAM', WrappingKeyAlgorithm: 'RSA_3072' });
  const cert = new X509Certificate(Buffer.from(p.WrappingKeyCertificate as string, 'base64').toString('utf8'));
  const cryptogram = publicEncrypt({ key: cert.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(clearHex, 'hex')).toString('hex').toUpperCase();
  const out = await control('ImportKey', {
    KeyMaterial: { KeyCryptogram: { KeyAttributes: { KeyUsage, KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm, KeyModesOfUse }, Exportable: true, WrappedKeyCryptogram: cryptogram, ImportToken: p.ImportToken } },
  });
  return (out.Key as { KeyArn: string }).KeyArn;
}

interface Keys {
  cvk: string;
  cmac: string;
  imk: string;
  bdk: string;
  pekAes: string;
  kek: string;
  dek: string;
}

async function setUp(control: Call): Promise<Keys> {
  const gv = { Generate: true, Verify: true };
  const all = { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true };
  return {
    cvk: await importByCryptogram(control, CVK, 'TR31_C0_CARD_VERIFICATION_KEY', 'TDES_2KEY', gv),
    cmac: await importByCryptogram(control, CMAC_KEY, 'TR31_M6_ISO_9797_5_CMAC_KEY', 'AES_128', gv),
    imk: await importByCryptogram(control, IMK, 'TR31_E0_EMV_MKEY_APP_CRYPTOGRAMS', 'TDES_2KEY', { DeriveKey: true }),
    bdk: await importByCryptogram(control, BDK, 'TR31_B0_BASE_DERIVATION_KEY', 'TDES_2KEY', { DeriveKey: true }),
    pekAes: await importByCryptogram(control, PEK_AES, 'TR31_P0_PIN_ENCRYPTION_KEY', 'AES_128', all),
    kek: await importByCryptogram(control, PEK_AES, 'TR31_K0_KEY_ENCRYPTION_KEY', 'AES_128', all),
    dek: await importByCryptogram(control, DEK_AES, 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', 'AES_128', all),
  };
}

/** The ISO-0 PIN block of 1234 under the TDES DUKPT PIN key of BDK/KSN (X9.24-1 PIN variant). */
function dukptPinBlock(): string {
  const pinKey = tdesDukptWorkingKey(hexToBytes(BDK), hexToBytes(KSN), 'PIN');
  return bytesToHex(ecbEncrypt(createTdes(pinKey), encodePinBlock('ISO_0', '1234', PAN)));
}

function inputs(k: Keys) {
  const cvv2 = { KeyIdentifier: k.cvk, PrimaryAccountNumber: PAN, GenerationAttributes: { CardVerificationValue2: { CardExpiryDate: '0225' } } };
  const cmac = { KeyIdentifier: k.cmac, MessageData: '6BC1BEE22E409F96E93D7E117393172A', GenerationAttributes: { Algorithm: 'CMAC' }, MacLength: 16 };
  const arqc = { KeyIdentifier: k.imk, ...ARQC_INPUT };
  const translate = {
    IncomingKeyIdentifier: k.bdk,
    OutgoingKeyIdentifier: k.pekAes,
    EncryptedPinBlock: dukptPinBlock(),
    IncomingTranslationAttributes: { IsoFormat0: { PrimaryAccountNumber: PAN } },
    OutgoingTranslationAttributes: { IsoFormat4: { PrimaryAccountNumber: PAN } },
    IncomingDukptAttributes: { KeySerialNumber: KSN, DukptKeyDerivationType: 'TDES_2KEY', DukptKeyVariant: 'REQUEST' },
  };
  return { cvv2, cmac, arqc, translate };
}

async function check(data: Call, k: Keys): Promise<void> {
  const i = inputs(k);
  const cvv = await data('GenerateCardValidationData', i.cvv2);
  if (cvv.ValidationData !== '221') throw new Error(`CVV2 ${String(cvv.ValidationData)}, published 221`);
  const mac = await data('GenerateMac', i.cmac);
  if (mac.Mac !== '070A16B46B4D4144F79BDD9DD04A287C') throw new Error(`CMAC ${String(mac.Mac)}`);
  await data('VerifyAuthRequestCryptogram', i.arqc); // throws unless the published ARQC verifies
  const t = await data('TranslatePinData', i.translate);
  const block = hexToBytes(t.PinBlock as string);
  const pins = [PAN, PAN.slice(-13, -1)].map((pan) => {
    try {
      return decipherIso4PinBlock(hexToBytes(PEK_AES), block, pan);
    } catch {
      return undefined;
    }
  });
  if (!pins.includes('1234')) throw new Error('TranslatePinData ISO-4 output does not decrypt to the PIN');
}


export async function runDataPlane(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  // ---- core ----------------------------------------------------------------------------------
  const em = Emulator.inMemory();
  const core = coreCaller(em);
  const k = await setUp(core);
  await check(core, k);
  const i = inputs(k);
  rows.push(await benchAsync('emulator', 'GenerateCardValidationData CVV2, core call', () => em.call('GenerateCardValidationData', i.cvv2), { target: '≥ 100,000' }));
  rows.push(await benchAsync('emulator', 'VerifyAuthRequestCryptogram EmvCommon + ARPC 1, core call', () => em.call('VerifyAuthRequestCryptogram', i.arqc as never), { target: '≥ 50,000' }));
  // dynamic key vs stored key, same EncryptData (AES-128 CBC, one block), side by side
  const enc = { Symmetric: { Mode: 'CBC' } };
  const block = wrapTr31(
    hexToBytes(PEK_AES),
    { version: 'D', keyVersion: '00', keyContext: '0', optionalBlocks: [], ...tr31HeaderFieldsFromAws({ KeyUsage: 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', KeyAlgorithm: 'AES_128', KeyModesOfUse: { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true } }) },
    hexToBytes(DEK_AES),
  );
  const stored = { KeyIdentifier: k.dek, PlainText: '00112233445566778899AABBCCDDEEFF', EncryptionAttributes: enc };
  const dynamic = { KeyIdentifier: k.kek, PlainText: stored.PlainText, EncryptionAttributes: enc, WrappedKey: { WrappedKeyMaterial: { Tr31KeyBlock: block } } };
  const a = (await em.call('EncryptData', stored as never)) as { CipherText: string };
  const b = (await em.call('EncryptData', dynamic as never)) as { CipherText: string };
  if (a.CipherText !== b.CipherText) throw new Error('dynamic and stored DEK disagree');
  rows.push(await benchAsync('emulator', 'EncryptData AES-128 CBC, stored key, core call', () => em.call('EncryptData', stored as never)));
  rows.push(await benchAsync('emulator', 'EncryptData AES-128 CBC, dynamic TR-31 WrappedKey, core call', () => em.call('EncryptData', dynamic as never), { target: '≤ 3× slower than stored' }));
  await em.close();

  // ---- HTTP, emulator in its own process -----------------------------------------------------
  const { child, endpoint } = await startChild();
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  try {
    const http = httpCaller(agent, endpoint);
    const hk = await setUp(http.control);
    await check(http.data, hk);
    const hi = inputs(hk);
    const opts = { concurrency: 16 };
    rows.push(await benchAsync('emulator', 'GenerateCardValidationData CVV2, HTTP keep-alive, plain client, 16 in flight', () => http.data('GenerateCardValidationData', hi.cvv2), { ...opts, target: '≥ 10,000' }));
    rows.push(await benchAsync('emulator', 'TranslatePinData ISO 0 (TDES DUKPT) → ISO 4 (AES PEK), HTTP, 16 in flight', () => http.data('TranslatePinData', hi.translate), { ...opts, target: '≥ 5,000' }));
    rows.push(await benchAsync('emulator', 'GenerateMac CMAC AES-128, HTTP keep-alive, 16 in flight', () => http.data('GenerateMac', hi.cmac), { ...opts, target: '≥ 10,000' }));
    rows.push(await benchAsync('emulator', 'VerifyAuthRequestCryptogram EmvCommon + ARPC 1, HTTP, 16 in flight', () => http.data('VerifyAuthRequestCryptogram', hi.arqc), { ...opts, target: '≥ 5,000' }));
  } finally {
    agent.destroy();
    child.kill('SIGTERM');
  }
  return rows;
}


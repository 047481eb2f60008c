import { GetParametersForImportCommand, ImportKeyCommand, PaymentCryptographyClient, type KeyModesOfUse } from '@aws-sdk/client-payment-cryptography';
import { wrapTr31, tr31HeaderFieldsFromAws } from '@paycrypt/keyblock';
import { spawnSync } from 'node:child_process';
import { constants, publicEncrypt, randomBytes, X509Certificate } from 'node:crypto';
import { Emulator } from '../src/index.js';
import { startHttpServer, type RunningServer } from '../src/transport/http-server.js';
import { credentials } from './helpers.js';
import { runPythonJson } from './python-json.js';

/**
 * The data-plane test kit: an emulator over HTTP, the real control-plane SDK to set keys up, and
 * boto3 (python3) as the foreign data-plane client — nothing of ours on the client side of a
 * data-plane call. Keys are imported *by value*: a KEK by RSA-OAEP key cryptogram (node:crypto
 * encrypts to the emulator's import certificate), then each working key as a TR-31 version D
 * block built with @paycrypt/keyblock under that KEK.
 */

export interface DataPlaneHarness {
  emulator: Emulator;
  server: RunningServer;
  endpoint: string;
  client: PaymentCryptographyClient;
  close(): Promise<void>;
}

export async function dataPlaneHarness(emulator?: Emulator): Promise<DataPlaneHarness> {
  const em = emulator ?? Emulator.inMemory();
  const server = await startHttpServer(em);
  const client = new PaymentCryptographyClient({ region: 'us-east-1', endpoint: server.endpoint, credentials, maxAttempts: 1 });
  return {
    emulator: em,
    server,
    endpoint: server.endpoint,
    client,
    async close() {
      client.destroy();
      await server.close();
      await em.close();
    },
  };
}

// ---- boto3 -----------------------------------------------------------------------------------

let boto3Checked: boolean | undefined;

/** Whether python3 with boto3 (with the data-plane model) is on this machine; warns once when not. */
export function hasBoto3(): boolean {
  if (boto3Checked === undefined) {
    const r = spawnSync('python3', ['-c', "import boto3; boto3.client('payment-cryptography-data', region_name='us-east-1')"], { encoding: 'utf8' });
    boto3Checked = r.status === 0;
    if (!boto3Checked) console.warn('WARNING: python3 with boto3 is not available: the boto3 data-plane tests are skipped');
  }
  return boto3Checked;
}

const PYTHON_RUNNER = String.raw`
import json, sys, boto3, botocore
from botocore.config import Config
req = json.load(sys.stdin)
c = boto3.client('payment-cryptography-data', region_name='us-east-1', endpoint_url=req['endpoint'],
                 aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='secret',
                 config=Config(retries={'max_attempts': 1}))
out = []
for call in req['calls']:
    try:
        r = getattr(c, call['op'])(**call['params'])
        r.pop('ResponseMetadata', None)
        out.append({'ok': r})
    except botocore.exceptions.ClientError as e:
        err = dict(e.response.get('Error', {}))
        body = {k: v for k, v in e.response.items() if k not in ('Error', 'ResponseMetadata')}
        out.append({'error': {'code': err.get('Code'), 'message': err.get('Message'), 'status': e.response['ResponseMetadata']['HTTPStatusCode'], 'fields': body}})
    except botocore.exceptions.ParamValidationError as e:
        out.append({'clientValidation': str(e)})
print(json.dumps(out))
`;

export interface Boto3Call {
  /** the boto3 method name, e.g. generate_card_validation_data */
  op: string;
  params: Record<string, unknown>;
}

export type Boto3Result =
  | { ok: Record<string, unknown>; error?: undefined; clientValidation?: undefined }
  | { ok?: undefined; error: { code: string; message: string; status: number; fields: Record<string, unknown> }; clientValidation?: undefined }
  | { ok?: undefined; error?: undefined; clientValidation: string };

/**
 * Run data-plane calls through boto3 against `endpoint` in one python process (asynchronously:
 * the emulator under test serves from this process's event loop).
 */
export function boto3Calls(endpoint: string, calls: Boto3Call[]): Promise<Boto3Result[]> {
  return runPythonJson<Boto3Result[]>(PYTHON_RUNNER, { endpoint, calls });
}

/** One boto3 call; throws when it did not succeed. */
export async function boto3Ok(endpoint: string, op: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  const [res] = await boto3Calls(endpoint, [{ op, params }]);
  if (res?.ok === undefined) throw new Error(`${op} failed: ${JSON.stringify(res)}`);
  return res.ok;
}

// ---- keys by value ----------------------------------------------------------------------------

export interface ImportedKey {
  arn: string;
  kcv: string;
}

const keks = new WeakMap<PaymentCryptographyClient, Promise<{ arn: string; clear: Uint8Array }>>();

/** An AES-128 K0 KEK imported by RSA-3072 OAEP key cryptogram (RSA-3072: as strong as AES-128) (AES-128 is the strongest AES key a key cryptogram may carry); its clear value is known to the test. It can wrap TDES and AES-128 keys (a wrapping key at least as strong as the key). */
export function kekByValue(client: PaymentCryptographyClient): Promise<{ arn: string; clear: Uint8Array }> {
  let p = keks.get(client);
  if (p === undefined) {
    p = (async () => {
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
    })();
    keks.set(client, p);
  }
  return p;
}

/** A TR-31 version D block of `clearHex` with the given AWS attributes, under the test KEK. */
export async function tr31Block(client: PaymentCryptographyClient, clearHex: string, KeyUsage: string, KeyAlgorithm: string, KeyModesOfUse: KeyModesOfUse): Promise<string> {
  const kek = await kekByValue(client);
  const fields = tr31HeaderFieldsFromAws({ KeyUsage, KeyAlgorithm, KeyModesOfUse: KeyModesOfUse as never }, 'E');
  return wrapTr31(kek.clear, { version: 'D', keyVersion: '00', keyContext: '0', optionalBlocks: [], ...fields }, new Uint8Array(Buffer.from(clearHex, 'hex')));
}

/** Import a key of known clear value (hex) with the given AWS attributes; answers ARN and KCV. */
export async function importByValue(client: PaymentCryptographyClient, clearHex: string, KeyUsage: string, KeyAlgorithm: string, KeyModesOfUse: KeyModesOfUse): Promise<ImportedKey> {
  const kek = await kekByValue(client);
  const block = await tr31Block(client, clearHex, KeyUsage, KeyAlgorithm, KeyModesOfUse);
  const out = await client.send(new ImportKeyCommand({ KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kek.arn, WrappedKeyBlock: block } } }));
  return { arn: out.Key!.KeyArn!, kcv: out.Key!.KeyCheckValue! };
}

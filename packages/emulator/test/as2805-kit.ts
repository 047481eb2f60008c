import { createCipheriv, createDecipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { runPythonJson } from './python-json.js';

/**
 * AS2805 test kit: node 1 of AWS's AS2805 node-to-node sample computed with node:crypto (TDES-CBC,
 * zero IV, KEK ⊕ variant mask from test-vectors/data-plane-as2805.json), and boto3 for both planes
 * (the data-plane kit's runner has the data plane only) in one python process per batch.
 */

export interface Vectors {
  keyVariants: { variant: string; mask: string; keyUsage: string; source: string }[];
  kekValidationMasks: { mask: string; send: string; receive: string; source: string }[];
}
export const V = JSON.parse(readFileSync(new URL('../../../test-vectors/data-plane-as2805.json', import.meta.url), 'utf8')) as Vectors;
export const unpublished = (source: string) => (source.includes('NOT published') ? ' [emulator choice, unpublished layout]' : '');
export const maskOf = (variant: string) => V.keyVariants.find((v) => v.variant === variant)!.mask;

// ---- node 1: node:crypto ----------------------------------------------------------------------
export const hex = (b: Buffer) => b.toString('hex').toUpperCase();
export function variantKey(kek: Buffer, mask16: string): Buffer {
  const m = Buffer.from(mask16, 'hex');
  return Buffer.from(kek.map((b, i) => b ^ m[i % 16]!));
}
export function tdesCbc(key: Buffer, data: Buffer, decrypt = false): Buffer {
  const alg = key.length === 16 ? 'des-ede-cbc' : 'des-ede3-cbc';
  const c = decrypt ? createDecipheriv(alg, key, Buffer.alloc(8)) : createCipheriv(alg, key, Buffer.alloc(8));
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}
export const kcv = (key: Buffer) => hex(tdesCbc(key, Buffer.alloc(8))).slice(0, 6);
/** bitwise NOT, then odd parity per byte (sample 1_5) */
export const invert = (b: Buffer) =>
  Buffer.from(b.map((x) => {
    let v = ~x & 0xff;
    let ones = 0;
    for (let t = v; t; t &= t - 1) ones++;
    if (ones % 2 === 0) v ^= 1;
    return v;
  }));

// ---- boto3, both planes, one python process per batch ---------------------------------------
const RUNNER = String.raw`
import json, sys, boto3, botocore
from botocore.config import Config
req = json.load(sys.stdin)
mk = lambda name: boto3.client(name, region_name='us-east-1', endpoint_url=req['endpoint'], aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='secret', config=Config(retries={'max_attempts': 1}))
clients = {'control': mk('payment-cryptography'), 'data': mk('payment-cryptography-data')}
out = []
for call in req['calls']:
    try:
        r = getattr(clients[call['plane']], call['op'])(**call['params'])
        r.pop('ResponseMetadata', None)
        out.append({'ok': json.loads(json.dumps(r, default=str))})
    except botocore.exceptions.ClientError as e:
        err = e.response.get('Error', {})
        out.append({'error': {'code': err.get('Code'), 'message': err.get('Message'), 'status': e.response['ResponseMetadata']['HTTPStatusCode'], 'reason': e.response.get('Reason')}})
    except botocore.exceptions.ParamValidationError as e:
        out.append({'clientValidation': str(e)})
print(json.dumps(out))
`;
export type Call = { plane: 'control' | 'data'; op: string; params: Record<string, unknown> };
export type Res = { ok?: Record<string, any>; error?: { code: string; message: string; status: number }; clientValidation?: string };
export function boto(endpoint: string, calls: Call[]): Promise<Res[]> {
  return runPythonJson<Res[]>(RUNNER, { endpoint, calls });
}
export const data = (op: string, params: Record<string, unknown>): Call => ({ plane: 'data', op, params });
export const control = (op: string, params: Record<string, unknown>): Call => ({ plane: 'control', op, params });
export const kekv = (KeyIdentifier: string, KekValidationType: unknown, RandomKeySendVariantMask = 'VARIANT_MASK_82') => data('generate_as2805_kek_validation', { KeyIdentifier, KekValidationType, RandomKeySendVariantMask });
export function expectValidation(r: Res | undefined, text: RegExp): void {
  expect(r?.error, JSON.stringify(r)).toBeDefined();
  expect(r!.error!.code).toBe('ValidationException');
  expect(r!.error!.status).toBe(400);
  expect(r!.error!.message).toMatch(text);
}


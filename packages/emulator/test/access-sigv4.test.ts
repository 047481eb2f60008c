import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { CreateKeyCommand, ListKeysCommand, PaymentCryptographyClient } from '@aws-sdk/client-payment-cryptography';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Emulator } from '../src/emulator.js';
import { inProcessHandler } from '../src/transport/in-process.js';
import { startHttpServer, type RunningServer } from '../src/transport/http-server.js';
import { parseCredentials } from '../src/protocol/sigv4.js';
import { runPythonJson } from './python-json.js';

/**
 * Optional SigV4 verification (issue 11, "Access"): with credentials configured, both planes
 * check the signature as AWS computes it (the SDK's own signer recomputes it) and take the
 * account from the credential.
 */
const AKID = 'AKIDTEAMALICE';
const SECRET = 'alice-secret-0123456789';
const ACCOUNT = '444455556666';
const AKID_DIGITS = '999988887777'; // a 12-digit key id: must NOT select account 999988887777
const CREDS = { [AKID]: { secretAccessKey: SECRET, accountId: ACCOUNT }, [AKID_DIGITS]: { secretAccessKey: 'digits-secret', accountId: '123412341234' } };

const BOTO = String.raw`
import json, sys, boto3, botocore
from botocore.config import Config
req = json.loads(sys.stdin.read())
def mk(name, secret):
    return boto3.client(name, region_name='us-east-1', endpoint_url=req['endpoint'], aws_access_key_id=req['akid'], aws_secret_access_key=secret, config=Config(retries={'max_attempts': 1}))
out = {}
def run(label, fn):
    try:
        r = fn()
        out[label] = {'ok': True, 'value': r}
    except botocore.exceptions.ClientError as e:
        out[label] = {'ok': False, 'code': e.response['Error']['Code'], 'status': e.response['ResponseMetadata']['HTTPStatusCode']}
cp = mk('payment-cryptography', req['secret'])
dp = mk('payment-cryptography-data', req['secret'])
bad_cp = mk('payment-cryptography', 'wrong')
bad_dp = mk('payment-cryptography-data', 'wrong')
def create():
    k = cp.create_key(Exportable=True, KeyAttributes={'KeyUsage': 'TR31_C0_CARD_VERIFICATION_KEY', 'KeyClass': 'SYMMETRIC_KEY', 'KeyAlgorithm': 'TDES_2KEY', 'KeyModesOfUse': {'Generate': True, 'Verify': True}})['Key']['KeyArn']
    out['arn'] = k
    return k
run('cp_ok', create)
arn = out.get('arn', 'arn:aws:payment-cryptography:us-east-1:444455556666:key/zzzzzzzzzzzzzzzz')
gen = lambda c: c.generate_card_validation_data(KeyIdentifier=arn, PrimaryAccountNumber='4111111111111111', GenerationAttributes={'CardVerificationValue2': {'CardExpiryDate': '1230'}})['ValidationData']
run('dp_ok', lambda: gen(dp))
def enc():
    d0 = cp.create_key(Exportable=True, KeyAttributes={'KeyUsage': 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', 'KeyClass': 'SYMMETRIC_KEY', 'KeyAlgorithm': 'AES_128', 'KeyModesOfUse': {'Encrypt': True, 'Decrypt': True, 'Wrap': True, 'Unwrap': True}})['Key']['KeyArn']
    # the ARN is a URI label: percent-encoded in the path, which SigV4 encodes once more
    return dp.encrypt_data(KeyIdentifier=d0, PlainText='00112233445566778899AABBCCDDEEFF', EncryptionAttributes={'Symmetric': {'Mode': 'ECB'}})['CipherText']
run('dp_path', enc)
run('cp_bad', lambda: bad_cp.list_keys()['Keys'])
run('dp_bad', lambda: gen(bad_dp))
print(json.dumps(out))
`;

type BotoResult = Record<string, { ok: boolean; code?: string; status?: number; value?: unknown }> & { arn?: string };

/** boto3 in a child process (asynchronous: the server under test runs in this process). */
function boto(endpoint: string, akid: string, secret: string): Promise<BotoResult> {
  return runPythonJson<BotoResult>(BOTO, { endpoint, akid, secret });
}

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function raw(server: RunningServer, method: string, path: string, headers: Record<string, string>, body: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port: server.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    r.on('error', reject);
    r.end(body);
  });
}

/** A control-plane ListKeys signed by the SDK's signer at `signingDate` with `secret`. */
async function signedListKeys(server: RunningServer, signingDate: Date, secret = SECRET, akid = AKID): Promise<{ headers: Record<string, string>; body: string }> {
  const body = '{}';
  const signer = new SignatureV4({ service: 'payment-cryptography', region: 'us-east-1', credentials: { accessKeyId: akid, secretAccessKey: secret }, sha256: Sha256 });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: server.port,
      path: '/',
      query: {},
      headers: { host: `127.0.0.1:${server.port}`, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'PaymentCryptographyControlPlane.ListKeys' },
      body,
    },
    { signingDate },
  );
  return { headers: signed.headers as Record<string, string>, body };
}

describe('SigV4 verification (credentials configured)', () => {
  let em: Emulator;
  let server: RunningServer;
  beforeAll(async () => {
    em = Emulator.inMemory({ credentials: CREDS });
    server = await startHttpServer(em);
  });
  afterAll(async () => {
    await server.close();
    await em.close();
  });

  it('boto3, both planes: the right secret succeeds, a wrong one is 403 InvalidSignatureException', async () => {
    const r = await boto(server.endpoint, AKID, SECRET);
    expect(r['cp_ok']).toMatchObject({ ok: true });
    expect(r.arn).toMatch(new RegExp(`^arn:aws:payment-cryptography:us-east-1:${ACCOUNT}:key/`));
    expect(r['dp_ok']).toMatchObject({ ok: true });
    expect(r['dp_path']).toMatchObject({ ok: true });
    expect(r['cp_bad']).toEqual({ ok: false, code: 'InvalidSignatureException', status: 403 });
    expect(r['dp_bad']).toEqual({ ok: false, code: 'InvalidSignatureException', status: 403 });
  });

  it('boto3: an unknown access key id is 403 UnrecognizedClientException', async () => {
    const r = await boto(server.endpoint, 'AKIDNOBODY', SECRET);
    expect(r['cp_ok']).toEqual({ ok: false, code: 'UnrecognizedClientException', status: 403 });
  });

  it('a 12-digit access key id gets its credential account, not its digits', async () => {
    const r = await boto(server.endpoint, AKID_DIGITS, 'digits-secret');
    expect(r.arn).toMatch(/^arn:aws:payment-cryptography:us-east-1:123412341234:key\//);
  });

  it('no Authorization header: 403 MissingAuthenticationTokenException, both planes', async () => {
    const cp = await raw(server, 'POST', '/', { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'PaymentCryptographyControlPlane.ListKeys' }, '{}');
    expect(cp.status).toBe(403);
    expect(cp.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
    expect(JSON.parse(cp.body)).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
    const dp = await raw(server, 'POST', '/cardvalidationdata/generate', { 'content-type': 'application/json' }, '{}');
    expect(dp.status).toBe(403);
    expect(dp.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
    expect(JSON.parse(dp.body)).toMatchObject({ Message: 'Missing Authentication Token' });
  });

  it('a malformed Authorization header: 403 IncompleteSignatureException', async () => {
    const r = await raw(server, 'POST', '/', { authorization: 'AWS4-HMAC-SHA256 Credential=AKIDTEAMALICE/20260101/us-east-1/payment-cryptography/aws4_request', 'x-amz-target': 'PaymentCryptographyControlPlane.ListKeys' }, '{}');
    expect(r.status).toBe(403);
    expect(r.headers['x-amzn-errortype']).toBe('IncompleteSignatureException');
  });

  it('the SDK signer at the right time succeeds; 10 minutes off either way is 403 "Signature expired"', async () => {
    const now = await signedListKeys(server, new Date());
    expect((await raw(server, 'POST', '/', now.headers, now.body)).status).toBe(200);
    for (const skew of [-10, 10]) {
      const s = await signedListKeys(server, new Date(Date.now() + skew * 60_000));
      const r = await raw(server, 'POST', '/', s.headers, s.body);
      expect(r.status, String(skew)).toBe(403);
      expect(r.headers['x-amzn-errortype'], String(skew)).toBe('InvalidSignatureException');
      expect(JSON.parse(r.body).message, String(skew)).toMatch(skew < 0 ? /^Signature expired/ : /^Signature not yet current/);
    }
    // 4 minutes off is within AWS's 5
    const near = await signedListKeys(server, new Date(Date.now() - 4 * 60_000));
    expect((await raw(server, 'POST', '/', near.headers, near.body)).status).toBe(200);
  });

  it('a body or signed header changed after signing is 403; the secret is never echoed', async () => {
    const s = await signedListKeys(server, new Date());
    const tampered = await raw(server, 'POST', '/', s.headers, '{"MaxResults":1}');
    expect(tampered.status).toBe(403);
    expect(tampered.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
    const t2 = await raw(server, 'POST', '/', { ...s.headers, 'x-amz-target': 'PaymentCryptographyControlPlane.ListAliases' }, s.body);
    expect(t2.status).toBe(403);
    expect(tampered.body + t2.body).not.toContain(SECRET);
  });

  it('the JS SDK (control plane) over HTTP with the right credentials; a wrong secret is InvalidSignatureException', async () => {
    const cfg = { region: 'eu-west-1', endpoint: server.endpoint, credentials: { accessKeyId: AKID, secretAccessKey: SECRET }, maxAttempts: 1 };
    const cp = new PaymentCryptographyClient(cfg);
    const key = await cp.send(
      new CreateKeyCommand({ Exportable: true, KeyAttributes: { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true } } }),
    );
    expect(key.Key!.KeyArn).toMatch(new RegExp(`^arn:aws:payment-cryptography:eu-west-1:${ACCOUNT}:key/`));
    expect((await cp.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyArn)).toEqual([key.Key!.KeyArn]);
    const bad = new PaymentCryptographyClient({ ...cfg, credentials: { accessKeyId: AKID, secretAccessKey: 'nope' } });
    await expect(bad.send(new ListKeysCommand({}))).rejects.toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403 } });
  });

  it('the in-process transport is verified too (the SDK signs in-process requests)', async () => {
    const mk = (secretAccessKey: string) =>
      new PaymentCryptographyClient({ region: 'us-east-1', endpoint: 'http://emulator.local', credentials: { accessKeyId: AKID, secretAccessKey }, requestHandler: inProcessHandler(em), maxAttempts: 1 });
    expect((await mk(SECRET).send(new ListKeysCommand({}))).Keys).toBeDefined();
    await expect(mk('nope').send(new ListKeysCommand({}))).rejects.toMatchObject({ name: 'InvalidSignatureException' });
  });
});

describe('the credentials file and --credentials-file', () => {
  it('parses JSON (object and array) and lines; errors name the entry, never the secret', () => {
    expect(parseCredentials(JSON.stringify(CREDS)).get(AKID)).toEqual({ secretAccessKey: SECRET, accountId: ACCOUNT });
    expect(parseCredentials(JSON.stringify([{ accessKeyId: AKID, secretAccessKey: SECRET, accountId: ACCOUNT }])).get(AKID)?.accountId).toBe(ACCOUNT);
    expect(parseCredentials(`# team\n${AKID} ${SECRET} ${ACCOUNT}\n\n`).get(AKID)?.secretAccessKey).toBe(SECRET);
    for (const bad of [`${AKID} ${SECRET} 1234`, `${AKID} ${SECRET}`, '', JSON.stringify({ [AKID]: { secretAccessKey: SECRET, accountId: 'x' } })]) {
      let msg = '';
      try {
        parseCredentials(bad);
      } catch (e) {
        msg = (e as Error).message;
      }
      expect(msg, bad).not.toBe('');
      expect(msg).not.toContain(SECRET);
    }
  });

  it('the bin verifies with --credentials-file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'access-creds-'));
    const file = join(dir, 'creds.txt');
    writeFileSync(file, `${AKID} ${SECRET} ${ACCOUNT}\n`);
    const bin = join(import.meta.dirname, '../src/bin/paycrypt-emulator.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', bin, '--port', '0', '--credentials-file', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const endpoint = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      const r = await boto(endpoint, AKID, SECRET);
      expect(r['cp_ok']).toMatchObject({ ok: true });
      expect(r.arn).toContain(`:${ACCOUNT}:key/`);
      expect(r['cp_bad']).toMatchObject({ ok: false, code: 'InvalidSignatureException', status: 403 });
    } finally {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

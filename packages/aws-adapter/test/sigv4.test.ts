import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PaymentCryptographyDataClient as BrowserDataClient } from '../src/browser.js';
import { PaymentCryptographyDataClient, type DataPlaneHttpRequest } from '../src/index.js';
import { credentials, hasBotocore } from './kit.js';

/**
 * The Authorization header of our data-plane requests, recomputed by botocore's SigV4Auth (a
 * signer that is not ours) over the same method, URL, headers, body, time and credentials.
 */
const PY = String.raw`
import json, sys, datetime
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
req = json.load(sys.stdin)
t = datetime.datetime.strptime(req['headers']['x-amz-date'], '%Y%m%dT%H%M%SZ')
botocore.auth.get_current_datetime = lambda *a, **k: t
headers = {k: v for k, v in req['headers'].items() if k not in ('authorization', 'x-amz-date')}
r = AWSRequest(method=req['method'], url=req['url'], headers=headers, data=req['body'].encode('utf-8'))
creds = Credentials(req['akid'], req['secret'], req.get('token'))
botocore.auth.SigV4Auth(creds, 'payment-cryptography', req['region']).add_auth(r)
print(json.dumps({'authorization': r.headers['Authorization'], 'date': r.headers['X-Amz-Date']}))
`;

function botocoreAuthorization(req: DataPlaneHttpRequest, region: string, creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): { authorization: string; date: string } {
  const r = spawnSync('python3', ['-c', PY], {
    input: JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: req.body, region, akid: creds.accessKeyId, secret: creds.secretAccessKey, token: creds.sessionToken }),
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { authorization: string; date: string };
}

async function captured(region: string, endpoint: string, creds: typeof credentials & { sessionToken?: string }, call: (c: PaymentCryptographyDataClient) => Promise<unknown>, cls: typeof BrowserDataClient = PaymentCryptographyDataClient): Promise<DataPlaneHttpRequest> {
  let seen: DataPlaneHttpRequest | undefined;
  const client = new cls({
    region,
    endpoint,
    credentials: creds,
    transport: async (req) => {
      seen = req;
      return { status: 200, headers: { 'content-type': 'application/json' }, body: '{}' };
    },
  });
  await call(client as PaymentCryptographyDataClient);
  return seen!;
}

describe.skipIf(!hasBotocore())('SigV4 of data-plane requests = botocore SigV4Auth', () => {
  const cases: Array<[string, string, string, (c: PaymentCryptographyDataClient) => Promise<unknown>]> = [
    ['GenerateCardValidationData, no label', 'us-east-1', 'https://dataplane.payment-cryptography.us-east-1.amazonaws.com', (c) => c.generateCardValidationData({ KeyIdentifier: 'alias/cvk', PrimaryAccountNumber: '4111111111111111', GenerationAttributes: { CardVerificationValue2: { CardExpiryDate: '1230' } } })],
    ['EncryptData, ARN label (percent-encoded, then double-encoded in the canonical URI)', 'eu-west-2', 'https://dataplane.payment-cryptography.eu-west-2.amazonaws.com', (c) => c.encryptData({ KeyIdentifier: 'arn:aws:payment-cryptography:eu-west-2:111122223333:key/abcdefghijklmnop', PlainText: '0011223344556677', EncryptionAttributes: { Symmetric: { Mode: 'CBC', InitializationVector: '00000000000000000000000000000000' } } })],
    ['ReEncryptData, alias label, endpoint with port and base path', 'us-west-2', 'http://127.0.0.1:4566/emulator', (c) => c.reEncryptData({ IncomingKeyIdentifier: 'alias/in_key-1', OutgoingKeyIdentifier: 'alias/out', CipherText: '00112233', IncomingEncryptionAttributes: { Symmetric: { Mode: 'ECB' } }, OutgoingEncryptionAttributes: { Symmetric: { Mode: 'ECB' } } })],
  ];
  for (const [name, region, endpoint, call] of cases) {
    it(name, async () => {
      const req = await captured(region, endpoint, credentials, call);
      expect(req.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/[a-z0-9-]+\/payment-cryptography\/aws4_request, SignedHeaders=/);
      const theirs = botocoreAuthorization(req, region, credentials);
      expect(theirs.date).toBe(req.headers['x-amz-date']);
      expect(req.headers['authorization']).toBe(theirs.authorization);
    });
  }
  it("the browser entry's signer (sha256-js) gives the same Authorization as botocore", async () => {
    const req = await captured('ap-southeast-2', 'https://dataplane.payment-cryptography.ap-southeast-2.amazonaws.com', credentials, (c) => c.decryptData({ KeyIdentifier: 'alias/k', CipherText: '00112233', DecryptionAttributes: { Symmetric: { Mode: 'ECB' } } }), BrowserDataClient);
    expect(req.headers['authorization']).toBe(botocoreAuthorization(req, 'ap-southeast-2', credentials).authorization);
  });
  it('the comparison is sensitive: one body byte changed gives botocore another signature', async () => {
    const req = await captured('us-east-1', 'https://dataplane.payment-cryptography.us-east-1.amazonaws.com', credentials, (c) => c.generateMac({ KeyIdentifier: 'alias/mac', MessageData: '00', GenerationAttributes: { Algorithm: 'HMAC_SHA256' } }));
    const altered = { ...req, body: req.body.replace('"00"', '"01"') };
    expect(altered.body).not.toBe(req.body);
    const { 'x-amz-content-sha256': _drop, ...headers } = req.headers;
    expect(botocoreAuthorization({ ...altered, headers }, 'us-east-1', credentials).authorization).not.toBe(req.headers['authorization']);
  });
  it('with a session token (x-amz-security-token signed)', async () => {
    const creds = { ...credentials, sessionToken: 'FQoGZXIvYXdzEXAMPLETOKEN//////////' };
    const req = await captured('us-east-1', 'https://dataplane.payment-cryptography.us-east-1.amazonaws.com', creds, (c) => c.verifyMac({ KeyIdentifier: 'alias/mac', MessageData: '00', Mac: '0000', VerificationAttributes: { Algorithm: 'HMAC_SHA256' } }));
    expect(req.headers['x-amz-security-token']).toBe(creds.sessionToken);
    expect(req.headers['authorization']).toBe(botocoreAuthorization(req, 'us-east-1', creds).authorization);
  });
});

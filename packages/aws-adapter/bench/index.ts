import { CreateKeyCommand } from '@aws-sdk/client-payment-cryptography';
import type { ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { benchAsync, startServerProcess, type BenchRow } from '../../../scripts/bench-lib.js';
import { createPaymentCryptography, GenerateCardValidationDataCommand } from '../src/index.js';

/**
 * GenerateCardValidationData through the adapter's data-plane client (Node entry: node-http-handler, SigV4, retry
 * strategy) against the emulator in its own process, next to a plain node:http keep-alive client
 * sending the same body to the same server: the target is ≥ 50 % of the plain rate.
 */
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const CONCURRENCY = 8;

function startChild(): Promise<{ child: ChildProcess; endpoint: string }> {
  return startServerProcess(['--import', 'tsx', new URL('../../emulator/src/bin/paycrypt-emulator.ts', import.meta.url).pathname, '--port', '0']);
}

function rawPost(agent: Agent, url: URL, path: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260110/us-east-1/payment-cryptography/aws4_request, SignedHeaders=host, Signature=0',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString()) : reject(new Error(`HTTP ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const input = (arn: string) => ({ KeyIdentifier: arn, PrimaryAccountNumber: '4111111111111111', GenerationAttributes: { CardVerificationValue2: { CardExpiryDate: '1230' } } });
  const cvkInput = { Exportable: true, KeyAttributes: { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Verify: true } } } as const;

  // in-process
  const local = createPaymentCryptography({ target: 'emulator', env: {} });
  const localCvk = (await local.controlPlane.send(new CreateKeyCommand(cvkInput))).Key!;
  const localFirst = await local.dataPlane.send(new GenerateCardValidationDataCommand(input(localCvk.KeyArn!)));
  if (!/^[0-9]{3}$/.test(localFirst.ValidationData) || localFirst.KeyCheckValue !== localCvk.KeyCheckValue) throw new Error('in-process CVV2 wrong');
  rows.push(await benchAsync('aws-adapter', 'GenerateCardValidationData, adapter in-process', () => local.dataPlane.send(new GenerateCardValidationDataCommand(input(localCvk.KeyArn!)))));
  await local.close();

  // over HTTP keep-alive, emulator in its own process
  const { child, endpoint } = await startChild();
  try {
    const pc = createPaymentCryptography({ target: 'emulator', endpoint, credentials, env: {} });
    const cvk = (await pc.controlPlane.send(new CreateKeyCommand(cvkInput))).Key!;
    const first = await pc.dataPlane.send(new GenerateCardValidationDataCommand(input(cvk.KeyArn!)));
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const url = new URL(endpoint);
    const body = JSON.stringify(input(cvk.KeyArn!));
    const raw = JSON.parse(await rawPost(agent, url, '/cardvalidationdata/generate', body)) as { ValidationData: string };
    if (raw.ValidationData !== first.ValidationData) throw new Error('adapter and plain client disagree');
    const plain = await benchAsync('aws-adapter', `GenerateCardValidationData, plain node:http keep-alive client, ${CONCURRENCY} in flight`, () => rawPost(agent, url, '/cardvalidationdata/generate', body), { concurrency: CONCURRENCY });
    const adapter = await benchAsync('aws-adapter', `GenerateCardValidationData, adapter over HTTP keep-alive (node-http-handler, SigV4), ${CONCURRENCY} in flight`, () => pc.dataPlane.send(new GenerateCardValidationDataCommand(input(cvk.KeyArn!))), { concurrency: CONCURRENCY });
    adapter.name += ` = ${Math.round((adapter.opsPerSec / plain.opsPerSec) * 100)} % of the plain client`;
    adapter.target = '≥ 50 % of the plain client';
    rows.push(plain, adapter);
    agent.destroy();
    await pc.close();
  } finally {
    child.kill('SIGTERM');
  }
  return rows;
}

import { CreateKeyCommand, GetKeyCommand, PaymentCryptographyClient, type CreateKeyCommandInput } from '@aws-sdk/client-payment-cryptography';
import { Agent } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { benchAsync, controlPlanePost, type BenchRow } from '../../../scripts/bench-lib.js';
import { Emulator, inProcessHandler } from '../src/index.js';
import { startChild } from './child.js';
import { runDataPlane } from './data-plane.js';
import { runRestart } from './restart.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const CVK: CreateKeyCommandInput = {
  Exportable: true,
  KeyAttributes: { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Verify: true } },
};
const AES_KEK: CreateKeyCommandInput = {
  Exportable: true,
  KeyAttributes: { KeyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_256', KeyModesOfUse: { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true } },
};

function gcFunction(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}


async function memoryPerKey(): Promise<BenchRow> {
  const gc = gcFunction();
  const em = Emulator.inMemory();
  const input = { ...CVK };
  // check the result before measuring
  const first = await em.call('CreateKey', input);
  if (!/^[0-9A-F]{6}$/.test(first.Key!.KeyCheckValue!)) throw new Error('bad KCV');
  gc();
  const before = process.memoryUsage().heapUsed;
  const n = 100_000;
  const start = performance.now();
  for (let i = 0; i < n; i++) await em.call('CreateKey', input);
  const seconds = (performance.now() - start) / 1000;
  gc();
  const perKey = (process.memoryUsage().heapUsed - before) / n;
  const keys = em.services.states.get('111122223333', 'us-east-1').keys.size;
  if (keys !== n + 1) throw new Error(`expected ${n + 1} keys, got ${keys}`);
  const row: BenchRow = {
    group: 'emulator',
    name: `CreateKey ×100,000 through the core; heap ${Math.round(perKey)} B/key → 100k keys = ${((perKey * n) / 1e6).toFixed(1)} MB`,
    opsPerSec: n / seconds,
    target: '100k keys in ≤ 200 MB (≤ 2,000 B/key)',
  };
  return row;
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  // ---- in-process -----------------------------------------------------------------------------
  const em = Emulator.inMemory();
  const inProc = new PaymentCryptographyClient({ region: 'us-east-1', endpoint: 'http://emulator.local', credentials, requestHandler: inProcessHandler(em) });
  const created = await inProc.send(new CreateKeyCommand(CVK));
  const arn = created.Key!.KeyArn!;
  const check = await inProc.send(new GetKeyCommand({ KeyIdentifier: arn }));
  if (check.Key!.KeyCheckValue !== created.Key!.KeyCheckValue) throw new Error('GetKey in-process returned another key');
  rows.push(await benchAsync('emulator', 'CreateKey TDES_2KEY, SDK in-process', () => inProc.send(new CreateKeyCommand(CVK))));
  rows.push(await benchAsync('emulator', 'CreateKey AES_256, SDK in-process', () => inProc.send(new CreateKeyCommand(AES_KEK))));
  rows.push(await benchAsync('emulator', 'GetKey, SDK in-process', () => inProc.send(new GetKeyCommand({ KeyIdentifier: arn }))));
  rows.push(await benchAsync('emulator', 'GetKey, core call (no SDK, no wire)', () => em.call('GetKey', { KeyIdentifier: arn })));
  inProc.destroy();

  // ---- HTTP, emulator in its own process, keep-alive -------------------------------------------
  const { child, endpoint } = await startChild();
  try {
    const http = new PaymentCryptographyClient({ region: 'us-east-1', endpoint, credentials });
    const k = (await http.send(new CreateKeyCommand(CVK))).Key!;
    if ((await http.send(new GetKeyCommand({ KeyIdentifier: k.KeyArn }))).Key!.KeyCheckValue !== k.KeyCheckValue) throw new Error('GetKey over HTTP wrong');
    rows.push(await benchAsync('emulator', 'CreateKey TDES_2KEY, SDK over HTTP keep-alive, 8 in flight', () => http.send(new CreateKeyCommand(CVK)), { concurrency: 8 }));
    rows.push(
      await benchAsync('emulator', 'GetKey, SDK over HTTP keep-alive, 8 in flight', () => http.send(new GetKeyCommand({ KeyIdentifier: k.KeyArn })), {
        concurrency: 8,
        target: '≥ 5,000',
      }),
    );
    http.destroy();
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const url = new URL(endpoint);
    const body = JSON.stringify({ KeyIdentifier: k.KeyArn });
    if (!(await controlPlanePost(agent, url, 'GetKey', body)).includes(k.KeyCheckValue!)) throw new Error('raw GetKey wrong');
    rows.push(
      await benchAsync('emulator', 'GetKey over HTTP keep-alive, plain node:http client, 16 in flight', () => controlPlanePost(agent, url, 'GetKey', body), {
        concurrency: 16,
        target: '≥ 5,000',
      }),
    );
    agent.destroy();
  } finally {
    child.kill('SIGTERM');
  }

  rows.push(await memoryPerKey());
  rows.push(...(await runRestart()));
  rows.push(...(await runDataPlane()));
  return rows;
}

import { PaymentCryptographyClient } from '@aws-sdk/client-payment-cryptography';
import { spawn, type ChildProcess } from 'node:child_process';
import { Emulator, inProcessHandler, type EmulatorOptions } from '../src/index.js';
import { startHttpServer, type RunningServer } from '../src/transport/http-server.js';

export const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

export type TransportName = 'in-process' | 'http';
export const TRANSPORTS: TransportName[] = ['in-process', 'http'];

export interface Harness {
  emulator: Emulator;
  client: PaymentCryptographyClient;
  clientFor(region: string, accessKeyId?: string): PaymentCryptographyClient;
  close(): Promise<void>;
}

/** An emulator and a real SDK client talking to it in-process or over HTTP. */
export async function harness(transport: TransportName, options: EmulatorOptions = {}, emulator?: Emulator): Promise<Harness> {
  const em = emulator ?? (await Emulator.open(options));
  let server: RunningServer | undefined;
  if (transport === 'http') server = await startHttpServer(em);
  const clients: PaymentCryptographyClient[] = [];
  const clientFor = (region: string, accessKeyId = credentials.accessKeyId): PaymentCryptographyClient => {
    const c =
      transport === 'http'
        ? new PaymentCryptographyClient({ region, endpoint: server!.endpoint, credentials: { ...credentials, accessKeyId }, maxAttempts: 1 })
        : new PaymentCryptographyClient({
            region,
            endpoint: 'http://emulator.local',
            credentials: { ...credentials, accessKeyId },
            requestHandler: inProcessHandler(em),
            maxAttempts: 1,
          });
    clients.push(c);
    return c;
  };
  return {
    emulator: em,
    client: clientFor('us-east-1'),
    clientFor,
    async close() {
      for (const c of clients) c.destroy();
      await server?.close();
      await em.close();
    },
  };
}

/** Run `fn` and return the error it throws (fails the test if it does not throw). */
export type Failure = Error & { $metadata: { httpStatusCode?: number }; [k: string]: unknown };
export async function failure(fn: () => Promise<unknown>): Promise<Failure> {
  try {
    await fn();
  } catch (e) {
    return e as Failure;
  }
  throw new Error('expected a failure, the call succeeded');
}

export const ALL_MODES_FALSE = {
  Encrypt: false,
  Decrypt: false,
  Wrap: false,
  Unwrap: false,
  Generate: false,
  Sign: false,
  Verify: false,
  DeriveKey: false,
  NoRestrictions: false,
};

const BIN = new URL('../src/bin/paycrypt-emulator.ts', import.meta.url).pathname;

/**
 * The `paycrypt-emulator` command as a child process on a free port with `--data-dir` (the LMK
 * generated or read next to the directory); resolves once it prints its endpoint.
 */
export function startServerProcess(dataDir: string): Promise<{ child: ChildProcess; endpoint: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', BIN, '--port', '0', '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PAYCRYPT_EMULATOR_LMK: '' },
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, endpoint: m[1]! });
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
}

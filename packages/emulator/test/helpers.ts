import { PaymentCryptographyClient } from '@aws-sdk/client-payment-cryptography';
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

#!/usr/bin/env -S npx tsx
/**
 * paycrypt-emulator: the AWS Payment Cryptography control-plane emulator over HTTP.
 *
 *   npx tsx packages/emulator/src/bin/paycrypt-emulator.ts --port 8443 [--data-dir DIR]
 */
import { parseArgs } from 'node:util';
import { Emulator, DEFAULT_ACCOUNT_ID } from '../emulator.js';
import { loadLmk, LMK_ENV } from '../vault/lmk.js';
import { startHttpServer } from '../transport/http-server.js';
import { DEFAULT_MAX_BODY_BYTES } from '../protocol/wire.js';

const USAGE = `Usage: paycrypt-emulator [options]

  --port N            TCP port (default 8443; 0 = any free port)
  --host H            address to bind (default 127.0.0.1)
  --data-dir DIR      persist keys, aliases and tags in DIR (default: in memory only)
  --lmk-file FILE     local master key file, 64 hex digits (default with --data-dir: DIR.lmk,
                      generated on first start); or set ${LMK_ENV}
  --account-id ID     12-digit account id (default ${DEFAULT_ACCOUNT_ID})
  --max-body-bytes N  largest request body (default ${DEFAULT_MAX_BODY_BYTES})
  --strict-algorithms refuse data-plane algorithms not confirmed against AWS (Visa dCVV,
                      Amex CSC) with a ValidationException instead of computing candidates
  -h, --help          this text
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8443' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      'lmk-file': { type: 'string' },
      'account-id': { type: 'string', default: DEFAULT_ACCOUNT_ID },
      'max-body-bytes': { type: 'string', default: String(DEFAULT_MAX_BODY_BYTES) },
      'strict-algorithms': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const port = Number(values.port);
  const maxBodyBytes = Number(values['max-body-bytes']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: expected 0..65535, got ${values.port}`);
  if (!/^\d{12}$/.test(values['account-id'])) throw new Error('--account-id: expected 12 digits');
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1024) throw new Error('--max-body-bytes: expected an integer >= 1024');
  const dataDir = values['data-dir'];
  const lmk = await loadLmk({ lmkFile: values['lmk-file'], dataDir });
  const emulator = await Emulator.open({ accountId: values['account-id'], lmk: lmk.lmk, dataDir, strictAlgorithms: values['strict-algorithms'] });
  const running = await startHttpServer(emulator, { port, host: values.host, maxBodyBytes });
  process.stdout.write(
    `paycrypt-emulator listening on ${running.endpoint} (storage: ${dataDir ?? 'memory'}; LMK: ${lmk.source}; account ${values['account-id']})\n`,
  );
  const stop = (): void => {
    running
      .close()
      .then(() => emulator.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`paycrypt-emulator: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});

#!/usr/bin/env -S npx tsx
/**
 * paycrypt-emulator: the AWS Payment Cryptography control-plane emulator over HTTP.
 *
 *   npx tsx packages/emulator/src/bin/paycrypt-emulator.ts --port 8443 [--data-dir DIR]
 */
import { parseArgs } from 'node:util';
import { Emulator, DEFAULT_ACCOUNT_ID } from '../emulator.js';
import { loadLmk, LMK_ENV } from '../vault/lmk.js';
import { HTTP_DEFAULTS, startHttpServer } from '../transport/http-server.js';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_JSON_DEPTH } from '../protocol/wire.js';
import { loadCredentialsFile } from '../protocol/sigv4.js';

const USAGE = `Usage: paycrypt-emulator [options]

  --port N            TCP port (default 8443; 0 = any free port)
  --host H            address to bind (default 127.0.0.1)
  --data-dir DIR      persist keys, aliases and tags in DIR (default: in memory only)
  --lmk-file FILE     local master key file, 64 hex digits (default with --data-dir: DIR.lmk,
                      generated on first start); or set ${LMK_ENV}
  --account-id ID     12-digit account id (default ${DEFAULT_ACCOUNT_ID})
  --max-body-bytes N  largest request body (default ${DEFAULT_MAX_BODY_BYTES})
  --max-json-depth N  deepest JSON nesting of a request (default ${DEFAULT_MAX_JSON_DEPTH})
  --headers-timeout-ms N     request headers must arrive within N ms (default ${HTTP_DEFAULTS.headersTimeoutMs})
  --request-timeout-ms N     the whole request within N ms (default ${HTTP_DEFAULTS.requestTimeoutMs})
  --keep-alive-timeout-ms N  close a kept-alive connection idle for N ms (default ${HTTP_DEFAULTS.keepAliveTimeoutMs})
  --idle-timeout-ms N        close a connection without traffic for N ms (default ${HTTP_DEFAULTS.idleTimeoutMs})
  --max-connections N        open connections at most (default ${HTTP_DEFAULTS.maxConnections})
  --allowed-host NAME also accept requests whose Host header is NAME (repeatable; '*': any).
                      By default only localhost, 127.0.0.1, ::1 and the bound address
                      (with a wildcard --host: the machine's addresses and host name)
  --credentials-file FILE   verify SigV4 signatures of both planes against FILE: JSON
                      {"AKID": {"secretAccessKey": "…", "accountId": "…"}} or lines
                      "AKID SECRET ACCOUNT_ID"; the account is then the credential's
  --audit-log FILE    append one JSON line per call to FILE (time, account, region, operation,
                      key ARN, outcome, status, request id; never key material); created 0600,
                      its directory must exist
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
      'max-json-depth': { type: 'string' },
      'headers-timeout-ms': { type: 'string' },
      'request-timeout-ms': { type: 'string' },
      'keep-alive-timeout-ms': { type: 'string' },
      'idle-timeout-ms': { type: 'string' },
      'max-connections': { type: 'string' },
      'credentials-file': { type: 'string' },
      'audit-log': { type: 'string' },
      'allowed-host': { type: 'string', multiple: true },
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
  const count = (flag: keyof typeof values): number | undefined => {
    const v = values[flag];
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag}: expected a positive integer, got ${String(v)}`);
    return n;
  };
  const limits = {
    headersTimeoutMs: count('headers-timeout-ms'),
    requestTimeoutMs: count('request-timeout-ms'),
    keepAliveTimeoutMs: count('keep-alive-timeout-ms'),
    idleTimeoutMs: count('idle-timeout-ms'),
    maxConnections: count('max-connections'),
  };
  const maxJsonDepth = count('max-json-depth');
  const dataDir = values['data-dir'];
  const lmk = await loadLmk({ lmkFile: values['lmk-file'], dataDir });
  const credentialsFile = values['credentials-file'];
  const credentials = credentialsFile === undefined ? undefined : await loadCredentialsFile(credentialsFile);
  const emulator = await Emulator.open({ accountId: values['account-id'], lmk: lmk.lmk, dataDir, strictAlgorithms: values['strict-algorithms'], maxJsonDepth, credentials, auditLog: values['audit-log'] });
  const running = await startHttpServer(emulator, { port, host: values.host, maxBodyBytes, ...limits, allowedHosts: values['allowed-host'] });
  process.stdout.write(
    `paycrypt-emulator listening on ${running.endpoint} (storage: ${dataDir ?? 'memory'}; LMK: ${lmk.source}; ${credentials === undefined ? `account ${values['account-id']}; signatures not verified` : `SigV4 verified, ${credentials.size} credential(s)`}${values['audit-log'] === undefined ? '' : `; audit log: ${values['audit-log']}`})\n`,
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

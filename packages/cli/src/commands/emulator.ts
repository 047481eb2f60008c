import { Option, type Command } from 'commander';
import { CliError } from '../errors.js';
import { jsonMode } from '../output.js';
import { examples } from './common.js';

function int(v: unknown, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new CliError('USAGE', `--${flag}: expected an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? '' : ` to ${max}`}, got ${String(v)}`);
  return n;
}

/** An LMK that cannot be loaded, as a CLI error: its messages name the file or variable, never a key. */
function lmkError(e: unknown): CliError {
  const msg = e instanceof Error ? e.message : '';
  if (/expected 64 hex digits/.test(msg)) return new CliError('INVALID_KEY', msg);
  if (/must not be inside the data directory/.test(msg)) return new CliError('USAGE', msg);
  return new CliError('SERVICE_ERROR', `cannot read the LMK file (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
}

export function registerEmulator(program: Command): void {
  const emu = program.command('emulator').description('the AWS Payment Cryptography emulator (control and data plane) over HTTP');
  examples(emu, 'paycrypt emulator serve --port 8443 --data-dir ./state');

  examples(
    emu
      .command('serve')
      .description('run the emulator HTTP server until SIGINT/SIGTERM (the paycrypt-emulator bin, same options)')
      .addOption(new Option('--port <n>', 'TCP port (0 = any free port)').default('8443'))
      .addOption(new Option('--host <address>', 'address to bind').default('127.0.0.1'))
      .addOption(new Option('--data-dir <dir>', 'persist keys, aliases and tags in DIR (default: in memory only)'))
      .addOption(new Option('--lmk-file <file>', 'local master key file, 64 hex digits (default with --data-dir: DIR.lmk, generated on first start); or set PAYCRYPT_EMULATOR_LMK'))
      .addOption(new Option('--account-id <id>', '12-digit account id (default the emulator\'s)'))
      .addOption(new Option('--max-body-bytes <n>', 'largest request body (default 1048576)'))
      .addOption(new Option('--max-json-depth <n>', 'deepest JSON nesting of a request (default 64)'))
      .addOption(new Option('--headers-timeout-ms <n>', 'request headers must arrive within N ms (default 20000)'))
      .addOption(new Option('--request-timeout-ms <n>', 'the whole request within N ms (default 60000)'))
      .addOption(new Option('--keep-alive-timeout-ms <n>', 'close a kept-alive connection idle for N ms (default 30000)'))
      .addOption(new Option('--idle-timeout-ms <n>', 'close a connection without traffic for N ms (default 30000)'))
      .addOption(new Option('--max-connections <n>', 'open connections at most (default 1024)'))
      .addOption(new Option('--allowed-host <name...>', "also accept requests whose Host header is NAME (repeatable; '*': any); by default only loopback names and the bound address"))
      .addOption(new Option('--credentials-file <file>', 'verify SigV4 signatures of both planes against FILE (JSON {"AKID": {"secretAccessKey": …, "accountId": …}} or lines "AKID SECRET ACCOUNT_ID"); the account is then the credential\'s'))
      .addOption(new Option('--audit-log <file>', 'append one JSON line per call to FILE (never key material); created 0600, its directory must exist'))
      .addOption(new Option('--strict-algorithms', 'refuse data-plane algorithms not confirmed against AWS with a ValidationException'))
      .action(async (opts: Record<string, unknown>) => {
        const port = int(opts.port, 'port', 0, 65535)!;
        if (opts.accountId !== undefined && !/^\d{12}$/.test(String(opts.accountId))) throw new CliError('USAGE', '--account-id: expected 12 digits');
        const maxBodyBytes = int(opts.maxBodyBytes, 'max-body-bytes', 1024);
        const maxJsonDepth = int(opts.maxJsonDepth, 'max-json-depth', 1);
        const limits = {
          headersTimeoutMs: int(opts.headersTimeoutMs, 'headers-timeout-ms', 1),
          requestTimeoutMs: int(opts.requestTimeoutMs, 'request-timeout-ms', 1),
          keepAliveTimeoutMs: int(opts.keepAliveTimeoutMs, 'keep-alive-timeout-ms', 1),
          idleTimeoutMs: int(opts.idleTimeoutMs, 'idle-timeout-ms', 1),
          maxConnections: int(opts.maxConnections, 'max-connections', 1),
        };
        const dataDir = opts.dataDir as string | undefined;
        // loaded only for this command: the emulator is the largest part of the bundle
        const { Emulator, DEFAULT_ACCOUNT_ID, startHttpServer, loadCredentialsFile, loadLmk } = await import('@paycrypt/emulator');
        const accountId = (opts.accountId as string | undefined) ?? DEFAULT_ACCOUNT_ID;
        const credentialsFile = opts.credentialsFile as string | undefined;
        let credentials: Awaited<ReturnType<typeof loadCredentialsFile>> | undefined;
        try {
          credentials = credentialsFile === undefined ? undefined : await loadCredentialsFile(credentialsFile);
        } catch (e) {
          // the loader's messages name the file and the line, never a secret
          throw new CliError('USAGE', `--credentials-file: ${e instanceof Error ? e.message : 'cannot be read'}`);
        }
        const allowedHosts = opts.allowedHost as string[] | undefined;
        // the emulator's own rules (environment, --lmk-file, DIR.lmk beside --data-dir, else random)
        const lmk = await loadLmk({ lmkFile: opts.lmkFile as string | undefined, dataDir }).catch((e: unknown) => {
          throw lmkError(e);
        });
        let emulator: Awaited<ReturnType<typeof Emulator.open>>;
        let running: Awaited<ReturnType<typeof startHttpServer>>;
        try {
          emulator = await Emulator.open({ accountId, lmk: lmk.lmk, dataDir, strictAlgorithms: opts.strictAlgorithms === true, maxJsonDepth, auditLog: opts.auditLog as string | undefined, credentials });
          running = await startHttpServer(emulator, { port, host: String(opts.host), ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }), ...limits, ...(allowedHosts === undefined ? {} : { allowedHosts }) });
        } catch (e) {
          throw new CliError('SERVICE_ERROR', `emulator did not start: ${e instanceof Error ? e.message : String(e)}`);
        } finally {
          lmk.lmk.fill(0);
        }
        const auditLog = opts.auditLog as string | undefined;
        const signatures = credentials === undefined ? 'not verified' : `SigV4 verified, ${credentials.size} credential(s)`;
        const line = { endpoint: running.endpoint, storage: dataDir ?? 'memory', lmk: lmk.source, accountId, signatures, ...(auditLog === undefined ? {} : { auditLog }) };
        process.stdout.write(
          jsonMode.on
            ? `${JSON.stringify({ ok: true, listening: true, ...line })}\n`
            : `paycrypt emulator listening on ${line.endpoint} (storage: ${line.storage}; LMK: ${line.lmk}; ${credentials === undefined ? `account ${accountId}; signatures not verified` : signatures}${auditLog === undefined ? '' : `; audit log: ${auditLog}`})\n`,
        );
        await new Promise<void>((done) => {
          const stop = (): void => {
            running
              .close()
              .then(() => emulator.close())
              .finally(done);
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        // as paycrypt-emulator does: once the server and the store are closed, leave at once
        // instead of waiting for idle keep-alive sockets to time out
        process.exit(0);
      }),
    'paycrypt emulator serve --port 8443',
    'paycrypt --json emulator serve --port 0 --data-dir ./state   # prints {"ok":true,"listening":true,"endpoint":...}',
    'aws --endpoint-url http://127.0.0.1:8443 payment-cryptography list-keys',
  );
}

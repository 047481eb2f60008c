// The command as a whole: help with an example on every command, exit codes, --json error
// shapes, key material refused on the command line, start-up time.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { BIN, buildOnce, json, pooled, run, runAsync, tempFile } from './run-cli.js';

beforeAll(buildOnce);

const LEAVES = [
  'tr31 inspect', 'tr31 wrap', 'tr31 unwrap', 'tr34 inspect', 'tr34 build', 'tr34 open', 'kcv', 'dukpt ipek', 'dukpt key', 'cvv generate', 'cvv verify',
  'pin block encode', 'pin block decode', 'pin pvv generate', 'pin pvv verify', 'pin ibm3624 offset', 'pin ibm3624 pin', 'pin ibm3624 verify',
  'mac generate', 'mac verify', 'emv arqc generate', 'emv arqc verify', 'emv arpc', 'components combine', 'components split', 'emulator serve',
  'keys export', 'keys import', 'migrate import', 'demo',
];

describe('paycrypt --help', () => {
  it('lists every command group and the exit codes', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    for (const g of ['tr31', 'tr34', 'kcv', 'dukpt', 'cvv', 'pin', 'mac', 'emv', 'components', 'emulator', 'keys', 'migrate', 'demo']) expect(r.stdout).toMatch(new RegExp(`^  ${g}\\b`, 'm'));
    expect(r.stdout).toContain('Exit codes: 0 ok, 1 verification failed or mismatch, 2 usage error, 3 service error.');
  });
  // only the named command's module is loaded (src/commands/index.ts); any other first word gets all
  it('help, a misspelt command and a program option before the command reach the same commands', () => {
    const help = run(['help', 'migrate']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: paycrypt migrate [options] [command]');
    const typo = run(['tr13', 'inspect']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("error: unknown command 'tr13'");
    expect(typo.stderr).toContain('(Did you mean tr31?)');
    const opt = run(['--json', 'kcv', '--help']);
    expect(opt.code).toBe(0);
    expect(opt.stdout).toContain('Usage: paycrypt kcv [options]');
  });
  it(`every one of the ${LEAVES.length} commands has --help with an example of itself`, async () => {
    const rs = await pooled(LEAVES.map((c) => () => runAsync([...c.split(' '), '--help'])));
    rs.forEach((r, i) => {
      expect(r.code, LEAVES[i]).toBe(0);
      expect(r.stdout, LEAVES[i]).toMatch(new RegExp(`Examples:\\n  \\$ paycrypt (--json )?${LEAVES[i]} `));
    });
  });
});

describe('exit codes and --json errors', () => {
  it('a closed pipe (paycrypt --help | head -1) ends quietly with exit 0', () => {
    const p = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" --help | head -1`], { encoding: 'utf8' });
    expect(p.stdout).toBe('Usage: paycrypt [options] [command]\n');
    expect(p.status).toBe(0);
    expect(p.stderr).not.toContain('EPIPE');
  });
  it('usage errors exit 2 with code USAGE; a service that cannot start exits 3', () => {
    for (const args of [['frobnicate'], ['kcv', '--key-file', '/dev/null'], ['tr31', 'inspect'], ['kcv', '--algorithm', 'RC4', '--key-file', '/dev/null']]) {
      const r = run(['--json', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(json(r), args.join(' ')).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    }
    const busy = run(['--json', 'emulator', 'serve', '--host', '203.0.113.1', '--port', '0']); // TEST-NET-3: not a local address
    expect(busy.code).toBe(3);
    expect(json(busy).error).toMatchObject({ code: 'SERVICE_ERROR' });
  });
  it('an unreadable key file exits 2 (SECRET_SOURCE); malformed key material exits 2 (INVALID_KEY) without echoing it', () => {
    const r = run(['--json', 'kcv', '--algorithm', 'TDES', '--key-file', '/nonexistent/key.hex']);
    expect(r.code).toBe(2);
    expect(json(r).error).toMatchObject({ code: 'SECRET_SOURCE' });
    const secretish = '0123456789ABCDEFFEDCBA987654321Z';
    const bad = run(['--json', 'kcv', '--algorithm', 'TDES', '--key-file', tempFile(secretish)]);
    expect(bad.code).toBe(2);
    expect(json(bad).error).toMatchObject({ code: 'INVALID_KEY' });
    expect(bad.stdout + bad.stderr).not.toContain('0123456789ABCDEF');
    const short = run(['kcv', '--algorithm', 'AES', '--key-file', tempFile('00112233445566778899AABBCCDDEE')]);
    expect(short.code).toBe(2);
    expect(short.stderr).toBe('paycrypt: --key: AES expects 16, 24, 32 bytes, got 15\n');
  });
});

describe('key material on the command line is refused', () => {
  const KEY = '0123456789ABCDEFFEDCBA9876543210';
  const cases: string[][] = [
    ['tr31', 'unwrap', '--kbpk', KEY, 'B0000'],
    ['tr31', 'wrap', `--key=${KEY}`, '--header', 'B0000P0TE00N0000'],
    ['kcv', '--algorithm', 'TDES', '--key-hex', KEY],
    ['dukpt', 'ipek', '--bdk', KEY, '--ksn', 'FFFF9876543210E00000'],
    ['pin', 'pvv', 'generate', '--pin', '1234', '--pan', '1122334455667788', '--pvki', '1'],
    ['emv', 'arpc', '--session-key', KEY, '--arqc', '00', '--method', '1'],
  ];
  it.each(cases)('%s %s %s', async (...args) => {
    const r = await runAsync(['--json', ...args]);
    expect(r.code).toBe(2);
    const e = json(r).error as { code: string; message: string; flag: string };
    expect(e.code).toBe('SECRET_IN_ARGV');
    expect(e.message).toMatch(/is refused: key material on the command line is visible .* Use --[a-z-]+-file PATH .* or --[a-z-]+-env NAME instead\./);
    expect(r.stdout + r.stderr).not.toContain(KEY);
    expect(r.stdout + r.stderr).not.toContain('1234');
  });
});

describe('start-up', () => {
  // timing is reported, not asserted: performance targets belong in benchmarks, not unit tests
  it('tr31 inspect starts and answers (wall-clock time printed, best of 5)', () => {
    const block = 'A0072K0TN00N0000F40D5672C6D0EC86F860BA88D44D00F0CA9A8CE8CD2F640287A9A9EB'; // tr31.json tr31-001
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      expect(run(['tr31', 'inspect', block]).code).toBe(0);
      times.push(performance.now() - t);
    }
    console.log(`tr31 inspect: best of 5 runs ${Math.min(...times).toFixed(0)} ms wall-clock (target ≤ 300 ms)`);
  });
});

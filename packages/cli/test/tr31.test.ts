import { beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, json, pooled, run, runAsync, tempFile, tempPath, vectors } from './run-cli.js';
import { aesCmacKcvOracle, tdesKcvOracle } from './oracles/kcv.js';
import { readFileSync, statSync } from 'node:fs';

interface Tr31Vector {
  id: string;
  source: Record<string, unknown>;
  version: string;
  kbpk: string;
  key: string;
  keyBlock: string;
  expectError?: boolean;
}

// test-vectors/tr31.json: published blocks (openemv/tr31, psec, TR-31:2018 annex, ...), each with its source
const all = vectors<Tr31Vector[]>('tr31.json');

/**
 * Published blocks a strict (X9.143) parser refuses, with the engine code expected and whether
 * --lenient accepts them (the reasons: packages/keyblock/test/tr31-vectors.test.ts and the
 * vectors' notes — KS in ASCII, length fields that disagree, lower-case hex, Thales version 0,
 * single-DES keys labelled T).
 */
const STRICT_REFUSES: Record<string, { engineCode: string; lenient: boolean }> = {
  'tr31-018': { engineCode: 'INVALID_OPTIONAL_BLOCK', lenient: true },
  'tr31-019': { engineCode: 'INVALID_LENGTH', lenient: false },
  'tr31-020': { engineCode: 'INVALID_LENGTH', lenient: false },
  'tr31-043': { engineCode: 'INVALID_HEX', lenient: true },
  'tr31-061': { engineCode: 'UNSUPPORTED_VERSION', lenient: false },
  'tr31-062': { engineCode: 'UNSUPPORTED_VERSION', lenient: false },
};
for (const id of ['tr31-022', 'tr31-023', 'tr31-024', 'tr31-044', 'tr31-045', 'tr31-047', 'tr31-048', 'tr31-051']) STRICT_REFUSES[id] = { engineCode: 'INVALID_KEY_LENGTH', lenient: true };

// The engine's own tests run all 64 blocks; here each process costs ~0.3 s, so one block per
// (version, KBPK length, key length) shape covers what the command does differently.
const shapes = new Set<string>();
const good = all.filter((v) => {
  if (STRICT_REFUSES[v.id] !== undefined) return false;
  const shape = `${v.version}/${v.kbpk.length}/${v.key.length}`;
  if (shapes.has(shape)) return false;
  shapes.add(shape);
  return true;
});
const bad = all.filter((v) => STRICT_REFUSES[v.id] !== undefined);

beforeAll(buildOnce);

describe('paycrypt tr31 unwrap on the published blocks', () => {
  it(`recovers the published key of all ${good.length} valid blocks, with a KCV from node:crypto`, async () => {
    const results = await pooled(
      good.map((v) => () => runAsync(['--json', 'tr31', 'unwrap', '--kbpk-file', tempFile(v.kbpk), '--print-key', v.keyBlock])),
    );
    results.forEach((r, i) => {
      const v = good[i]!;
      expect(r.code, `${v.id}: ${r.stdout}${r.stderr}`).toBe(0);
      const out = json(r);
      expect(out.key, v.id).toBe(v.key.toUpperCase());
      const alg = v.keyBlock[7]; // header position 7: algorithm
      if (alg === 'T' && (v.key.length === 32 || v.key.length === 48)) expect(out.kcv, v.id).toBe(tdesKcvOracle(v.key));
      if (alg === 'A') expect(out.kcv, v.id).toBe(aesCmacKcvOracle(v.key));
    });
  });

  it(`refuses the ${bad.length} blocks a strict parser refuses (exit 1, engine code), and opens those --lenient allows`, async () => {
    const strict = await pooled(bad.map((v) => () => runAsync(['--json', 'tr31', 'unwrap', '--kbpk-file', tempFile(v.kbpk), v.keyBlock])));
    strict.forEach((r, i) => {
      const v = bad[i]!;
      expect(r.code, v.id).toBe(1);
      expect(json(r).error, v.id).toMatchObject({ code: 'KEY_BLOCK_INVALID', engineCode: STRICT_REFUSES[v.id]!.engineCode });
      expect(r.stdout.toUpperCase()).not.toContain(v.key.toUpperCase());
    });
    const lenient = bad.filter((v) => STRICT_REFUSES[v.id]!.lenient);
    const opened = await pooled(lenient.map((v) => () => runAsync(['--json', 'tr31', 'unwrap', '--lenient', '--kbpk-file', tempFile(v.kbpk), '--print-key', v.keyBlock])));
    opened.forEach((r, i) => {
      expect(r.code, lenient[i]!.id + r.stdout).toBe(0);
      expect(json(r).key).toBe(lenient[i]!.key.toUpperCase());
    });
  });

  it('prints no clear key without --print-key, and writes it with --key-out (mode 0600, no overwrite)', () => {
    const v = good[0]!;
    const kbpk = tempFile(v.kbpk);
    const plain = run(['tr31', 'unwrap', '--kbpk-file', kbpk, v.keyBlock]);
    expect(plain.code).toBe(0);
    expect(plain.stdout.toUpperCase()).not.toContain(v.key.toUpperCase());
    expect(plain.stdout).toContain(`KCV:         ${tdesKcvOracle(v.key)}`);
    const out = tempPath();
    const r = run(['tr31', 'unwrap', '--kbpk-file', kbpk, '--key-out', out, v.keyBlock]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8').trim()).toBe(v.key.toUpperCase());
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(run(['tr31', 'unwrap', '--kbpk-file', kbpk, '--key-out', out, v.keyBlock]).code).toBe(2);
  });

  it('a wrong KBPK gives exit 1 with the opaque MAC message and nothing of either key', () => {
    const v = good.find((x) => x.version === 'D')!;
    const wrong = 'A'.repeat(v.kbpk.length);
    const r = run(['--json', 'tr31', 'unwrap', '--kbpk-file', '-', v.keyBlock], { input: `${wrong}\n` });
    expect(r.code).toBe(1);
    expect(json(r)).toEqual({ ok: false, error: { code: 'MAC_VERIFICATION_FAILED', message: 'key block MAC verification failed', engineCode: 'MAC_VERIFICATION_FAILED' } });
    const human = run(['tr31', 'unwrap', '--kbpk-file', '-', v.keyBlock], { input: wrong });
    expect(human.code).toBe(1);
    expect(human.stderr).toBe('paycrypt: key block MAC verification failed\n');
  });

  it('reads the KBPK from an environment variable named by --kbpk-env', () => {
    const v = good[0]!;
    const r = run(['--json', 'tr31', 'unwrap', '--kbpk-env', 'MY_KBPK', v.keyBlock], { env: { MY_KBPK: v.kbpk } });
    expect(r.code).toBe(0);
    expect(json(r).kcv).toBe(tdesKcvOracle(v.key));
    const missing = run(['--json', 'tr31', 'unwrap', '--kbpk-env', 'NOT_SET_ANYWHERE', v.keyBlock]);
    expect(missing.code).toBe(2);
    expect((json(missing).error as { code: string }).code).toBe('SECRET_SOURCE');
  });
});

describe('paycrypt tr31 wrap', () => {
  it('wraps a key that tr31 unwrap (and the published KBPK) opens again, for each version', () => {
    for (const version of ['A', 'B', 'C', 'D']) {
      const v = good.find((x) => x.version === version && x.key.length === (version === 'D' ? 32 : 32))!;
      const kbpk = tempFile(v.kbpk);
      const alg = version === 'D' ? 'A' : 'T';
      const w = run(['--json', 'tr31', 'wrap', '--kbpk-file', kbpk, '--key-file', '-', '--header', `${version}0000P0${alg}E00E0000`], { input: v.key });
      expect(w.code, w.stdout + w.stderr).toBe(0);
      const block = json(w).keyBlock as string;
      expect(block.slice(0, 1)).toBe(version);
      const u = run(['--json', 'tr31', 'unwrap', '--kbpk-file', kbpk, '--print-key', block]);
      expect(json(u).key).toBe(v.key.toUpperCase());
      expect(json(w).kcv).toBe(alg === 'T' ? tdesKcvOracle(v.key) : aesCmacKcvOracle(v.key));
    }
  });
});

describe('paycrypt tr31 inspect', () => {
  it('decodes the header and optional blocks of a published block with no key', () => {
    const v = all.find((x) => x.id === 'tr31-018')!; // D0192C0AVA1N0300KS08...: optional blocks, strict-valid
    const r = run(['--json', 'tr31', 'inspect', v.keyBlock]);
    const out = json(r);
    const header = out.header as { keyUsage: { code: string }; optionalBlocks: { id: string }[] };
    expect(header.keyUsage.code).toBe('C0');
    expect(header.optionalBlocks.map((b) => b.id)).toContain('KS');
    expect((out.aws as { attributes: { KeyUsage: string } }).attributes.KeyUsage).toBe('TR31_C0_CARD_VERIFICATION_KEY');
    expect(r.stdout).not.toContain(v.key.toUpperCase());
    expect(r.code).toBe(out.ok === true ? 0 : 1);
  });

  it('reports what a strict parser objects to (exit 1) while still decoding the header', () => {
    const v = all.find((x) => x.id === 'tr31-019')!; // openemv: length field says 0072, block is 88 characters
    const r = run(['--json', 'tr31', 'inspect', v.keyBlock]);
    expect(r.code).toBe(1);
    const out = json(r);
    expect((out.error as { code: string }).code).toBe('KEY_BLOCK_INVALID');
  });
});

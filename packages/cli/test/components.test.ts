// Key ceremony: components through real stdin (piped) and through a pseudo-terminal (script(1)),
// KCVs checked against node:crypto and the published KCVs of test-vectors/kcv.json.
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, buildOnce, json, run, tempFile, tempPath } from './run-cli.js';
import { aesCmacKcvOracle, tdesKcvOracle } from './oracles/kcv.js';

const xorHex = (a: string, b: string): string => Buffer.from(Buffer.from(a, 'hex').map((x, i) => x ^ Buffer.from(b, 'hex')[i]!)).toString('hex').toUpperCase();

// two components whose XOR is the published test key 0123456789ABCDEFFEDCBA9876543210 (KCV 08D7B4, kcv.json)
const KEY = '0123456789ABCDEFFEDCBA9876543210';
const C1 = '1F1E1D1C1B1A19181716151413121110';
const C2 = xorHex(KEY, C1);

beforeAll(buildOnce);

describe('paycrypt components combine (piped stdin)', () => {
  it('shows each component KCV and the KCV of the XOR; the key only with --print-key', () => {
    const r = run(['--json', 'components', 'combine', '--algorithm', 'TDES', '--expect-kcv', '08D7B4'], { input: `${C1}\n${C2}\n` });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const out = json(r);
    expect(out.components).toEqual([
      { component: 1, kcv: tdesKcvOracle(C1) },
      { component: 2, kcv: tdesKcvOracle(C2) },
    ]);
    expect(out.kcv).toBe('08D7B4');
    expect(out.key).toBeUndefined();
    expect(r.stdout).not.toContain(C1);
    const shown = run(['--json', 'components', 'combine', '--algorithm', 'TDES', '--print-key'], { input: `${C1}\n${C2}\n` });
    expect(json(shown).key).toBe(KEY);
  });

  it('three AES components, the key written to a 0600 file', () => {
    const key = '3F419E1CB7079442AA37474C2EFBF8B8'; // kcv.json: AES CMAC KCV 08793E
    const a = 'A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5';
    const b = '0F1E2D3C4B5A69788796A5B4C3D2E1F0';
    const c = xorHex(xorHex(key, a), b);
    const outFile = tempPath();
    const r = run(['--json', 'components', 'combine', '--algorithm', 'AES', '--count', '3', '--key-out', outFile], { input: [a, b, c].join('\n') });
    expect(r.code, r.stdout).toBe(0);
    expect(json(r).kcv).toBe('08793E');
    expect((json(r).components as { kcv: string }[]).map((x) => x.kcv)).toEqual([a, b, c].map((x) => aesCmacKcvOracle(x)));
    expect(readFileSync(outFile, 'utf8').trim()).toBe(key);
    expect(statSync(outFile).mode & 0o777).toBe(0o600);
  });

  it('a wrong component KCV or result KCV exits 1; a missing component exits 2', () => {
    const bad = run(['--json', 'components', 'combine', '--algorithm', 'TDES', '--component-kcvs', `${tdesKcvOracle(C1)},000000`], { input: `${C1}\n${C2}\n` });
    expect(bad.code).toBe(1);
    expect(json(bad).error).toMatchObject({ code: 'VERIFICATION_FAILED', message: 'component 2: KCV differs from the one given in --component-kcvs' });
    const wrongKey = run(['--json', 'components', 'combine', '--algorithm', 'TDES', '--expect-kcv', '123456'], { input: `${C1}\n${C2}\n` });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stdout).not.toContain(KEY);
    const short = run(['--json', 'components', 'combine', '--algorithm', 'TDES', '--count', '3'], { input: `${C1}\n${C2}\n` });
    expect(short.code).toBe(2);
    expect(json(short).error).toMatchObject({ code: 'USAGE' });
  });
});

describe('paycrypt components split', () => {
  it('splits into files whose XOR is the key, and combine puts them back together', () => {
    const prefix = tempPath();
    const r = run(['--json', 'components', 'split', '--algorithm', 'TDES', '--count', '3', '--key-file', tempFile(KEY), '--out-prefix', prefix]);
    expect(r.code, r.stdout).toBe(0);
    expect(json(r).kcv).toBe('08D7B4');
    const parts = [1, 2, 3].map((i) => readFileSync(`${prefix}.${i}`, 'utf8').trim());
    expect(xorHex(xorHex(parts[0]!, parts[1]!), parts[2]!)).toBe(KEY);
    expect((json(r).components as { kcv: string }[]).map((c) => c.kcv)).toEqual(parts.map((p) => tdesKcvOracle(p)));
    const back = run(['--json', 'components', 'combine', '--algorithm', 'TDES', '--count', '3', '--expect-kcv', '08D7B4'], { input: parts.join('\n') });
    expect(back.code).toBe(0);
    const nowhere = run(['components', 'split', '--algorithm', 'TDES', '--key-file', tempFile(KEY)]);
    expect(nowhere.code).toBe(2);
  });
});

describe('paycrypt components combine on a terminal', () => {
  it('prompts for each component, does not echo it, and shows its KCV before the next prompt', async () => {
    const child = spawn('script', ['-qfec', `${process.execPath} ${BIN} components combine --algorithm TDES`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let sent = 0;
    const comps = [C1, C2];
    const kcvSeenBeforeSecondPrompt: boolean[] = [];
    child.stdout.on('data', (d: Buffer) => {
      screen += d.toString();
      const prompts = (screen.match(/component \d of 2 \(hex, not shown\)/g) ?? []).length;
      if (prompts > sent && sent < comps.length) {
        if (sent === 1) kcvSeenBeforeSecondPrompt.push(screen.includes(`component 1 KCV: ${tdesKcvOracle(C1)}`));
        child.stdin.write(`${comps[sent]}\r`);
        sent++;
      }
    });
    const code = await new Promise<number | null>((resolve) => {
      const t = setTimeout(() => child.kill(), 20_000);
      child.on('exit', (c) => {
        clearTimeout(t);
        resolve(c);
      });
    });
    expect(code).toBe(0);
    expect(kcvSeenBeforeSecondPrompt).toEqual([true]);
    expect(screen).toContain('combined key KCV: 08D7B4');
    expect(screen).not.toContain(C1);
    expect(screen).not.toContain(C2);
  });
});

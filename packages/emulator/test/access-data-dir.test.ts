import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Emulator } from '../src/emulator.js';

/** The data directory and everything the store creates in it are 0700 (issue 11, "Access"). */
const root = mkdtempSync(join(tmpdir(), 'access-dir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const mode = (p: string): number => statSync(p).mode & 0o777;
const lmk = new Uint8Array(32).fill(7);

describe.skipIf(process.platform === 'win32')('data directory permissions', () => {
  it('a new data directory, its parents and its files 0600, its quarantine 0700', async () => {
    const dir = join(root, 'new', 'nested', 'data');
    const em = await Emulator.open({ dataDir: dir, lmk, log: () => {} });
    try {
      await em.call('CreateKey', { Exportable: true, KeyAttributes: { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true } } });
    } finally {
      await em.close();
    }
    for (const p of [join(root, 'new'), join(root, 'new', 'nested'), dir]) expect(mode(p).toString(8), p).toBe('700');
    // the files that hold records are 0600
    for (const f of ['store.json', 'journal-0.jsonl']) expect(mode(join(dir, f)).toString(8), f).toBe('600');
    // a bad line is quarantined into a 0700 folder, a 0600 file
    appendFileSync(join(dir, 'journal-0.jsonl'), 'not an entry\n');
    const again = await Emulator.open({ dataDir: dir, lmk, log: () => {} });
    await again.close();
    expect(mode(join(dir, 'quarantine')).toString(8)).toBe('700');
    expect(mode(join(dir, 'quarantine', 'journal-0.jsonl')).toString(8)).toBe('600');
    // and the compacted files too
    expect(readdirSync(dir).filter((n) => n.endsWith('.jsonl')).map((n) => mode(join(dir, n)).toString(8))).toEqual(['600']);
  });

  it('an existing directory keeps its mode', async () => {
    const dir = join(root, 'existing');
    mkdirSync(dir, { mode: 0o755 });
    const em = await Emulator.open({ dataDir: dir, lmk, log: () => {} });
    await em.close();
    expect(mode(dir).toString(8)).toBe((0o755 & ~process.umask()).toString(8));
  });
});

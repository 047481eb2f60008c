import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Emulator } from '../src/index.js';
import { LMK, tempDataDir } from './reliability-kit.js';

/**
 * Issue 11 item 4: one bad file never stops startup. Truncated, empty, `{}`, non-JSON, swapped
 * and field-corrupted records are moved into DIR/quarantine, each named in one log line, and
 * everything else loads.
 */
const TDES = {
  Exportable: true,
  KeyAttributes: { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Verify: true } },
};

describe('reliability: a bad record is quarantined, the rest loads (issue 11 item 4)', () => {
  it('truncated, empty, {}, stray non-JSON, swapped and field-corrupted files', async () => {
    const dataDir = tempDataDir('quarantine');
    const em = await Emulator.open({ dataDir, lmk: LMK, log: () => undefined });
    const arns: string[] = [];
    const kcvs = new Map<string, string>();
    for (let i = 0; i < 12; i++) {
      const k = (await em.call('CreateKey', TDES)).Key!;
      arns.push(k.KeyArn!);
      kcvs.set(k.KeyArn!, k.KeyCheckValue!);
    }
    await em.call('CreateAlias', { AliasName: 'alias/good', KeyArn: arns[11] });
    await em.call('CreateAlias', { AliasName: 'alias/bad', KeyArn: arns[11] });
    await em.close();

    const region = join(dataDir, 'accounts', '111122223333', 'us-east-1');
    const file = (i: number) => join(region, 'keys', `${arns[i]!.split('/')[1]}.json`);
    const text = (i: number) => readFileSync(file(i), 'utf8');
    const edit = (i: number, change: (v: Record<string, unknown>) => void) => {
      const v = JSON.parse(text(i));
      change(v);
      writeFileSync(file(i), JSON.stringify(v));
    };
    writeFileSync(file(0), text(0).slice(0, 40)); // truncated
    writeFileSync(file(1), ''); // empty
    writeFileSync(file(2), '{}');
    const [t3, t4] = [text(3), text(4)];
    writeFileSync(file(3), t4); // swapped
    writeFileSync(file(4), t3);
    edit(5, (v) => (v.state = 'MAYBE'));
    edit(6, (v) => delete v.sealed);
    edit(7, (v) => (v.enabled = 'yes'));
    edit(8, (v) => (v.keyArn = String(v.keyArn).replace('111122223333', '999999999999')));
    writeFileSync(join(region, 'keys', 'notes.json'), 'these are my notes, not JSON');
    mkdirSync(join(region, 'keys', 'folder.json'));
    writeFileSync(join(region, 'aliases', 'alias~bad.json'), '[1,2');
    writeFileSync(join(region, 'settings.json'), '{"defaultReplicationRegions": "eu-west-1"}');
    const bad = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => `${arns[i]!.split('/')[1]}.json`);

    const lines: string[] = [];
    const reopened = await Emulator.open({ dataDir, lmk: LMK, log: (l) => lines.push(l) });
    try {
      const listed = (await reopened.call('ListKeys', {})).Keys!.map((k) => k.KeyArn);
      expect(listed.sort()).toEqual(arns.slice(9).sort());
      for (const arn of arns.slice(9)) expect((await reopened.call('GetKey', { KeyIdentifier: arn })).Key!.KeyCheckValue).toBe(kcvs.get(arn));
      expect((await reopened.call('GetAlias', { AliasName: 'alias/good' })).Alias!.KeyArn).toBe(arns[11]);
      await expect(reopened.call('GetAlias', { AliasName: 'alias/bad' })).rejects.toMatchObject({ awsName: 'ResourceNotFoundException' });
      expect(lines).toHaveLength(bad.length + 4);
      for (const name of [...bad, 'notes.json', 'folder.json', 'alias~bad.json', 'settings.json']) {
        expect(lines.filter((l) => l.includes(`/${name} `)), name).toHaveLength(1);
      }
      // no key material and no file content in the log
      for (const l of lines) expect(l).not.toMatch(/D0\d{3}[0-9A-Z]{11}[0-9A-F]{16}|my notes/);
      const quarantined = readdirSync(join(dataDir, 'quarantine', 'accounts', '111122223333', 'us-east-1', 'keys')).sort();
      expect(quarantined).toEqual([...bad, 'notes.json', 'folder.json'].sort());
      for (const name of bad) expect(existsSync(join(region, 'keys', name))).toBe(false);
      // the store still works, and a second start is clean
      await reopened.call('CreateKey', TDES);
    } finally {
      await reopened.close();
    }
    const third: string[] = [];
    const again = await Emulator.open({ dataDir, lmk: LMK, log: (l) => third.push(l) });
    expect(third).toEqual([]);
    expect((await again.call('ListKeys', {})).Keys).toHaveLength(4);
    await again.close();
  });
});

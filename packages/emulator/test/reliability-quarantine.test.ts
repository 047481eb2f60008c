import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Emulator } from '../src/index.js';
import { entries, entryLine, rewriteJournal, type RawEntry } from './data-dir-kit.js';
import { LMK, tempDataDir } from './reliability-kit.js';

/**
 * Issue 11 item 4: one bad record never stops startup. Truncated, empty, `{}`, non-JSON, swapped,
 * checksum-failing and field-corrupted lines are copied into DIR/quarantine, each named in one log
 * line, and everything else loads; the files are compacted so a second start is clean.
 */
const TDES = {
  Exportable: true,
  KeyAttributes: { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Verify: true } },
};

describe('reliability: a bad record is quarantined, the rest loads (issue 11 item 4)', () => {
  it('truncated, empty, {}, non-JSON, swapped, checksum-failing and field-corrupted lines', async () => {
    const dataDir = tempDataDir('quarantine');
    const em = await Emulator.open({ dataDir, lmk: LMK, log: () => undefined });
    const arns: string[] = [];
    const kcvs = new Map<string, string>();
    for (let i = 0; i < 13; i++) {
      const k = (await em.call('CreateKey', TDES)).Key!;
      arns.push(k.KeyArn!);
      kcvs.set(k.KeyArn!, k.KeyCheckValue!);
    }
    await em.call('CreateAlias', { AliasName: 'alias/good', KeyArn: arns[12] });
    await em.call('CreateAlias', { AliasName: 'alias/bad', KeyArn: arns[12] });
    await em.call('EnableDefaultKeyReplicationRegions', { ReplicationRegions: ['eu-west-1'] });
    await em.close();

    const idOf = (arn: string) => arn.split('/')[1]!;
    const edited = (e: RawEntry, change: (v: Record<string, unknown>) => void): string => {
      const v = structuredClone(e.v!);
      change(v);
      return entryLine({ ...e, v });
    };
    const sealedB = entries(dataDir).find((e) => e.id === idOf(arns[4]!))!.v!;
    rewriteJournal(dataDir, (lines, live) =>
      lines.map((line, i) => {
        const e = live[i]!;
        const k = e.kind === 'key' ? arns.findIndex((a) => idOf(a) === e.id) : -1;
        if (k === 0) return `${line.slice(0, 60)}\n`; // truncated
        if (k === 1) return '\n'; // empty
        if (k === 2) return entryLine({ ...e, v: {} });
        if (k === 3) return entryLine({ ...e, v: sealedB }); // another key's record under this id
        if (k === 4) return `${line.slice(0, 30)}X${line.slice(31)}`; // one byte changed: checksum
        if (k === 5) return edited(e, (v) => (v.state = 'MAYBE'));
        if (k === 6) return edited(e, (v) => delete v.sealed);
        if (k === 7) return edited(e, (v) => (v.enabled = 'yes'));
        if (k === 8) return edited(e, (v) => (v.keyArn = String(v.keyArn).replace('111122223333', '999999999999')));
        if (k === 9) return 'these are my notes, not JSON\n';
        if (e.kind === 'alias' && e.id === 'alias/bad') return `${line.slice(0, 9)}[1,2\n`;
        if (e.kind === 'settings') return entryLine({ ...e, v: { defaultReplicationRegions: 'eu-west-1' } });
        return line;
      }),
    );
    const badCount = 10 + 2; // ten key lines, the alias, the settings

    const lines: string[] = [];
    const reopened = await Emulator.open({ dataDir, lmk: LMK, log: (l) => lines.push(l) });
    try {
      const listed = (await reopened.call('ListKeys', {})).Keys!.map((k) => k.KeyArn);
      expect(listed.sort()).toEqual(arns.slice(10).sort());
      for (const arn of arns.slice(10)) expect((await reopened.call('GetKey', { KeyIdentifier: arn })).Key!.KeyCheckValue).toBe(kcvs.get(arn));
      expect((await reopened.call('GetAlias', { AliasName: 'alias/good' })).Alias!.KeyArn).toBe(arns[12]);
      await expect(reopened.call('GetAlias', { AliasName: 'alias/bad' })).rejects.toMatchObject({ awsName: 'ResourceNotFoundException' });
      expect((await reopened.call('GetDefaultKeyReplicationRegions', {})).EnabledReplicationRegions ?? []).toEqual([]);
      const quarantinedLines = lines.filter((l) => l.startsWith('paycrypt-emulator: quarantined line '));
      expect(quarantinedLines).toHaveLength(badCount);
      expect(lines).toHaveLength(badCount);
      // each names the file and line, and says why, never the content
      for (const l of quarantinedLines) expect(l).toMatch(/^paycrypt-emulator: quarantined line \d+ of journal-0\.jsonl \([^)]+\) to quarantine\/journal-0\.jsonl; the rest of the data directory is loaded$/);
      for (const l of lines) expect(l).not.toMatch(/D0\d{3}[0-9A-Z]{11}|my notes/);
      // the quarantined lines are kept as they were
      const kept = readFileSync(join(dataDir, 'quarantine', 'journal-0.jsonl'), 'utf8');
      expect(kept).toContain('these are my notes, not JSON\n');
      expect(kept.split('\n').filter((l) => l !== '')).toHaveLength(quarantinedLines.length - 1); // the empty line stays empty
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

  it('a journal cut short by a kill mid-append: the incomplete entry is dropped, later writes start on a new line', async () => {
    const dataDir = tempDataDir('torn');
    const em = await Emulator.open({ dataDir, lmk: LMK, log: () => undefined });
    const a = (await em.call('CreateKey', TDES)).Key!;
    await em.close();
    rewriteJournal(dataDir, (lines) => [...lines, entryLine({ op: 'put', kind: 'alias', a: '111122223333', r: 'us-east-1', id: 'alias/torn', v: { aliasName: 'alias/torn' } }).slice(0, 40)]);
    const lines: string[] = [];
    const em2 = await Emulator.open({ dataDir, lmk: LMK, log: (l) => lines.push(l) });
    expect(lines).toEqual(['paycrypt-emulator: journal-0.jsonl: an incomplete last entry (an interrupted write, never acknowledged) was dropped']);
    await expect(em2.call('GetAlias', { AliasName: 'alias/torn' })).rejects.toMatchObject({ awsName: 'ResourceNotFoundException' });
    await em2.call('CreateAlias', { AliasName: 'alias/after', KeyArn: a.KeyArn });
    await em2.close();
    const em3 = await Emulator.open({ dataDir, lmk: LMK, log: (l) => lines.push(l) });
    expect(lines).toHaveLength(1);
    expect((await em3.call('GetAlias', { AliasName: 'alias/after' })).Alias!.KeyArn).toBe(a.KeyArn);
    expect((await em3.call('GetKey', { KeyIdentifier: a.KeyArn })).Key!.KeyCheckValue).toBe(a.KeyCheckValue);
    await em3.close();
  });
});

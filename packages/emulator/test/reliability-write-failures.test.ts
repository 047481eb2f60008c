import { readdirSync, statSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Emulator } from '../src/index.js';
import { LMK, openFaulty, snapshot, tempDataDir } from './reliability-kit.js';

/**
 * Issue 11 item 1: a mutating operation happens completely, in memory and on disk, or not at all.
 * Every mutating control-plane operation runs once against a store whose writes fail (EROFS):
 * it must answer InternalServerException, change nothing in memory, log one line without key
 * material; memory must equal what a restart loads; and the same call must then succeed.
 */
const TDES = {
  Exportable: true,
  KeyAttributes: { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Verify: true } },
};
const TEAM = 'arn:aws:mpa:us-east-1:111122223333:approval-team/team-1';
const POLICY = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: '*' }] });
const DAY = 86_400_000;

type Em = Emulator;
interface Case {
  name: string;
  /** set up with a healthy store; answers the input of the call under test */
  setup(em: Em, arn: string): Promise<unknown>;
  op: string;
  /**
   * fail this write only, a transient fault (default: every write from the first on, a disk
   * gone read-only); a later write of a multi-record change failing makes the earlier ones undone
   */
  failFrom?: number;
  /** advance the clock before the call (ms) */
  advance?: number;
}

const CASES: Case[] = [
  { name: 'TagResource', op: 'TagResource', setup: async (_e, arn) => ({ ResourceArn: arn, Tags: [{ Key: 'a', Value: '1' }] }) },
  {
    name: 'UntagResource',
    op: 'UntagResource',
    setup: async (em, arn) => {
      await em.call('TagResource', { ResourceArn: arn, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] });
      return { ResourceArn: arn, TagKeys: ['a'] };
    },
  },
  { name: 'DeleteKey', op: 'DeleteKey', setup: async (_e, arn) => ({ KeyIdentifier: arn }) },
  {
    name: 'RestoreKey',
    op: 'RestoreKey',
    setup: async (em, arn) => {
      await em.call('DeleteKey', { KeyIdentifier: arn });
      return { KeyIdentifier: arn };
    },
  },
  {
    name: 'StartKeyUsage',
    op: 'StartKeyUsage',
    setup: async (em, arn) => {
      await em.call('StopKeyUsage', { KeyIdentifier: arn });
      return { KeyIdentifier: arn };
    },
  },
  { name: 'StopKeyUsage', op: 'StopKeyUsage', setup: async (_e, arn) => ({ KeyIdentifier: arn }) },
  { name: 'CreateAlias', op: 'CreateAlias', setup: async (_e, arn) => ({ AliasName: 'alias/new', KeyArn: arn }) },
  {
    name: 'UpdateAlias',
    op: 'UpdateAlias',
    setup: async (em, arn) => {
      await em.call('CreateAlias', { AliasName: 'alias/u' });
      return { AliasName: 'alias/u', KeyArn: arn };
    },
  },
  {
    name: 'DeleteAlias',
    op: 'DeleteAlias',
    setup: async (em, arn) => {
      await em.call('CreateAlias', { AliasName: 'alias/d', KeyArn: arn });
      return { AliasName: 'alias/d' };
    },
  },
  { name: 'PutResourcePolicy', op: 'PutResourcePolicy', setup: async (_e, arn) => ({ ResourceArn: arn, Policy: POLICY }) },
  {
    name: 'DeleteResourcePolicy',
    op: 'DeleteResourcePolicy',
    setup: async (em, arn) => {
      await em.call('PutResourcePolicy', { ResourceArn: arn, Policy: POLICY });
      return { ResourceArn: arn };
    },
  },
  { name: 'AddKeyReplicationRegions (primary write fails)', op: 'AddKeyReplicationRegions', setup: async (_e, arn) => ({ KeyIdentifier: arn, ReplicationRegions: ['eu-west-1'] }) },
  {
    name: 'AddKeyReplicationRegions (replica write fails after the primary was written)',
    op: 'AddKeyReplicationRegions',
    failFrom: 1,
    setup: async (_e, arn) => ({ KeyIdentifier: arn, ReplicationRegions: ['eu-west-1', 'eu-north-1'] }),
  },
  {
    name: 'RemoveKeyReplicationRegions',
    op: 'RemoveKeyReplicationRegions',
    failFrom: 1,
    setup: async (em, arn) => {
      await em.call('AddKeyReplicationRegions', { KeyIdentifier: arn, ReplicationRegions: ['eu-west-1'] });
      return { KeyIdentifier: arn, ReplicationRegions: ['eu-west-1'] };
    },
  },
  {
    name: 'DeleteKey of a primary (replica write fails)',
    op: 'DeleteKey',
    failFrom: 1,
    setup: async (em, arn) => {
      await em.call('AddKeyReplicationRegions', { KeyIdentifier: arn, ReplicationRegions: ['eu-west-1'] });
      return { KeyIdentifier: arn };
    },
  },
  { name: 'EnableDefaultKeyReplicationRegions', op: 'EnableDefaultKeyReplicationRegions', setup: async () => ({ ReplicationRegions: ['eu-west-1'] }) },
  {
    name: 'DisableDefaultKeyReplicationRegions',
    op: 'DisableDefaultKeyReplicationRegions',
    setup: async (em) => {
      await em.call('EnableDefaultKeyReplicationRegions', { ReplicationRegions: ['eu-west-1'] });
      return { ReplicationRegions: ['eu-west-1'] };
    },
  },
  { name: 'AssociateMpaTeam', op: 'AssociateMpaTeam', setup: async () => ({ Action: 'IMPORT_ROOT_PUBLIC_KEY_CERTIFICATE', MpaTeamArn: TEAM }) },
  {
    name: 'DisassociateMpaTeam',
    op: 'DisassociateMpaTeam',
    setup: async (em) => {
      await em.call('AssociateMpaTeam', { Action: 'IMPORT_ROOT_PUBLIC_KEY_CERTIFICATE', MpaTeamArn: TEAM });
      return { Action: 'IMPORT_ROOT_PUBLIC_KEY_CERTIFICATE' };
    },
  },
  { name: 'CreateKey', op: 'CreateKey', setup: async () => TDES },
  {
    name: 'CreateKey with default replication (replica write fails)',
    op: 'CreateKey',
    failFrom: 1,
    setup: async (em) => {
      await em.call('EnableDefaultKeyReplicationRegions', { ReplicationRegions: ['eu-west-1'] });
      return TDES;
    },
  },
  ...[0, 1].map(
    (failFrom): Case => ({
      name: `deletion completes when the key is next read (write ${failFrom} fails)`,
      op: 'GetKey',
      failFrom,
      advance: 8 * DAY,
      setup: async (em, arn) => {
        await em.call('CreateAlias', { AliasName: 'alias/gone', KeyArn: arn });
        await em.call('DeleteKey', { KeyIdentifier: arn });
        return { KeyIdentifier: arn };
      },
    }),
  ),
];

describe('reliability: a failed write changes nothing (issue 11 item 1)', () => {
  it.each(CASES)('$name', async (c) => {
    const dataDir = tempDataDir('fault');
    let now = Date.parse('2026-06-01T00:00:00Z');
    const { em, store, lines } = await openFaulty(dataDir, { clock: () => now });
    try {
      const key = (await em.call('CreateKey', TDES)).Key!;
      const input = await c.setup(em, key.KeyArn!);
      now += c.advance ?? 1000;
      const before = snapshot(em);
      store.failAfter(c.failFrom ?? 0, c.failFrom !== undefined);
      await expect(em.call(c.op as never, input)).rejects.toMatchObject({ awsName: 'InternalServerException', status: 500 });
      expect(snapshot(em)).toEqual(before);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`${c.op} .*could not write .*EROFS`));
      const sealed = [...em.services.states.all()].flatMap((s) => [...s.keys.values()].map((k) => k.sealed)).filter((x) => x !== undefined);
      for (const blob of sealed) expect(lines[0]).not.toContain(blob);
      // memory = what a restart loads
      const reopened = await Emulator.open({ dataDir, lmk: LMK, clock: () => now, log: () => undefined });
      expect(snapshot(reopened)).toEqual(before);
      await reopened.close();
      // the same call succeeds once the disk is back (no phantom "pending deletion" conflict)
      store.heal();
      await em.call(c.op as never, input);
      const after = snapshot(em);
      const again = await Emulator.open({ dataDir, lmk: LMK, clock: () => now, log: () => undefined });
      expect(snapshot(again)).toEqual(after);
      await again.close();
    } finally {
      await em.close();
    }
  });

  it.each(CASES.filter((c) => c.failFrom !== undefined))('$name, and the undo fails too: memory still equals what a restart loads', async (c) => {
    const dataDir = tempDataDir('fault2');
    let now = Date.parse('2026-06-01T00:00:00Z');
    const { em, store } = await openFaulty(dataDir, { clock: () => now });
    try {
      const key = (await em.call('CreateKey', TDES)).Key!;
      const input = await c.setup(em, key.KeyArn!);
      now += c.advance ?? 1000;
      store.failAfter(c.failFrom!);
      await expect(em.call(c.op as never, input)).rejects.toMatchObject({ awsName: 'InternalServerException' });
      const reopened = await Emulator.open({ dataDir, lmk: LMK, clock: () => now, log: () => undefined });
      expect(snapshot(reopened)).toEqual(snapshot(em));
      await reopened.close();
    } finally {
      await em.close();
    }
  });

  it('an append that fails on the real data directory is cut off again: 500, no change now or after a restart', async () => {
    for (const fault of ['datasync', 'half-written'] as const) {
      const dataDir = tempDataDir('tmpfile');
      const lines: string[] = [];
      const em = await Emulator.open({ dataDir, lmk: LMK, log: (l) => lines.push(l) });
      const key = (await em.call('CreateKey', TDES)).Key!;
      const journal = join(dataDir, 'journal-0.jsonl');
      const sizeBefore = statSync(journal).size;
      // the store's open journal (a private field): its next fdatasync fails, or its next write stops half way
      const fh = (em.services.store as unknown as { journal: FileHandle }).journal;
      const realSync = fh.datasync.bind(fh);
      const realWrite = fh.write.bind(fh) as (b: Buffer, o: number) => Promise<{ bytesWritten: number }>;
      if (fault === 'datasync') {
        fh.datasync = async () => {
          fh.datasync = realSync;
          throw Object.assign(new Error('injected: I/O error'), { code: 'EIO' });
        };
      } else {
        (fh as unknown as { write: unknown }).write = async (b: Buffer, o: number) => {
          (fh as unknown as { write: unknown }).write = realWrite;
          await realWrite(b.subarray(0, o + Math.floor((b.length - o) / 2)), o);
          throw Object.assign(new Error('injected: no space left'), { code: 'ENOSPC' });
        };
      }
      await expect(em.call('TagResource', { ResourceArn: key.KeyArn, Tags: [{ Key: 'a', Value: '1' }] })).rejects.toMatchObject({ awsName: 'InternalServerException' });
      expect(statSync(journal).size, fault).toBe(sizeBefore);
      expect((await em.call('ListTagsForResource', { ResourceArn: key.KeyArn })).Tags).toEqual([]);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(fault === 'datasync' ? /could not write key .*: EIO; the change was not made/ : /: ENOSPC; the change was not made/);
      // the next write goes through and starts on a line of its own
      await em.call('TagResource', { ResourceArn: key.KeyArn, Tags: [{ Key: 'b', Value: '2' }] });
      await em.close();
      const again = await Emulator.open({ dataDir, lmk: LMK, log: (l) => lines.push(l) });
      expect((await again.call('ListTagsForResource', { ResourceArn: key.KeyArn })).Tags).toEqual([{ Key: 'b', Value: '2' }]);
      await again.close();
      expect(lines).toHaveLength(1);
      expect(readdirSync(dataDir).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    }
  });
});

import { appendFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Emulator } from '../src/index.js';
import { StateStore } from '../src/state/region-state.js';
import type { KeyRecord } from '../src/state/records.js';
import { DirStore } from '../src/store/dir-store.js';
import { entries, entryLine, liveRecords } from './data-dir-kit.js';
import { tempDataDir } from './reliability-kit.js';

/**
 * The journal store (src/store/dir-store.ts) on its own: compaction while running and after a
 * start, group commit, and what a restart loads — with a low compaction threshold so a few dozen
 * writes exercise what 10,000 do by default.
 */
const CVK = {
  Exportable: true,
  KeyAttributes: { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Verify: true } },
} as const;

async function records(n: number): Promise<KeyRecord[]> {
  const em = Emulator.inMemory({ log: () => undefined });
  for (let i = 0; i < n; i++) await em.call('CreateKey', CVK);
  const out = [...em.services.states.get('111122223333', 'us-east-1').keys.values()];
  await em.close();
  return out;
}

const jsonl = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort();

describe('journal store', () => {
  it('compacts while running once the journal outgrows the live records; a restart loads the newest of each', async () => {
    const dir = tempDataDir('journal');
    const keys = await records(3);
    const s = await DirStore.open(dir, 'check', () => undefined, { compactMinEntries: 4 });
    const state = new StateStore().get('111122223333', 'us-east-1');
    await s.load(new StateStore());
    for (let i = 0; i < 25; i++) await s.saveKey(state, { ...keys[i % 3]!, tags: new Map([['n', String(i)]]) });
    await s.deleteKey(state, keys[2]!.keyId);
    await s.close();
    // compacted at least once: a snapshot of a later generation, no file of generation 0 left
    const files = jsonl(dir);
    expect(files.some((f) => /^snapshot-[1-9]\d*\.jsonl$/.test(f))).toBe(true);
    expect(files).not.toContain('journal-0.jsonl');
    expect(entries(dir).length).toBeLessThan(10);
    const live = liveRecords(dir, 'key');
    expect([...live.keys()].sort()).toEqual([keys[0]!.keyId, keys[1]!.keyId].sort());

    const states = new StateStore();
    const again = await DirStore.open(dir, 'check', () => undefined, { compactMinEntries: 4 });
    await again.load(states);
    await again.close();
    const loaded = states.get('111122223333', 'us-east-1').keys;
    expect([...loaded.keys()].sort()).toEqual([keys[0]!.keyId, keys[1]!.keyId].sort());
    expect(loaded.get(keys[0]!.keyId)!.tags).toEqual(new Map([['n', '24']]));
    expect(loaded.get(keys[1]!.keyId)!.tags).toEqual(new Map([['n', '22']]));
    expect(loaded.get(keys[0]!.keyId)!.kcv).toBe(keys[0]!.kcv);
  });

  it('a long journal found at start is compacted after the start; writes meanwhile wait and are kept', async () => {
    const dir = tempDataDir('journal-start');
    const keys = await records(2);
    const first = await DirStore.open(dir, 'check', () => undefined, { compactMinEntries: 1000 });
    await first.load(new StateStore());
    const state = new StateStore().get('111122223333', 'us-east-1');
    for (let i = 0; i < 12; i++) await first.saveKey(state, { ...keys[i % 2]!, tags: new Map([['n', String(i)]]) });
    await first.close();
    expect(jsonl(dir)).toEqual(['journal-0.jsonl']);

    const states = new StateStore();
    const second = await DirStore.open(dir, 'check', () => undefined, { compactMinEntries: 4 });
    await second.load(states);
    // a write right after the start: queued behind the compaction, then in the new journal
    await second.saveKey(states.get('111122223333', 'us-east-1'), { ...keys[0]!, tags: new Map([['n', 'after']]) });
    await second.close();
    expect(jsonl(dir)).toEqual(['journal-1.jsonl', 'snapshot-1.jsonl']);
    expect(entries(dir)).toHaveLength(3);
    expect(liveRecords(dir, 'key').get(keys[0]!.keyId)!.tags).toEqual([['n', 'after']]);
    expect(statSync(join(dir, 'snapshot-1.jsonl')).mode & 0o777).toBe(0o600);
  });

  it('40 concurrent appends are all acknowledged and all load back, in creation order', async () => {
    const dir = tempDataDir('journal-group');
    const keys = await records(40);
    const s = await DirStore.open(dir, 'check', () => undefined);
    await s.load(new StateStore());
    const state = new StateStore().get('111122223333', 'us-east-1');
    await Promise.all(keys.map((k) => s.saveKey(state, k)));
    await s.close();
    const states = new StateStore();
    const again = await DirStore.open(dir, 'check', () => undefined);
    await again.load(states);
    await again.close();
    const loaded = states.get('111122223333', 'us-east-1').keys;
    expect(loaded.size).toBe(40);
    for (const k of keys) expect(loaded.get(k.keyId)!.kcv).toBe(k.kcv);
    // keys come back in creation order
    expect([...loaded.keys()]).toEqual([...keys].sort((a, b) => a.createdAt - b.createdAt || (a.keyId < b.keyId ? -1 : 1)).map((k) => k.keyId));
  });
  it('a record with non-ASCII text (a tag value) loads back unchanged', async () => {
    const dir = tempDataDir('journal-utf8');
    const [k] = await records(1);
    const s = await DirStore.open(dir, 'check', () => undefined);
    await s.load(new StateStore());
    const tags = new Map([['owner', 'Zoë — cartes ✓ 💳'], ['plain', 'ascii']]);
    await s.saveKey(new StateStore().get('111122223333', 'us-east-1'), { ...k!, tags });
    await s.close();
    const states = new StateStore();
    const again = await DirStore.open(dir, 'check', () => undefined);
    await again.load(states);
    await again.close();
    expect(states.get('111122223333', 'us-east-1').keys.get(k!.keyId)!.tags).toEqual(tags);
  });
  it('a newer entry that fails its checks hides the older one, at start and after compaction alike', async () => {
    const dir = tempDataDir('journal-hide');
    const [k, other] = await records(2);
    const first = await DirStore.open(dir, 'check', () => undefined, { compactMinEntries: 1 });
    await first.load(new StateStore());
    const state = new StateStore().get('111122223333', 'us-east-1');
    await first.saveKey(state, k!);
    await first.saveKey(state, other!);
    await first.close();
    // compacted into a snapshot at the next start; then a journal entry for k whose record is bad
    const second = await DirStore.open(dir, 'check', () => undefined, { compactMinEntries: 1 });
    await second.load(new StateStore());
    await second.close();
    const files = jsonl(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^snapshot-\d+\.jsonl$/);
    appendFileSync(join(dir, files[0]!.replace('snapshot', 'journal')), entryLine({ op: 'put', kind: 'key', a: '111122223333', r: 'us-east-1', id: k!.keyId, v: { ...liveRecords(dir, 'key').get(k!.keyId)!, state: 'MAYBE' } }));
    const loads: string[][] = [];
    for (let i = 0; i < 2; i++) {
      const states = new StateStore();
      const lines: string[] = [];
      const s = await DirStore.open(dir, 'check', (l) => lines.push(l), { compactMinEntries: 1 });
      await s.load(states);
      await s.close();
      loads.push([...states.get('111122223333', 'us-east-1').keys.keys()]);
      expect(lines, `start ${i + 1}`).toHaveLength(i === 0 ? 1 : 0);
    }
    // neither the bad version nor the older one: the same at both starts
    expect(loads).toEqual([[other!.keyId], [other!.keyId]]);
  });
});

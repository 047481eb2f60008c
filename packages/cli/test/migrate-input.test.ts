// migrate import's input reader: the field names it accepts (any case), JSON lines and CSV.
import { describe, expect, it } from 'vitest';
import { parseInput } from '../src/commands/migrate-input.js';

describe('migrate import input', () => {
  it('JSON lines: field names in any case and by their other names; blank and # lines skipped', () => {
    const text = [
      '{"WrappedKeyBlock":"D0112","KEK":"arn:k","AliasName":"alias/a","tags":{"team":"pay"}}',
      '',
      '# a comment',
      '{"Block":"D0113","block":"ignored: the first of two spellings wins","wrappingKeyArn":"arn:j","tags":[{"Key":"x","Value":"y"}]}',
      '{"keyBlock":"  D0114  ","tags":"a=1; b = 2"}',
    ].join('\n');
    expect(parseInput(text, 'jsonl')).toEqual([
      { line: 1, block: 'D0112', wrappingKey: 'arn:k', alias: 'alias/a', tags: [{ Key: 'team', Value: 'pay' }] },
      { line: 4, block: 'D0113', wrappingKey: 'arn:j', alias: undefined, tags: [{ Key: 'x', Value: 'y' }] },
      { line: 5, block: 'D0114', wrappingKey: undefined, alias: undefined, tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] },
    ]);
  });
  it('a line that is not a JSON object, or has no block, fails alone', () => {
    expect(parseInput('[1]\n{"alias":"alias/x"}\n{"block":"B"}', 'jsonl')).toEqual([
      { line: 1, tags: [], error: 'not a JSON object' },
      { line: 2, block: undefined, wrappingKey: undefined, alias: 'alias/x', tags: [], error: 'no block' },
      { line: 3, block: 'B', wrappingKey: undefined, alias: undefined, tags: [] },
    ]);
  });
  it('CSV: the header names the columns in any case; quoted cells', () => {
    expect(parseInput('Block,WrappingKeyIdentifier,Alias,Tags\r\n"D0,1",arn:k,,"a=""q"""\r\n', 'csv')).toEqual([
      { line: 2, block: 'D0,1', wrappingKey: 'arn:k', alias: undefined, tags: [{ Key: 'a', Value: '"q"' }] },
    ]);
    expect(() => parseInput('wrappingKey,alias\nx,y', 'csv')).toThrow('CSV: the first row must name the columns');
  });
});

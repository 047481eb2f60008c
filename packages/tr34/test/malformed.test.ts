import { describe, expect, it } from 'vitest';
import { hexToBytes } from '@paycrypt/primitives';
import { Tr34Error, inspectTr34KeyBlock } from '../src/index.js';
import { ASC, TR34 } from './fixtures.js';

const TOKEN = TR34.aws_tr34_2012_vectors.vectors[0]!.expected.wrapped_key_block_hex;

function malformedMessage(input: Uint8Array | string): string {
  try {
    inspectTr34KeyBlock(input);
  } catch (e) {
    expect(e).toBeInstanceOf(Tr34Error);
    expect((e as Tr34Error).code).toMatch(/^(MALFORMED|UNSUPPORTED)$/);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('format errors name what was malformed', () => {
  it('not hex, truncated, trailing bytes, wrong content types', () => {
    expect(malformedMessage('30XY')).toMatch(/not hex/);
    expect(malformedMessage(TOKEN.slice(0, 200))).toMatch(/ContentInfo \(length runs past/);
    expect(malformedMessage(`${TOKEN}00`)).toMatch(/ContentInfo \(trailing bytes\)/);
    // B.13 is a SignedData over id-data, not a key token
    expect(malformedMessage(ASC.items.b13_ubt_ca!.der_hex)).toMatch(/eContentType/);
  });

  it('an unknown content-encryption OID is UNSUPPORTED and named', () => {
    // des-ede3-cbc OID 2A864886F70D0307 → 2A864886F70D0308 (inside the eContent; parse happens before any crypto)
    const hex = TOKEN.replace('06082A864886F70D0307', '06082A864886F70D0308');
    expect(hex).not.toBe(TOKEN);
    expect(malformedMessage(hexToBytes(hex))).toMatch(/content-encryption algorithm 1\.2\.840\.113549\.3\.8/);
  });

  it('lower-case hex is accepted on input (the AWS form is upper case)', () => {
    expect(inspectTr34KeyBlock(TOKEN.toLowerCase()).layout).toBe('X9_TR34_2012');
  });
});

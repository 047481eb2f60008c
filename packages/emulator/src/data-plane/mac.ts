import { bytesToHex, constantTimeEqual, hexToBytes } from '@paycrypt/primitives';
import type { RequestContext } from '../core/context.js';
import { validationError, verificationFailedError } from '../core/errors.js';
import { handler, type PartialOperationTable } from '../core/registry.js';
import type { MacAttributes } from '../model/data-plane.types.generated.js';
import { macAlgorithmFacts } from './mac-algorithms.js';
import { dukptMac, emvImk, emvMacInput, type DukptMember } from './mac-derived.js';
import { storedKey, type OperationKey } from './operation-key.js';

/**
 * GenerateMac / VerifyMac (reference/data-plane.md §7). One path for both: resolve the member
 * of `MacAttributes`, check the key against its KEY_RULES entry, compute the full MAC with the
 * prepared key, then truncate (generate) or compare in constant time (verify).
 *
 * Lengths (bytes; `MacLength` keeps the leftmost bytes):
 * | member                         | full MAC       | default                      |
 * |--------------------------------|----------------|------------------------------|
 * | ISO9797_ALGORITHM1/3, AS2805   | 8              | 4 (live AWS)                 |
 * | CMAC                           | 8 TDES, 16 AES | full — NOTE                  |
 * | HMAC*                          | hash length    | full — NOTE                  |
 * | DukptIso9797Algorithm1/3       | 8              | 4 (as ISO 9797) — NOTE       |
 * | DukptCmac                      | 8 TDES, 16 AES | 8 — NOTE                     |
 * | EmvMac                         | 8              | 8 — NOTE                     |
 *
 * NOTE: AWS publishes no default for CMAC, HMAC, DUKPT CMAC and EMV MACs. DukptCmac defaults to
 * 8 bytes because VerifyMac with DUKPT accepts only an 8- or 16-hex MAC (live AWS), so that a
 * generated DUKPT MAC always verifies; EmvMac to 8 bytes (the EMV script MAC, and the size the
 * user guide's example shows).
 * VerifyMac: `Mac` must be 4 bytes to the full MAC (DUKPT: 4 or 8 bytes) and, when `MacLength`
 * is given, exactly that long — otherwise ValidationException; a mismatch is
 * VerificationFailedException INVALID_MAC.
 */
type Direction = 'generate' | 'verify';

interface MacPlan {
  key: OperationKey;
  /** full-length MAC of the message */
  full: Uint8Array;
  defaultLength: number;
  /** the lengths a verified Mac may have, when narrower than 4..full */
  verifyLengths?: readonly number[];
  /** EmvMac: verification through the engine */
  emvVerify?: (mac: Uint8Array) => boolean;
}

const DUKPT_MEMBERS: readonly DukptMember[] = ['DukptIso9797Algorithm1', 'DukptIso9797Algorithm3', 'DukptCmac'];

function chosenMember(attrs: MacAttributes, field: string): keyof MacAttributes {
  const set = (Object.keys(attrs) as (keyof MacAttributes)[]).filter((k) => attrs[k] !== undefined);
  if (set.length !== 1) throw validationError(`${field} must set exactly one of Algorithm, EmvMac, DukptIso9797Algorithm1, DukptIso9797Algorithm3, DukptCmac`);
  return set[0]!;
}

async function plan(ctx: RequestContext, identifier: string, attrs: MacAttributes, data: Uint8Array, direction: Direction, field: string): Promise<MacPlan> {
  const member = chosenMember(attrs, field);
  if (member === 'Algorithm') {
    const facts = macAlgorithmFacts(ctx, attrs.Algorithm!);
    const key = await storedKey(ctx, identifier, direction === 'generate' ? facts.generate : facts.verify);
    const full = facts.prepare(ctx, key)(data);
    return { key, full, defaultLength: facts.defaultLength ?? full.length };
  }
  if (member === 'EmvMac') {
    const input = emvMacInput(attrs.EmvMac!);
    const key = await storedKey(ctx, identifier, 'EMV_MAC');
    const imk = emvImk(ctx, key);
    // padding method 2 is applied by the engine (emvMac)
    const full = imk.generateEmvMac(input, data);
    return { key, full, defaultLength: 8, emvVerify: (mac) => imk.verifyEmvMac(input, data, mac) };
  }
  if ((DUKPT_MEMBERS as readonly string[]).includes(member)) {
    const m = member as DukptMember;
    const key = await storedKey(ctx, identifier, 'BDK');
    const full = dukptMac(ctx, key, m, attrs[m]!, data);
    return { key, full, defaultLength: m === 'DukptCmac' ? 8 : 4, verifyLengths: [4, 8] };
  }
  throw validationError(`${field}: unknown member ${String(member)}`);
}

export const macOperations: PartialOperationTable<'GenerateMac' | 'VerifyMac'> = {
  GenerateMac: handler(async (input, ctx) => {
    const data = hexToBytes(input.MessageData, { field: 'MessageData' });
    const p = await plan(ctx, input.KeyIdentifier, input.GenerationAttributes, data, 'generate', 'GenerationAttributes');
    const length = input.MacLength ?? p.defaultLength;
    if (length > p.full.length) {
      throw validationError(`MacLength ${length} is longer than the ${p.full.length}-byte MAC of this algorithm and key`);
    }
    const mac = bytesToHex(p.full.subarray(0, length));
    p.full.fill(0);
    return { KeyArn: p.key.arn, KeyCheckValue: p.key.kcv, Mac: mac };
  }),

  VerifyMac: handler(async (input, ctx) => {
    const data = hexToBytes(input.MessageData, { field: 'MessageData' });
    const mac = hexToBytes(input.Mac, { field: 'Mac' });
    if (input.MacLength !== undefined && input.MacLength !== mac.length) {
      throw validationError(`Mac has ${mac.length} bytes but MacLength is ${input.MacLength}`);
    }
    const p = await plan(ctx, input.KeyIdentifier, input.VerificationAttributes, data, 'verify', 'VerificationAttributes');
    const full = p.full;
    try {
      if (p.verifyLengths !== undefined && !p.verifyLengths.includes(mac.length)) {
        throw validationError(`Mac must have a valid length of 8 or 16 hex characters for DUKPT MACs, got ${input.Mac.length}`);
      }
      if (mac.length < 4 || mac.length > full.length) {
        throw validationError(`Mac must be 4 to ${full.length} bytes (${8}–${full.length * 2} hex) for this algorithm and key, got ${mac.length}`);
      }
      const ok = p.emvVerify !== undefined ? p.emvVerify(mac) : constantTimeEqual(full.subarray(0, mac.length), mac);
      if (!ok) throw verificationFailedError('INVALID_MAC');
    } finally {
      full.fill(0);
    }
    return { KeyArn: p.key.arn, KeyCheckValue: p.key.kcv };
  }),
};

import { bytesToHex, constantTimeEqual, hexToBytes } from '@paycrypt/primitives';
import type { RequestContext } from '../core/context.js';
import { validationError, verificationFailedError } from '../core/errors.js';
import { handler, type PartialOperationTable } from '../core/registry.js';
import type { MacAttributes } from '../model/data-plane.types.generated.js';
import { macAlgorithmFacts } from './mac-algorithms.js';
import { issuerMasterKey } from './emv-inputs.js';
import { dukptMac, emvMacInput, type DukptMember } from './mac-derived.js';
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
 * GenerateMac DukptCmac under an AES working key still gives up to the full 16 bytes when
 * MacLength asks for them (such a MAC cannot be verified: VerifyMac takes 4 or 8 bytes there).
 * VerifyMac: `Mac` must be 4 bytes to the full MAC (DUKPT: 4 or 8 bytes) and, when `MacLength`
 * is given, exactly that long — otherwise ValidationException; a mismatch is
 * VerificationFailedException INVALID_MAC.
 */
type Direction = 'generate' | 'verify';

interface MacPlan {
  key: OperationKey;
  /** length in bytes of the full MAC of this algorithm and key */
  fullLength: number;
  defaultLength: number;
  /** the lengths a verified Mac may have, when narrower than 4..full */
  verifyLengths?: readonly number[];
  /** the full MAC (a fresh array) */
  generate(): Uint8Array;
  /** constant-time check of a 4..full-byte MAC */
  verify(mac: Uint8Array): boolean;
  /** wipes what the plan computed */
  dispose(): void;
}

const DUKPT_MEMBERS: readonly DukptMember[] = ['DukptIso9797Algorithm1', 'DukptIso9797Algorithm3', 'DukptCmac'];

function chosenMember(attrs: MacAttributes, field: string): keyof MacAttributes {
  const set = (Object.keys(attrs) as (keyof MacAttributes)[]).filter((k) => attrs[k] !== undefined);
  if (set.length !== 1) throw validationError(`${field} must set exactly one of Algorithm, EmvMac, DukptIso9797Algorithm1, DukptIso9797Algorithm3, DukptCmac`);
  return set[0]!;
}

/** A plan over an already computed full MAC: compared in constant time, wiped after a verify. */
function computed(key: OperationKey, full: Uint8Array, defaultLength: number, verifyLengths?: readonly number[]): MacPlan {
  return {
    key,
    fullLength: full.length,
    defaultLength,
    ...(verifyLengths === undefined ? {} : { verifyLengths }),
    generate: () => full,
    verify: (mac) => constantTimeEqual(full.subarray(0, mac.length), mac),
    dispose: () => full.fill(0),
  };
}

async function plan(ctx: RequestContext, identifier: string, attrs: MacAttributes, data: Uint8Array, direction: Direction, field: string): Promise<MacPlan> {
  const member = chosenMember(attrs, field);
  if (member === 'Algorithm') {
    const facts = macAlgorithmFacts(ctx, attrs.Algorithm!);
    const key = await storedKey(ctx, identifier, direction === 'generate' ? facts.generate : facts.verify);
    const full = facts.prepare(ctx, key)(data);
    return computed(key, full, facts.defaultLength ?? full.length);
  }
  if (member === 'EmvMac') {
    const input = emvMacInput(attrs.EmvMac!);
    const key = await storedKey(ctx, identifier, 'EMV_MAC');
    const imk = issuerMasterKey(ctx, key);
    // the engine applies ISO 9797-1 padding method 2 and compares in constant time
    return { key, fullLength: 8, defaultLength: 8, generate: () => imk.generateEmvMac(input, data), verify: (mac) => imk.verifyEmvMac(input, data, mac), dispose: () => undefined };
  }
  if ((DUKPT_MEMBERS as readonly string[]).includes(member)) {
    const m = member as DukptMember;
    const key = await storedKey(ctx, identifier, 'BDK');
    return computed(key, dukptMac(ctx, key, m, attrs[m]!, data), m === 'DukptCmac' ? 8 : 4, [4, 8]);
  }
  throw validationError(`${field}: unknown member ${String(member)}`);
}

export const macOperations: PartialOperationTable<'GenerateMac' | 'VerifyMac'> = {
  GenerateMac: handler(async (input, ctx) => {
    const data = hexToBytes(input.MessageData, { field: 'MessageData' });
    const p = await plan(ctx, input.KeyIdentifier, input.GenerationAttributes, data, 'generate', 'GenerationAttributes');
    const length = input.MacLength ?? p.defaultLength;
    if (length > p.fullLength) {
      throw validationError(`MacLength ${length} is longer than the ${p.fullLength}-byte MAC of this algorithm and key`);
    }
    const full = p.generate();
    const mac = bytesToHex(full.subarray(0, length));
    full.fill(0);
    return { KeyArn: p.key.arn, KeyCheckValue: p.key.kcv, Mac: mac };
  }),

  VerifyMac: handler(async (input, ctx) => {
    const data = hexToBytes(input.MessageData, { field: 'MessageData' });
    const mac = hexToBytes(input.Mac, { field: 'Mac' });
    if (input.MacLength !== undefined && input.MacLength !== mac.length) {
      throw validationError(`Mac has ${mac.length} bytes but MacLength is ${input.MacLength}`);
    }
    const p = await plan(ctx, input.KeyIdentifier, input.VerificationAttributes, data, 'verify', 'VerificationAttributes');
    try {
      if (p.verifyLengths !== undefined && !p.verifyLengths.includes(mac.length)) {
        throw validationError(`Mac must have a valid length of 8 or 16 hex characters for DUKPT MACs, got ${input.Mac.length}`);
      }
      if (mac.length < 4 || mac.length > p.fullLength) {
        throw validationError(`Mac must be 4 to ${p.fullLength} bytes (8 to ${p.fullLength * 2} hex characters) for this algorithm and key, got ${mac.length} bytes`);
      }
      if (!p.verify(mac)) throw verificationFailedError('INVALID_MAC');
    } finally {
      p.dispose();
    }
    return { KeyArn: p.key.arn, KeyCheckValue: p.key.kcv };
  }),
};

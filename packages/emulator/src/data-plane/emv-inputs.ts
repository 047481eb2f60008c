import { EmvIssuerMasterKey, hexToBytes, type EmvCard } from '@paycrypt/primitives';
import type { RequestContext } from '../core/context.js';
import { validationError } from '../core/errors.js';
import { prepared, type OperationKey } from './operation-key.js';

/**
 * Wire → engine conversions shared by the EMV data-plane handlers (ARQC/ARPC, PIN change):
 * the card (PAN, PSN, MajorKeyDerivationMode), hex members, and the prepared issuer master key.
 */

/** The one set member of a model union (the validator has checked there is exactly one). */
export function unionMember<T extends object>(union: T, name: string): { member: keyof T & string; value: NonNullable<T[keyof T]> } {
  const set = Object.entries(union).filter(([, v]) => v !== undefined && v !== null);
  if (set.length !== 1) throw validationError(`${name}: exactly one member must be set`);
  const [member, value] = set[0]!;
  return { member: member as keyof T & string, value: value as NonNullable<T[keyof T]> };
}

/**
 * The card for ICC master key derivation. Option B with a PAN of 16 digits or fewer is refused
 * (AWS live behaviour, reference/data-plane.md §1): no silent fall-back to Option A.
 */
export function emvCard(mode: 'EMV_OPTION_A' | 'EMV_OPTION_B', pan: string, panSequenceNumber: string, path: string): EmvCard {
  if (mode === 'EMV_OPTION_B' && pan.length <= 16) {
    throw validationError(`${path}.PrimaryAccountNumber: MajorKeyDerivationMode EMV_OPTION_B requires a PAN of more than 16 digits; use EMV_OPTION_A`);
  }
  return { pan, panSequenceNumber, majorKeyDerivationMode: mode };
}

/** A hex member as bytes; an odd number of hex digits is a ValidationException naming the member. */
export function hexMember(value: string, path: string): Uint8Array {
  if (value.length % 2 !== 0) throw validationError(`${path}: expected an even number of hex characters, got ${value.length}`);
  return hexToBytes(value, { field: path });
}

/** An optional hex member. */
export function optionalHex(value: string | undefined, path: string): Uint8Array | undefined {
  return value === undefined ? undefined : hexMember(value, path);
}

/** The IMK (E0/E1/E2) with its key schedule kept, cached per stored key. */
export function issuerMasterKey(ctx: RequestContext, key: OperationKey): EmvIssuerMasterKey {
  return prepared(ctx, key, 'emv-imk', (clear) => new EmvIssuerMasterKey(clear));
}

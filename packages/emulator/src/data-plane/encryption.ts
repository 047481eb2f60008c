import type { RequestContext } from '../core/context.js';
import { validationError } from '../core/errors.js';
import { handler, type PartialOperationTable } from '../core/registry.js';
import type { EncryptionDecryptionAttributes, ReEncryptionAttributes, WrappedKey } from '../model/data-plane.types.generated.js';
import { dukptSpec, emvSpec, runCipher, symmetricSpec, type CipherSpec, type Direction } from './encryption-ciphers.js';
import { rsaDecrypt, rsaEncrypt } from './encryption-rsa.js';
import type { KeyRuleName } from './key-rules.js';
import { operationKey, type OperationKey } from './operation-key.js';

/**
 * EncryptData, DecryptData, ReEncryptData (data-plane.md §6). The key is in the URI
 * (`/keys/{KeyIdentifier}/encrypt`, `/keys/{IncomingKeyIdentifier}/reencrypt`); the router has
 * decoded it into the input.
 *
 * | member     | EncryptData / DecryptData key rule | ReEncryptData in / out rule                    |
 * |------------|------------------------------------|------------------------------------------------|
 * | Symmetric  | DEK_ENCRYPT / DEK_DECRYPT (D0)     | DEK_REENCRYPT_DECRYPT / DEK_REENCRYPT_ENCRYPT (D0, not NoRestrictions) |
 * | Asymmetric | RSA_ENCRYPT / RSA_DECRYPT (D1)     | —                                              |
 * | Dukpt      | BDK (B0)                           | BDK                                            |
 * | Emv        | EMV_ENCRYPT (E1, E6)               | —                                              |
 *
 * `WrappedKey` (dynamic key): a TR-31 block unwrapped under the KEK named by the key identifier,
 * checked against the member's rule (AWS: "a key purpose of D0 with a mode of use of B or D").
 * NOTE: the emulator accepts a WrappedKey with the Symmetric member only; with Asymmetric, Dukpt or
 * Emv it is a ValidationException (AWS documents dynamic keys for D0 only).
 *
 * Answers: `KeyArn` / `KeyCheckValue` of the key used (ReEncryptData: the outgoing key; a dynamic
 * key: the KEK's ARN and the dynamic key's KCV). Hex out is upper case.
 */

type Member = 'Symmetric' | 'Asymmetric' | 'Dukpt' | 'Emv';

function memberOf(attrs: EncryptionDecryptionAttributes | ReEncryptionAttributes, field: string): Member {
  // the model validator has made sure exactly one member is set
  for (const m of ['Symmetric', 'Asymmetric', 'Dukpt', 'Emv'] as const) {
    if ((attrs as EncryptionDecryptionAttributes)[m] !== undefined) return m;
  }
  throw validationError(`${field} must set exactly one of Symmetric, Asymmetric, Dukpt, Emv`);
}

const RULES: Readonly<Record<Member, { encrypt: KeyRuleName; decrypt: KeyRuleName }>> = {
  Symmetric: { encrypt: 'DEK_ENCRYPT', decrypt: 'DEK_DECRYPT' },
  Asymmetric: { encrypt: 'RSA_ENCRYPT', decrypt: 'RSA_DECRYPT' },
  Dukpt: { encrypt: 'BDK', decrypt: 'BDK' },
  Emv: { encrypt: 'EMV_ENCRYPT', decrypt: 'EMV_ENCRYPT' },
};

const REENCRYPT_RULES: Readonly<Record<'Symmetric' | 'Dukpt', { encrypt: KeyRuleName; decrypt: KeyRuleName }>> = {
  Symmetric: { encrypt: 'DEK_REENCRYPT_ENCRYPT', decrypt: 'DEK_REENCRYPT_DECRYPT' },
  Dukpt: { encrypt: 'BDK', decrypt: 'BDK' },
};

function bytes(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

function hexOut(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex').toUpperCase();
}

async function keyFor(
  ctx: RequestContext,
  identifier: string,
  rule: KeyRuleName,
  member: Member,
  wrapped: WrappedKey | undefined,
  identifierMember: string,
  wrappedMember: string,
): Promise<OperationKey> {
  if (wrapped !== undefined && member !== 'Symmetric') {
    throw validationError(`${wrappedMember} (a dynamic key) is supported with Symmetric attributes only, not ${member}`);
  }
  return operationKey(ctx, identifier, rule, wrapped, identifierMember);
}

function specFor(ctx: RequestContext, key: OperationKey, attrs: EncryptionDecryptionAttributes, member: Exclude<Member, 'Asymmetric'>, field: string): CipherSpec {
  switch (member) {
    case 'Symmetric':
      return symmetricSpec(ctx, key, attrs.Symmetric!, `${field}.Symmetric`);
    case 'Dukpt':
      return dukptSpec(ctx, key, attrs.Dukpt!, `${field}.Dukpt`);
    case 'Emv':
      return emvSpec(ctx, key, attrs.Emv!, `${field}.Emv`);
  }
}

async function crypt(
  ctx: RequestContext,
  direction: Direction,
  identifier: string,
  attrs: EncryptionDecryptionAttributes,
  wrapped: WrappedKey | undefined,
  dataHex: string,
): Promise<{ key: OperationKey; out: string }> {
  const field = direction === 'encrypt' ? 'EncryptionAttributes' : 'DecryptionAttributes';
  const dataField = direction === 'encrypt' ? 'PlainText' : 'CipherText';
  const member = memberOf(attrs, field);
  const key = await keyFor(ctx, identifier, RULES[member][direction], member, wrapped, 'KeyIdentifier', 'WrappedKey');
  const data = bytes(dataHex);
  let out: Uint8Array;
  try {
    if (member === 'Asymmetric') {
      const padding = attrs.Asymmetric!.PaddingType;
      out = direction === 'encrypt' ? rsaEncrypt(key, padding, data) : rsaDecrypt(ctx, key, padding, data);
    } else {
      out = runCipher(specFor(ctx, key, attrs, member, field), data, direction, dataField);
    }
  } finally {
    data.fill(0);
    key.clear?.fill(0); // a dynamic key's clear bytes: its cipher holds its own schedule
  }
  const hex = hexOut(out);
  out.fill(0);
  return { key, out: hex };
}

export const encryptionOperations: PartialOperationTable<'EncryptData' | 'DecryptData' | 'ReEncryptData'> = {
  EncryptData: handler(async (input, ctx) => {
    const { key, out } = await crypt(ctx, 'encrypt', input.KeyIdentifier, input.EncryptionAttributes, input.WrappedKey, input.PlainText);
    return { KeyArn: key.arn, KeyCheckValue: key.kcv, CipherText: out };
  }),

  DecryptData: handler(async (input, ctx) => {
    const { key, out } = await crypt(ctx, 'decrypt', input.KeyIdentifier, input.DecryptionAttributes, input.WrappedKey, input.CipherText);
    return { KeyArn: key.arn, KeyCheckValue: key.kcv, PlainText: out };
  }),

  ReEncryptData: handler(async (input, ctx) => {
    const inMember = memberOf(input.IncomingEncryptionAttributes, 'IncomingEncryptionAttributes');
    const outMember = memberOf(input.OutgoingEncryptionAttributes, 'OutgoingEncryptionAttributes');
    if ((inMember !== 'Symmetric' && inMember !== 'Dukpt') || (outMember !== 'Symmetric' && outMember !== 'Dukpt')) {
      throw validationError('ReEncryptData takes Symmetric or Dukpt attributes only');
    }
    const inKey = await keyFor(ctx, input.IncomingKeyIdentifier, REENCRYPT_RULES[inMember].decrypt, inMember, input.IncomingWrappedKey, 'IncomingKeyIdentifier', 'IncomingWrappedKey');
    const outKey = await keyFor(ctx, input.OutgoingKeyIdentifier, REENCRYPT_RULES[outMember].encrypt, outMember, input.OutgoingWrappedKey, 'OutgoingKeyIdentifier', 'OutgoingWrappedKey');
    let inSpec: CipherSpec;
    let outSpec: CipherSpec;
    try {
      inSpec = specFor(ctx, inKey, input.IncomingEncryptionAttributes, inMember, 'IncomingEncryptionAttributes');
      outSpec = specFor(ctx, outKey, input.OutgoingEncryptionAttributes, outMember, 'OutgoingEncryptionAttributes');
    } finally {
      inKey.clear?.fill(0); // dynamic keys' clear bytes: the ciphers hold their own schedules
      outKey.clear?.fill(0);
    }
    const data = bytes(input.CipherText);
    const clear = runCipher(inSpec, data, 'decrypt', 'CipherText');
    let out: Uint8Array;
    try {
      out = runCipher(outSpec, clear, 'encrypt', 'CipherText (decrypted)');
    } finally {
      clear.fill(0);
    }
    const hex = hexOut(out);
    out.fill(0);
    return { KeyArn: outKey.arn, KeyCheckValue: outKey.kcv, CipherText: hex };
  }),
};

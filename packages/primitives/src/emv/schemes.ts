import { assertBytes } from '../bytes.js';
import { PrimitivesError } from '../errors.js';
import { ownEntry } from '../table.js';
import { deriveEmv2000TreeSessionKey } from './emv2000-tree.js';
import type { SmEncryptionType } from './secure-messaging.js';
import { commonSessionKeyR, deriveCommonSessionKey, deriveVisaSmSessionKey, mastercardSessionKeyR } from './session-keys.js';

/**
 * What each AWS EMV scheme derives, from what — ONE table (reference/data-plane.md §3.2, §8, §9).
 * The names are AWS's `SessionKeyDerivation` members (ARQC) and, for secure messaging, the
 * `SessionKeyDerivationMode` / `DerivationMethodAttributes` that mean the same scheme.
 *
 * | scheme     | ARQC key                    | ARPC key       | secure-messaging key (MAC, PIN change) | PIN-change encryption |
 * (PIN-change target block: Visa and Amex the VIS block — inferred from AWS asking them for the IMK-AC — others ISO 9564 format 2)
 * |------------|-----------------------------|----------------|----------------------------------------|-----------------------|
 * | EmvCommon  | CSK, R = ATC ‖ 00×6         | AC session key | CSK, R = application cryptogram        | caller's attributes   |
 * | Mastercard | CSK, R = ATC ‖ 0000 ‖ UN    | ICC MK (M/Chip CVN16/17) | CSK, R = application cryptogram | MASTERCARD            |
 * | Visa       | ICC MK itself               | ICC MK         | Visa SM key (ATC)                      | VISA                  |
 * | Amex       | ICC MK itself               | ICC MK         | Visa SM key (ATC) — assumption [MAP]   | VISA                  |
 * | Emv2000    | EMV2000 tree (ATC; b 4, H 8, IV 0) | AC session key — assumption | EMV2000 tree (ATC)   | EMV — assumption      |
 * | UnionPay   | unpublished: refused (`UNSUPPORTED`)                                                                         |
 */
export type EmvSchemeName = 'EmvCommon' | 'Mastercard' | 'Visa' | 'Amex' | 'Emv2000' | 'UnionPay';

/** How a key is derived from the ICC master key. */
export type SessionKeyMethod = 'ICC_MASTER_KEY' | 'COMMON_SESSION_KEY' | 'VISA_SM' | 'EMV2000_TREE';
/** Which transaction value feeds it. */
export type SessionKeyInput = 'NONE' | 'ATC' | 'ATC_UN' | 'APPLICATION_CRYPTOGRAM';

export interface SessionKeyRule {
  readonly method: SessionKeyMethod;
  readonly input: SessionKeyInput;
}

export interface EmvSchemeFacts {
  /** False: the algorithm is not public; every use is refused. */
  readonly published: boolean;
  /** AWS `SessionKeyDerivationMode` (EmvMac) / data-plane enum name. */
  readonly awsMode: 'EMV_COMMON_SESSION_KEY' | 'MASTERCARD_SESSION_KEY' | 'VISA' | 'AMEX' | 'EMV2000' | 'UNION_PAY';
  readonly arqc?: SessionKeyRule;
  /** Which key computes the ARPC: the AC session key (the ARQC rule) or the ICC master key. */
  readonly arpcKey?: 'AC_SESSION_KEY' | 'ICC_MASTER_KEY';
  readonly secureMessaging?: SessionKeyRule;
  /** Encryption of the PIN-change target block; undefined: the caller gives the layout (EmvCommon). */
  readonly pinChangeEncryption?: SmEncryptionType;
  /** The clear target block of a PIN change: ISO 9564 format 2, or Visa VIS (needs the IMK-AC). */
  readonly pinChangeBlock?: 'ISO_2' | 'VIS';
  readonly note?: string;
}

export const EMV_SCHEMES: Readonly<Record<EmvSchemeName, EmvSchemeFacts>> = {
  EmvCommon: {
    published: true,
    awsMode: 'EMV_COMMON_SESSION_KEY',
    arqc: { method: 'COMMON_SESSION_KEY', input: 'ATC' },
    arpcKey: 'AC_SESSION_KEY',
    secureMessaging: { method: 'COMMON_SESSION_KEY', input: 'APPLICATION_CRYPTOGRAM' },
    pinChangeBlock: 'ISO_2',
  },
  Mastercard: {
    published: true,
    awsMode: 'MASTERCARD_SESSION_KEY',
    arqc: { method: 'COMMON_SESSION_KEY', input: 'ATC_UN' },
    arpcKey: 'ICC_MASTER_KEY',
    secureMessaging: { method: 'COMMON_SESSION_KEY', input: 'APPLICATION_CRYPTOGRAM' },
    pinChangeEncryption: 'MASTERCARD',
    pinChangeBlock: 'ISO_2',
    note: 'ARPC under the ICC MK as M/Chip CVN16/17 (pyemv, jPOS MCHIP); CVN20/21 use the session key, which AWS has no option for',
  },
  Visa: {
    published: true,
    awsMode: 'VISA',
    arqc: { method: 'ICC_MASTER_KEY', input: 'NONE' },
    arpcKey: 'ICC_MASTER_KEY',
    secureMessaging: { method: 'VISA_SM', input: 'ATC' },
    pinChangeEncryption: 'VISA',
    pinChangeBlock: 'VIS',
  },
  Amex: {
    published: true,
    awsMode: 'AMEX',
    arqc: { method: 'ICC_MASTER_KEY', input: 'NONE' },
    arpcKey: 'ICC_MASTER_KEY',
    secureMessaging: { method: 'VISA_SM', input: 'ATC' },
    pinChangeEncryption: 'VISA',
    pinChangeBlock: 'VIS',
    note: 'secure messaging as Visa: assumption from the payShield mapping ("Visa, Amex and JCB 01 … the same")',
  },
  Emv2000: {
    published: true,
    awsMode: 'EMV2000',
    arqc: { method: 'EMV2000_TREE', input: 'ATC' },
    arpcKey: 'AC_SESSION_KEY',
    secureMessaging: { method: 'EMV2000_TREE', input: 'ATC' },
    pinChangeEncryption: 'EMV',
    pinChangeBlock: 'ISO_2',
    note: 'tree parameters b 4, H 8, IV 0, the ARPC key and the PIN-change layout are assumptions (AWS documents none)',
  },
  UnionPay: {
    published: false,
    awsMode: 'UNION_PAY',
    note: 'AWS: "UnionPay-specific scheme" from PAN, PSN, ATC; not published',
  },
};

/** Transaction values a session key may need (all binary). */
export interface EmvSessionInputs {
  /** Application transaction counter, 2 bytes (tag 9F36). */
  atc?: Uint8Array;
  /** Unpredictable number, 4 bytes (tag 9F37). */
  unpredictableNumber?: Uint8Array;
  /** Application cryptogram (ARQC), 8 bytes (tag 9F26). */
  applicationCryptogram?: Uint8Array;
}

function need(v: Uint8Array | undefined, field: string, len: number, why: string): Uint8Array {
  if (v === undefined) throw new PrimitivesError('INVALID_INPUT', `"${field}" is required for ${why}`, { field });
  assertBytes(v, field, len);
  return v;
}

/** The derivation data each input kind contributes (R for the common key, the ATC for the others). */
const SESSION_KEY_INPUTS: Readonly<Record<SessionKeyInput, (i: EmvSessionInputs, why: string) => Uint8Array>> = {
  NONE: () => new Uint8Array(0),
  ATC: (i, why) => need(i.atc, 'atc', 2, why),
  ATC_UN: (i, why) => mastercardSessionKeyR(need(i.atc, 'atc', 2, why), need(i.unpredictableNumber, 'unpredictableNumber', 4, why)),
  APPLICATION_CRYPTOGRAM: (i, why) => need(i.applicationCryptogram, 'applicationCryptogram', 8, why),
};

/** The derivation each method performs on the ICC MK with that data. */
const SESSION_KEY_METHODS: Readonly<Record<SessionKeyMethod, (mk: Uint8Array, data: Uint8Array) => Uint8Array>> = {
  ICC_MASTER_KEY: (mk) => new Uint8Array(mk),
  // an ATC alone (2 bytes) means R = ATC ‖ 00×6; ATC_UN and the cryptogram are already 8 bytes
  COMMON_SESSION_KEY: (mk, d) => deriveCommonSessionKey(mk, d.length === 2 ? commonSessionKeyR(d) : d),
  VISA_SM: (mk, atc) => deriveVisaSmSessionKey(mk, atc),
  EMV2000_TREE: (mk, atc) => deriveEmv2000TreeSessionKey(mk, atc),
};

/** The facts of a scheme, refusing unknown names (RangeError) and unpublished schemes (`UNSUPPORTED`). */
export function emvScheme(scheme: EmvSchemeName): EmvSchemeFacts {
  const f = ownEntry(EMV_SCHEMES, scheme);
  if (f === undefined) throw new RangeError(`"scheme" expected ${Object.keys(EMV_SCHEMES).join(', ')}, got ${String(scheme)}`);
  if (!f.published) throw new PrimitivesError('UNSUPPORTED', `EMV scheme ${scheme} is not published; it is not implemented`, { field: 'scheme' });
  return f;
}

/** Applies a rule (from the table) to an ICC master key. */
export function deriveSessionKeyByRule(rule: SessionKeyRule, mk: Uint8Array, inputs: EmvSessionInputs, why = 'this session key'): Uint8Array {
  assertBytes(mk, 'mk', 16);
  const input = ownEntry(SESSION_KEY_INPUTS, rule.input);
  const method = ownEntry(SESSION_KEY_METHODS, rule.method);
  if (input === undefined || method === undefined) throw new RangeError('"rule" has an unknown method or input');
  return method(mk, input(inputs, why));
}

export type EmvKeyPurpose = 'ARQC' | 'ARPC' | 'SECURE_MESSAGING';

/**
 * The key a scheme uses for one purpose, from the ICC master key for that purpose (MK-AC for
 * ARQC/ARPC, MK-SMI or MK-SMC for secure messaging). A fresh array; wipe it after use.
 */
export function deriveSchemeKey(scheme: EmvSchemeName, purpose: EmvKeyPurpose, mk: Uint8Array, inputs: EmvSessionInputs = {}): Uint8Array {
  const f = emvScheme(scheme);
  const rule = ruleFor(f, purpose);
  return deriveSessionKeyByRule(rule, mk, inputs, `${scheme} ${purpose.toLowerCase().replace('_', ' ')}`);
}

/** The session-key rule of a scheme for a purpose. */
export function ruleFor(f: EmvSchemeFacts, purpose: EmvKeyPurpose): SessionKeyRule {
  const MK: SessionKeyRule = { method: 'ICC_MASTER_KEY', input: 'NONE' };
  const rule = purpose === 'SECURE_MESSAGING' ? f.secureMessaging : purpose === 'ARPC' && f.arpcKey === 'ICC_MASTER_KEY' ? MK : f.arqc;
  if (rule === undefined) throw new PrimitivesError('UNSUPPORTED', `no ${purpose} derivation is published for this scheme`, { field: 'scheme' });
  return rule;
}

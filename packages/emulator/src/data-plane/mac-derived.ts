import {
  AesCipher,
  AesDukptBdkDeriver,
  EMV_SCHEMES,
  RetailMacKey,
  TdesCipher,
  TdesDukptBdk,
  aesDukptKeyTypeFromAws,
  cmac,
  hexToBytes,
  iso9797Mac1,
  iso9797Mac3,
  tdesDukptTransactionKey,
  tdesDukptVariantKey,
  type AesDukptKeyUsage,
  type EmvCryptogramInput,
  type EmvSchemeName,
  type TdesDukptKeyVariant,
} from '@paycrypt/primitives';
import type { RequestContext } from '../core/context.js';
import { validationError } from '../core/errors.js';
import type { MacAlgorithmDukpt, MacAlgorithmEmv } from '../model/data-plane.types.generated.js';
import { prepared, type OperationKey } from './operation-key.js';

/**
 * The derived-key members of `MacAttributes`: DUKPT MACs under a B0 BDK, and the EMV secure
 * messaging MAC under an E2 issuer master key (reference/data-plane.md §3, §6 end, §7).
 *
 * DUKPT (`DukptIso9797Algorithm1`, `DukptIso9797Algorithm3`, `DukptCmac`):
 *
 * | BDK      | DukptKeyVariant | working key                                                        |
 * |----------|-----------------|--------------------------------------------------------------------|
 * | TDES     | REQUEST         | X9.24-1 MAC request variant (000000000000FF00 …)                   |
 * | TDES     | RESPONSE        | X9.24-1 MAC response variant (00000000FF000000 …)                  |
 * | TDES     | BIDIRECTIONAL   | the request variant — assumption, as for DUKPT data keys (§6)      |
 * | AES      | REQUEST         | X9.24-3 usage 2000 "MAC generation"                                |
 * | AES      | RESPONSE        | X9.24-3 usage 2001 "MAC verification"                              |
 * | AES      | BIDIRECTIONAL   | X9.24-3 usage 2002 "MAC both ways"                                 |
 *
 * NOTE (assumptions, AWS documents none of them): `DukptDerivationType` is the working key's type.
 * A TDES BDK derives TDES_2KEY keys only (absent = TDES_2KEY). An AES BDK derives the type asked
 * for; absent means the BDK's own AES type for CMAC, and TDES_2KEY for the ISO 9797 members (which
 * need a TDES key; an AES type is refused there).
 * Messages are 8–4096 bytes; ISO 9797 alg 1/3 MAC the data as given, which must be a multiple of
 * 8 bytes (no padding, live AWS); CMAC takes any length.
 */
export type DukptMember = 'DukptIso9797Algorithm1' | 'DukptIso9797Algorithm3' | 'DukptCmac';

const TDES_VARIANTS: Readonly<Record<MacAlgorithmDukpt['DukptKeyVariant'], TdesDukptKeyVariant>> = {
  REQUEST: 'MAC_REQUEST',
  RESPONSE: 'MAC_RESPONSE',
  BIDIRECTIONAL: 'MAC_REQUEST',
};

const AES_USAGES: Readonly<Record<MacAlgorithmDukpt['DukptKeyVariant'], AesDukptKeyUsage>> = {
  REQUEST: 'MAC_GENERATION',
  RESPONSE: 'MAC_VERIFICATION',
  BIDIRECTIONAL: 'MAC_BOTH_WAYS',
};

/** Full MAC of `data` for a DUKPT member (8 bytes, 16 for an AES CMAC key). */
export function dukptMac(ctx: RequestContext, key: OperationKey, member: DukptMember, attrs: MacAlgorithmDukpt, data: Uint8Array): Uint8Array {
  const iso = member !== 'DukptCmac';
  if (data.length < 8) throw validationError(`${member}: MessageData must be 8 to 4096 bytes, got ${data.length}`);
  if (iso && data.length % 8 !== 0) {
    throw validationError(`${member}: MessageData must be a multiple of 8 bytes (no padding is applied), got ${data.length}`);
  }
  const variant = TDES_VARIANTS[attrs.DukptKeyVariant];
  const usage = AES_USAGES[attrs.DukptKeyVariant];
  if (variant === undefined || usage === undefined) throw validationError(`${member}: unknown DukptKeyVariant ${String(attrs.DukptKeyVariant)}`);
  const type = attrs.DukptDerivationType;
  let wk: Uint8Array;
  let tdesKey = true;
  if (key.keyAlgorithm === 'TDES_2KEY') {
    if (type !== undefined && type !== 'TDES_2KEY') throw validationError(`${member}: a TDES_2KEY BDK derives TDES_2KEY keys only, not ${type}`);
    const bdk = prepared(ctx, key, 'dukpt:tdes-bdk', (clear) => new TdesDukptBdk(clear));
    const txn = tdesDukptTransactionKey(bdk, attrs.KeySerialNumber);
    wk = tdesDukptVariantKey(txn, variant);
    txn.fill(0);
  } else {
    const wanted = type ?? (iso ? 'TDES_2KEY' : key.keyAlgorithm);
    if (iso && wanted.startsWith('AES')) throw validationError(`${member}: ISO 9797 MACs need a TDES working key; DukptDerivationType ${wanted} is not allowed`);
    tdesKey = wanted.startsWith('TDES');
    const deriver = prepared(ctx, key, 'dukpt:aes-bdk', (clear) => new AesDukptBdkDeriver(clear));
    wk = deriver.workingKey(attrs.KeySerialNumber, { usage, keyType: aesDukptKeyTypeFromAws(wanted) });
  }
  try {
    if (member === 'DukptIso9797Algorithm1') return iso9797Mac1(new TdesCipher(wk), data, 1);
    if (member === 'DukptIso9797Algorithm3') return wk.length === 16 ? new RetailMacKey(wk).mac(data, 'NONE') : iso9797Mac3(wk, data, 1);
    return cmac(tdesKey ? new TdesCipher(wk) : new AesCipher(wk), data);
  } finally {
    wk.fill(0);
  }
}

/**
 * EmvMac: ICC MK-SMI (Option A/B) → the scheme's secure-messaging session key → ISO 9797-1 alg 3
 * with padding method 2 applied by the service. The scheme is the EMV_SCHEMES entry whose
 * `awsMode` is the `SessionKeyDerivationMode`; which `SessionKeyDerivationValue` member it needs
 * (ATC or application cryptogram) comes from the same table.
 */
export function emvMacInput(attrs: MacAlgorithmEmv): EmvCryptogramInput {
  const entry = Object.entries(EMV_SCHEMES).find(([, f]) => f.awsMode === attrs.SessionKeyDerivationMode);
  if (entry === undefined) throw validationError(`EmvMac: unknown SessionKeyDerivationMode ${String(attrs.SessionKeyDerivationMode)}`);
  const [scheme, facts] = entry as [EmvSchemeName, (typeof EMV_SCHEMES)[EmvSchemeName]];
  if (!facts.published || facts.secureMessaging === undefined) {
    throw validationError(`EmvMac: SessionKeyDerivationMode ${attrs.SessionKeyDerivationMode} is not supported by this emulator (the scheme is not published)`);
  }
  const value = attrs.SessionKeyDerivationValue ?? {};
  const base = { scheme, pan: attrs.PrimaryAccountNumber, panSequenceNumber: attrs.PanSequenceNumber, majorKeyDerivationMode: attrs.MajorKeyDerivationMode };
  if (facts.secureMessaging.input === 'APPLICATION_CRYPTOGRAM') {
    if (value.ApplicationCryptogram === undefined) {
      throw validationError(`EmvMac: SessionKeyDerivationMode ${attrs.SessionKeyDerivationMode} needs SessionKeyDerivationValue.ApplicationCryptogram`);
    }
    return { ...base, applicationCryptogram: hexToBytes(value.ApplicationCryptogram, { field: 'ApplicationCryptogram' }) };
  }
  if (value.ApplicationTransactionCounter === undefined) {
    throw validationError(`EmvMac: SessionKeyDerivationMode ${attrs.SessionKeyDerivationMode} needs SessionKeyDerivationValue.ApplicationTransactionCounter`);
  }
  return { ...base, atc: hexToBytes(value.ApplicationTransactionCounter, { field: 'ApplicationTransactionCounter' }) };
}



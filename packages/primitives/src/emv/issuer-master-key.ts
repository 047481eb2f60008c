import { assertBytes, constantTimeEqual } from '../bytes.js';
import { TdesCipher } from '../cipher/tdes.js';
import { type ArpcRequest, generateArpc } from './arpc.js';
import { generateArqc } from './arqc.js';
import { type IccMasterKeyDerivationMode, deriveIccMasterKey } from './icc-master-key.js';
import { RetailMacKey } from './retail-mac-key.js';
import { type EmvKeyPurpose, type EmvSchemeName, type EmvSessionInputs, deriveSchemeKey } from './schemes.js';
import { emvMac } from './secure-messaging.js';

/**
 * An issuer master key (IMK-AC, IMK-SMI or IMK-SMC; AWS key usage E0/E2/E1, TDES_2KEY, DeriveKey)
 * with its TDES key schedule expanded once. Everything per card is derived from it on the fly:
 *
 *   IMK --Option A/B (PAN, PSN)--> ICC MK --scheme table (ATC, UN, ARQC)--> session key --> MAC / ARPC
 *
 * Hot paths (an authorisation host verifying ARQCs) keep one instance per IMK; only the
 * per-card and per-transaction keys are expanded per call. Intermediate keys are wiped.
 */
export interface EmvCard {
  /** 12–19 digits (Option B: 17–19). */
  pan: string;
  /** 2 digits; "00" when absent. */
  panSequenceNumber?: string;
  /** Default EMV_OPTION_A. */
  majorKeyDerivationMode?: IccMasterKeyDerivationMode;
}

/** One cryptogram request: the card, the scheme (AWS `SessionKeyDerivation` member) and its inputs. */
export interface EmvCryptogramInput extends EmvCard, EmvSessionInputs {
  scheme: EmvSchemeName;
}

export interface ArqcInput extends EmvCryptogramInput {
  /** Already padded by the caller; a multiple of 8 bytes. */
  transactionData: Uint8Array;
}

export class EmvIssuerMasterKey {
  readonly #cipher: TdesCipher;

  constructor(imk: Uint8Array) {
    assertBytes(imk, 'imk', 16);
    this.#cipher = new TdesCipher(imk);
  }

  /** The ICC master key of a card (fresh array). */
  iccMasterKey(card: EmvCard): Uint8Array {
    if (card === null || typeof card !== 'object') throw new TypeError('"card" expected { pan, panSequenceNumber?, majorKeyDerivationMode? }');
    return deriveIccMasterKey(this.#cipher, card.pan, card.panSequenceNumber ?? '00', card.majorKeyDerivationMode ?? 'EMV_OPTION_A');
  }

  /** The scheme's key for a purpose (ARQC, ARPC or SECURE_MESSAGING) for one card and transaction (fresh array). */
  sessionKey(input: EmvCryptogramInput, purpose: EmvKeyPurpose): Uint8Array {
    const mk = this.iccMasterKey(input);
    try {
      return deriveSchemeKey(input.scheme, purpose, mk, input);
    } finally {
      mk.fill(0);
    }
  }

  #withKey<T>(input: EmvCryptogramInput, purpose: EmvKeyPurpose, use: (key: Uint8Array) => T): T {
    const key = this.sessionKey(input, purpose);
    try {
      return use(key);
    } finally {
      key.fill(0);
    }
  }

  /** AWS GenerateAuthRequestCryptogram: the 8-byte ARQC of `transactionData` as given. */
  generateArqc(input: ArqcInput): Uint8Array {
    return this.#withKey(input, 'ARQC', (k) => generateArqc(new RetailMacKey(k), input.transactionData));
  }

  /** AWS VerifyAuthRequestCryptogram, the check alone: constant time, true when `arqc` (8 bytes) matches. */
  verifyArqc(input: ArqcInput, arqc: Uint8Array): boolean {
    assertBytes(arqc, 'arqc', 8);
    const mac = this.generateArqc(input);
    const ok = constantTimeEqual(mac, arqc);
    mac.fill(0);
    return ok;
  }

  /** The ARPC for a (verified) ARQC, under the scheme's ARPC key. */
  generateArpc(input: EmvCryptogramInput, arqc: Uint8Array, request: ArpcRequest): Uint8Array {
    return this.#withKey(input, 'ARPC', (k) => generateArpc(k, arqc, request));
  }

  /**
   * Verify, then (only when it matches and a response is asked for) compute the ARPC — the
   * order AWS VerifyAuthRequestCryptogram follows (`AuthResponseValue` only after success).
   */
  verifyArqcAndRespond(input: ArqcInput, arqc: Uint8Array, request?: ArpcRequest): { verified: boolean; arpc?: Uint8Array } {
    if (!this.verifyArqc(input, arqc)) return { verified: false };
    return request === undefined ? { verified: true } : { verified: true, arpc: this.generateArpc(input, arqc, request) };
  }

  /** AWS GenerateMac with EmvMac: secure-messaging MAC (8 bytes) under this IMK-SMI's session key. */
  generateEmvMac(input: EmvCryptogramInput, messageData: Uint8Array): Uint8Array {
    return this.#withKey(input, 'SECURE_MESSAGING', (k) => emvMac(k, messageData));
  }

  /** Constant-time check of a 4- to 8-byte EMV MAC. */
  verifyEmvMac(input: EmvCryptogramInput, messageData: Uint8Array, mac: Uint8Array): boolean {
    assertBytes(mac, 'mac', 4, 5, 6, 7, 8);
    const full = this.generateEmvMac(input, messageData);
    const ok = constantTimeEqual(full.subarray(0, mac.length), mac);
    full.fill(0);
    return ok;
  }
}

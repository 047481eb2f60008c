import { assertBytes, concatBytes } from '../bytes.js';
import { putNibbles } from '../card-validation/card-data.js';
import { PrimitivesError } from '../errors.js';
import { assertPin, encodePinBlock } from '../pin/pin-block.js';
import type { EmvCryptogramInput, EmvIssuerMasterKey } from './issuer-master-key.js';
import { emvScheme } from './schemes.js';
import { type SmEncryptionLayout, type SmEncryptionType, emvMac, smEncrypt } from './secure-messaging.js';

/**
 * Offline PIN change by issuer script (AWS GenerateMacEmvPinChange; reference/data-plane.md §9).
 *
 * Target PIN blocks (8 bytes, clear):
 *   ISO 9564-1 format 2:  2 ‖ L ‖ PIN ‖ F…F                                  (e.g. 249999FFFFFFFFFF)
 *   Visa VIS:             (L as one byte ‖ PIN ‖ F…F) ⊕ (00×4 ‖ bytes 5–8 of the ICC MK-AC)
 *                         [⊕ current PIN ‖ 0…0, when the card checks the old PIN]
 * The block is encrypted under the SMC session key (layout per scheme, secure-messaging.ts) and
 * the MAC (SMI session key, alg 3, padding 2) covers MessageData ‖ encrypted block. Schemes whose
 * script MAC covers ATC and ARQC too expect them inside MessageData (header ‖ ATC ‖ ARQC).
 */

/** ISO 9564-1 format 2 PIN block (IC card offline PIN), 8 bytes. */
export function iso9564Format2PinBlock(pin: string): Uint8Array {
  return encodePinBlock('ISO_2', pin);
}

/** Visa VIS PIN block for a PIN change, from the card's ICC MK-AC; with `currentPin` for the "PIN change with current PIN" form. */
export function visaVisPinBlock(iccMasterKeyAc: Uint8Array, pin: string, currentPin?: string): Uint8Array {
  assertBytes(iccMasterKeyAc, 'iccMasterKeyAc', 16);
  assertPin(pin);
  const block = new Uint8Array(8);
  block[0] = pin.length;
  putNibbles(block, 2, pin.padEnd(14, 'F'));
  for (let i = 4; i < 8; i++) block[i] = block[i]! ^ iccMasterKeyAc[i]!;
  if (currentPin !== undefined) {
    assertPin(currentPin, 'currentPin');
    const cur = new Uint8Array(8);
    putNibbles(cur, 0, currentPin.padEnd(16, '0'));
    for (let i = 0; i < 8; i++) block[i] = block[i]! ^ cur[i]!;
    cur.fill(0);
  }
  return block;
}

export interface PinChangeScript {
  /** The target block encrypted under the SMC session key. */
  encryptedPinBlock: Uint8Array;
  /** 8-byte MAC under the SMI session key over MessageData ‖ encryptedPinBlock. */
  mac: Uint8Array;
}

/** The script pieces from session keys and a clear target block. */
export function emvPinChangeScript(input: {
  smiSessionKey: Uint8Array;
  smcSessionKey: Uint8Array;
  messageData: Uint8Array;
  targetPinBlock: Uint8Array;
  layout: SmEncryptionType | SmEncryptionLayout;
}): PinChangeScript {
  assertBytes(input.messageData, 'messageData');
  assertBytes(input.targetPinBlock, 'targetPinBlock', 8);
  const encryptedPinBlock = smEncrypt(input.smcSessionKey, input.targetPinBlock, input.layout);
  const mac = emvMac(input.smiSessionKey, concatBytes(input.messageData, encryptedPinBlock));
  return { encryptedPinBlock, mac };
}

export interface EmvPinChangeInput extends EmvCryptogramInput {
  /** IMK-SMI (E2) and IMK-SMC (E1). */
  imkSmi: EmvIssuerMasterKey;
  imkSmc: EmvIssuerMasterKey;
  /** IMK-AC (E0): required for the VIS block (Visa, Amex). */
  imkAc?: EmvIssuerMasterKey;
  newPin: string;
  currentPin?: string;
  messageData: Uint8Array;
  /** Required for EmvCommon (its Mode / padding / length position); the scheme's layout otherwise. */
  layout?: SmEncryptionType | SmEncryptionLayout;
}

/**
 * The whole PIN change for one card: session keys per the scheme table, target block (ISO 2 or
 * VIS), encryption and MAC. The caller has already recovered `newPin` from the incoming PIN block.
 */
export function generateEmvPinChange(input: EmvPinChangeInput): PinChangeScript {
  const f = emvScheme(input.scheme);
  const layout = input.layout ?? f.pinChangeEncryption;
  if (layout === undefined) throw new PrimitivesError('INVALID_INPUT', `"layout" is required for ${input.scheme} PIN change`, { field: 'layout' });
  let target: Uint8Array;
  if (f.pinChangeBlock === 'VIS') {
    if (input.imkAc === undefined) throw new PrimitivesError('INVALID_INPUT', `"imkAc" is required for the ${input.scheme} VIS PIN block`, { field: 'imkAc' });
    const mkAc = input.imkAc.iccMasterKey(input);
    target = visaVisPinBlock(mkAc, input.newPin, input.currentPin);
    mkAc.fill(0);
  } else {
    if (input.currentPin !== undefined) throw new PrimitivesError('INVALID_INPUT', `"currentPin" applies only to the VIS PIN block (Visa, Amex)`, { field: 'currentPin' });
    target = iso9564Format2PinBlock(input.newPin);
  }
  const smi = input.imkSmi.sessionKey(input, 'SECURE_MESSAGING');
  const smc = input.imkSmc.sessionKey(input, 'SECURE_MESSAGING');
  try {
    return emvPinChangeScript({ smiSessionKey: smi, smcSessionKey: smc, messageData: input.messageData, targetPinBlock: target, layout });
  } finally {
    smi.fill(0);
    smc.fill(0);
    target.fill(0);
  }
}

import { describe, expect, it } from 'vitest';
import {
  EmvIssuerMasterKey,
  type EmvSchemeName,
  PrimitivesError,
  type SmEncryptionType,
  TdesCipher,
  bytesToHex,
  decodePinBlock,
  decryptBlock,
  emvMac,
  emvPinChangeScript,
  generateEmvPinChange,
  hexToBytes,
  iso9564Format2PinBlock,
  smDecrypt,
  smEncrypt,
  verifyEmvMac,
  visaVisPinBlock,
} from '../../src/index.js';
import { runCvn } from './cvn-profiles.js';
import { family, opt, title } from './vectors.js';

const h = hexToBytes;
const hex = bytesToHex;

const AWS_MODE_TO_SCHEME: Record<string, EmvSchemeName> = {
  MASTERCARD_SESSION_KEY: 'Mastercard',
  EMV_COMMON_SESSION_KEY: 'EmvCommon',
  VISA: 'Visa',
  AMEX: 'Amex',
  EMV2000: 'Emv2000',
};

describe('emv.json emv_mac (secure-messaging integrity)', () => {
  for (const v of family('emv_mac')) {
    const i = v.inputs;
    if (v.id.startsWith('jpos-')) {
      it(title(v, ['mac', 'sessionKey']), () => {
        const scheme = AWS_MODE_TO_SCHEME[i.awsEmvMac.SessionKeyDerivationMode]!;
        const value = i.awsEmvMac.SessionKeyDerivationValue;
        const input = {
          pan: i.pan,
          panSequenceNumber: i.psn,
          scheme,
          atc: value.ApplicationTransactionCounter ? h(value.ApplicationTransactionCounter) : undefined,
          applicationCryptogram: value.ApplicationCryptogram ? h(value.ApplicationCryptogram) : undefined,
        };
        const imk = new EmvIssuerMasterKey(h(i.imkSmi));
        expect(hex(imk.sessionKey(input, 'SECURE_MESSAGING'))).toBe(v.expected.sessionKey);
        expect(hex(imk.generateEmvMac(input, h(i.messageData)))).toBe(v.expected.mac);
        expect(imk.verifyEmvMac(input, h(i.messageData), h(v.expected.mac).subarray(0, 4))).toBe(true);
      });
    } else if (v.algorithm === 'sm_mac' || v.algorithm === 'sm.generate_command_mac') {
      const a = i.args ?? i;
      it(title(v, ['value']), () => {
        const key = h(a.sk ?? a.sk_smi);
        const data = h(a.data ?? a.command);
        expect(hex(emvMac(key, data))).toBe(v.expected.value);
        expect(verifyEmvMac(key, data, h(v.expected.value))).toBe(true);
      });
    } else if (v.algorithm.startsWith('cvn.')) {
      it(`${title(v, ['value'])} [pyemv CVN data assembled in the test]`, () => {
        expect(runCvn(v.algorithm, i.card, i.args)).toBe(v.expected.value);
      });
    } else {
      it.skip(`${v.id}: unknown emv_mac algorithm ${v.algorithm}`, () => {});
    }
  }
});

describe('emv.json sm_encrypt (secure-messaging confidentiality)', () => {
  for (const v of family('sm_encrypt')) {
    const i = v.inputs;
    if (v.algorithm.startsWith('cvn.')) {
      it(`${title(v, ['value'])} [pyemv CVN data assembled in the test]`, () => {
        expect(runCvn(v.algorithm, i.card, i.args)).toBe(v.expected.value);
      });
    } else {
      const a = i.args ?? i;
      const type = (a.type ?? a.encryption_type) as SmEncryptionType;
      it(`${title(v, ['value'])} [${type}]`, () => {
        const key = h(a.sk ?? a.sk_smc);
        const data = h(a.data ?? a.command_data);
        expect(hex(smEncrypt(key, data, type))).toBe(v.expected.value);
        expect(hex(smDecrypt(key, h(v.expected.value), type))).toBe(hex(data));
      });
    }
  }

  it('a custom layout with no padding refuses unaligned data', () => {
    expect(() => smEncrypt(new Uint8Array(16).fill(1), new Uint8Array(5), { mode: 'CBC', lengthPrefix: false, padding: 'NONE' })).toThrow(PrimitivesError);
  });

  it('a bad layout name is a RangeError (own-property lookup)', () => {
    expect(() => smEncrypt(new Uint8Array(16), new Uint8Array(8), 'toString' as never)).toThrow(RangeError);
  });
});

describe('emv.json pin_block (ISO 9564 format 2, Visa VIS)', () => {
  for (const v of family('pin_block')) {
    const a = v.inputs.args ?? v.inputs;
    it(title(v, ['value']), () => {
      const vis = v.algorithm.includes('vis');
      const got = vis ? visaVisPinBlock(h(a.icc_mk_ac), a.pin, opt(a.current_pin)) : iso9564Format2PinBlock(a.pin);
      expect(hex(got)).toBe(v.expected.value);
    });
  }
});

/** jPOS SKD method in the id → the AWS scheme whose secure-messaging key it uses. */
function jposScheme(id: string): EmvSchemeName {
  if (id.includes('-mchip-')) return 'Mastercard';
  if (id.includes('-cskd-')) return 'EmvCommon';
  if (id.includes('-vsdc-')) return 'Visa';
  throw new Error(`no scheme in ${id}`);
}

const JPOS_LAYOUT: Record<string, SmEncryptionType> = { none: 'MASTERCARD', 'pad2-cbc': 'EMV', 'len+pad2-ecb': 'VISA' };

describe('emv.json emv_pin_change', () => {
  for (const v of family('emv_pin_change')) {
    const i = v.inputs;
    if (v.id.startsWith('jpos-')) {
      it(`${title(v, ['encryptedPinBlock', 'mac', 'clearTargetPinBlock'])} [${i.awsDerivationMethodAnalogue}]`, () => {
        // 1. the incoming PIN block, decrypted under the PEK and decoded (ISO 0)
        const pek = new TdesCipher(h(i.incomingPinBlock.pek));
        const pin = decodePinBlock('ISO_0', decryptBlock(pek, h(i.incomingPinBlock.encrypted)), i.pan);
        expect(pin).toBe(i.incomingPinBlock.clearPin);
        const currentPin = i.currentPinBlock === null ? undefined : decodePinBlock('ISO_0', decryptBlock(pek, h(i.currentPinBlock.encrypted)), i.pan);
        if (i.currentPinBlock !== null) expect(currentPin).toBe(i.currentPinBlock.clearPin);
        // 2. the target block
        const card = { pan: i.pan, panSequenceNumber: i.psn };
        const vis = String(i.targetPinBlock).startsWith('Visa VIS');
        const target = vis ? visaVisPinBlock(new EmvIssuerMasterKey(h(i.imkAc)).iccMasterKey(card), pin, currentPin) : iso9564Format2PinBlock(pin);
        expect(hex(target)).toBe(v.expected.clearTargetPinBlock);
        // 3. session keys per the scheme table, encryption, MAC over MessageData ‖ encrypted block
        const scheme = jposScheme(v.id);
        const input = { ...card, scheme, atc: h(i.atc), applicationCryptogram: h(i.arqc) };
        const smi = new EmvIssuerMasterKey(h(i.imkSmi)).sessionKey(input, 'SECURE_MESSAGING');
        const smc = new EmvIssuerMasterKey(h(i.imkSmc)).sessionKey(input, 'SECURE_MESSAGING');
        const layout = JPOS_LAYOUT[i.encryption]!;
        const script = emvPinChangeScript({ smiSessionKey: smi, smcSessionKey: smc, messageData: h(i.messageData), targetPinBlock: target, layout });
        expect(hex(script.encryptedPinBlock)).toBe(v.expected.encryptedPinBlock);
        expect(hex(script.mac)).toBe(v.expected.mac);
        // 4. the one-call form, where the jPOS case is an AWS scheme's default
        const isAwsDefault = (scheme === 'Mastercard' && !vis && layout === 'MASTERCARD') || (scheme === 'Visa' && vis && layout === 'VISA');
        const isEmvCommon = scheme === 'EmvCommon' && !vis;
        if (isAwsDefault || isEmvCommon) {
          const whole = generateEmvPinChange({
            ...input,
            imkSmi: new EmvIssuerMasterKey(h(i.imkSmi)),
            imkSmc: new EmvIssuerMasterKey(h(i.imkSmc)),
            imkAc: new EmvIssuerMasterKey(h(i.imkAc)),
            newPin: pin,
            currentPin,
            messageData: h(i.messageData),
            layout: isEmvCommon ? layout : undefined,
          });
          expect(hex(whole.encryptedPinBlock)).toBe(v.expected.encryptedPinBlock);
          expect(hex(whole.mac)).toBe(v.expected.mac);
        }
      });
    } else if (v.algorithm.startsWith('cvn.')) {
      it(`${title(v, ['value'])} [pyemv CVN data assembled in the test]`, () => {
        expect(runCvn(v.algorithm, i.card, i.args)).toBe(v.expected.value);
      });
    } else {
      it.skip(`${v.id}: unknown emv_pin_change algorithm ${v.algorithm}`, () => {});
    }
  }

  it('EmvCommon PIN change needs the caller layout; VIS needs the IMK-AC', () => {
    const k = new EmvIssuerMasterKey(new Uint8Array(16).fill(0x11));
    const base = { pan: '1234567890123456', atc: h('0001'), applicationCryptogram: new Uint8Array(8), imkSmi: k, imkSmc: k, newPin: '1234', messageData: h('8424000210') };
    expect(() => generateEmvPinChange({ ...base, scheme: 'EmvCommon' })).toThrow(expect.objectContaining({ field: 'layout' }));
    expect(() => generateEmvPinChange({ ...base, scheme: 'Visa' })).toThrow(expect.objectContaining({ field: 'imkAc' }));
  });
});

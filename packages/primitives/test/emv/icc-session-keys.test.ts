import { describe, expect, it } from 'vitest';
import {
  EmvIssuerMasterKey,
  PrimitivesError,
  bytesToHex,
  deriveCommonSessionKey,
  deriveEmv2000TreeSessionKey,
  deriveIccMasterKey,
  deriveIccMasterKeyOptionA,
  deriveIccMasterKeyOptionB,
  deriveVisaSmSessionKey,
  hexToBytes,
  kcv,
} from '../../src/index.js';
import { deriveIccMasterKeyOptionA as legacyOptionA } from '../../src/card-validation/emv-master-key.js';
import { family, opt, title } from './vectors.js';

const h = hexToBytes;
const hex = bytesToHex;

/** The published check digits (kcv2: 2 or 3 bytes of the TDES KCV). */
function checkDigits(key: string, kcv2: string): void {
  expect(hex(kcv(h(key), 'TDES')).slice(0, kcv2.length)).toBe(kcv2);
}

function expectOptionBRefused(imk: string, pan: string, psn: string): void {
  let err: unknown;
  try {
    deriveIccMasterKeyOptionB(h(imk), pan, psn);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(PrimitivesError);
  expect((err as PrimitivesError).code).toBe('INVALID_PAN');
  expect((err as PrimitivesError).message).not.toContain(pan);
}

describe('emv.json icc_mk: ICC master key (Option A / B)', () => {
  for (const v of family('icc_mk')) {
    const i = v.inputs;
    if (v.algorithm === 'icc_mk_option_a+arqc') {
      it(title(v, ['iccMasterKey', 'authRequestCryptogram']), () => {
        const imk = new EmvIssuerMasterKey(h(i.imk));
        const card = { pan: i.pan, panSequenceNumber: i.psn };
        expect(hex(imk.iccMasterKey(card))).toBe(v.expected.iccMasterKey);
        // the AWS sample verifies with SessionKeyDerivation Amex: the ICC MK itself MACs the data
        const scheme = Object.keys(i.aws.SessionKeyDerivationAttributes)[0] as 'Amex';
        const input = { ...card, scheme, transactionData: h(i.transactionData) };
        expect(hex(imk.generateArqc(input))).toBe(v.expected.authRequestCryptogram);
        expect(imk.verifyArqc(input, h(v.expected.authRequestCryptogram))).toBe(true);
      });
    } else if (v.algorithm === 'icc_mk_option_a' || v.algorithm === 'icc_mk_option_b') {
      it(title(v, ['value']), () => {
        const mode = v.algorithm === 'icc_mk_option_a' ? 'EMV_OPTION_A' : 'EMV_OPTION_B';
        expect(hex(deriveIccMasterKey(h(i.imk), i.pan, i.psn, mode))).toBe(v.expected.value);
      });
    } else if (v.algorithm === 'kd.derive_icc_mk_a' || v.algorithm === 'kd.derive_icc_mk_b') {
      const a = i.args;
      const psn = opt(a.psn) ?? '00';
      const optionB = v.algorithm === 'kd.derive_icc_mk_b';
      if (optionB && a.pan.length <= 16) {
        it(`${title(v, ['value'])} — Option B refused for a ${a.pan.length}-digit PAN (AWS); pyemv's Option A fallback value checked with Option A`, () => {
          expectOptionBRefused(a.iss_mk, a.pan, psn);
          const mk = hex(deriveIccMasterKeyOptionA(h(a.iss_mk), a.pan, psn));
          expect(mk).toBe(v.expected.value);
          checkDigits(mk, v.expected.kcv2);
        });
      } else {
        it(title(v, ['value']), () => {
          const mk = hex(deriveIccMasterKey(h(a.iss_mk), a.pan, psn, optionB ? 'EMV_OPTION_B' : 'EMV_OPTION_A'));
          checkDigits(mk, v.expected.kcv2); // published
          expect(mk).toBe(v.expected.value);
        });
      }
    } else {
      it.skip(`${v.id}: unknown icc_mk algorithm ${v.algorithm}`, () => {});
    }
  }

  it('Option B refuses a PAN of 16 digits or fewer, never falling back to Option A', () => {
    expectOptionBRefused('0123456789ABCDEFFEDCBA9876543210', '1234567890123456', '00');
    expectOptionBRefused('0123456789ABCDEFFEDCBA9876543210', '123456789012', '00');
    const imk = new EmvIssuerMasterKey(h('0123456789ABCDEFFEDCBA9876543210'));
    expect(() => imk.iccMasterKey({ pan: '1234567890123456', majorKeyDerivationMode: 'EMV_OPTION_B' })).toThrow(PrimitivesError);
  });

  it('the card-validation/emv-master-key.ts export still works (moved to emv/)', () => {
    expect(hex(legacyOptionA(h('0123456789ABCDEFFEDCBA9876543210'), '12345678901234567', '01'))).toBe('73AD54688CEF2934B0979857E3C719F1');
  });

  it('programmer and data errors', () => {
    expect(() => deriveIccMasterKey(new Uint8Array(8), '1234567890123456')).toThrow(RangeError);
    expect(() => deriveIccMasterKey(new Uint8Array(16), '1234567890123456', '0')).toThrow(PrimitivesError);
    expect(() => deriveIccMasterKey(new Uint8Array(16), '12345678901234X6')).toThrow(PrimitivesError);
    expect(() => deriveIccMasterKey(new Uint8Array(16), '1234567890123456', '00', 'toString' as never)).toThrow(RangeError);
  });
});

describe('emv.json session_key: common, Visa secure messaging, EMV2000 tree', () => {
  for (const v of family('session_key')) {
    const a = v.inputs.args ?? v.inputs;
    const mk = h(a.icc_mk ?? a.mk);
    const kcv2: string | undefined = v.expected.kcv2;
    const run = (got: Uint8Array) => {
      if (kcv2 !== undefined) checkDigits(hex(got), kcv2);
      expect(hex(got)).toBe(v.expected.value);
    };
    if (v.algorithm === 'sk_common' || v.algorithm === 'kd.derive_common_sk') {
      it(title(v, ['value']), () => run(deriveCommonSessionKey(mk, h(a.r))));
    } else if (v.algorithm === 'sk_visa_sm' || v.algorithm === 'kd.derive_visa_sm_sk') {
      it(title(v, ['value']), () => run(deriveVisaSmSessionKey(mk, h(a.atc))));
    } else if (v.algorithm === 'sk_emv2000_tree' || v.algorithm === 'kd.derive_emv2000_tree_sk') {
      it(`${title(v, ['value'])} [b ${a.branch ?? a.branch_factor}, H ${a.height}, IV ${a.iv === undefined ? '0' : a.iv.slice(0, 4)}…]`, () =>
        run(deriveEmv2000TreeSessionKey(mk, h(a.atc), { branchFactor: a.branch ?? a.branch_factor, height: a.height, iv: a.iv === undefined ? undefined : h(a.iv) })));
    } else {
      it.skip(`${v.id}: unknown session_key algorithm ${v.algorithm}`, () => {});
    }
  }

  it('EMV2000 tree parameters that cannot cover every ATC are refused', () => {
    expect(() => deriveEmv2000TreeSessionKey(new Uint8Array(16), new Uint8Array(2), { branchFactor: 2, height: 8 })).toThrow(RangeError);
  });
});

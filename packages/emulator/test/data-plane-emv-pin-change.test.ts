import { StopKeyUsageCommand } from '@aws-sdk/client-payment-cryptography';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boto3Calls, dataPlaneHarness, hasBoto3, importByValue, type Boto3Call, type DataPlaneHarness, type ImportedKey } from './data-plane-kit.js';
import { encryptedPinBlock } from './emv-test-crypto.js';

/**
 * GenerateMacEmvPinChange through boto3 over HTTP, keys imported by value. Expected values:
 * test-vectors/emv.json family emv_pin_change — jPOS JCESecurityModuleTest (encrypted target PIN
 * block and MAC published) and pyemv's HSM-checked whole PIN-change commands (header ‖ encrypted
 * block ‖ MAC published). The incoming PIN blocks are built test-side with node:crypto.
 */

interface Vector {
  id: string;
  family: string;
  inputs: Record<string, unknown>;
  expected: Record<string, string>;
}
const EMV = (JSON.parse(readFileSync(new URL('../../../test-vectors/emv.json', import.meta.url), 'utf8')) as { vectors: Vector[] }).vectors;
const byId = (id: string): Vector => {
  const v = EMV.find((x) => x.id === id);
  if (v === undefined) throw new Error(`no vector ${id}`);
  return v;
};

const DERIVE = { DeriveKey: true };
const PEK_MODES = { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true };
const INVALID_PIN_BLOCK = 'Pin block provided is invalid. Please check your input to ensure all field values are correct.';

interface Keys {
  pek: ImportedKey;
  smi: ImportedKey;
  smc: ImportedKey;
  ac: ImportedKey;
}

describe.runIf(hasBoto3())('GenerateMacEmvPinChange through boto3 (vectors)', () => {
  let h: DataPlaneHarness;
  let jpos: Keys;
  let pyemv: Keys;
  const JPOS_PEK = '13345779133457791334577913345779';
  const PYEMV_PEK = '0123456789ABCDEFFEDCBA9876543210';
  const imp = (clear: string, usage: string, modes: Record<string, boolean> = DERIVE, alg = 'TDES_2KEY') => importByValue(h.client, clear, usage, alg, modes as never);

  beforeAll(async () => {
    h = await dataPlaneHarness();
    const j = byId('jpos-pinchange-mchip-iso2-none').inputs as Record<string, string>;
    jpos = {
      pek: await imp(JPOS_PEK, 'TR31_P0_PIN_ENCRYPTION_KEY', PEK_MODES),
      smi: await imp(j.imkSmi!, 'TR31_E2_EMV_MKEY_INTEGRITY'),
      smc: await imp(j.imkSmc!, 'TR31_E1_EMV_MKEY_CONFIDENTIALITY'),
      ac: await imp(j.imkAc!, 'TR31_E0_EMV_MKEY_APP_CRYPTOGRAMS'),
    };
    const card = byId('pyemv-hsm-cvn-visacvn10-generate-pin-change-command-016').inputs.card as Record<string, string>;
    pyemv = {
      pek: await imp(PYEMV_PEK, 'TR31_P0_PIN_ENCRYPTION_KEY', PEK_MODES),
      smi: await imp(card.iss_mk_smi!, 'TR31_E2_EMV_MKEY_INTEGRITY'),
      smc: await imp(card.iss_mk_smc!, 'TR31_E1_EMV_MKEY_CONFIDENTIALITY'),
      ac: await imp(card.iss_mk_ac!, 'TR31_E0_EMV_MKEY_APP_CRYPTOGRAMS'),
    };
  });
  afterAll(async () => h.close());

  const call = (k: Keys, NewEncryptedPinBlock: string, MessageData: string, DerivationMethodAttributes: Record<string, unknown>, PinBlockFormat = 'ISO_FORMAT_0'): Boto3Call => ({
    op: 'generate_mac_emv_pin_change',
    params: {
      NewPinPekIdentifier: k.pek.arn,
      NewEncryptedPinBlock,
      PinBlockFormat,
      SecureMessagingIntegrityKeyIdentifier: k.smi.arn,
      SecureMessagingConfidentialityKeyIdentifier: k.smc.arn,
      MessageData,
      DerivationMethodAttributes,
    },
  });

  // ---- jPOS (encrypted target block and MAC published) -------------------------------------------
  const J = (id: string) => byId(id).inputs as Record<string, string> & { incomingPinBlock: Record<string, string>; currentPinBlock: Record<string, string> | null };
  const jposCard = (i: Record<string, string>) => ({ MajorKeyDerivationMode: 'EMV_OPTION_A', PrimaryAccountNumber: i.pan, PanSequenceNumber: i.psn });
  const jposCases = (): [string, Vector, Record<string, unknown>][] => {
    const m = J('jpos-pinchange-mchip-iso2-none');
    const visaAttrs = (i: Record<string, string>) => ({ ...jposCard(i), ApplicationTransactionCounter: i.atc, AuthorizationRequestKeyIdentifier: jpos.ac.arn });
    const cur = J('jpos-pinchange-vsdc-vis42-len-pad2-ecb');
    return [
      ['Mastercard', byId('jpos-pinchange-mchip-iso2-none'), { Mastercard: { ...jposCard(m), ApplicationCryptogram: m.arqc } }],
      [
        'EmvCommon CBC / ISO_IEC_7816_4 / NONE',
        byId('jpos-pinchange-cskd-iso2-pad2-cbc'),
        { EmvCommon: { ...jposCard(m), ApplicationCryptogram: m.arqc, Mode: 'CBC', PinBlockPaddingType: 'ISO_IEC_7816_4', PinBlockLengthPosition: 'NONE' } },
      ],
      ['Visa', byId('jpos-pinchange-vsdc-vis-len-pad2-ecb'), { Visa: visaAttrs(m) }],
      [
        'Visa with CurrentPinAttributes',
        byId('jpos-pinchange-vsdc-vis42-len-pad2-ecb'),
        { Visa: { ...visaAttrs(cur), CurrentPinAttributes: { CurrentPinPekIdentifier: jpos.pek.arn, CurrentEncryptedPinBlock: cur.currentPinBlock!.encrypted } } },
      ],
      // NOTE: Amex secure messaging = Visa's (engine-table assumption from AWS's payShield mapping)
      ['Amex (assumption: as Visa)', byId('jpos-pinchange-vsdc-vis-len-pad2-ecb'), { Amex: visaAttrs(m) }],
    ];
  };

  it('the jPOS incoming PIN block is ISO 0 of its clear PIN under the ZPK (test-side node:crypto)', () => {
    const i = J('jpos-pinchange-mchip-iso2-none');
    expect(encryptedPinBlock(JPOS_PEK, 0, i.incomingPinBlock.clearPin!, i.pan!)).toBe(i.incomingPinBlock.encrypted);
  });

  it('jPOS PIN-change vectors: Mastercard, EmvCommon, Visa (with and without the current PIN), Amex (published)', async () => {
    const cases = jposCases();
    const res = await boto3Calls(
      h.endpoint,
      cases.map(([, v, attrs]) => call(jpos, (v.inputs.incomingPinBlock as Record<string, string>).encrypted!, v.inputs.messageData as string, attrs)),
    );
    res.forEach((r, n) => {
      const [name, v, attrs] = cases[n]!;
      expect(r.error ?? r.clientValidation, `${name} ${v.id}`).toBeUndefined();
      const o = r.ok!;
      expect({ EncryptedPinBlock: o.EncryptedPinBlock, Mac: o.Mac }, `${name} ${v.id}`).toEqual({ EncryptedPinBlock: v.expected.encryptedPinBlock, Mac: v.expected.mac });
      expect(o).toMatchObject({
        NewPinPekArn: jpos.pek.arn,
        NewPinPekKeyCheckValue: jpos.pek.kcv,
        SecureMessagingIntegrityKeyArn: jpos.smi.arn,
        SecureMessagingIntegrityKeyCheckValue: jpos.smi.kcv,
        SecureMessagingConfidentialityKeyArn: jpos.smc.arn,
        SecureMessagingConfidentialityKeyCheckValue: jpos.smc.kcv,
      });
      const visaAmex = 'Visa' in attrs || 'Amex' in attrs;
      const withCurrent = name.includes('Current');
      expect(o.VisaAmexDerivationOutputs, name).toEqual(
        visaAmex
          ? {
              AuthorizationRequestKeyArn: jpos.ac.arn,
              AuthorizationRequestKeyCheckValue: jpos.ac.kcv,
              ...(withCurrent ? { CurrentPinPekArn: jpos.pek.arn, CurrentPinPekKeyCheckValue: jpos.pek.kcv } : {}),
            }
          : undefined,
      );
    });
  });

  it('ISO_FORMAT_1 and ISO_FORMAT_3 incoming blocks give the same script as ISO_FORMAT_0 (jPOS Mastercard vector)', async () => {
    const [, v, attrs] = jposCases()[0]!;
    const i = v.inputs as Record<string, string>;
    const res = await boto3Calls(h.endpoint, [
      call(jpos, encryptedPinBlock(JPOS_PEK, 1, '1234', i.pan!), i.messageData!, attrs, 'ISO_FORMAT_1'),
      call(jpos, encryptedPinBlock(JPOS_PEK, 3, '1234', i.pan!), i.messageData!, attrs, 'ISO_FORMAT_3'),
    ]);
    for (const r of res) expect({ e: r.ok?.EncryptedPinBlock, m: r.ok?.Mac }).toEqual({ e: v.expected.encryptedPinBlock, m: v.expected.mac });
  });

  // ---- pyemv (whole command = header ‖ encrypted block ‖ MAC, HSM-checked) -----------------------
  const PYEMV: [string, string][] = [
    ['pyemv-hsm-cvn-visacvn10-generate-pin-change-command-016', 'Visa'],
    ['pyemv-hsm-cvn-visacvn10-generate-pin-change-command-019', 'Visa'],
    ['pyemv-hsm-cvn-visacvn18-generate-pin-change-command-025', 'Visa'],
    ['pyemv-hsm-cvn-visacvn18-generate-pin-change-command-027', 'Visa'],
    ['pyemv-hsm-cvn-visacvn22-generate-pin-change-command-033', 'EmvCommon'],
    ['pyemv-hsm-cvn-mastercardcvn16-generate-pin-change-command-050', 'Mastercard'],
    ['pyemv-hsm-cvn-mastercardcvn17-generate-pin-change-command-057', 'Mastercard'],
    ['pyemv-hsm-cvn-mastercardcvn20-generate-pin-change-command-064', 'Mastercard'],
    ['pyemv-hsm-cvn-mastercardcvn21-generate-pin-change-command-071', 'Mastercard'],
  ];

  it(`pyemv HSM-checked PIN-change commands (Visa CVN10/18, Visa CVN22 as EmvCommon ECB + length + 7816-4, Mastercard CVN16/17/20/21): ${PYEMV.length} (published)`, async () => {
    const calls = PYEMV.map(([id, member]) => {
      const v = byId(id);
      const a = v.inputs.args as Record<string, string | null>;
      const c = v.inputs.card as Record<string, string>;
      const card = { MajorKeyDerivationMode: 'EMV_OPTION_A', PrimaryAccountNumber: c.pan, PanSequenceNumber: c.psn };
      const header = v.expected.value!.slice(0, 10);
      const attrs =
        member === 'Visa'
          ? {
              Visa: {
                ...card,
                ApplicationTransactionCounter: a.tag_9f36,
                AuthorizationRequestKeyIdentifier: pyemv.ac.arn,
                ...(a.current_pin ? { CurrentPinAttributes: { CurrentPinPekIdentifier: pyemv.pek.arn, CurrentEncryptedPinBlock: encryptedPinBlock(PYEMV_PEK, 0, a.current_pin, c.pan!) } } : {}),
              },
            }
          : member === 'EmvCommon'
            ? { EmvCommon: { ...card, ApplicationCryptogram: a.tag_9f26, Mode: 'ECB', PinBlockPaddingType: 'ISO_IEC_7816_4', PinBlockLengthPosition: 'FRONT_OF_PIN_BLOCK' } }
            : { Mastercard: { ...card, ApplicationCryptogram: a.tag_9f26 } };
      // the script MAC covers header ‖ ATC ‖ ARQC ‖ encrypted block: MessageData = header ‖ ATC ‖ ARQC
      return call(pyemv, encryptedPinBlock(PYEMV_PEK, 0, a.pin!, c.pan!), `${header}${a.tag_9f36}${a.tag_9f26}`, attrs);
    });
    const res = await boto3Calls(h.endpoint, calls);
    res.forEach((r, n) => {
      const v = byId(PYEMV[n]![0]);
      expect(r.error ?? r.clientValidation, v.id).toBeUndefined();
      expect(`${v.expected.value!.slice(0, 10)}${r.ok!.EncryptedPinBlock as string}${r.ok!.Mac as string}`, v.id).toBe(v.expected.value);
    });
  });

  it('Emv2000 (no published vector): answers a 16-byte EMV-layout block and an 8-byte MAC, both depending on the ATC', async () => {
    const i = J('jpos-pinchange-mchip-iso2-none');
    const attrs = (atc: string) => ({ Emv2000: { ...jposCard(i), ApplicationTransactionCounter: atc } });
    const res = await boto3Calls(h.endpoint, [call(pyemv, encryptedPinBlock(PYEMV_PEK, 0, '1234', i.pan!), i.messageData!, attrs('0002')), call(pyemv, encryptedPinBlock(PYEMV_PEK, 0, '1234', i.pan!), i.messageData!, attrs('0003'))]);
    const [a, b] = res.map((r) => r.ok!);
    expect(a!.EncryptedPinBlock).toMatch(/^[0-9A-F]{32}$/);
    expect(a!.Mac).toMatch(/^[0-9A-F]{16}$/);
    expect(a!.EncryptedPinBlock).not.toBe(b!.EncryptedPinBlock);
    expect(a!.Mac).not.toBe(b!.Mac);
    expect(a!.VisaAmexDerivationOutputs).toBeUndefined();
  });

  it('failures: undecodable block, wrong format, Option B with a short PAN, FRONT_OF_PIN_BLOCK without padding, wrong keys, AES PEK, disabled key', async () => {
    const i = J('jpos-pinchange-mchip-iso2-none');
    const mc = { Mastercard: { ...jposCard(i), ApplicationCryptogram: i.arqc } };
    const good = i.incomingPinBlock.encrypted!;
    const aesPek = await imp('00112233445566778899AABBCCDDEEFF', 'TR31_P0_PIN_ENCRYPTION_KEY', PEK_MODES, 'AES_128');
    const stopped = await imp(JPOS_PEK, 'TR31_P0_PIN_ENCRYPTION_KEY', PEK_MODES);
    await h.client.send(new StopKeyUsageCommand({ KeyIdentifier: stopped.arn }));
    const cases: [string, Boto3Call][] = [
      ['undecodable block', call(jpos, '0123456789ABCDEF', i.messageData!, mc)],
      ['ISO 0 block read as ISO 3', call(jpos, good, i.messageData!, mc, 'ISO_FORMAT_3')],
      ['undecodable current PIN', call(jpos, good, i.messageData!, { Visa: { ...jposCard(i), ApplicationTransactionCounter: '0002', AuthorizationRequestKeyIdentifier: jpos.ac.arn, CurrentPinAttributes: { CurrentPinPekIdentifier: jpos.pek.arn, CurrentEncryptedPinBlock: 'FFFFFFFFFFFFFFFF' } } })],
      ['option B, 16-digit PAN', call(jpos, good, i.messageData!, { Mastercard: { ...jposCard(i), MajorKeyDerivationMode: 'EMV_OPTION_B', ApplicationCryptogram: i.arqc } })],
      [
        'FRONT_OF_PIN_BLOCK + NO_PADDING',
        call(jpos, good, i.messageData!, { EmvCommon: { ...jposCard(i), ApplicationCryptogram: i.arqc, Mode: 'ECB', PinBlockPaddingType: 'NO_PADDING', PinBlockLengthPosition: 'FRONT_OF_PIN_BLOCK' } }),
      ],
      ['SMI given as SMC', call({ ...jpos, smc: jpos.smi }, good, i.messageData!, mc)],
      ['E1 given as IMK-AC', call(jpos, good, i.messageData!, { Visa: { ...jposCard(i), ApplicationTransactionCounter: '0002', AuthorizationRequestKeyIdentifier: jpos.smc.arn } })],
      ['E0 given as PEK', call({ ...jpos, pek: jpos.ac }, good, i.messageData!, mc)],
      ['AES PEK', call({ ...jpos, pek: aesPek }, good, i.messageData!, mc)],
      ['stopped PEK', call({ ...jpos, pek: stopped }, good, i.messageData!, mc)],
    ];
    const res = await boto3Calls(h.endpoint, cases.map(([, c]) => c));
    const err = (name: string) => {
      const r = res[cases.findIndex(([n]) => n === name)]!;
      expect(r.error, name).toBeDefined();
      expect(r.error!.code, name).toBe('ValidationException');
      expect(r.error!.status, name).toBe(400);
      expect(r.error!.message, name).not.toMatch(/1234/);
      return r.error!.message;
    };
    expect(err('undecodable block')).toBe(INVALID_PIN_BLOCK);
    expect(err('ISO 0 block read as ISO 3')).toBe(INVALID_PIN_BLOCK);
    expect(err('undecodable current PIN')).toBe(INVALID_PIN_BLOCK);
    expect(err('option B, 16-digit PAN')).toMatch(/EMV_OPTION_B requires a PAN of more than 16 digits/);
    expect(err('FRONT_OF_PIN_BLOCK + NO_PADDING')).toMatch(/FRONT_OF_PIN_BLOCK requires PinBlockPaddingType ISO_IEC_7816_4/);
    expect(err('SMI given as SMC')).toMatch(/SecureMessagingConfidentialityKeyIdentifier .*TR31_E2_EMV_MKEY_INTEGRITY is not allowed/);
    expect(err('E1 given as IMK-AC')).toMatch(/AuthorizationRequestKeyIdentifier .*TR31_E1_EMV_MKEY_CONFIDENTIALITY is not allowed/);
    expect(err('E0 given as PEK')).toMatch(/NewPinPekIdentifier .*not allowed/);
    expect(err('AES PEK')).toMatch(/NewEncryptedPinBlock: ISO_FORMAT_0 PIN blocks are 8-byte TDES blocks/);
    expect(err('stopped PEK')).toMatch(/disabled/);
  });

  it('through emulator.call (in-process): the jPOS Mastercard vector', async () => {
    const i = J('jpos-pinchange-mchip-iso2-none');
    const v = byId('jpos-pinchange-mchip-iso2-none');
    const out = await h.emulator.call('GenerateMacEmvPinChange', {
      NewPinPekIdentifier: jpos.pek.arn,
      NewEncryptedPinBlock: i.incomingPinBlock.encrypted,
      PinBlockFormat: 'ISO_FORMAT_0',
      SecureMessagingIntegrityKeyIdentifier: jpos.smi.arn,
      SecureMessagingConfidentialityKeyIdentifier: jpos.smc.arn,
      MessageData: i.messageData,
      DerivationMethodAttributes: { Mastercard: { ...jposCard(i), ApplicationCryptogram: i.arqc } },
    });
    expect(out.EncryptedPinBlock).toBe(v.expected.encryptedPinBlock);
    expect(out.Mac).toBe(v.expected.mac);
  });
});

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boto, control, data, expectValidation, hex, kcv, maskOf, tdesCbc, variantKey } from './as2805-kit.js';
import { dataPlaneHarness, hasBoto3, importByValue, kekByValue, tr31Block, type DataPlaneHarness } from './data-plane-kit.js';

/**
 * TranslatePinData with IncomingAs2805Attributes, after AWS's sample as2805_3_1_pin_translation.py
 * (steps 3–5): node 1 derives the session KPE from its ZPK (KPP), the STAN and the amount, enciphers
 * an ISO 0 block under it, APC translates it to its own ZPK, and node 1 deciphers the result with
 * the ZPK APC exported to it (AS2805 key cryptogram). Node 1 is node:crypto here.
 * CANDIDATE algorithm: the sample's (KPE = OWF(KPP, E ‖ F)); agreement with AWS is unconfirmed — the
 * sample prints a mismatch without stopping — so every expected value here is the sample's
 * algorithm computed independently, not an AWS-confirmed value.
 */

const PAN = '4242424242424242'; // the sample's PAN and PIN
const PIN = '1234';
function iso0(pin: string, pan: string): Buffer {
  const p = Buffer.from(`0${pin.length}${pin}`.padEnd(16, 'F'), 'hex');
  const a = Buffer.from(`0000${pan.slice(-13, -1)}`, 'hex');
  return Buffer.from(p.map((b, i) => b ^ a[i]!));
}
function ecb(key: Buffer, block: Buffer, decrypt = false): Buffer {
  const c = decrypt ? createDecipheriv('des-ede-ecb', key, null) : createCipheriv('des-ede-ecb', key, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(block), c.final()]);
}
/** The sample's KPE: D = STAN left-justified zero-filled ‖ amount right-justified; OWF = CBC(D, IV=CBC-MAC(D)) ⊕ D. */
function kpe(kpp: Buffer, stan: string, amount: string): Buffer {
  const d = Buffer.from(stan.padEnd(16, '0') + amount.padStart(16, '0'), 'hex');
  const cbc = (iv: Buffer) => {
    const c = createCipheriv('des-ede-cbc', kpp, iv);
    c.setAutoPadding(false);
    return Buffer.concat([c.update(d), c.final()]);
  };
  const r = cbc(cbc(Buffer.alloc(8)).subarray(-8));
  return Buffer.from(r.map((b, i) => b ^ d[i]!));
}
const ALL4 = { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true };
const iso = (pan = PAN) => ({ IsoFormat0: { PrimaryAccountNumber: pan } });

describe.runIf(hasBoto3())('AS2805 PIN translation with IncomingAs2805Attributes (candidate KPE derivation of the AWS sample)', () => {
  let h: DataPlaneHarness;
  let ep: string;
  const kek = randomBytes(16);
  const kpp = randomBytes(16); // node 1's ZPK
  let kppArn: string;
  let apcZpkArn: string;
  let apcZpk: Buffer;
  beforeAll(async () => {
    h = await dataPlaneHarness();
    ep = h.endpoint;
    const { arn: kekArn } = await importByValue(h.client, kek.toString('hex'), 'TR31_K0_KEY_ENCRYPTION_KEY', 'TDES_2KEY', ALL4);
    const cryptogram = hex(tdesCbc(variantKey(kek, maskOf('PIN_ENCRYPTION_KEY_VARIANT_28')), kpp));
    const [imp, created] = await boto(ep, [
      control('import_key', { KeyMaterial: { As2805KeyCryptogram: { WrappingKeyIdentifier: kekArn, As2805KeyVariant: 'PIN_ENCRYPTION_KEY_VARIANT_28', Exportable: true, KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: ALL4, WrappedKeyCryptogram: cryptogram } } }),
      control('create_key', { KeyAttributes: { KeyAlgorithm: 'TDES_2KEY', KeyClass: 'SYMMETRIC_KEY', KeyUsage: 'TR31_P0_PIN_ENCRYPTION_KEY', KeyModesOfUse: ALL4 }, Exportable: true }),
    ]);
    expect(imp!.ok!.Key.KeyCheckValue).toBe(kcv(kpp));
    kppArn = imp!.ok!.Key.KeyArn;
    apcZpkArn = created!.ok!.Key.KeyArn;
    const [exp] = await boto(ep, [control('export_key', { ExportKeyIdentifier: apcZpkArn, KeyMaterial: { As2805KeyCryptogram: { WrappingKeyIdentifier: kekArn, As2805KeyVariant: 'PIN_ENCRYPTION_KEY_VARIANT_28' } } })]);
    apcZpk = tdesCbc(variantKey(kek, maskOf('PIN_ENCRYPTION_KEY_VARIANT_28')), Buffer.from(exp!.ok!.WrappedKey.KeyMaterial, 'hex'), true);
    expect(kcv(apcZpk)).toBe(created!.ok!.Key.KeyCheckValue);
  });
  afterAll(async () => h?.close());

  const translate = (stan: string, amount: string, block: Buffer, over: Record<string, unknown> = {}) =>
    data('translate_pin_data', { IncomingKeyIdentifier: kppArn, OutgoingKeyIdentifier: apcZpkArn, IncomingTranslationAttributes: iso(), OutgoingTranslationAttributes: iso(), EncryptedPinBlock: hex(block), IncomingAs2805Attributes: { SystemTraceAuditNumber: stan, TransactionAmount: amount }, ...over });

  it("the sample's STAN 000438 / amount 000000000328 and the user guide's 000348: node 1 reads the translated PIN under APC's ZPK", async () => {
    const clear = iso0(PIN, PAN);
    const cases = [['000438', '000000000328'], ['000348', '000000000328'], ['999999', '999999999999']] as const;
    const rs = await boto(ep, cases.map(([s, a]) => translate(s, a, ecb(kpe(kpp, s, a), clear))));
    rs.forEach((r) => {
      expect(r.ok, JSON.stringify(r)).toBeDefined();
      expect(hex(ecb(apcZpk, Buffer.from(r.ok!.PinBlock, 'hex'), true))).toBe(hex(clear));
      expect(r.ok!.KeyArn).toBe(apcZpkArn);
      expect(r.ok!.KeyCheckValue).toBe(kcv(apcZpk));
    });
  });

  it('a block under the plain ZPK or another STAN is not read as the same PIN', async () => {
    const clear = iso0(PIN, PAN);
    const rs = await boto(ep, [translate('000438', '000000000328', ecb(kpp, clear)), translate('000439', '000000000328', ecb(kpe(kpp, '000438', '000000000328'), clear))]);
    for (const r of rs) {
      if (r.error) expect(r.error.code).toBe('ValidationException');
      else expect(hex(ecb(apcZpk, Buffer.from(r.ok!.PinBlock, 'hex'), true))).not.toBe(hex(clear));
    }
  });

  it('a dynamic KPP (IncomingWrappedKey, TR-31 P0 under the KEK) derives the same KPE', async () => {
    const aesKek = await kekByValue(h.client);
    const block = await tr31Block(h.client, kpp.toString('hex'), 'TR31_P0_PIN_ENCRYPTION_KEY', 'TDES_2KEY', ALL4);
    const clear = iso0('987654', PAN);
    const [r] = await boto(ep, [translate('000001', '000000001000', ecb(kpe(kpp, '000001', '000000001000'), clear), { IncomingKeyIdentifier: aesKek.arn, IncomingWrappedKey: { WrappedKeyMaterial: { Tr31KeyBlock: block } } })]);
    expect(hex(ecb(apcZpk, Buffer.from(r!.ok!.PinBlock, 'hex'), true))).toBe(hex(clear));
  });

  it('refusals: an AES PEK, As2805Format0, with DUKPT attributes, a non-digit STAN → ValidationException 400', async () => {
    const [aesPek] = await boto(ep, [control('create_key', { KeyAttributes: { KeyAlgorithm: 'AES_128', KeyClass: 'SYMMETRIC_KEY', KeyUsage: 'TR31_P0_PIN_ENCRYPTION_KEY', KeyModesOfUse: ALL4 }, Exportable: true })]);
    const b = ecb(kpe(kpp, '000438', '000000000328'), iso0(PIN, PAN));
    const rs = await boto(ep, [
      translate('000438', '000000000328', Buffer.concat([b, b]), { IncomingKeyIdentifier: aesPek!.ok!.Key.KeyArn }),
      translate('000438', '000000000328', b, { IncomingTranslationAttributes: { As2805Format0: { PrimaryAccountNumber: PAN } } }),
      translate('000438', '000000000328', b, { IncomingDukptAttributes: { KeySerialNumber: 'FFFF9876543210E00001' } }),
      translate('00043A', '000000000328', b),
    ]);
    expectValidation(rs[0], /needs a TDES PIN key/);
    expectValidation(rs[1], /As2805Format0 PIN blocks are not emulated/);
    expectValidation(rs[2], /cannot be used together/);
    expectValidation(rs[3], /systemTraceAuditNumber/i);
  });

  it('in process (emulator.call): the same translation', async () => {
    const clear = iso0(PIN, PAN);
    const out = await h.emulator.call('TranslatePinData', { IncomingKeyIdentifier: kppArn, OutgoingKeyIdentifier: apcZpkArn, IncomingTranslationAttributes: iso(), OutgoingTranslationAttributes: iso(), EncryptedPinBlock: hex(ecb(kpe(kpp, '123456', '000000005000'), clear)), IncomingAs2805Attributes: { SystemTraceAuditNumber: '123456', TransactionAmount: '000000005000' } });
    expect(hex(ecb(apcZpk, Buffer.from(out.PinBlock, 'hex'), true))).toBe(hex(clear));
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildPage, foreignRequests, hasChromium, launch, loadVectors, openPage, screenshot, type OpenedPage } from './browser.js';

// Published vectors from test-vectors/ (kcv.json, dukpt.json, cvv.json, pin.json; each row names
// its source) typed into the built page's calculators.
interface Row {
  description: string;
  inputs: Record<string, string | number | string[]>;
  expected: Record<string, string>;
}
const kcvRows = loadVectors<Row[]>('kcv.json').filter((r) => typeof r.inputs['aws_kcv_algorithm'] === 'string' && r.inputs['kcv_bytes'] !== undefined);
const dukpt = loadVectors<Row[]>('dukpt.json');
const tdesWorking = dukpt.filter((r) => r.description.startsWith('TDES DUKPT working keys (X9.24-1:2009 variants)'));
const tdesIpek = dukpt.filter((r) => r.description.startsWith('TDES DUKPT IPEK'));
const aesWorking = dukpt.filter((r) => r.description.startsWith('AES-128 BDK -> AES-128 keys, counter'));
const cvvRows = loadVectors<Row[]>('cvv.json').filter((r) => r.description.startsWith('Visa CVV ('));
const pinRows = loadVectors<Row[]>('pin.json');
const iso0 = pinRows.filter((r) => r.description === 'ISO 9564-1 format 0 PIN block');
const iso3decode = pinRows.filter((r) => r.description === 'ISO 9564-1 format 3 PIN block decode');
const iso2 = pinRows.filter((r) => r.description === 'ISO 9564 format 2 PIN block');

describe.runIf(hasChromium)('calculators in the built page (headless Chromium)', () => {
  let browser: Browser;
  let p: OpenedPage;
  beforeAll(async () => {
    await buildPage();
    browser = await launch();
    p = await openPage(browser);
    // keyboard only: focus the first tab, move right twice to "Calculators"
    await p.page.focus('#tab-tr31');
    await p.page.keyboard.press('ArrowRight');
    await p.page.keyboard.press('ArrowRight');
    expect(await p.page.getAttribute('#tab-calc', 'aria-selected')).toBe('true');
    expect(await p.page.isVisible('#view-calc')).toBe(true);
  });
  afterAll(async () => {
    await browser?.close();
  });
  const out = (calc: string, name: string): Promise<string | null> => p.page.$eval(`#${calc}-out [data-out="${name}"]`, (e) => e.textContent).catch(() => null);

  it(`KCV: ${kcvRows.length} published check values`, async () => {
    expect(kcvRows.length).toBeGreaterThan(10);
    for (const r of kcvRows) {
      await p.page.selectOption('#kcv-alg', String(r.inputs['algorithm']));
      await p.page.selectOption('#kcv-method', String(r.inputs['aws_kcv_algorithm']));
      await p.page.selectOption('#kcv-length', String(r.inputs['kcv_bytes']));
      await p.page.fill('#kcv-key', String(r.inputs['key']));
      expect(await out('kcv', 'KCV'), r.description).toBe(r.expected['kcv']);
    }
    expect(foreignRequests(p.requests)).toEqual([]);
  });

  it(`DUKPT: ${tdesIpek.length} TDES IPEKs, ${tdesWorking.length} TDES working-key sets, ${aesWorking.length} AES-128 sets`, async () => {
    expect(tdesWorking.length + tdesIpek.length + aesWorking.length).toBeGreaterThan(10);
    await p.page.selectOption('#dukpt-scheme', 'TDES');
    for (const r of tdesIpek) {
      await p.page.fill('#dukpt-bdk', String(r.inputs['bdk']));
      await p.page.fill('#dukpt-ksn', String(r.inputs['ksn']));
      expect(await out('dukpt', 'IPEK'), r.description).toBe(r.expected['ipek']);
    }
    for (const r of tdesWorking) {
      await p.page.fill('#dukpt-bdk', String(r.inputs['bdk']));
      await p.page.fill('#dukpt-ksn', String(r.inputs['ksn']));
      expect(await out('dukpt', 'Transaction key'), r.description).toBe(r.expected['transaction_key']);
      expect(await out('dukpt', 'PIN encryption key'), r.description).toBe(r.expected['pin_key']);
      expect(await out('dukpt', 'MAC key (request)'), r.description).toBe(r.expected['mac_request_key']);
      expect(await out('dukpt', 'Data key (request)'), r.description).toBe(r.expected['data_request_key']);
    }
    await p.page.selectOption('#dukpt-scheme', 'AES');
    for (const r of aesWorking) {
      await p.page.fill('#dukpt-bdk', String(r.inputs['bdk']));
      await p.page.fill('#dukpt-ksn', String(r.inputs['ksn']));
      expect(await out('dukpt', 'Initial key'), r.description).toBe(r.inputs['initial_key']);
      expect(await out('dukpt', 'Transaction key'), r.description).toBe(r.expected['transaction_key']);
      expect(await out('dukpt', 'PIN encryption key'), r.description).toBe(r.expected['pin_key']);
      expect(await out('dukpt', 'MAC generation key'), r.description).toBe(r.expected['mac_gen_key']);
      expect(await out('dukpt', 'Data encryption key'), r.description).toBe(r.expected['data_enc_key']);
    }
    expect(foreignRequests(p.requests)).toEqual([]);
  });

  it(`CVV: ${cvvRows.length} published Visa CVVs`, async () => {
    expect(cvvRows.length).toBeGreaterThan(4);
    for (const r of cvvRows) {
      await p.page.fill('#cvv-cvk', String(r.inputs['cvk_a']) + String(r.inputs['cvk_b']));
      await p.page.fill('#cvv-pan', String(r.inputs['pan']));
      await p.page.fill('#cvv-expiry', String(r.inputs['expiry_yymm']));
      await p.page.fill('#cvv-service-code', String(r.inputs['service_code']));
      expect(await out('cvv', `CVV (service code ${String(r.inputs['service_code'])})`), r.description).toBe(r.expected['cvv']);
    }
    expect(foreignRequests(p.requests)).toEqual([]);
  });

  it(`PIN blocks: ${iso0.length} format 0, ${iso2.length} format 2, ${iso3decode.length} format 3 decodes`, async () => {
    await p.page.fill('#pin-block', '');
    await p.page.selectOption('#pin-format', 'ISO_0');
    for (const r of iso0) {
      await p.page.fill('#pin-pan', String(r.inputs['pan']));
      await p.page.fill('#pin-pin', String(r.inputs['pin']));
      expect(await out('pin', 'PIN block'), r.description).toBe(r.expected['pinblock']);
    }
    await p.page.selectOption('#pin-format', 'ISO_2');
    await p.page.fill('#pin-pan', '');
    for (const r of iso2) {
      await p.page.fill('#pin-pin', String(r.inputs['pin']));
      expect(await out('pin', 'PIN block'), r.description).toBe(r.expected['pinblock']);
    }
    await p.page.selectOption('#pin-format', 'ISO_3');
    await p.page.fill('#pin-pin', '');
    for (const r of iso3decode) {
      await p.page.fill('#pin-pan', String(r.inputs['pan']));
      await p.page.fill('#pin-block', String(r.inputs['pinblock']));
      expect(await out('pin', 'Decoded PIN'), r.description).toBe(r.expected['pin']);
    }
    await screenshot(p.page, 'calculators');
    expect(foreignRequests(p.requests)).toEqual([]);
    expect(p.problems).toEqual([]);
  });
});

import { createCipheriv } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildPage, foreignRequests, hasChromium, launch, loadVectors, openPage, screenshot, type OpenedPage } from './browser.js';

// test-vectors/tr34.json: tokens in the AWS X9_TR34_2012 layout built with the ASC X9 TR 34-2019
// Annex B sample keys and certificates (KDH 1 signs, KRD 1 receives; chain to the sample root).
interface Key {
  subject: string;
  not_after: string;
  cert_pem: string;
  private_key_pem: string;
}
interface Vector {
  id: string;
  kdh_signing_key_ref: string;
  krd_wrapping_key_ref: string;
  inputs: { clear_key: string; header_ascii: string; random_nonce: string | null };
  expected: { kcv: string; wrapped_key_block_hex: string };
}
const file = loadVectors<{
  asc_x9_tr34_2019_annex_b: { keys: Record<string, Key> };
  aws_tr34_2012_vectors: { vectors: Vector[] };
}>('tr34.json');
const asc = file.asc_x9_tr34_2019_annex_b.keys;
const ascVectors = file.aws_tr34_2012_vectors.vectors.filter((v) => v.kdh_signing_key_ref === 'asc.keys.kdh_1' && v.krd_wrapping_key_ref === 'asc.keys.krd_1');

/** Independent TDES KCV (node:crypto des-ede3-ecb of a zero block). */
function tdesKcv(hex: string): string {
  const key = Buffer.from(hex, 'hex');
  const k = key.length === 16 ? Buffer.concat([key, key.subarray(0, 8)]) : key;
  const c = createCipheriv('des-ede3-ecb', k, null).setAutoPadding(false);
  return Buffer.concat([c.update(Buffer.alloc(8)), c.final()]).subarray(0, 3).toString('hex').toUpperCase();
}

describe.runIf(hasChromium)('TR-34 view in the built page (headless Chromium)', () => {
  let browser: Browser;
  let p: OpenedPage;
  beforeAll(async () => {
    await buildPage();
    browser = await launch();
    p = await openPage(browser);
    await p.page.click('#tab-tr34');
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function fillKeys(): Promise<void> {
    await p.page.fill('#tr34-krd-key', asc['krd_1']!.private_key_pem);
    await p.page.fill('#tr34-krd-cert', asc['krd_1']!.cert_pem);
    await p.page.fill('#tr34-kdh-cert', asc['kdh_1']!.cert_pem);
    await p.page.fill('#tr34-ca-certs', asc['root']!.cert_pem + asc['ca_kdh']!.cert_pem);
    // the Annex B sample certificates expired in 2020 and 2025
    await p.page.selectOption('#tr34-dates', 'skip');
  }

  it(`opens ${ascVectors.length} tokens (hex) to the KCV of their clear key`, async () => {
    expect(ascVectors.length).toBeGreaterThanOrEqual(2);
    for (const v of ascVectors) {
      await fillKeys();
      await p.page.fill('#tr34-token', v.expected.wrapped_key_block_hex);
      expect(await p.page.textContent('#tr34-status')).toContain('Readable');
      expect(await p.page.textContent('#tr34-header')).toBe(v.inputs.header_ascii);
      const text = (await p.page.textContent('#tr34-facts'))!;
      expect(text).toContain(v.inputs.random_nonce === null ? 'one-pass' : 'two-pass');
      if (v.inputs.random_nonce !== null) expect(text).toContain(v.inputs.random_nonce);
      expect(text).toContain('CN=TR34 Sample CA KDH'); // signer's issuer
      expect(text).toContain('CN=TR34 Sample CA KRD'); // recipient's issuer
      const roles = await p.page.$$eval('#tr34-certificates tbody tr', (rows) => rows.map((r) => [r.children[1]!.textContent, r.children[5]!.textContent]));
      expect(roles.find((r) => r[1] === 'signer')![0]).toContain('TR34 Sample KDH 1');
      expect(roles.find((r) => r[1] === 'recipient')![0]).toContain('TR34 Sample KRD 1');
      await p.page.click('#tr34-open');
      await p.page.waitForSelector('#tr34-result[data-result]');
      expect(await p.page.getAttribute('#tr34-result', 'data-result'), `${v.id}: ${await p.page.textContent('#tr34-result')}`).toBe('opened');
      expect(await p.page.textContent('#tr34-kcv')).toBe(tdesKcv(v.inputs.clear_key));
      expect(await p.page.textContent('#tr34-kcv')).toBe(v.expected.kcv);
    }
    await screenshot(p.page, 'tr34-view');
    expect(foreignRequests(p.requests)).toEqual([]);
    expect(p.problems).toEqual([]);
  });

  it('reads the same token as PEM and as base64', async () => {
    const v = ascVectors[0]!;
    const b64 = Buffer.from(v.expected.wrapped_key_block_hex, 'hex').toString('base64');
    for (const text of [b64, `-----BEGIN CMS-----\n${b64.match(/.{1,64}/g)!.join('\n')}\n-----END CMS-----\n`]) {
      await p.page.fill('#tr34-token', text);
      expect(await p.page.textContent('#tr34-header')).toBe(v.inputs.header_ascii);
    }
    expect(foreignRequests(p.requests)).toEqual([]);
  });

  it('refuses a tampered token, an expired chain checked now, and the wrong nonce', async () => {
    const v = ascVectors.find((x) => x.inputs.random_nonce !== null)!;
    await fillKeys();
    // one hex digit of the SignerInfo (300 bytes from the end) changed: the signature no longer verifies
    const hex = v.expected.wrapped_key_block_hex;
    const at = hex.length - 600;
    const tampered = hex.slice(0, at) + (hex[at] === '0' ? '1' : '0') + hex.slice(at + 1);
    await p.page.fill('#tr34-token', tampered);
    await p.page.click('#tr34-open');
    await p.page.waitForSelector('#tr34-result[data-result]');
    expect(await p.page.getAttribute('#tr34-result', 'data-result')).toBe('refused');

    await p.page.fill('#tr34-token', hex);
    await p.page.selectOption('#tr34-dates', 'now');
    await p.page.click('#tr34-open');
    await p.page.waitForSelector('#tr34-result[data-result]');
    expect(await p.page.getAttribute('#tr34-result', 'data-result')).toBe('refused');

    await p.page.selectOption('#tr34-dates', 'skip');
    await p.page.fill('#tr34-nonce', '0011223344556677');
    await p.page.click('#tr34-open');
    await p.page.waitForSelector('#tr34-result[data-result]');
    expect(await p.page.textContent('#tr34-result')).toContain('nonce');
    await p.page.fill('#tr34-nonce', '');
    expect(foreignRequests(p.requests)).toEqual([]);
  });
});

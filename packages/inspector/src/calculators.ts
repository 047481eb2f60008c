import {
  aesDukptInitialKey,
  aesDukptTransactionKey,
  aesDukptWorkingKey,
  bytesToHex,
  decodePinBlock,
  encodePinBlock,
  generateCvv,
  generateCvv2,
  generateIcvv,
  hexToBytes,
  kcv,
  tdesDukptIpek,
  tdesDukptTransactionKey,
  tdesDukptWorkingKey,
  type AesDukptKeyType,
  type AesDukptKeyUsage,
  type KcvMethod,
  type KeyAlgorithmFamily,
  type PinBlockFormat,
  type TdesDukptKeyVariant,
} from '@paycrypt/primitives';
import { append, clear, errorText, facts, field, h, select } from './dom.js';

/**
 * KCV, DUKPT, CVV/CVV2/iCVV and PIN-block calculators. Each one calls @paycrypt/primitives
 * directly — the same functions the library, CLI and emulator use — and recomputes on input.
 */

const clean = (s: string): string => s.replace(/\s+/g, '');
const hex = (s: string, label: string): Uint8Array => hexToBytes(clean(s), { field: label });

function card(title: string, id: string, ...body: Node[]): HTMLElement {
  return h('section', { class: 'calc', id, 'aria-labelledby': `${id}-title` }, h('h3', { id: `${id}-title`, text: title }), ...body);
}

/** Runs `compute` on every input inside `root` and shows its rows (or its error) in `out`. */
function live(root: HTMLElement, out: HTMLElement, compute: () => (readonly [string, string])[] | undefined): void {
  const run = (): void => {
    try {
      const rows = compute();
      if (rows === undefined) {
        clear(out, h('p', { class: 'muted', text: 'Fill in the fields above.' }));
        return;
      }
      clear(out, facts(rows.map(([k, v]) => [k, h('code', { 'data-out': k, text: v })] as const)));
    } catch (e) {
      clear(out, h('p', { class: 'bad', 'data-out': 'error', text: errorText(e) }));
    }
  };
  root.addEventListener('input', run);
  root.addEventListener('change', run);
  run();
}

function kcvCalculator(): HTMLElement {
  const key = field('Key (hex)', { id: 'kcv-key', secret: true });
  const alg = select('Algorithm', 'kcv-alg', [
    ['TDES', 'TDES (16 or 24 bytes)'],
    ['AES', 'AES (16, 24 or 32 bytes)'],
  ]);
  const method = select('Method', 'kcv-method', [
    ['', 'AWS default for the algorithm'],
    ['ANSI_X9_24', 'ANSI X9.24: encrypt a zero block'],
    ['CMAC', 'CMAC of a zero block'],
  ]);
  const length = select('Length', 'kcv-length', [['3', '3 bytes'], ['5', '5 bytes'], ['8', '8 bytes'], ['16', '16 bytes (AES)']]);
  const out = h('div', { id: 'kcv-out', 'aria-live': 'polite' });
  const root = card('Key check value', 'calc-kcv', key.wrap, h('div', { class: 'row' }, alg.wrap, method.wrap, length.wrap), out);
  live(root, out, () => {
    if (clean(key.input.value) === '') return undefined;
    const k = hex(key.input.value, 'key');
    const family = alg.input.value as KeyAlgorithmFamily;
    const m = method.input.value === '' ? undefined : (method.input.value as KcvMethod);
    const value = kcv(k, family, { ...(m === undefined ? {} : { method: m }), length: Number(length.input.value) });
    k.fill(0);
    return [['KCV', bytesToHex(value)]];
  });
  return root;
}

const TDES_VARIANTS: readonly (readonly [TdesDukptKeyVariant, string])[] = [
  ['PIN', 'PIN encryption key'],
  ['MAC_REQUEST', 'MAC key (request)'],
  ['MAC_RESPONSE', 'MAC key (response)'],
  ['DATA_REQUEST', 'Data key (request)'],
  ['DATA_RESPONSE', 'Data key (response)'],
];
const AES_USAGES: readonly (readonly [AesDukptKeyUsage, string])[] = [
  ['PIN_ENCRYPTION', 'PIN encryption key'],
  ['MAC_GENERATION', 'MAC generation key'],
  ['MAC_VERIFICATION', 'MAC verification key'],
  ['DATA_ENCRYPT', 'Data encryption key'],
  ['DATA_DECRYPT', 'Data decryption key'],
];

function dukptCalculator(): HTMLElement {
  const scheme = select('Scheme', 'dukpt-scheme', [
    ['TDES', 'TDES DUKPT (X9.24-1, 10-byte KSN)'],
    ['AES', 'AES DUKPT (X9.24-3, 12-byte KSN)'],
  ]);
  const bdk = field('BDK (hex)', { id: 'dukpt-bdk', secret: true });
  const ksn = field('KSN (hex)', { id: 'dukpt-ksn', hint: 'TDES: 20 hex digits; AES: 24 (initial key ID, then the 32-bit counter).' });
  const keyType = select('AES working-key type', 'dukpt-key-type', [
    ['', 'same as the BDK'],
    ['AES128', 'AES-128'],
    ['AES192', 'AES-192'],
    ['AES256', 'AES-256'],
    ['2TDEA', 'TDES 2-key'],
    ['3TDEA', 'TDES 3-key'],
  ]);
  const out = h('div', { id: 'dukpt-out', 'aria-live': 'polite' });
  const root = card('DUKPT keys', 'calc-dukpt', scheme.wrap, bdk.wrap, ksn.wrap, keyType.wrap, out);
  live(root, out, () => {
    if (clean(bdk.input.value) === '' || clean(ksn.input.value) === '') return undefined;
    const b = hex(bdk.input.value, 'BDK');
    const k = clean(ksn.input.value).toUpperCase();
    const rows: [string, string][] = [];
    // each key on its own: a KSN with counter 0 still has an IPEK but no transaction key
    const add = (label: string, f: () => Uint8Array): void => {
      try {
        rows.push([label, bytesToHex(f())]);
      } catch (e) {
        rows.push([label, `— ${errorText(e)}`]);
      }
    };
    try {
      if (scheme.input.value === 'TDES') {
        add('IPEK', () => tdesDukptIpek(b, k));
        add('Transaction key', () => tdesDukptTransactionKey(b, k));
        for (const [variant, label] of TDES_VARIANTS) add(label, () => tdesDukptWorkingKey(b, k, variant));
      } else {
        add('Initial key', () => aesDukptInitialKey(b, k.slice(0, 16)));
        add('Transaction key', () => aesDukptTransactionKey(b, k));
        const type = keyType.input.value === '' ? undefined : (keyType.input.value as AesDukptKeyType);
        for (const [usage, label] of AES_USAGES) add(label, () => aesDukptWorkingKey(b, k, type === undefined ? { usage } : { usage, keyType: type }));
      }
    } finally {
      b.fill(0);
    }
    return rows;
  });
  return root;
}

function cvvCalculator(): HTMLElement {
  const cvk = field('CVK (hex, KA ‖ KB, 32 digits)', { id: 'cvv-cvk', secret: true });
  const pan = field('PAN', { id: 'cvv-pan' });
  const expiry = field('Expiry (4 digits, as the issuer uses it: YYMM or MMYY)', { id: 'cvv-expiry' });
  const sc = field('Service code (for the CVV)', { id: 'cvv-service-code', value: '101' });
  const out = h('div', { id: 'cvv-out', 'aria-live': 'polite' });
  const root = card('Visa CVV, CVV2, iCVV', 'calc-cvv', cvk.wrap, pan.wrap, expiry.wrap, sc.wrap, out);
  live(root, out, () => {
    if (clean(cvk.input.value) === '' || pan.input.value.trim() === '' || expiry.input.value.trim() === '') return undefined;
    const key = hex(cvk.input.value, 'CVK');
    const input = { pan: pan.input.value.trim(), expiry: expiry.input.value.trim() };
    try {
      return [
        [`CVV (service code ${sc.input.value.trim()})`, generateCvv(key, { ...input, serviceCode: sc.input.value.trim() })],
        ['CVV2 (service code 000)', generateCvv2(key, input)],
        ['iCVV (service code 999)', generateIcvv(key, input)],
      ];
    } finally {
      key.fill(0);
    }
  });
  return root;
}

const PIN_FORMATS: readonly (readonly [Exclude<PinBlockFormat, 'ISO_4'>, string])[] = [
  ['ISO_0', 'ISO 9564 format 0'],
  ['ISO_1', 'ISO 9564 format 1 (random fill)'],
  ['ISO_2', 'ISO 9564 format 2'],
  ['ISO_3', 'ISO 9564 format 3 (random fill)'],
];

function pinCalculator(): HTMLElement {
  const format = select('Format', 'pin-format', PIN_FORMATS);
  const pin = field('PIN (to encode)', { id: 'pin-pin', secret: true });
  const pan = field('PAN (formats 0 and 3)', { id: 'pin-pan' });
  const block = field('Clear PIN block (hex, to decode)', { id: 'pin-block' });
  const out = h('div', { id: 'pin-out', 'aria-live': 'polite' });
  const root = card('Clear PIN block', 'calc-pin', format.wrap, pin.wrap, pan.wrap, block.wrap, out);
  live(root, out, () => {
    const f = format.input.value as Exclude<PinBlockFormat, 'ISO_4'>;
    const p = pan.input.value.trim() === '' ? undefined : pan.input.value.trim();
    const rows: [string, string][] = [];
    if (pin.input.value.trim() !== '') rows.push(['PIN block', bytesToHex(encodePinBlock(f, pin.input.value.trim(), p))]);
    if (clean(block.input.value) !== '') {
      const b = hex(block.input.value, 'PIN block');
      rows.push(['Decoded PIN', decodePinBlock(f, b, p)]);
      b.fill(0);
    }
    return rows.length === 0 ? undefined : rows;
  });
  return root;
}

export function calculatorsView(root: HTMLElement): void {
  append(
    root,
    h('h2', { text: 'Calculators' }),
    h('p', { class: 'muted', text: 'The same @paycrypt/primitives code the library uses. Results update as you type.' }),
    h('div', { class: 'calc-grid' }, kcvCalculator(), dukptCalculator(), cvvCalculator(), pinCalculator()),
  );
}

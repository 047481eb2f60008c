import { bytesToHex, hexToBytes, kcv, xorBytes, type KeyAlgorithmFamily } from '@paycrypt/primitives';
import { clear, errorText, field, h } from './dom.js';

/**
 * The KBPK entry: one hex key, or 2–3 components XORed together. Each component's KCV and the
 * combined key's KCV are shown so they can be compared with the key custodians' forms.
 */
export interface KbpkInput {
  element: HTMLElement;
  /** The combined KBPK, or undefined (nothing entered) or an error text. Caller wipes the bytes. */
  read(family: KeyAlgorithmFamily | undefined): { key: Uint8Array } | { error: string } | undefined;
}

function kcvText(key: Uint8Array, family: KeyAlgorithmFamily | undefined): string {
  const fam = family ?? (key.length === 32 ? 'AES' : 'TDES');
  try {
    return `${bytesToHex(kcv(key, fam))} (${fam === 'AES' ? 'AES CMAC' : 'TDES ANSI X9.24'})`;
  } catch (e) {
    return errorText(e);
  }
}

export function kbpkInput(prefix: string, onChange: () => void): KbpkInput {
  const modeName = `${prefix}-kbpk-mode`;
  const hexRadio = h('input', { type: 'radio', name: modeName, id: `${modeName}-hex`, value: 'hex', checked: true });
  const compRadio = h('input', { type: 'radio', name: modeName, id: `${modeName}-components`, value: 'components' });
  const modes = h(
    'fieldset',
    { class: 'modes' },
    h('legend', { text: 'KBPK (key block protection key)' }),
    h('span', {}, hexRadio, h('label', { for: hexRadio.id, text: 'one key (hex)' })),
    h('span', {}, compRadio, h('label', { for: compRadio.id, text: 'components, XORed' })),
  );
  const single = field('KBPK (hex)', { id: `${prefix}-kbpk`, placeholder: 'e.g. 32 hex digits for a 2-key TDES KBPK', secret: true });
  const comps = [1, 2, 3].map((n) =>
    field(`Component ${n}${n === 3 ? ' (optional)' : ''} (hex)`, { id: `${prefix}-component-${n}`, secret: true }),
  );
  const compKcvs = comps.map((_, i) => h('output', { id: `${prefix}-component-${i + 1}-kcv`, for: `${prefix}-component-${i + 1}`, class: 'kcv' }));
  const combinedKcv = h('output', { id: `${prefix}-kbpk-kcv`, class: 'kcv' });
  const compBox = h(
    'div',
    { class: 'components', hidden: true },
    ...comps.map((c, i) => h('div', { class: 'component' }, c.wrap, h('p', { class: 'kcv-line' }, 'KCV: ', compKcvs[i]!))),
  );
  const element = h('div', { class: 'kbpk' }, modes, single.wrap, compBox, h('p', { class: 'kcv-line' }, 'KBPK KCV: ', combinedKcv));
  const sync = (): void => {
    compBox.hidden = !compRadio.checked;
    single.wrap.hidden = compRadio.checked;
    onChange();
  };
  hexRadio.addEventListener('change', sync);
  compRadio.addEventListener('change', sync);
  single.input.addEventListener('input', onChange);
  for (const c of comps) c.input.addEventListener('input', onChange);

  const parse = (text: string, label: string): Uint8Array => {
    const t = text.replace(/\s+/g, '');
    return hexToBytes(t, { field: label });
  };

  return {
    element,
    read(family) {
      clear(combinedKcv);
      for (const k of compKcvs) clear(k);
      try {
        let key: Uint8Array;
        if (!compRadio.checked) {
          if (single.input.value.trim() === '') return undefined;
          key = parse(single.input.value, 'KBPK');
        } else {
          const parts: Uint8Array[] = [];
          comps.forEach((c, i) => {
            if (c.input.value.trim() === '') return;
            const part = parse(c.input.value, `component ${i + 1}`);
            compKcvs[i]!.textContent = kcvText(part, family);
            parts.push(part);
          });
          if (parts.length === 0) return undefined;
          if (parts.length < 2) return { error: 'give at least two components' };
          if (parts.some((p) => p.length !== parts[0]!.length)) return { error: 'components differ in length' };
          key = parts.reduce((acc, p) => xorBytes(acc, p));
          for (const p of parts) p.fill(0);
        }
        combinedKcv.textContent = kcvText(key, family);
        return { key };
      } catch (e) {
        return { error: errorText(e) };
      }
    },
  };
}

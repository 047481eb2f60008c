import { awsKeyAttributesFromTr31, readOptionalBlock, unwrapTr31, TR31_VERSIONS, type Tr31Header } from '@paycrypt/keyblock';
import { bytesToHex, constantTimeEqual, kcv, type KeyAlgorithmFamily, type KcvMethod } from '@paycrypt/primitives';
import { append, clear, errorText, facts, field, h } from './dom.js';
import { kbpkInput } from './kbpk-input.js';
import { analyseTr31, LENIENCY_TEXT, type Tr31Analysis } from './tr31-analysis.js';

/** The TR-31 view: everything is recomputed synchronously on each input event. */

const FIELD_CLASS: Record<string, string> = {
  version: 'f-version',
  length: 'f-length',
  keyUsage: 'f-usage',
  algorithm: 'f-alg',
  modeOfUse: 'f-mode',
  keyVersion: 'f-kv',
  exportability: 'f-exp',
  optionalBlocks: 'f-count',
  keyContext: 'f-ctx',
  reserved: 'f-res',
};

/** The block's characters, coloured by part, with findings marked at their positions. */
function renderBlock(a: Tr31Analysis): HTMLElement {
  const n = a.block.length;
  const part: string[] = new Array<string>(n).fill('');
  for (const f of a.fields) for (let i = f.start; i < f.end; i++) part[i] = FIELD_CLASS[f.key] ?? '';
  for (const b of a.optionalBlocks) for (let i = b.start; i < Math.min(b.end, n); i++) part[i] = 'f-opt';
  if (a.payload !== undefined) for (let i = a.payload.start; i < a.payload.end; i++) part[i] = 'f-payload';
  if (a.mac !== undefined) for (let i = a.mac.start; i < a.mac.end; i++) part[i] = 'f-mac';
  const bad: number[] = new Array<number>(n).fill(-1);
  a.findings.forEach((f, k) => {
    for (let i = f.start; i < Math.min(f.end, n); i++) if (bad[i] === -1) bad[i] = k;
  });
  const pre = h('pre', { class: 'block', id: 'tr31-rendered', 'aria-label': 'key block by part' });
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && part[j] === part[i] && bad[j] === bad[i]) j++;
    const text = a.block.slice(i, j);
    if (bad[i]! >= 0) {
      const f = a.findings[bad[i]!]!;
      pre.appendChild(h('mark', { class: `finding ${part[i]}`, title: f.message, 'data-start': String(f.start), 'data-end': String(f.end), text }));
    } else {
      pre.appendChild(h('span', { class: part[i], text }));
    }
    i = j;
  }
  return pre;
}

function kcvFor(header: Tr31Header, key: Uint8Array): { text: string; family?: KeyAlgorithmFamily; method?: KcvMethod } {
  try {
    if (header.algorithm === 'T' && (key.length === 16 || key.length === 24)) return { text: bytesToHex(kcv(key, 'TDES')), family: 'TDES', method: 'ANSI_X9_24' };
    if (header.algorithm === 'A') return { text: bytesToHex(kcv(key, 'AES')), family: 'AES', method: 'CMAC' };
    if ((header.algorithm === 'D' || header.algorithm === 'T') && key.length === 8) {
      // single DES (psec-style 8-byte "T" keys too): TDES with K1 = K2 = K3 is DES, so its KCV is DES's
      const k2 = new Uint8Array(16);
      k2.set(key);
      k2.set(key, 8);
      const text = bytesToHex(kcv(k2, 'TDES'));
      k2.fill(0);
      return { text: `${text}`, method: 'ANSI_X9_24' };
    }
  } catch (e) {
    return { text: errorText(e) };
  }
  return { text: `no KCV computed for algorithm ${header.algorithm} with ${key.length} bytes` };
}

export function tr31View(root: HTMLElement): void {
  const blockField = field('Key block', {
    id: 'tr31-block',
    multiline: true,
    rows: 3,
    placeholder: 'Paste a TR-31 / X9.143 key block, e.g. D0112P0AE00E0000…',
    hint: 'Decoded as you type. Nothing leaves this page.',
    width: 'wide',
  });
  const kbpk = kbpkInput('tr31', () => update());
  const blockOut = h('div', { id: 'tr31-structure', 'aria-live': 'polite' });
  const keyOut = h('div', { id: 'tr31-unwrap', 'aria-live': 'polite' });
  const timing = h('p', { class: 'timing', id: 'tr31-timing' });
  append(
    root,
    h('h2', { text: 'TR-31 / X9.143 key block' }),
    h('div', { class: 'columns' }, h('div', {}, blockField.wrap, kbpk.element, keyOut), h('div', {}, blockOut)),
    timing,
  );
  let clearKey: Uint8Array | undefined;
  blockField.input.addEventListener('input', update);

  function update(): void {
    const t0 = performance.now();
    clearKey?.fill(0);
    clearKey = undefined;
    const text = blockField.input.value;
    if (text.trim() === '') {
      clear(blockOut, h('p', { class: 'muted', text: 'Paste a key block to see its header, optional blocks and what AWS Payment Cryptography makes of it.' }));
      clear(keyOut);
      kbpk.read(undefined);
      return;
    }
    const a = analyseTr31(text);
    renderStructure(a);
    renderUnwrap(a);
    const ms = performance.now() - t0;
    timing.textContent = `updated in ${ms.toFixed(1)} ms`;
    timing.dataset['ms'] = ms.toFixed(3);
  }

  function renderStructure(a: Tr31Analysis): void {
    const status =
      a.findings.length === 0
        ? h('p', { class: 'ok', id: 'tr31-status', text: 'Well formed under the strict X9.143 rules.' })
        : a.parsed === undefined
          ? h('p', { class: 'bad', id: 'tr31-status', text: 'Not a readable key block.' })
          : h('p', { class: 'warn', id: 'tr31-status', text: 'Readable only with leniency: see the findings.' });
    const findings =
      a.findings.length === 0
        ? null
        : h(
            'ul',
            { class: 'findings', id: 'tr31-findings', 'aria-label': 'strict-parser findings' },
            ...a.findings.map((f) =>
              h(
                'li',
                { 'data-code': f.code },
                h('strong', { text: `characters ${f.start}–${Math.max(f.start, f.end - 1)}` }),
                `: ${f.message} `,
                h('span', { class: 'code', text: `(${f.code})` }),
                f.acceptedBy === undefined ? '' : ` — accepted with ${f.acceptedBy} (${LENIENCY_TEXT[f.acceptedBy]})`,
              ),
            ),
          );
    const headerTable = h(
      'table',
      { id: 'tr31-fields' },
      h('caption', { text: 'Header fields' }),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Position' }), h('th', { scope: 'col', text: 'Field' }), h('th', { scope: 'col', text: 'Value' }), h('th', { scope: 'col', text: 'Meaning' }))),
      h(
        'tbody',
        {},
        ...a.fields.map((f) =>
          h('tr', { 'data-field': f.key }, h('td', { text: `${f.start}${f.end - f.start > 1 ? `–${f.end - 1}` : ''}` }), h('th', { scope: 'row', text: f.label }), h('td', {}, h('code', { class: FIELD_CLASS[f.key], text: f.value })), h('td', { text: f.meaning })),
        ),
      ),
    );
    const opt =
      a.optionalBlocks.length === 0
        ? null
        : h(
            'table',
            { id: 'tr31-optional-blocks' },
            h('caption', { text: 'Optional blocks' }),
            h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Position' }), h('th', { scope: 'col', text: 'ID' }), h('th', { scope: 'col', text: 'Name' }), h('th', { scope: 'col', text: 'Data' }), h('th', { scope: 'col', text: 'Decoded' }))),
            h(
              'tbody',
              {},
              ...a.optionalBlocks.map((b) =>
                h('tr', { 'data-id': b.id }, h('td', { text: `${b.start}–${b.end - 1}` }), h('th', { scope: 'row', text: b.id }), h('td', { text: b.name }), h('td', {}, h('code', { class: 'wrap', text: b.data })), h('td', { text: b.decoded ?? '' })),
              ),
            ),
          );
    const p = a.parsed;
    const layout =
      p === undefined
        ? null
        : facts([
            ['Header with optional blocks', `${p.headerLength} characters`],
            ['Encrypted payload', `${p.payloadLength} bytes`],
            ['MAC', h('code', { text: p.mac })],
          ]);
    const aws = a.aws.length === 0 ? null : h('div', { id: 'tr31-aws' }, h('h3', { text: 'AWS Payment Cryptography attributes' }), facts(a.aws.map((x) => [x.label, x.value] as const)));
    clear(blockOut, status, renderBlock(a), findings, headerTable, opt, layout, aws);
  }

  function renderUnwrap(a: Tr31Analysis): void {
    const version = a.parsed === undefined ? undefined : TR31_VERSIONS[a.parsed.version];
    const input = kbpk.read(version?.kbpkFamily);
    if (input === undefined) {
      clear(keyOut, h('p', { class: 'muted', text: 'Give the KBPK to check the MAC and see the wrapped key’s KCV.' }));
      return;
    }
    if ('error' in input) {
      clear(keyOut, h('p', { class: 'bad', id: 'tr31-result', text: input.error }));
      return;
    }
    if (a.parsed === undefined) {
      input.key.fill(0);
      clear(keyOut, h('p', { class: 'bad', id: 'tr31-result', text: 'The block cannot be read, so it cannot be checked.' }));
      return;
    }
    let unwrapped: { header: Tr31Header; key: Uint8Array };
    try {
      unwrapped = unwrapTr31(input.key, a.block, { ...a.options, allowNonStandardKeyLength: true });
    } catch (e) {
      clear(keyOut, h('p', { class: 'bad', id: 'tr31-result', 'data-result': 'refused', text: `Refused: ${errorText(e)}` }));
      return;
    } finally {
      input.key.fill(0);
    }
    const key = unwrapped.key;
    clearKey = key;
    const k = kcvFor(unwrapped.header, key);
    const rows: [string, Node | string][] = [
      ['MAC', 'verified'],
      ['Key length', `${key.length} bytes`],
      ['KCV', h('code', { id: 'tr31-kcv', text: k.text })],
    ];
    for (const id of ['KC'] as const) {
      try {
        const v = readOptionalBlock(unwrapped.header, id);
        if (v !== undefined && k.family !== undefined) {
          const own = kcv(key, k.family, { method: v.method, length: v.kcv.length });
          rows.push([`${id} block`, `${bytesToHex(v.kcv)} (${v.method}) — ${constantTimeEqual(own, v.kcv) ? 'matches' : 'DOES NOT match'} the key`]);
        }
      } catch {
        // a KC block that does not decode is reported by the structure view
      }
    }
    try {
      const attrs = awsKeyAttributesFromTr31(unwrapped.header, key.length);
      rows.push([
        'AWS KeyAttributes',
        h('code', { id: 'tr31-aws-attributes', class: 'wrap', text: JSON.stringify({ ...attrs, KeyModesOfUse: Object.fromEntries(Object.entries(attrs.KeyModesOfUse).filter(([, v]) => v === true)) }) }),
      ]);
    } catch (e) {
      rows.push(['AWS KeyAttributes', errorText(e)]);
    }
    const keyBox = h('code', { id: 'tr31-key', class: 'secret', hidden: true });
    const show = h('button', { type: 'button', id: 'tr31-show-key', 'aria-controls': 'tr31-key', 'aria-expanded': 'false', text: 'Show the clear key' });
    show.addEventListener('click', () => {
      const visible = !keyBox.hidden;
      if (visible) {
        keyBox.hidden = true;
        keyBox.textContent = '';
        show.textContent = 'Show the clear key';
        show.setAttribute('aria-expanded', 'false');
      } else if (clearKey !== undefined) {
        keyBox.textContent = bytesToHex(clearKey);
        keyBox.hidden = false;
        show.textContent = 'Hide the clear key';
        show.setAttribute('aria-expanded', 'true');
      }
    });
    clear(keyOut, h('p', { class: 'ok', id: 'tr31-result', 'data-result': 'verified', text: 'MAC verified: the block is intact and the KBPK is right.' }), facts(rows), h('p', {}, show, ' ', keyBox));
  }

  update();
}

import { bytesToHex, kcv } from '@paycrypt/primitives';
import { Certificate, RsaPrivateKey, inspectTr34KeyBlock, openTr34KeyBlock, pemBlocks, type Tr34TokenInfo } from '@paycrypt/tr34';
import { describeIssuerAndSerial } from './der-name.js';
import { append, clear, errorText, facts, field, h, select } from './dom.js';

/** The TR-34 view: the token's public structure at once; the key's KCV once the KRD's key and the certificates are given. */

/** Token text → DER: PEM (any label), hex, or base64. */
export function tokenDer(text: string): Uint8Array {
  const t = text.trim();
  if (t.includes('-----BEGIN')) {
    const blocks = pemBlocks(t);
    if (blocks.length === 0) throw new Error('no PEM block found');
    return blocks[0]!;
  }
  const compact = t.replace(/\s+/g, '');
  if (/^[0-9A-Fa-f]+$/.test(compact) && compact.length % 2 === 0) {
    const out = new Uint8Array(compact.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(compact.slice(2 * i, 2 * i + 2), 16);
    return out;
  }
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(compact) && compact.length % 4 === 0) {
    const bin = atob(compact);
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  }
  throw new Error('the token is neither PEM, hex nor base64');
}

const fmtDate = (d: Date): string => d.toISOString().replace('.000Z', 'Z');

function certificates(text: string, label: string): Certificate[] {
  if (text.trim() === '') return [];
  try {
    return Certificate.parseAll(text);
  } catch (e) {
    throw new Error(`${label}: ${errorText(e)}`);
  }
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

export function tr34View(root: HTMLElement): void {
  const token = field('TR-34 token (hex, base64 or PEM)', { id: 'tr34-token', multiline: true, rows: 5, width: 'wide', hint: 'As AWS Payment Cryptography exports it (WrappedKeyMaterial, hex) or any CMS SignedData in PEM.' });
  const krdKey = field('KRD private key (PKCS#8 PEM, "PRIVATE KEY")', { id: 'tr34-krd-key', multiline: true, rows: 4, secret: true });
  const krdCert = field('KRD certificate (PEM)', { id: 'tr34-krd-cert', multiline: true, rows: 3 });
  const kdhCert = field('KDH signing certificate (PEM)', { id: 'tr34-kdh-cert', multiline: true, rows: 3 });
  const caCerts = field('CA certificates (PEM; self-signed ones are the trust anchors, others intermediates)', { id: 'tr34-ca-certs', multiline: true, rows: 3 });
  const nonce = field('Expected nonce (hex, two-pass)', { id: 'tr34-nonce', hint: 'Empty: the nonce the token carries is used — that checks its signature, not its freshness.' });
  const dates = select('Certificate dates', 'tr34-dates', [
    ['now', 'checked at the current time'],
    ['skip', 'not checked (sample certificates that have expired)'],
  ]);
  const open = h('button', { type: 'button', id: 'tr34-open', text: 'Verify and compute the KCV' });
  const structure = h('div', { id: 'tr34-structure', 'aria-live': 'polite' });
  const result = h('div', { id: 'tr34-result-box', 'aria-live': 'polite' });
  append(
    root,
    h('h2', { text: 'TR-34 key token' }),
    h(
      'div',
      { class: 'columns' },
      h('div', {}, token.wrap, krdKey.wrap, krdCert.wrap, kdhCert.wrap, caCerts.wrap, h('div', { class: 'row' }, nonce.wrap, dates.wrap), h('p', {}, open), result),
      h('div', {}, structure),
    ),
  );

  let info: Tr34TokenInfo | undefined;
  let der: Uint8Array | undefined;

  function certTable(): HTMLElement | null {
    const rows: [string, Certificate][] = [];
    const add = (role: string, text: string): void => {
      try {
        for (const c of certificates(text, role)) rows.push([role, c]);
      } catch {
        // shown when opening
      }
    };
    add('KRD', krdCert.input.value);
    add('KDH', kdhCert.input.value);
    add('CA', caCerts.input.value);
    if (rows.length === 0) return null;
    const now = new Date();
    return h(
      'table',
      { id: 'tr34-certificates' },
      h('caption', { text: 'Certificates given' }),
      h('thead', {}, h('tr', {}, ...['Role', 'Subject', 'Issuer', 'Valid from', 'Valid to', 'In the token'].map((t) => h('th', { scope: 'col', text: t })))),
      h(
        'tbody',
        {},
        ...rows.map(([role, c]) => {
          const ias = c.issuerAndSerialNumber;
          const inToken = info === undefined ? '' : sameBytes(ias, info.kdhIssuerAndSerialNumber) ? 'signer' : sameBytes(ias, info.krdIssuerAndSerialNumber) ? 'recipient' : '';
          const valid = now >= c.notBefore && now <= c.notAfter;
          return h(
            'tr',
            { 'data-role': role },
            h('td', { text: role }),
            h('td', { text: c.subject }),
            h('td', { text: c.issuer }),
            h('td', { text: fmtDate(c.notBefore) }),
            h('td', { class: valid ? '' : 'warn', text: `${fmtDate(c.notAfter)}${valid ? '' : ' (not valid now)'}` }),
            h('td', { text: inToken }),
          );
        }),
      ),
    );
  }

  function updateStructure(): void {
    info = undefined;
    der = undefined;
    clear(result);
    if (token.input.value.trim() === '') {
      clear(structure, h('p', { class: 'muted', text: 'Paste a token to see who signed it, for whom, and the key-block header it carries.' }), certTable());
      return;
    }
    try {
      der = tokenDer(token.input.value);
      info = inspectTr34KeyBlock(der);
    } catch (e) {
      clear(structure, h('p', { class: 'bad', id: 'tr34-status', text: `Not a readable TR-34 token: ${errorText(e)}` }), certTable());
      return;
    }
    const signer = describeIssuerAndSerial(info.kdhIssuerAndSerialNumber);
    const recipient = describeIssuerAndSerial(info.krdIssuerAndSerialNumber);
    const h31 = info.header;
    clear(
      structure,
      h('p', { class: 'ok', id: 'tr34-status', text: 'Readable TR-34 token (nothing verified yet).' }),
      facts(
        [
          ['Layout', info.layout],
          ['Mode', info.mode],
          ['Nonce', info.nonce === undefined ? 'none (one-pass)' : bytesToHex(info.nonce)],
          ['Signing time', info.signingTime === undefined ? 'none' : fmtDate(info.signingTime)],
          ['Content encryption', info.contentEncryption],
          ['Signer (KDH)', `issuer ${signer.issuer}, serial ${signer.serial}`],
          ['Recipient (KRD)', `issuer ${recipient.issuer}, serial ${recipient.serial}`],
          ['Key-block header', h('code', { id: 'tr34-header', text: info.headerString })],
          ['Header fields', `version ${h31.version}, usage ${h31.keyUsage}, algorithm ${h31.algorithm}, mode ${h31.modeOfUse}, key version ${h31.keyVersion}, exportability ${h31.exportability}, ${h31.optionalBlocks.length} optional blocks`],
          ['Size', `${der.length} bytes`],
        ],
        { id: 'tr34-facts' },
      ),
      certTable(),
    );
  }

  async function openToken(): Promise<void> {
    if (info === undefined || der === undefined) {
      clear(result, h('p', { class: 'bad', id: 'tr34-result', text: 'Paste a readable token first.' }));
      return;
    }
    clear(result, h('p', { class: 'muted', id: 'tr34-result', text: 'Verifying…' }));
    try {
      const missing = [
        [krdKey, 'the KRD private key'],
        [krdCert, 'the KRD certificate'],
        [kdhCert, 'the KDH certificate'],
        [caCerts, 'the CA certificates'],
      ].filter(([f]) => (f as { input: HTMLTextAreaElement }).input.value.trim() === '');
      if (missing.length > 0) throw new Error(`give ${missing.map(([, n]) => n).join(', ')}: the signature and the chain are checked before anything is decrypted`);
      const cas = certificates(caCerts.input.value, 'CA certificates');
      const nonceText = nonce.input.value.replace(/\s+/g, '');
      const expectedNonce = nonceText === '' ? info.nonce : tokenDer(nonceText);
      const opened = await openTr34KeyBlock(der, {
        krdPrivateKey: RsaPrivateKey.fromPkcs8(krdKey.input.value),
        krdCertificate: certificates(krdCert.input.value, 'KRD certificate')[0]!,
        kdhCertificate: certificates(kdhCert.input.value, 'KDH certificate')[0]!,
        trustAnchors: cas.filter((c) => c.isSelfIssued),
        intermediates: cas.filter((c) => !c.isSelfIssued),
        ...(expectedNonce === undefined ? {} : { expectedNonce }),
        at: dates.input.value === 'skip' ? null : new Date(),
      });
      const family = opened.header.algorithm === 'A' ? 'AES' : 'TDES';
      const value = bytesToHex(kcv(opened.key, family));
      const length = opened.key.length;
      opened.key.fill(0);
      clear(
        result,
        h('p', { class: 'ok', id: 'tr34-result', 'data-result': 'opened', text: `Signature, certificate chain${opened.mode === 'two-pass' ? ' and nonce' : ''} verified; the key decrypted.` }),
        facts([
          ['Key length', `${length} bytes`],
          ['KCV', h('code', { id: 'tr34-kcv', text: value })],
          ['KCV method', family === 'AES' ? 'AES CMAC' : 'TDES ANSI X9.24'],
        ]),
      );
    } catch (e) {
      clear(result, h('p', { class: 'bad', id: 'tr34-result', 'data-result': 'refused', text: `Refused: ${errorText(e)}` }));
    }
  }

  token.input.addEventListener('input', updateStructure);
  for (const f of [krdCert, kdhCert, caCerts]) f.input.addEventListener('input', updateStructure);
  open.addEventListener('click', () => void openToken());
  updateStructure();
}

/**
 * `paycrypt tr34 build` (as the key distribution host) and `paycrypt tr34 open` (as the key
 * receiving device), on @paycrypt/tr34 in the AWS `X9_TR34_2012` layout by default.
 */
import { writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { buildTr34KeyBlock, openTr34KeyBlock, type Certificate } from '@paycrypt/tr34';
import { parseTr31Header, type Tr31Header } from '@paycrypt/keyblock';
import { CliError } from '../errors.js';
import { emit } from '../output.js';
import { readKey } from '../secrets.js';
import { hex, releaseClearKey } from './common.js';
import {
  LENIENT_HEADER,
  awsAttributes,
  certificateSummary,
  dateInput,
  tokenFields,
  keyKcv,
  nonceInput,
  oneStdin,
  readCertificateFiles,
  readCertificateWithChain,
  readPrivateKey,
  readToken,
  tr34Failure,
} from './tr34-inputs.js';

type Opts = Record<string, unknown>;

/** Writes a new file (never overwrites); `what` names the flag in the error. */
export function writeNewFile(path: string, data: string | Uint8Array, flag: string): void {
  try {
    writeFileSync(path, data, { flag: 'wx' });
  } catch (e) {
    throw new CliError('USAGE', `${flag}: cannot create ${path} (${(e as NodeJS.ErrnoException).code ?? 'unwritable'}; an existing file is never overwritten)`);
  }
}

/** Key lengths TR-34 carries per header algorithm (tr34.md §7.3: TDES 2-/3-key, AES-128). */
const KEY_LENGTHS: Readonly<Record<string, readonly number[]>> = { T: [16, 24], A: [16] };

/** The header of a build, parsed for the checks here; the engine keeps the text byte for byte. */
export function buildHeader(text: string, lenient: boolean): Tr31Header {
  try {
    return parseTr31Header(text, lenient ? LENIENT_HEADER : {});
  } catch (e) {
    throw new CliError('INVALID_INPUT', `--header: ${e instanceof Error ? e.message : 'not a TR-31 header'}`);
  }
}

/** Reads and checks the clear key against the header algorithm. */
export function readTr34Key(opts: Opts, header: Tr31Header): Uint8Array {
  const lengths = KEY_LENGTHS[header.algorithm];
  if (lengths === undefined) throw new CliError('INVALID_INPUT', `--header: algorithm ${header.algorithm}: TR-34 carries TDES (T) or AES-128 (A) keys`);
  return readKey(opts, 'key', lengths);
}

export async function buildTr34(opts: Opts): Promise<void> {
  oneStdin({ 'key-file': opts.keyFile, 'kdh-private-key-file': opts.kdhPrivateKeyFile });
  const headerText = String(opts.header);
  const header = buildHeader(headerText, opts.lenient === true);
  if (opts.nonce !== undefined && opts.randomNonce === true) throw new CliError('USAGE', 'give --nonce or --random-nonce, not both');
  const nonce = opts.nonce !== undefined ? nonceInput(String(opts.nonce)) : opts.randomNonce === true ? new Uint8Array(randomBytes(8)) : undefined;
  if (nonce !== undefined && opts.signingTime !== undefined) throw new CliError('USAGE', '--signing-time is for one-pass tokens; a nonce makes the token two-pass');
  const signingTime = opts.signingTime === undefined ? undefined : dateInput(String(opts.signingTime), '--signing-time');
  const krd = readCertificateWithChain(String(opts.krdCert), '--krd-cert').certificate;
  const kdh = readCertificateWithChain(String(opts.kdhCert), '--kdh-cert').certificate;
  const kdhKey = readPrivateKey(opts, 'kdh-private-key');
  if (!kdhKey.publicKey.equals(kdh.publicKey)) throw new CliError('USAGE', '--kdh-private-key-file does not belong to --kdh-cert (the public keys differ)');
  const layout = opts.layout === undefined ? 'X9_TR34_2012' : String(opts.layout);
  if (layout !== 'X9_TR34_2012' && layout !== 'TR34_2019_CMS') throw new CliError('USAGE', '--layout: expected X9_TR34_2012 or TR34_2019_CMS');
  const key = readTr34Key(opts, header);
  try {
    let built;
    try {
      built = await buildTr34KeyBlock({
        kdhCertificate: kdh,
        kdhPrivateKey: kdhKey,
        krdCertificate: krd,
        key,
        header: headerText,
        ...(opts.lenient === true ? { headerOptions: LENIENT_HEADER } : {}),
        ...(nonce !== undefined ? { nonce } : signingTime !== undefined ? { signingTime } : {}),
        layout,
      });
    } catch (e) {
      throw tr34Failure(e, '--header');
    }
    if (opts.out !== undefined) writeNewFile(String(opts.out), `${built.hex}\n`, '--out');
    if (opts.derOut !== undefined) writeNewFile(String(opts.derOut), built.der, '--der-out');
    const check = keyKcv(header, key);
    emit(
      {
        token: built.hex,
        layout,
        mode: nonce === undefined ? 'one-pass' : 'two-pass',
        header: headerText,
        nonce: nonce === undefined ? null : hex(nonce),
        ...(check ?? {}),
        kdh: certificateSummary(kdh),
        krd: certificateSummary(krd),
      },
      [
        built.hex,
        `${nonce === undefined ? 'one-pass' : `two-pass, nonce ${hex(nonce)}`}; header ${headerText}${check === undefined ? '' : `; KCV ${check.kcv} (${check.kcvAlgorithm})`}`,
      ],
    );
  } finally {
    key.fill(0);
  }
}

/** Trust anchors of `open`: the --ca-cert certificates, or the KDH certificate itself with --trust-kdh-cert. */
function trustAnchors(opts: Opts, kdh: Certificate): Certificate[] {
  const cas = readCertificateFiles(opts.caCert as string[] | undefined, '--ca-cert');
  if (opts.trustKdhCert === true) {
    if (cas.length > 0) throw new CliError('USAGE', 'give --ca-cert or --trust-kdh-cert, not both');
    return [kdh];
  }
  if (cas.length === 0) throw new CliError('USAGE', 'missing --ca-cert FILE (the CA the KDH certificate chains to), or --trust-kdh-cert');
  return cas;
}

export async function openTr34(tokenArg: string, opts: Opts): Promise<void> {
  oneStdin({ token: tokenArg, 'krd-private-key-file': opts.krdPrivateKeyFile });
  if (opts.at !== undefined && opts.ignoreValidity === true) throw new CliError('USAGE', 'give --at or --ignore-validity, not both');
  const at = opts.ignoreValidity === true ? null : opts.at === undefined ? new Date() : dateInput(String(opts.at), '--at');
  const expectedNonce = opts.nonce === undefined ? undefined : nonceInput(String(opts.nonce));
  const expectKcv = opts.expectKcv === undefined ? undefined : String(opts.expectKcv).toUpperCase();
  if (expectKcv !== undefined && !/^[0-9A-F]{4,16}$/.test(expectKcv)) throw new CliError('INVALID_INPUT', '--expect-kcv: expected 4 to 16 hex digits');
  const der = readToken(tokenArg);
  const krd = readCertificateWithChain(String(opts.krdCert), '--krd-cert').certificate;
  const kdhFile = readCertificateWithChain(String(opts.kdhCert), '--kdh-cert');
  const anchors = trustAnchors(opts, kdhFile.certificate);
  const krdKey = readPrivateKey(opts, 'krd-private-key');
  if (!krdKey.publicKey.equals(krd.publicKey)) throw new CliError('USAGE', '--krd-private-key-file does not belong to --krd-cert (the public keys differ)');
  let opened;
  try {
    opened = await openTr34KeyBlock(der, {
      krdPrivateKey: krdKey,
      krdCertificate: krd,
      kdhCertificate: kdhFile.certificate,
      trustAnchors: anchors,
      intermediates: kdhFile.rest,
      at,
      ...(expectedNonce === undefined ? {} : { expectedNonce }),
      ...(opts.lenient === true ? { headerOptions: LENIENT_HEADER } : {}),
    });
  } catch (e) {
    throw tr34Failure(e);
  }
  const key = opened.key;
  try {
    const check = keyKcv(opened.header, key);
    const aws = awsAttributes(opened.header, key.length);
    const summary = {
      ...tokenFields(opened),
      keyLength: key.length,
      ...(check ?? {}),
      ...(aws === undefined ? {} : { aws }),
    };
    if (expectKcv !== undefined && check?.kcv !== expectKcv) {
      throw new CliError('VERIFICATION_FAILED', `the KCV of the key (${check?.kcv ?? 'none'}) differs from --expect-kcv ${expectKcv}`, { details: { kcv: check?.kcv, expectedKcv: expectKcv } });
    }
    const fields = releaseClearKey(opts as { printKey?: boolean; keyOut?: string }, hex(key), summary);
    emit(fields, [
      `verified:    signature by ${kdhFile.certificate.subject}, chain, ${opened.mode === 'two-pass' ? 'nonce, ' : ''}recipient ${krd.subject}`,
      `layout:      ${opened.layout}, ${opened.mode}${opened.nonce === undefined ? '' : `, nonce ${hex(opened.nonce)}`}${opened.signingTime === undefined ? '' : `, signed ${opened.signingTime.toISOString()}`}`,
      `header:      ${opened.headerString}`,
      `key length:  ${key.length} bytes`,
      ...(check === undefined ? [] : [`KCV:         ${check.kcv} (${check.kcvAlgorithm})`]),
      ...(aws === undefined ? [] : [`AWS:         ${JSON.stringify(aws)}`]),
      ...(typeof fields.key === 'string' ? [`key:         ${fields.key}`] : []),
      ...(typeof fields.keyFile === 'string' ? [`key written: ${fields.keyFile}`] : []),
    ]);
  } finally {
    key.fill(0);
  }
}

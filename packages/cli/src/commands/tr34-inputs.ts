/**
 * Inputs and outputs of the TR-34 commands (tr34 inspect|build|open and the TR-34 flows of keys):
 * certificates, RSA private keys and tokens from PEM/DER/hex files, nonces, dates, KCVs, and the
 * mapping of @paycrypt/tr34 errors to exit codes. Loaded only by those commands (it imports the
 * TR-34 engine), so `tr31 inspect` never pays for it.
 */
import { createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Certificate, CRYPTO_FAILED_MESSAGE, RsaPrivateKey, Tr34Error, pemBlocks } from '@paycrypt/tr34';
import { TR31_ALGORITHMS, TR31_EXPORTABILITY, TR31_KEY_USAGES, TR31_MODES_OF_USE, awsKeyAttributesFromTr31, type Tr31Header, type Tr31ParseOptions } from '@paycrypt/keyblock';
import { kcv } from '@paycrypt/primitives';
import { CliError } from '../errors.js';
import { secretText } from '../secrets.js';
import { hex } from './common.js';

/** Header leniency of --lenient (the same relaxations as `tr31 unwrap --lenient`). */
export const LENIENT_HEADER: Tr31ParseOptions = {
  allowExtendedLength0002: true,
  allowLowerCaseHex: true,
  allowProprietaryValues: true,
  allowNonStandardOptionalBlockData: true,
};

function readInputFile(path: string, flag: string): Buffer {
  try {
    return readFileSync(path === '-' ? 0 : path);
  } catch (e) {
    throw new CliError('USAGE', `${flag}: cannot read ${path === '-' ? 'stdin' : path} (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
}

/**
 * Every certificate in a file: DER, PEM (one or more CERTIFICATE blocks) or the AWS form (base64 of
 * PEM), in file order.
 */
export function readCertificates(path: string, flag: string): Certificate[] {
  const bytes = readInputFile(path, flag);
  try {
    if (bytes[0] === 0x30) return [Certificate.parse(new Uint8Array(bytes))];
    return Certificate.parseAll(bytes.toString('utf8').trim());
  } catch (e) {
    throw new CliError('INVALID_INPUT', `${flag}: ${path} is not an X.509 certificate in PEM, DER or AWS base64 form (${e instanceof Error ? e.message : 'unreadable'})`);
  }
}

/** A certificate file: the first certificate, and any more after it (intermediates that come with it). */
export function readCertificateWithChain(path: string, flag: string): { certificate: Certificate; rest: Certificate[] } {
  const [certificate, ...rest] = readCertificates(path, flag);
  return { certificate: certificate!, rest };
}

/** Every certificate of every file of a repeatable flag. */
export function readCertificateFiles(paths: readonly string[] | undefined, flag: string): Certificate[] {
  return (paths ?? []).flatMap((p) => readCertificates(p, flag));
}

function camel(s: string): string {
  return s.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * An RSA private key from --ROLE-file PATH ("-" = stdin) or --ROLE-env NAME: PKCS#8 or PKCS#1, PEM
 * or DER (DER from a file or stdin only). Only one input of a command may be stdin (oneStdin). node:crypto reads the forms; the engine takes PKCS#8 DER. Messages name the
 * flag, never the content.
 */
export function readPrivateKey(opts: Record<string, unknown>, role: string): RsaPrivateKey {
  const file = opts[`${camel(role)}File`] as string | undefined;
  let input: Buffer | string | undefined;
  if (file !== undefined && opts[`${camel(role)}Env`] === undefined) {
    try {
      input = readFileSync(file === '-' ? 0 : file); // bytes: DER as well as PEM
    } catch (e) {
      throw new CliError('SECRET_SOURCE', `--${role}-file: cannot read ${file === '-' ? 'stdin' : file} (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
  } else {
    input = secretText(opts, role);
  }
  if (input === undefined) throw new CliError('USAGE', `missing --${role}-file PATH (or "-" for stdin) or --${role}-env NAME`);
  let der: Buffer | undefined;
  try {
    const isDer = Buffer.isBuffer(input) && input[0] === 0x30;
    const key = isDer
      ? (() => {
          try {
            return createPrivateKey({ key: input, format: 'der', type: 'pkcs8' });
          } catch {
            return createPrivateKey({ key: input, format: 'der', type: 'pkcs1' });
          }
        })()
      : createPrivateKey({ key: input.toString(), format: 'pem' });
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
    der = key.export({ format: 'der', type: 'pkcs8' });
    return RsaPrivateKey.fromPkcs8(new Uint8Array(der));
  } catch {
    throw new CliError('INVALID_KEY', `--${role}: expected an unencrypted RSA private key (PKCS#8 or PKCS#1, PEM or DER)`);
  } finally {
    der?.fill(0);
    if (Buffer.isBuffer(input)) input.fill(0);
  }
}

/**
 * A TR-34 token: a file (or "-" for stdin) holding DER, PEM (any label: CMS, PKCS7) or hex as AWS
 * sends it (`WrappedKeyBlock` / `KeyMaterial`); or the hex itself as the argument.
 */
export function readToken(arg: string, flag = 'token'): Uint8Array {
  let bytes: Buffer;
  if (arg !== '-' && !existsSync(arg)) {
    const compact = arg.replace(/\s+/g, '');
    if (compact.length > 2 && compact.length % 2 === 0 && /^[0-9A-Fa-f]+$/.test(compact)) return new Uint8Array(Buffer.from(compact, 'hex'));
    throw new CliError('USAGE', `${flag}: cannot read ${arg} (ENOENT; give a file of DER, PEM or hex, "-" for stdin, or the hex itself)`);
  }
  bytes = readInputFile(arg, flag);
  if (bytes[0] === 0x30) return new Uint8Array(bytes);
  const text = bytes.toString('utf8');
  if (text.includes('-----BEGIN')) {
    try {
      const der = pemBlocks(text)[0];
      if (der !== undefined) return der;
    } catch {
      // falls through to the error below
    }
    throw new CliError('KEY_BLOCK_INVALID', `${flag}: no readable PEM block`);
  }
  const compact = text.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 2 !== 0 || !/^[0-9A-Fa-f]+$/.test(compact)) {
    throw new CliError('KEY_BLOCK_INVALID', `${flag}: expected DER, PEM or an even number of hex digits`);
  }
  return new Uint8Array(Buffer.from(compact, 'hex'));
}

/** Only one input may come from stdin. */
export function oneStdin(flags: Record<string, unknown>): void {
  const dashes = Object.entries(flags).filter(([, v]) => v === '-').map(([k]) => k);
  if (dashes.length > 1) throw new CliError('USAGE', `only one input can be read from stdin ("-"), got ${dashes.join(', ')}`);
}

/** A two-pass nonce: 8–16 bytes of hex (AWS `RandomNonce`). Not secret. */
export function nonceInput(value: string, flag = '--nonce'): Uint8Array {
  const h = value.replace(/\s+/g, '');
  if (!/^(?:[0-9A-Fa-f]{2}){8,16}$/.test(h)) throw new CliError('INVALID_INPUT', `${flag}: expected 8 to 16 bytes of hex (16 to 32 hex digits)`);
  return new Uint8Array(Buffer.from(h, 'hex'));
}

export function dateInput(value: string, flag: string): Date {
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(d.getTime())) throw new CliError('INVALID_INPUT', `${flag}: expected an ISO 8601 date, e.g. 2025-01-31T12:00:00Z`);
  return d;
}

/** The KCV AWS reports for a key of this header: TDES → ANSI X9.24, AES → CMAC. */
export function keyKcv(h: Tr31Header, key: Uint8Array): { kcv: string; kcvAlgorithm: 'ANSI_X9_24' | 'CMAC' } | undefined {
  if (h.algorithm === 'T' && (key.length === 16 || key.length === 24)) return { kcv: hex(kcv(key, 'TDES')), kcvAlgorithm: 'ANSI_X9_24' };
  if (h.algorithm === 'A' && [16, 24, 32].includes(key.length)) return { kcv: hex(kcv(key, 'AES')), kcvAlgorithm: 'CMAC' };
  return undefined;
}

/** What an inspected and an opened token both report: layout, header (with its X9.143 names), nonce, time, cipher. */
export function tokenFields(t: {
  layout: string;
  mode: string;
  headerString: string;
  header: Tr31Header & { lengthField?: number };
  nonce?: Uint8Array | undefined;
  signingTime?: Date | undefined;
  contentEncryption: string;
}): Record<string, unknown> {
  return {
    layout: t.layout,
    mode: t.mode,
    header: t.headerString,
    headerFields: headerFields(t.header),
    nonce: t.nonce === undefined ? null : hex(t.nonce),
    signingTime: t.signingTime === undefined ? null : t.signingTime.toISOString(),
    contentEncryption: t.contentEncryption,
  };
}

/** The header's fields with their X9.143 names. */
function headerFields(h: Tr31Header & { lengthField?: number }): Record<string, unknown> {
  return {
    version: h.version,
    ...(h.lengthField === undefined ? {} : { lengthField: h.lengthField }),
    keyUsage: { code: h.keyUsage, name: TR31_KEY_USAGES[h.keyUsage]?.name ?? 'not in X9.143' },
    algorithm: { code: h.algorithm, name: TR31_ALGORITHMS[h.algorithm]?.name ?? 'not in X9.143' },
    modeOfUse: { code: h.modeOfUse, name: TR31_MODES_OF_USE[h.modeOfUse] ?? 'not in X9.143' },
    keyVersion: h.keyVersion,
    exportability: { code: h.exportability, name: TR31_EXPORTABILITY[h.exportability] ?? 'not in X9.143' },
    optionalBlocks: h.optionalBlocks.map((b) => ({ id: b.id, data: b.data })),
  };
}

/** The AWS KeyAttributes a header and key length map to, or undefined when AWS has none. */
export function awsAttributes(h: Tr31Header, keyLength: number): Record<string, unknown> | undefined {
  try {
    return { ...awsKeyAttributesFromTr31(h, keyLength) };
  } catch {
    return undefined;
  }
}

/**
 * A failure of @paycrypt/tr34 as a CliError. Secret-dependent failures keep the engine's one fixed
 * message; certificate, signer, recipient and nonce failures say which check failed (all public).
 */
export function tr34Failure(e: unknown, what = 'token'): CliError {
  if (e instanceof CliError) return e;
  if (e instanceof Tr34Error) {
    const details = { engineCode: e.code };
    switch (e.code) {
      case 'CRYPTO_FAILED':
        return new CliError('VERIFICATION_FAILED', CRYPTO_FAILED_MESSAGE, { details });
      case 'MALFORMED':
      case 'UNSUPPORTED':
        return new CliError('KEY_BLOCK_INVALID', `${what}: ${e.message}`, { details });
      default:
        return new CliError('VERIFICATION_FAILED', e.message, { details });
    }
  }
  if (e instanceof TypeError || e instanceof RangeError) return new CliError('INVALID_INPUT', e.message);
  return new CliError('INTERNAL', `unexpected failure: ${e instanceof Error ? e.message : 'unknown error'}`);
}

/** `{ issuer, serialNumber, subject }` of a certificate, for the output. */
export function certificateSummary(c: Certificate): Record<string, unknown> {
  return { subject: c.subject, issuer: c.issuer, serialNumber: c.serialNumberHex, notAfter: c.notAfter.toISOString() };
}

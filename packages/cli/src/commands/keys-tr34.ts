/**
 * The TR-34 flows of `keys export` and `keys import` (the AWS user guide's "export/import keys with
 * TR-34"), one command each: the CA certificate imported (or named), the service's parameters
 * fetched, the token built or opened here, the service called. Loaded only when a TR-34 flag is
 * given.
 */
import { ExportKeyCommand, GetParametersForExportCommand, GetParametersForImportCommand, ImportKeyCommand } from '@aws-sdk/client-payment-cryptography';
import { randomBytes } from 'node:crypto';
import { Certificate, buildTr34KeyBlock, inspectTr34KeyBlock, openTr34KeyBlock, verifyCertificateChain } from '@paycrypt/tr34';
import { CliError } from '../errors.js';
import type { Service } from '../service.js';
import { serviceErrorText } from '../service.js';
import { hex } from './common.js';
import { keyKcv, nonceInput, oneStdin, readCertificateWithChain, readCertificates, readPrivateKey, tr34Failure } from './tr34-inputs.js';
import { buildHeader, readTr34Key, writeNewFile } from './tr34-run.js';

type Opts = Record<string, unknown>;

function serviceFailure(e: unknown, what: string): CliError {
  if (e instanceof CliError) return e;
  return new CliError('SERVICE_ERROR', `${what}: ${serviceErrorText(e)}`);
}

/** The two-pass nonce: --nonce, else 8 random bytes (as the AWS samples); none with --one-pass. */
function flowNonce(opts: Opts): Uint8Array | undefined {
  if (opts.onePass === true) {
    if (opts.nonce !== undefined) throw new CliError('USAGE', 'give --nonce or --one-pass, not both');
    return undefined;
  }
  return opts.nonce !== undefined ? nonceInput(String(opts.nonce)) : new Uint8Array(randomBytes(8));
}

/**
 * The CA the other side's certificate chains to, as a key of the service: --ca-key-arn names one
 * already imported; --ca-cert FILE imports it now (ImportKey RootCertificatePublicKey) and the
 * output gives its ARN, for --ca-key-arn next time.
 * NOTE: each --ca-cert run imports the certificate again (a new key): AWS has no lookup of an
 * imported certificate by content.
 */
async function caKey(svc: Service, opts: Opts): Promise<{ caKeyArn: string; caImported: boolean }> {
  if (opts.caKeyArn !== undefined && opts.caCert !== undefined) throw new CliError('USAGE', 'give --ca-cert or --ca-key-arn, not both');
  if (opts.caKeyArn !== undefined) return { caKeyArn: String(opts.caKeyArn), caImported: false };
  if (opts.caCert === undefined) throw new CliError('USAGE', 'TR-34 needs the CA: --ca-cert FILE (imported as a root certificate) or --ca-key-arn ARN (already imported)');
  const certs = readCertificates(String(opts.caCert), '--ca-cert');
  if (certs.length !== 1) throw new CliError('USAGE', `--ca-cert: expected one root CA certificate, got ${certs.length}`);
  const ca = certs[0]!;
  try {
    const out = await svc.controlPlane.send(
      new ImportKeyCommand({
        KeyMaterial: {
          RootCertificatePublicKey: {
            KeyAttributes: { KeyUsage: 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE', KeyClass: 'PUBLIC_KEY', KeyAlgorithm: `RSA_${ca.publicKey.bits}` as never, KeyModesOfUse: { Verify: true } },
            PublicKeyCertificate: ca.toAwsBase64(),
          },
        },
      }),
    );
    return { caKeyArn: out.Key!.KeyArn!, caImported: true };
  } catch (e) {
    throw serviceFailure(e, 'ImportKey of the --ca-cert root certificate failed');
  }
}

/**
 * `keys export KEY --krd-cert FILE`: GetParametersForExport (TR34_KEY_BLOCK) → ExportKey Tr34KeyBlock
 * to our certificate; the token's recipient and nonce are checked here, and with
 * --krd-private-key-file it is opened (signature by the service's signing certificate, its chain)
 * and its KCV compared with the service's (exit 1 on a difference).
 */
export async function exportTr34(svc: Service, keyId: string, opts: Opts): Promise<{ fields: Record<string, unknown>; human: string[] }> {
  if (opts.wrappingKey !== undefined || opts.kekFile !== undefined || opts.kekEnv !== undefined) throw new CliError('USAGE', '--krd-cert (TR-34) excludes --wrapping-key and --kek-file/--kek-env (TR-31)');
  oneStdin({ 'krd-private-key-file': opts.krdPrivateKeyFile });
  const krd = readCertificateWithChain(String(opts.krdCert), '--krd-cert').certificate;
  const nonce = flowNonce(opts);
  const krdKey = opts.krdPrivateKeyFile !== undefined || opts.krdPrivateKeyEnv !== undefined ? readPrivateKey(opts, 'krd-private-key') : undefined;
  if (krdKey !== undefined && !krdKey.publicKey.equals(krd.publicKey)) throw new CliError('USAGE', '--krd-private-key-file does not belong to --krd-cert (the public keys differ)');
  const { caKeyArn, caImported } = await caKey(svc, opts);
  let params;
  try {
    params = await svc.controlPlane.send(new GetParametersForExportCommand({ KeyMaterialType: 'TR34_KEY_BLOCK', SigningKeyAlgorithm: String(opts.signingKeyAlgorithm ?? 'RSA_2048') as never }));
  } catch (e) {
    throw serviceFailure(e, 'GetParametersForExport failed');
  }
  let wrapped;
  try {
    wrapped = (
      await svc.controlPlane.send(
        new ExportKeyCommand({
          ExportKeyIdentifier: keyId,
          KeyMaterial: {
            Tr34KeyBlock: {
              CertificateAuthorityPublicKeyIdentifier: caKeyArn,
              WrappingKeyCertificate: krd.toAwsBase64(),
              ExportToken: params.ExportToken!,
              KeyBlockFormat: 'X9_TR34_2012',
              ...(nonce === undefined ? {} : { RandomNonce: hex(nonce) }),
            },
          },
        }),
      )
    ).WrappedKey!;
  } catch (e) {
    throw serviceFailure(e, 'ExportKey failed');
  }
  const token = wrapped.KeyMaterial!;
  let info;
  try {
    info = inspectTr34KeyBlock(token);
  } catch (e) {
    throw tr34Failure(e, 'the exported token');
  }
  if (!Buffer.from(info.krdIssuerAndSerialNumber).equals(Buffer.from(krd.issuerAndSerialNumber))) throw new CliError('VERIFICATION_FAILED', 'the exported token is not addressed to --krd-cert');
  if ((info.nonce === undefined) !== (nonce === undefined) || (nonce !== undefined && hex(info.nonce!) !== hex(nonce))) {
    throw new CliError('VERIFICATION_FAILED', 'the exported token does not carry the nonce sent');
  }
  const signer = Certificate.parse(params.SigningKeyCertificate!);
  const chain = Certificate.parseAll(params.SigningKeyCertificateChain!);
  if (opts.out !== undefined) writeNewFile(String(opts.out), `${token}\n`, '--out');
  if (opts.kdhCertOut !== undefined) writeNewFile(String(opts.kdhCertOut), signer.toPem(), '--kdh-cert-out');
  if (opts.kdhCaOut !== undefined) writeNewFile(String(opts.kdhCaOut), chain.map((c) => c.toPem()).join(''), '--kdh-ca-out');
  const fields: Record<string, unknown> = {
    token,
    mode: info.mode,
    nonce: nonce === undefined ? null : hex(nonce),
    header: info.headerString,
    keyCheckValue: wrapped.KeyCheckValue,
    keyCheckValueAlgorithm: wrapped.KeyCheckValueAlgorithm,
    caKeyArn,
    caImported,
    signer: { subject: signer.subject, serialNumber: signer.serialNumberHex },
  };
  if (krdKey !== undefined) {
    let opened;
    try {
      opened = await openTr34KeyBlock(token, { krdPrivateKey: krdKey, krdCertificate: krd, kdhCertificate: signer, trustAnchors: chain, ...(nonce === undefined ? {} : { expectedNonce: nonce }) });
    } catch (e) {
      throw tr34Failure(e, 'the exported token');
    }
    try {
      const local = keyKcv(opened.header, opened.key);
      fields.localKeyCheckValue = local?.kcv;
      fields.kcvMatches = local !== undefined && local.kcv === wrapped.KeyCheckValue;
      if (fields.kcvMatches !== true) {
        throw new CliError('VERIFICATION_FAILED', 'the KCV of the opened token differs from the service\'s', { details: { keyCheckValue: wrapped.KeyCheckValue, localKeyCheckValue: local?.kcv } });
      }
    } finally {
      opened.key.fill(0);
    }
  }
  return {
    fields,
    human: [
      token,
      `${info.mode}${nonce === undefined ? '' : `, nonce ${hex(nonce)}`}; header ${info.headerString}; KCV ${String(wrapped.KeyCheckValue)} (${String(wrapped.KeyCheckValueAlgorithm)})${krdKey !== undefined ? ', checked by opening the token here' : ''}`,
      `signed by ${signer.subject}; CA key ${caKeyArn}${caImported ? ' (imported now)' : ''}`,
    ],
  };
}

/**
 * `keys import --kdh-cert FILE …`: GetParametersForImport (TR34_KEY_BLOCK) → the service's wrapping
 * certificate checked against its chain → the token built here, signed by our KDH key → the
 * ImportKey material. Returns the material and what to report; the caller imports.
 */
export async function tr34ImportMaterial(svc: Service, opts: Opts): Promise<{ material: Record<string, unknown>; fields: Record<string, unknown>; localKcv: string | undefined }> {
  if (opts.wrappingKey !== undefined || opts.blockFile !== undefined) throw new CliError('USAGE', '--kdh-cert (TR-34) excludes --wrapping-key and a TR-31 block');
  if (opts.header === undefined) throw new CliError('USAGE', 'a TR-34 import needs --header (e.g. B0016K0TB00E0000)');
  oneStdin({ 'key-file': opts.keyFile, 'kdh-private-key-file': opts.kdhPrivateKeyFile });
  const headerText = String(opts.header);
  const header = buildHeader(headerText, false);
  const kdh = readCertificateWithChain(String(opts.kdhCert), '--kdh-cert').certificate;
  const kdhKey = readPrivateKey(opts, 'kdh-private-key');
  if (!kdhKey.publicKey.equals(kdh.publicKey)) throw new CliError('USAGE', '--kdh-private-key-file does not belong to --kdh-cert (the public keys differ)');
  const nonce = flowNonce(opts);
  // NOTE: AWS documents RSA_2048 for TR34_KEY_BLOCK, but an AES-128 key needs an RSA ≥ 3072 KRD
  // (tr34.md §7.3); the default follows the key, --wrapping-key-algorithm overrides it.
  const wrappingKeyAlgorithm = String(opts.wrappingKeyAlgorithm ?? (header.algorithm === 'A' ? 'RSA_3072' : 'RSA_2048'));
  const key = readTr34Key(opts, header);
  try {
    const { caKeyArn, caImported } = await caKey(svc, opts);
    let params;
    try {
      params = await svc.controlPlane.send(new GetParametersForImportCommand({ KeyMaterialType: 'TR34_KEY_BLOCK', WrappingKeyAlgorithm: wrappingKeyAlgorithm as never }));
    } catch (e) {
      throw serviceFailure(e, 'GetParametersForImport failed');
    }
    const krd = Certificate.parse(params.WrappingKeyCertificate!);
    try {
      await verifyCertificateChain(krd, { trustAnchors: Certificate.parseAll(params.WrappingKeyCertificateChain!) });
    } catch (e) {
      throw new CliError('VERIFICATION_FAILED', `the service's WrappingKeyCertificate does not chain to its WrappingKeyCertificateChain (${e instanceof Error ? e.message : 'invalid'})`);
    }
    let built;
    try {
      built = await buildTr34KeyBlock({ kdhCertificate: kdh, kdhPrivateKey: kdhKey, krdCertificate: krd, key, header: headerText, ...(nonce === undefined ? {} : { nonce }) });
    } catch (e) {
      throw tr34Failure(e, '--header');
    }
    return {
      material: {
        Tr34KeyBlock: {
          CertificateAuthorityPublicKeyIdentifier: caKeyArn,
          SigningKeyCertificate: kdh.toAwsBase64(),
          ImportToken: params.ImportToken!,
          WrappedKeyBlock: built.hex,
          KeyBlockFormat: 'X9_TR34_2012',
          ...(nonce === undefined ? {} : { RandomNonce: hex(nonce) }),
        },
      },
      fields: { mode: nonce === undefined ? 'one-pass' : 'two-pass', nonce: nonce === undefined ? null : hex(nonce), header: headerText, caKeyArn, caImported, wrappingKeyAlgorithm },
      localKcv: keyKcv(header, key)?.kcv,
    };
  } finally {
    key.fill(0);
  }
}

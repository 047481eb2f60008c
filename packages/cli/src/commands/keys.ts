import { Option, type Command } from 'commander';
import { readFileSync } from 'node:fs';
import { CliError } from '../errors.js';
import { emit } from '../output.js';
import { readKey, secretOptions } from '../secrets.js';
import { connect, serviceErrorText, serviceOptions, type ServiceFlags } from '../service.js';
import { kcv } from '@paycrypt/primitives';
import { examples, hex } from './common.js';

type Opts = ServiceFlags & Record<string, unknown>;

function serviceFailure(e: unknown, what: string): CliError {
  if (e instanceof CliError) return e;
  return new CliError('SERVICE_ERROR', `${what}: ${serviceErrorText(e)}`);
}

function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

function tags(list: readonly string[] | undefined): { Key: string; Value: string }[] {
  return (list ?? []).map((kv) => {
    const i = kv.indexOf('=');
    if (i <= 0) throw new CliError('USAGE', '--tag: expected KEY=VALUE');
    return { Key: kv.slice(0, i), Value: kv.slice(i + 1) };
  });
}

function readBlock(arg: string | undefined, file: string | undefined): string {
  if (arg !== undefined && file !== undefined) throw new CliError('USAGE', 'give the block or --block-file, not both');
  let text = arg;
  if (file !== undefined) {
    try {
      text = readFileSync(file === '-' ? 0 : file, 'utf8');
    } catch (e) {
      throw new CliError('USAGE', `--block-file: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
  }
  const block = text?.trim();
  if (block === undefined || block === '') throw new CliError('USAGE', 'missing the TR-31 block (argument, or --block-file PATH / -)');
  return block;
}

/** The KCV AWS reports for a clear key of this KeyAlgorithm (TDES: ANSI X9.24, AES: CMAC). */
function kcvOfKey(keyAlgorithm: string, key: Uint8Array): string | undefined {
  const family = keyAlgorithm.startsWith('TDES_') ? 'TDES' : keyAlgorithm.startsWith('AES_') ? 'AES' : undefined;
  if (family === undefined) return undefined;
  try {
    return hex(kcv(key, family));
  } catch {
    return undefined;
  }
}

/** TR-34 options are refused without the flag that selects TR-34 (rather than ignored). */
function onlyWith(opts: Opts, selector: string, flag: string, names: readonly string[]): void {
  if (opts[selector] !== undefined) return;
  const given = names.find((n) => opts[n] !== undefined);
  if (given !== undefined) throw new CliError('USAGE', `--${given.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is a TR-34 option: it needs ${flag}`);
}

/** The TR-34 options of keys export (we are the KRD) and keys import (we are the KDH). */
function tr34Options(cmd: Command, direction: 'export' | 'import'): void {
  if (direction === 'export') {
    cmd
      .addOption(new Option('--krd-cert <file>', 'TR-34: export to this key-transport certificate of ours (AWS WrappingKeyCertificate), PEM/DER'))
      .addOption(new Option('--krd-private-key-file <path>', 'TR-34: our RSA private key, to open the token here and check its KCV (PEM/DER; "-" = stdin)'))
      .addOption(new Option('--krd-private-key-env <name>', 'TR-34: our RSA private key as PEM in this environment variable'))
      .addOption(new Option('--signing-key-algorithm <alg>', 'TR-34: GetParametersForExport SigningKeyAlgorithm (default RSA_2048)'))
      .addOption(new Option('--kdh-cert-out <file>', 'TR-34: write the service\'s signing certificate (PEM) to a new file, for tr34 open --kdh-cert'))
      .addOption(new Option('--kdh-ca-out <file>', 'TR-34: write the signing certificate\'s chain (PEM) to a new file, for tr34 open --ca-cert'));
  } else {
    cmd
      .addOption(new Option('--kdh-cert <file>', 'TR-34: our signing certificate (AWS SigningKeyCertificate), PEM/DER'))
      .addOption(new Option('--kdh-private-key-file <path>', 'TR-34: our RSA signing key (PEM/DER; "-" = stdin)'))
      .addOption(new Option('--kdh-private-key-env <name>', 'TR-34: our RSA signing key as PEM in this environment variable'))
      .addOption(new Option('--header <header>', 'TR-34: the key block header, e.g. B0016K0TB00E0000 (usage, algorithm, mode of use, exportability)'))
      .addOption(new Option('--wrapping-key-algorithm <alg>', 'TR-34: GetParametersForImport WrappingKeyAlgorithm (default RSA_2048, RSA_3072 for an AES key)'));
  }
  cmd
    .addOption(new Option('--ca-cert <file>', `TR-34: the root CA certificate ${direction === 'export' ? '--krd-cert' : '--kdh-cert'} chains to, imported now (ImportKey RootCertificatePublicKey)`))
    .addOption(new Option('--ca-key-arn <arn-or-alias>', 'TR-34: that CA, already imported'))
    .addOption(new Option('--nonce <hex>', 'TR-34 two-pass: this nonce, 8-16 bytes of hex (default 8 random bytes)'))
    .addOption(new Option('--one-pass', 'TR-34: one-pass (signingTime, no nonce)'));
}

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('key import and export against a service: TR-31 under a KEK, key cryptogram (RSA-OAEP) by value');

  const exp = keys
    .command('export')
    .description('export a key (ExportKey): as a TR-31 block under a KEK (--wrapping-key), or as a TR-34 token to our certificate (--krd-cert: GetParametersForExport, ExportKey, the token checked here). With --kek-file/--kek-env (TR-31) or --krd-private-key-file/-env (TR-34) it is also opened here and its KCV checked against the service\'s (exit 1 on a difference)')
    .argument('<key>', 'ARN or alias of the key to export')
    .addOption(new Option('--wrapping-key <arn-or-alias>', 'TR-31: the KEK (TR31_K0) it is wrapped under'))
    .addOption(new Option('--out <path>', 'write the block or token to a new file as well'));
  secretOptions(exp, 'kek', 'TR-31: the clear KEK, to check the block locally (optional)');
  tr34Options(exp, 'export');
  serviceOptions(exp, undefined);
  examples(
    exp.action(async (key: string, opts: Opts) => {
      if (opts.krdCert !== undefined) {
        const svc = await connect(opts, undefined);
        try {
          const { exportTr34 } = await import('./keys-tr34.js');
          const r = await exportTr34(svc, key, opts);
          emit(r.fields, r.human);
        } finally {
          await svc.close();
        }
        return;
      }
      onlyWith(opts, 'krdCert', '--krd-cert', ['krdPrivateKeyFile', 'krdPrivateKeyEnv', 'signingKeyAlgorithm', 'kdhCertOut', 'kdhCaOut', 'caCert', 'caKeyArn', 'nonce', 'onePass']);
      if (opts.wrappingKey === undefined) throw new CliError('USAGE', 'keys export needs --wrapping-key (TR-31) or --krd-cert (TR-34)');
      const kek = opts.kekFile !== undefined || opts.kekEnv !== undefined ? readKey(opts, 'kek', [16, 24, 32]) : undefined;
      const svc = await connect(opts, undefined);
      try {
        const { ExportKeyCommand } = await import('../service-sdk.js');
        let wrapped;
        try {
          wrapped = (await svc.controlPlane.send(new ExportKeyCommand({ ExportKeyIdentifier: key, KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: String(opts.wrappingKey) } } }))).WrappedKey!;
        } catch (e) {
          throw serviceFailure(e, 'ExportKey failed');
        }
        const block = wrapped.KeyMaterial!;
        const fields: Record<string, unknown> = { block, header: block.slice(0, 16), keyCheckValue: wrapped.KeyCheckValue, keyCheckValueAlgorithm: wrapped.KeyCheckValueAlgorithm };
        if (kek !== undefined) {
          const { openExportedKeyBlock } = await import('@paycrypt/aws-adapter');
          let opened;
          try {
            opened = openExportedKeyBlock(kek, block, { KeyCheckValue: wrapped.KeyCheckValue!, KeyCheckValueAlgorithm: wrapped.KeyCheckValueAlgorithm as never });
          } catch {
            throw new CliError('MAC_VERIFICATION_FAILED', 'key block MAC verification failed');
          }
          fields.localKeyCheckValue = opened.keyCheckValue;
          fields.kcvMatches = opened.kcvMatches;
          if (opened.kcvMatches !== true) throw new CliError('VERIFICATION_FAILED', 'the KCV of the opened block differs from the service\'s', { details: { keyCheckValue: wrapped.KeyCheckValue, localKeyCheckValue: opened.keyCheckValue } });
        }
        if (opts.out !== undefined) {
          const { writeFileSync } = await import('node:fs');
          try {
            writeFileSync(String(opts.out), `${block}\n`, { flag: 'wx' });
          } catch (e) {
            throw new CliError('USAGE', `--out: cannot create ${String(opts.out)} (${(e as NodeJS.ErrnoException).code ?? 'unwritable'}; an existing file is never overwritten)`);
          }
        }
        emit(fields, [block, `KCV ${String(wrapped.KeyCheckValue)} (${String(wrapped.KeyCheckValueAlgorithm)})${kek !== undefined ? ', checked under the local KEK' : ''}`]);
      } finally {
        kek?.fill(0);
        await svc.close();
      }
    }),
    'paycrypt keys export alias/cvk --wrapping-key alias/partner-kek --endpoint http://127.0.0.1:8443',
    'paycrypt keys export alias/cvk --wrapping-key alias/partner-kek --kek-file kek.hex --json --target aws --region eu-west-1',
    'paycrypt keys export alias/kek --krd-cert krd.pem --ca-cert krd-ca.pem --krd-private-key-file krd.key --out kek.tr34 --profile prod',
  );

  const imp = keys
    .command('import')
    .description('import a key: a TR-31 block under a KEK (default); with --key-file/--key-env a clear key by RSA-OAEP key cryptogram (GetParametersForImport KEY_CRYPTOGRAM, encrypted here to the service certificate), or with --kdh-cert as a TR-34 token built and signed here (GetParametersForImport TR34_KEY_BLOCK); the service\'s KCV is compared with the key\'s (exit 1 on a difference)')
    .argument('[block]', 'the TR-31 block (or --block-file)')
    .addOption(new Option('--block-file <path>', 'read the block from a file ("-" = stdin)'))
    .addOption(new Option('--wrapping-key <arn-or-alias>', 'the KEK the TR-31 block is wrapped under'))
    .addOption(new Option('--key-usage <usage>', 'key cryptogram: KeyUsage, e.g. TR31_K0_KEY_ENCRYPTION_KEY'))
    .addOption(new Option('--key-algorithm <alg>', 'key cryptogram: KeyAlgorithm, e.g. AES_128'))
    .addOption(new Option('--modes <list>', 'key cryptogram: modes of use, comma-separated (Encrypt,Decrypt,Wrap,Unwrap,Generate,Sign,Verify,DeriveKey,NoRestrictions)'))
    .addOption(new Option('--not-exportable', 'key cryptogram: import as non-exportable'))
    .addOption(new Option('--alias <alias/NAME>', 'create this alias for the imported key'))
    .addOption(new Option('--tag <KEY=VALUE>', 'tag the key (repeatable)').argParser(collect));
  secretOptions(imp, 'key', 'key cryptogram or TR-34: the clear key');
  tr34Options(imp, 'import');
  serviceOptions(imp, undefined);
  examples(
    imp.action(async (blockArg: string | undefined, opts: Opts) => {
      const byValue = opts.keyFile !== undefined || opts.keyEnv !== undefined;
      const tagList = tags(opts.tag as string[] | undefined);
      if (opts.alias !== undefined && !/^alias\/[a-zA-Z0-9/_-]+$/.test(String(opts.alias))) throw new CliError('USAGE', '--alias: expected alias/NAME');
      let material: Record<string, unknown>;
      const svc = await connect(opts, undefined);
      const sdk = await import('../service-sdk.js');
      let extra: Record<string, unknown> = {};
      let localKcv: string | undefined;
      try {
        if (opts.kdhCert !== undefined) {
          if (blockArg !== undefined) throw new CliError('USAGE', '--kdh-cert (TR-34) excludes a TR-31 block');
          const { tr34ImportMaterial } = await import('./keys-tr34.js');
          ({ material, fields: extra, localKcv } = await tr34ImportMaterial(svc, opts));
        } else if (byValue) {
          onlyWith(opts, 'kdhCert', '--kdh-cert', ['kdhPrivateKeyFile', 'kdhPrivateKeyEnv', 'header', 'wrappingKeyAlgorithm', 'caCert', 'caKeyArn', 'nonce', 'onePass']);
          if (blockArg !== undefined || opts.blockFile !== undefined) throw new CliError('USAGE', 'a block and --key-file/--key-env exclude each other');
          if (opts.keyUsage === undefined || opts.keyAlgorithm === undefined || opts.modes === undefined) throw new CliError('USAGE', 'a key cryptogram needs --key-usage, --key-algorithm and --modes');
          const modes = Object.fromEntries(String(opts.modes).split(',').filter((m) => m !== '').map((m) => [m.trim(), true]));
          const key = readKey(opts, 'key', [16, 24, 32]);
          try {
            const { X509Certificate, publicEncrypt, constants } = await import('node:crypto');
            let params;
            try {
              params = await svc.controlPlane.send(new sdk.GetParametersForImportCommand({ KeyMaterialType: 'KEY_CRYPTOGRAM', WrappingKeyAlgorithm: 'RSA_3072' }));
            } catch (e) {
              throw serviceFailure(e, 'GetParametersForImport failed');
            }
            const cert = new X509Certificate(Buffer.from(params.WrappingKeyCertificate!, 'base64').toString('utf8'));
            const cryptogram = publicEncrypt({ key: cert.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, key).toString('hex').toUpperCase();
            localKcv = kcvOfKey(String(opts.keyAlgorithm), key);
            material = {
              KeyCryptogram: {
                KeyAttributes: { KeyUsage: String(opts.keyUsage), KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: String(opts.keyAlgorithm), KeyModesOfUse: modes },
                Exportable: opts.notExportable !== true,
                WrappedKeyCryptogram: cryptogram,
                ImportToken: params.ImportToken!,
              },
            };
          } finally {
            key.fill(0);
          }
        } else {
          onlyWith(opts, 'kdhCert', '--kdh-cert', ['kdhPrivateKeyFile', 'kdhPrivateKeyEnv', 'header', 'wrappingKeyAlgorithm', 'caCert', 'caKeyArn', 'nonce', 'onePass']);
          if (opts.wrappingKey === undefined) throw new CliError('USAGE', 'a TR-31 import needs --wrapping-key');
          material = { Tr31KeyBlock: { WrappingKeyIdentifier: String(opts.wrappingKey), WrappedKeyBlock: readBlock(blockArg, opts.blockFile as string | undefined) } };
        }
        let k;
        try {
          k = (await svc.controlPlane.send(new sdk.ImportKeyCommand({ KeyMaterial: material as never, ...(tagList.length > 0 ? { Tags: tagList } : {}) }))).Key!;
        } catch (e) {
          throw serviceFailure(e, 'ImportKey failed');
        }
        if (opts.alias !== undefined) {
          try {
            await svc.controlPlane.send(new sdk.CreateAliasCommand({ AliasName: String(opts.alias), KeyArn: k.KeyArn! }));
          } catch (e) {
            throw serviceFailure(e, `imported ${k.KeyArn}, but CreateAlias failed`);
          }
        }
        const a = k.KeyAttributes;
        const fields = {
          keyArn: k.KeyArn,
          keyCheckValue: k.KeyCheckValue,
          keyCheckValueAlgorithm: k.KeyCheckValueAlgorithm,
          keyUsage: a?.KeyUsage,
          keyAlgorithm: a?.KeyAlgorithm,
          ...(opts.alias !== undefined ? { alias: opts.alias } : {}),
          ...extra,
          ...(localKcv !== undefined ? { localKeyCheckValue: localKcv, kcvMatches: localKcv === k.KeyCheckValue } : {}),
        };
        if (localKcv !== undefined && localKcv !== k.KeyCheckValue) {
          throw new CliError('VERIFICATION_FAILED', `imported ${String(k.KeyArn)}, but the service's KCV differs from the key's`, { details: fields });
        }
        emit(fields, [
          `${String(k.KeyArn)}`,
          `KCV ${String(k.KeyCheckValue)} (${String(k.KeyCheckValueAlgorithm)})${localKcv !== undefined ? ', equal to the key\'s' : ''}, ${String(a?.KeyUsage)} ${String(a?.KeyAlgorithm)}${opts.alias !== undefined ? `, ${String(opts.alias)}` : ''}`,
          ...(extra.mode !== undefined ? [`TR-34 ${String(extra.mode)}${extra.nonce !== null ? `, nonce ${String(extra.nonce)}` : ''}; CA key ${String(extra.caKeyArn)}${extra.caImported === true ? ' (imported now)' : ''}`] : []),
        ]);
      } finally {
        await svc.close();
      }
    }),
    'paycrypt keys import --block-file cvk.tr31 --wrapping-key alias/partner-kek --alias alias/cvk --endpoint http://127.0.0.1:8443',
    'paycrypt keys import --key-file kek.hex --key-usage TR31_K0_KEY_ENCRYPTION_KEY --key-algorithm AES_128 --modes Encrypt,Decrypt,Wrap,Unwrap --target aws --region eu-west-1',
    'paycrypt keys import --key-file kek.hex --header B0016K0TB00E0000 --kdh-cert kdh.pem --kdh-private-key-file kdh.key --ca-cert kdh-ca.pem --alias alias/kek --profile prod',
  );
}

import { Option, type Command } from 'commander';
import { readFileSync } from 'node:fs';
import { CliError } from '../errors.js';
import { emit } from '../output.js';
import { readKey, secretOptions } from '../secrets.js';
import { connect, serviceErrorText, serviceOptions, type ServiceFlags } from '../service.js';
import { examples } from './common.js';

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

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('key import and export against a service: TR-31 under a KEK, key cryptogram (RSA-OAEP) by value');

  const exp = keys
    .command('export')
    .description('export a key as a TR-31 block under a KEK (ExportKey); with --kek-file/--kek-env the block is also opened here and its KCV checked against the service\'s (exit 1 on a difference)')
    .argument('<key>', 'ARN or alias of the key to export')
    .requiredOption('--wrapping-key <arn-or-alias>', 'the KEK (TR31_K0) it is wrapped under')
    .addOption(new Option('--out <path>', 'write the block to a new file as well'));
  secretOptions(exp, 'kek', 'the clear KEK, to check the block locally (optional)');
  serviceOptions(exp, undefined);
  examples(
    exp.action(async (key: string, opts: Opts) => {
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
  );

  const imp = keys
    .command('import')
    .description('import a key: a TR-31 block under a KEK (default), or with --key-file/--key-env a clear key by RSA-OAEP key cryptogram (GetParametersForImport KEY_CRYPTOGRAM, encrypted here to the service certificate)')
    .argument('[block]', 'the TR-31 block (or --block-file)')
    .addOption(new Option('--block-file <path>', 'read the block from a file ("-" = stdin)'))
    .addOption(new Option('--wrapping-key <arn-or-alias>', 'the KEK the TR-31 block is wrapped under'))
    .addOption(new Option('--key-usage <usage>', 'key cryptogram: KeyUsage, e.g. TR31_K0_KEY_ENCRYPTION_KEY'))
    .addOption(new Option('--key-algorithm <alg>', 'key cryptogram: KeyAlgorithm, e.g. AES_128'))
    .addOption(new Option('--modes <list>', 'key cryptogram: modes of use, comma-separated (Encrypt,Decrypt,Wrap,Unwrap,Generate,Sign,Verify,DeriveKey,NoRestrictions)'))
    .addOption(new Option('--not-exportable', 'key cryptogram: import as non-exportable'))
    .addOption(new Option('--alias <alias/NAME>', 'create this alias for the imported key'))
    .addOption(new Option('--tag <KEY=VALUE>', 'tag the key (repeatable)').argParser(collect));
  secretOptions(imp, 'key', 'key cryptogram: the clear key');
  serviceOptions(imp, undefined);
  examples(
    imp.action(async (blockArg: string | undefined, opts: Opts) => {
      const byValue = opts.keyFile !== undefined || opts.keyEnv !== undefined;
      const tagList = tags(opts.tag as string[] | undefined);
      if (opts.alias !== undefined && !/^alias\/[a-zA-Z0-9/_-]+$/.test(String(opts.alias))) throw new CliError('USAGE', '--alias: expected alias/NAME');
      let material: Record<string, unknown>;
      const svc = await connect(opts, undefined);
      const sdk = await import('../service-sdk.js');
      try {
        if (byValue) {
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
        emit(
          { keyArn: k.KeyArn, keyCheckValue: k.KeyCheckValue, keyCheckValueAlgorithm: k.KeyCheckValueAlgorithm, keyUsage: a?.KeyUsage, keyAlgorithm: a?.KeyAlgorithm, ...(opts.alias !== undefined ? { alias: opts.alias } : {}) },
          [`${String(k.KeyArn)}`, `KCV ${String(k.KeyCheckValue)} (${String(k.KeyCheckValueAlgorithm)}), ${String(a?.KeyUsage)} ${String(a?.KeyAlgorithm)}${opts.alias !== undefined ? `, ${String(opts.alias)}` : ''}`],
        );
      } finally {
        await svc.close();
      }
    }),
    'paycrypt keys import --block-file cvk.tr31 --wrapping-key alias/partner-kek --alias alias/cvk --endpoint http://127.0.0.1:8443',
    'paycrypt keys import --key-file kek.hex --key-usage TR31_K0_KEY_ENCRYPTION_KEY --key-algorithm AES_128 --modes Encrypt,Decrypt,Wrap,Unwrap --target aws --region eu-west-1',
  );
}

import { Option, type Command } from 'commander';
import { CliError, EXIT } from '../errors.js';
import { emit, jsonMode } from '../output.js';
import { connect, serviceErrorText, serviceOptions, type ServiceFlags } from '../service.js';
import { digits, examples } from './common.js';

/**
 * The seed scenario through @paycrypt/aws-adapter: create a KEK and a CVK, CVV2 with the CVK,
 * export the CVK as a TR-31 block under the KEK, import the block, CVV2 with the imported key,
 * and compare. Against an in-process emulator unless --endpoint (or --target aws) says otherwise.
 */
export function registerDemo(program: Command): void {
  const demo = program
    .command('demo')
    .description('the seed scenario through the AWS SDK: create KEK + CVK, CVV2, export TR-31, import, CVV2 again, compare (exit 1 when they differ)')
    .addOption(new Option('--pan <digits>', 'primary account number').default('4111111111111111'))
    .addOption(new Option('--expiry <MMYY>', 'card expiry date').default('1230'));
  serviceOptions(demo, 'emulator');
  examples(
    demo.action(async (opts: ServiceFlags & { pan: string; expiry: string }) => {
      const pan = digits(opts.pan, '--pan', 12, 19);
      const expiry = digits(opts.expiry, '--expiry', 4, 4);
      const svc = await connect(opts, 'emulator');
      const { CreateKeyCommand, ExportKeyCommand, ImportKeyCommand } = await import('../service-sdk.js');
      const { GenerateCardValidationDataCommand } = await import('@paycrypt/aws-adapter');
      const steps: string[] = [];
      const say = (s: string): void => {
        steps.push(s);
        if (!jsonMode.on) process.stdout.write(`${s}\n`);
      };
      try {
        say(`service: ${svc.target} (${svc.transport === 'in-process' ? 'in-process emulator' : svc.transport}), region ${svc.region}`);
        const kek = (
          await svc.controlPlane.send(
            new CreateKeyCommand({ Exportable: true, KeyAttributes: { KeyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_256', KeyModesOfUse: { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true } } }),
          )
        ).Key!;
        say(`1. CreateKey KEK (TR31_K0, AES_256): ${kek.KeyArn} KCV ${kek.KeyCheckValue}`);
        const cvk = (
          await svc.controlPlane.send(
            new CreateKeyCommand({ Exportable: true, KeyAttributes: { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Verify: true } } }),
          )
        ).Key!;
        say(`2. CreateKey CVK (TR31_C0, TDES_2KEY): ${cvk.KeyArn} KCV ${cvk.KeyCheckValue}`);
        const cvv2 = async (arn: string): Promise<string> =>
          (await svc.dataPlane.send(new GenerateCardValidationDataCommand({ KeyIdentifier: arn, PrimaryAccountNumber: pan, GenerationAttributes: { CardVerificationValue2: { CardExpiryDate: expiry } } }))).ValidationData;
        const before = await cvv2(cvk.KeyArn!);
        say(`3. GenerateCardValidationData CVV2 with the CVK: ${before}`);
        const wrapped = (await svc.controlPlane.send(new ExportKeyCommand({ ExportKeyIdentifier: cvk.KeyArn!, KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kek.KeyArn! } } }))).WrappedKey!;
        const block = wrapped.KeyMaterial!;
        say(`4. ExportKey TR-31 under the KEK: header ${block.slice(0, 16)}… (${block.length} characters)`);
        const imported = (await svc.controlPlane.send(new ImportKeyCommand({ KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kek.KeyArn!, WrappedKeyBlock: block } } }))).Key!;
        say(`5. ImportKey the block: ${imported.KeyArn} KCV ${imported.KeyCheckValue}`);
        const after = await cvv2(imported.KeyArn!);
        say(`6. GenerateCardValidationData CVV2 with the imported key: ${after}`);
        const match = before === after && imported.KeyCheckValue === cvk.KeyCheckValue;
        say(match ? 'CVV2s match, KCVs match' : 'MISMATCH');
        if (jsonMode.on) emit({ match, cvv2Before: before, cvv2After: after, kcv: cvk.KeyCheckValue, importedKcv: imported.KeyCheckValue, kekArn: kek.KeyArn, cvkArn: cvk.KeyArn, importedArn: imported.KeyArn, tr31Header: block.slice(0, 16) });
        if (!match) process.exitCode = EXIT.verification;
      } catch (e) {
        if (e instanceof CliError) throw e;
        throw new CliError('SERVICE_ERROR', `demo failed: ${serviceErrorText(e)}`);
      } finally {
        await svc.close();
      }
    }),
    'paycrypt demo --endpoint http://127.0.0.1:8443',
    'paycrypt --json demo',
  );
}

// The seed scenario through the real AWS SDK (control plane) and restJson1 data-plane requests
// through the emulator's router (no data-plane SDK exists here) against the in-process emulator, run by
// `pnpm demo` (scripts/demo.ts). It lives in this package because the SDK is a dependency of
// @paycrypt/emulator, not of the workspace root. Clear keys are never printed.
import {
  CreateKeyCommand,
  DeleteKeyCommand,
  ExportKeyCommand,
  ImportKeyCommand,
  PaymentCryptographyClient,
  type KeyModesOfUse,
} from '@aws-sdk/client-payment-cryptography';
import { awsKeyAttributesFromTr31, parseTr31 } from '@paycrypt/keyblock';
import { Emulator, handleRequest, inProcessHandler } from '../src/index.js';

const PAN = '4111111111111111';
const EXPIRY = '1230';

/** GenerateCardValidationData (CVV2) as a restJson1 request through the emulator's router, no socket. */
async function cvv2(emulator: Emulator, keyArn: string): Promise<{ ValidationData: string; KeyCheckValue: string }> {
  const body = JSON.stringify({ KeyIdentifier: keyArn, PrimaryAccountNumber: PAN, GenerationAttributes: { CardVerificationValue2: { CardExpiryDate: EXPIRY } } });
  const res = await handleRequest(emulator, { method: 'POST', path: '/cardvalidationdata/generate', headers: { 'content-type': 'application/json' }, body });
  if (res.status !== 200) throw new Error(`GenerateCardValidationData answered ${res.status}: ${res.body}`);
  return JSON.parse(res.body) as { ValidationData: string; KeyCheckValue: string };
}

/** Runs the scenario, printing each step; answers the number of failed checks (0 = all passed). */
export async function runSeedDemo(): Promise<number> {
  let failed = 0;
  function check(ok: boolean, what: string): void {
    console.log(`   ${ok ? 'ok  ' : 'FAIL'} ${what}`);
    if (!ok) failed++;
  }
  const on = (m: KeyModesOfUse | undefined): string =>
    Object.entries(m ?? {})
      .filter(([, v]) => v === true)
      .map(([k]) => k)
      .join('+');

  const emulator = Emulator.inMemory();
  const client = new PaymentCryptographyClient({
    region: 'us-east-1',
    endpoint: 'http://emulator.local',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    requestHandler: inProcessHandler(emulator),
    maxAttempts: 1,
  });

  try {
    console.log('1. CreateKey: a key encryption key and a card verification key');
    const kek = (
      await client.send(
        new CreateKeyCommand({
          Exportable: true,
          KeyAttributes: { KeyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_256', KeyModesOfUse: { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true } },
        }),
      )
    ).Key!;
    const cvk = (
      await client.send(
        new CreateKeyCommand({
          Exportable: true,
          KeyAttributes: { KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Verify: true } },
        }),
      )
    ).Key!;
    for (const [name, k] of [['KEK', kek], ['CVK', cvk]] as const) {
      console.log(`   ${name}  ${k.KeyAttributes!.KeyUsage} ${k.KeyAttributes!.KeyAlgorithm}  KCV ${k.KeyCheckValue} (${k.KeyCheckValueAlgorithm})`);
      console.log(`        ${k.KeyArn}`);
    }

    const before = await cvv2(emulator, cvk.KeyArn!);
    console.log(`\n   data plane: GenerateCardValidationData CVV2 for PAN ${PAN}, expiry ${EXPIRY} → ${before.ValidationData} (key KCV ${before.KeyCheckValue})`);
    check(/^[0-9]{3}$/.test(before.ValidationData) && before.KeyCheckValue === cvk.KeyCheckValue, 'a 3-digit CVV2 from the CVK');

    console.log('\n2. ExportKey: the CVK under the KEK as a TR-31 key block');
    const wrapped = (await client.send(new ExportKeyCommand({ ExportKeyIdentifier: cvk.KeyArn, KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kek.KeyArn } } })))
      .WrappedKey!;
    const block = wrapped.KeyMaterial!;
    console.log(`   ${block}`);
    console.log(`   format ${wrapped.WrappedKeyMaterialFormat}, KCV ${wrapped.KeyCheckValue} (${wrapped.KeyCheckValueAlgorithm})`);
    check(block.startsWith('D0') && block.slice(5, 8) === 'C0T', 'version D (AES KEK), usage C0, algorithm T');
    check(wrapped.KeyCheckValue === cvk.KeyCheckValue, 'KCV in the answer = the CVK KCV');

    console.log('\n3. The block header, parsed with @paycrypt/keyblock (no key needed)');
    const h = parseTr31(block);
    console.log(`   version ${h.version}, length ${block.length}, usage ${h.keyUsage}, algorithm ${h.algorithm}, mode ${h.modeOfUse}`);
    console.log(`   key version ${h.keyVersion}, exportability ${h.exportability}, key context ${h.keyContext}`);
    console.log(`   optional blocks: ${h.optionalBlocks.map((b) => `${b.id}(${b.data.length})`).join(' ') || 'none'}`);
    const attrs = awsKeyAttributesFromTr31(h, 16); // the header has no key length: a TDES_2KEY CVK is 16 bytes
    console.log(`   as AWS attributes: ${attrs.KeyUsage}, ${attrs.KeyAlgorithm}, modes ${on(attrs.KeyModesOfUse)}`);

    console.log('\n4. ImportKey: the block back in, under the same KEK');
    const imported = (await client.send(new ImportKeyCommand({ KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kek.KeyArn, WrappedKeyBlock: block } } }))).Key!;
    const ia = imported.KeyAttributes!;
    console.log(`   ${imported.KeyArn}`);
    console.log(`   KeyOrigin ${imported.KeyOrigin}, ${ia.KeyUsage} ${ia.KeyAlgorithm} ${ia.KeyClass}, modes ${on(ia.KeyModesOfUse)}, Exportable ${imported.Exportable}`);
    console.log(`   KCV ${imported.KeyCheckValue} (${imported.KeyCheckValueAlgorithm})`);
    check(imported.KeyOrigin === 'EXTERNAL', 'KeyOrigin EXTERNAL');
    check(ia.KeyUsage === cvk.KeyAttributes!.KeyUsage && ia.KeyAlgorithm === cvk.KeyAttributes!.KeyAlgorithm && on(ia.KeyModesOfUse) === on(cvk.KeyAttributes!.KeyModesOfUse), 'attributes from the header = the CVK attributes');
    check(imported.KeyCheckValue === cvk.KeyCheckValue, `KCV ${imported.KeyCheckValue} matches the CVK KCV ${cvk.KeyCheckValue}`);
    const after = await cvv2(emulator, imported.KeyArn!);
    console.log(`   data plane: CVV2 with the imported key → ${after.ValidationData} (before export: ${before.ValidationData})`);
    check(after.ValidationData === before.ValidationData, 'the CVV2 after export and import equals the CVV2 before');

    console.log('\n5. ImportKey of the same block with one character of the authenticator changed');
    const last = block.length - 1;
    const tampered = block.slice(0, last) + (block[last] === '0' ? '1' : '0');
    try {
      await client.send(new ImportKeyCommand({ KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kek.KeyArn, WrappedKeyBlock: tampered } } }));
      check(false, 'a tampered block is refused');
    } catch (e) {
      console.log(`   ${(e as Error).name}: ${(e as Error).message}`);
      check((e as Error).name === 'ValidationException', 'a tampered block is refused (ValidationException, one opaque message)');
    }

    console.log('\n6. DeleteKey with DeleteKeyInDays 3');
    for (const [name, k] of [['KEK', kek], ['CVK', cvk]] as const) {
      const d = (await client.send(new DeleteKeyCommand({ KeyIdentifier: k.KeyArn, DeleteKeyInDays: 3 }))).Key!;
      console.log(`   ${name} ${d.KeyState}, deletion due ${d.DeletePendingTimestamp!.toISOString()}`);
      const days = (d.DeletePendingTimestamp!.getTime() - Date.now()) / 86_400_000;
      check(d.KeyState === 'DELETE_PENDING' && days > 2.99 && days <= 3.0001, `${name} DELETE_PENDING for 3 days`);
    }
  } catch (e) {
    console.error(`\nFAILED: ${(e as Error).name}: ${(e as Error).message}`);
    failed++;
  } finally {
    client.destroy();
    await emulator.close();
  }
  console.log(failed === 0 ? '\nAll checks passed.' : `\n${failed} check(s) FAILED.`);
  return failed;
}

import { Option, type Command } from 'commander';
import { secretOptions } from '../secrets.js';
import { clearKeyOptions, examples } from './common.js';

/**
 * `paycrypt tr34 inspect|build|open`: TR-34 key tokens in the AWS X9_TR34_2012 layout, one- and
 * two-pass, from PEM/DER files. Only the options live here; the actions load the TR-34 engine
 * (and PKI.js for inspect) when they run, so other commands start without them.
 */

function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

const TOKEN_ARG = 'the token: a file of DER, PEM or hex (as AWS sends WrappedKeyBlock / KeyMaterial), "-" = stdin, or the hex itself';

export function registerTr34(program: Command): void {
  const tr34 = program.command('tr34').description('TR-34 key tokens (AWS X9_TR34_2012 layout, one- and two-pass): inspect, build, open');
  examples(tr34, 'paycrypt tr34 inspect token.hex', 'paycrypt tr34 open token.hex --krd-cert krd.pem --krd-private-key-file krd.key --kdh-cert kdh.pem --ca-cert ca.pem');

  examples(
    tr34
      .command('inspect')
      .description('decode a token without any key: layout, one- or two-pass, key block header, KDH (signer) and KRD (recipient) issuer and serial, signed attributes, nonce or signing time, content encryption. Nothing is verified')
      .argument('<token>', TOKEN_ARG)
      .addOption(new Option('--kdh-cert <file>', 'also say whether the signer is this certificate, and name its subject'))
      .addOption(new Option('--krd-cert <file>', 'also say whether the recipient is this certificate, and name its subject'))
      .addOption(new Option('--lenient', 'accept non-standard header values (lower-case hex, proprietary values, psec 0002 lengths)'))
      .action(async (token: string, opts: Record<string, unknown>) => {
        const { inspectTr34 } = await import('./tr34-inspect.js');
        inspectTr34(token, opts);
      }),
    'paycrypt tr34 inspect token.hex',
    'paycrypt --json tr34 inspect token.der --kdh-cert kdh.pem --krd-cert krd.pem',
  );

  const build = tr34
    .command('build')
    .description('build a token as the key distribution host: the key under an ephemeral key, that under RSA-OAEP to the KRD certificate, signed by the KDH; prints the hex AWS takes as WrappedKeyBlock')
    .requiredOption('--header <header>', 'the key block header (TR-31 style, kept as given), e.g. B0016K0TB00E0000 or D9999K0AB00E0000')
    .requiredOption('--krd-cert <file>', 'the receiver\'s key-transport certificate (AWS: WrappingKeyCertificate), PEM/DER')
    .requiredOption('--kdh-cert <file>', 'the signer\'s certificate, PEM/DER')
    .addOption(new Option('--nonce <hex>', 'two-pass: the receiver\'s nonce, 8-16 bytes of hex (AWS RandomNonce)'))
    .addOption(new Option('--random-nonce', 'two-pass with a fresh 8-byte nonce (printed)'))
    .addOption(new Option('--signing-time <iso>', 'one-pass: the signingTime attribute (default now)'))
    .addOption(new Option('--layout <layout>', 'X9_TR34_2012 (AWS, default) or TR34_2019_CMS').choices(['X9_TR34_2012', 'TR34_2019_CMS']))
    .addOption(new Option('--out <file>', 'also write the hex to a new file'))
    .addOption(new Option('--der-out <file>', 'also write the DER to a new file (for openssl cms)'))
    .addOption(new Option('--lenient', 'accept non-standard header values'));
  secretOptions(build, 'key', 'the clear key (TDES 16/24 bytes, AES-128 16 bytes)');
  build
    .addOption(new Option('--kdh-private-key-file <path>', 'the KDH signing key: RSA, PKCS#8 or PKCS#1, PEM or DER ("-" = stdin)'))
    .addOption(new Option('--kdh-private-key-env <name>', 'the KDH signing key: name of an environment variable holding its PEM'));
  examples(
    build.action(async (opts: Record<string, unknown>) => {
      const { buildTr34 } = await import('./tr34-run.js');
      await buildTr34(opts);
    }),
    'paycrypt tr34 build --key-file kek.hex --header B0016K0TB00E0000 --krd-cert krd.pem --kdh-cert kdh.pem --kdh-private-key-file kdh.key --random-nonce',
    'paycrypt --json tr34 build --key-env KEK --header D9999K0AB00E0000 --krd-cert krd.pem --kdh-cert kdh.pem --kdh-private-key-file kdh.key --der-out token.der',
  );

  const open = tr34
    .command('open')
    .description('open a token as the key receiving device: signer, recipient, KDH chain, signature, nonce, then decryption; prints the header and the KCV (the clear key only with --print-key or --key-out)')
    .argument('<token>', TOKEN_ARG)
    .requiredOption('--krd-cert <file>', 'our key-transport certificate (the token\'s recipient), PEM/DER')
    .requiredOption('--kdh-cert <file>', 'the signer\'s certificate (AWS: SigningKeyCertificate); certificates after the first are intermediates')
    .addOption(new Option('--ca-cert <file>', 'a trusted CA certificate the KDH certificate chains to (AWS: SigningKeyCertificateChain); repeatable').argParser(collect))
    .addOption(new Option('--trust-kdh-cert', 'trust the KDH certificate itself (no CA)'))
    .addOption(new Option('--nonce <hex>', 'two-pass: the nonce we sent (AWS RandomNonce); a two-pass token without it is refused'))
    .addOption(new Option('--at <iso>', 'check certificate validity at this time (default now)'))
    .addOption(new Option('--ignore-validity', 'do not check certificate dates'))
    .addOption(new Option('--expect-kcv <hex>', 'exit 1 unless the key has this KCV'))
    .addOption(new Option('--lenient', 'accept non-standard header values'))
    .addOption(new Option('--krd-private-key-file <path>', 'our RSA private key: PKCS#8 or PKCS#1, PEM or DER ("-" = stdin)'))
    .addOption(new Option('--krd-private-key-env <name>', 'our RSA private key: name of an environment variable holding its PEM'));
  clearKeyOptions(open);
  examples(
    open.action(async (token: string, opts: Record<string, unknown>) => {
      const { openTr34 } = await import('./tr34-run.js');
      await openTr34(token, opts);
    }),
    'paycrypt tr34 open token.hex --krd-cert krd.pem --krd-private-key-file krd.key --kdh-cert signer.pem --ca-cert aws-chain.pem --nonce 7DEA1C00894E246A',
    'paycrypt --json tr34 open - --krd-cert krd.pem --krd-private-key-env KRD_KEY --kdh-cert kdh.pem --trust-kdh-cert --key-out key.hex < token.hex',
  );
}

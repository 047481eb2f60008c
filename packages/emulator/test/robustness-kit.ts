import fc from 'fast-check';
import { CONTROL_PLANE, Emulator, CONTROL_PLANE_MODEL, type ControlOperationName as OperationName } from '../src/index.js';
import type { ModelShape } from '../src/model/shape-types.js';
import { KEK_MODES } from './tr31-kit.js';

/**
 * The seeded emulator and the model-shaped arbitraries of robustness.test.ts (see there).
 *
 * Cost control: valid GetParametersFor* requests are rewritten to reuse the tokens made by
 * seed() (a new token is a fresh RSA key) and valid CreateKey requests for RSA-3072/4096 are
 * asked as RSA-2048; everything else is sent as generated.
 */

export const CALL_TIMEOUT_MS = 5_000;
export const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'payment-cryptography:GetKey', Resource: '*' }] });
export const CLIENT_ERRORS = new Set(['ValidationException', 'ResourceNotFoundException', 'ConflictException', 'ServiceQuotaExceededException', 'AccessDeniedException', 'PublicPolicyException']);
export const PROTOCOL_ERRORS = new Set(['SerializationException', 'UnknownOperationException', 'RequestEntityTooLargeException', 'InvalidSignatureException']);
/**
 * The explicit not-implemented paths (NotImplementedException, 501) the fuzzer excuses: none in
 * the control plane now that ImportKey/ExportKey As2805KeyCryptogram are emulated — a pattern
 * that matches no message.
 */
export const NOT_IMPLEMENTED_RE = /(?!)/;

/**
 * An operation table whose handlers record the raw error they threw in `sink.last`, so that the
 * error behind an InternalServerException can be shown (both robustness tests use it).
 */
export function recordingTable<T extends object>(table: T, sink: { last: unknown }): T {
  return Object.fromEntries(
    Object.entries(table).map(([op, entry]: [string, { kind: string; handle?: (i: never, c: never) => unknown }]) => [
      op,
      entry.kind !== 'handler'
        ? entry
        : {
            kind: 'handler',
            handle: async (input: never, ctx: never) => {
              try {
                return await entry.handle!(input, ctx);
              } catch (e) {
                sink.last = e;
                throw e;
              }
            },
          },
    ]),
  ) as unknown as T;
}

export const raw: { last: unknown } = { last: undefined };
const table = recordingTable(CONTROL_PLANE, raw);

export const em = Emulator.inMemory({ operations: table });
export const ids = { kek: '', cvk: '', rsa: '', ecc: '', missing: '' };
const pools: Record<string, string[]> = {};

export function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${CALL_TIMEOUT_MS} ms`)), CALL_TIMEOUT_MS);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}


// ---- arbitraries shaped after the model ---------------------------------------------------------

const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }),
  fc.constant(JSON.parse('{"__proto__":{"polluted":true},"constructor":"x"}') as unknown),
);

const edgeString = fc.oneof(
  fc.constantFrom('', ' ', '\u0000', '\n', 'null', '__proto__', 'constructor', 'alias/', 'arn:aws:payment-cryptography:', '💥'.repeat(40), 'A'.repeat(70_000)),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', minLength: 300, maxLength: 3000 }),
);

type Shapes = Readonly<Record<string, ModelShape>>;
const memos = new WeakMap<Shapes, Map<string, fc.Arbitrary<unknown>>>();

/** Known-good values for string shapes of that name (key identifiers of seeded keys …). */
export function addPool(shapeName: string, values: string[]): void {
  pools[shapeName] = [...(pools[shapeName] ?? []), ...values];
}

function stringArb(name: string, shape: Extract<ModelShape, { t: 'string' }>): fc.Arbitrary<unknown> {
  let good: fc.Arbitrary<string>;
  if (shape.e !== undefined) good = fc.constantFrom(...shape.e);
  else if (pools[name] !== undefined) good = fc.constantFrom(...pools[name]!);
  else if (shape.p !== undefined) good = fc.stringMatching(new RegExp(shape.p));
  else good = fc.string({ minLength: shape.min ?? 0, maxLength: Math.min(shape.max ?? 64, 64) });
  return fc.oneof({ weight: 7, arbitrary: good }, { weight: 2, arbitrary: edgeString }, { weight: 1, arbitrary: wrongType });
}

/** Values shaped after `name` of a service's `shapes` table (default: the control plane's). */
export function shapeArb(name: string, depth = 0, shapes: Shapes = CONTROL_PLANE_MODEL.shapes): fc.Arbitrary<unknown> {
  let memo = memos.get(shapes);
  if (memo === undefined) {
    memo = new Map();
    memos.set(shapes, memo);
  }
  const key = `${name}@${depth}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  const shape = shapes[name];
  if (shape === undefined) throw new Error(`no shape ${name}`);
  let arb: fc.Arbitrary<unknown>;
  if (depth > 6) arb = wrongType;
  else
    switch (shape.t) {
      case 'string':
        arb = stringArb(name, shape);
        break;
      case 'boolean':
        arb = fc.oneof({ weight: 6, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constantFrom('true', 0, 1) }, { weight: 1, arbitrary: wrongType });
        break;
      case 'integer':
      case 'long': {
        const min = shape.min ?? -(2 ** 31);
        const max = shape.max ?? 2 ** 31 - 1;
        const edges = fc.constantFrom(min - 1, max + 1, 0, -1, -0, 1.5, 2 ** 53 + 2, -1e308, 1e308, '5');
        arb = fc.oneof({ weight: 5, arbitrary: fc.integer({ min, max }) }, { weight: 2, arbitrary: edges }, { weight: 1, arbitrary: wrongType });
        break;
      }
      case 'list': {
        const item = shapeArb(shape.m, depth + 1, shapes);
        const parts: fc.WeightedArbitrary<unknown>[] = [
          { weight: 6, arbitrary: fc.array(item, { maxLength: 4 }) },
          { weight: 1, arbitrary: fc.array(fc.oneof(item, fc.constant(null)), { maxLength: 3 }) },
          { weight: 1, arbitrary: wrongType },
        ];
        if (shape.max !== undefined) parts.push({ weight: 1, arbitrary: fc.array(item, { minLength: shape.max, maxLength: shape.max + 2 }) });
        arb = fc.oneof(...parts);
        break;
      }
      case 'map':
        arb = fc.oneof(
          { weight: 5, arbitrary: fc.dictionary(fc.oneof(fc.stringMatching(/^[0-9A-Z]{2}$/), fc.string({ maxLength: 4 })), shapeArb(shape.v, depth + 1, shapes), { maxKeys: 3 }) },
          { weight: 1, arbitrary: fc.constant(JSON.parse('{"__proto__":"AA","KP":null}') as unknown) },
          { weight: 1, arbitrary: wrongType },
        );
        break;
      case 'structure': {
        const members = Object.entries(shape.m);
        const required = new Set(shape.r ?? []);
        const member = ([m, s]: [string, string]): fc.Arbitrary<[string, unknown]> => {
          const v = shapeArb(s, depth + 1, shapes);
          const present = required.has(m) ? 8 : 3;
          return fc.oneof({ weight: present, arbitrary: v }, { weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant(null) }).map((x) => [m, x]);
        };
        const toObject = (pairs: [string, unknown][]): Record<string, unknown> => Object.fromEntries(pairs.filter(([, v]) => v !== undefined));
        let body: fc.Arbitrary<Record<string, unknown>>;
        if (members.length === 0) body = fc.constant({});
        else if (shape.u === true) {
          const one = fc.oneof(...members.map(([m, s]) => shapeArb(s, depth + 1, shapes).map((v) => ({ [m]: v }))));
          body = fc.oneof({ weight: 6, arbitrary: one }, { weight: 1, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: fc.tuple(one, one).map(([a, b]) => ({ ...a, ...b })) });
        } else body = fc.tuple(...members.map(member)).map(toObject);
        const extra = fc.option(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }), { freq: 6, nil: undefined });
        arb = fc.oneof({ weight: 9, arbitrary: fc.tuple(body, extra).map(([b, x]) => ({ ...x, ...b })) }, { weight: 1, arbitrary: wrongType });
        break;
      }
      default:
        arb = fc.oneof(fc.integer(), fc.double({ noNaN: true }), wrongType);
    }
  memo.set(key, arb);
  return arb;
}

/** Known-good inputs (filled in by seed()) that the mutation arbitrary starts from. */
const examples: Partial<Record<OperationName, Record<string, unknown>[]>> = {};

/** The (path, shape) of every structure member reachable in `value`, set or not. */
function memberPaths(shapeName: string, value: unknown, path: string[] = [], shapes: Shapes = CONTROL_PLANE_MODEL.shapes): [string[], string][] {
  const shape = shapes[shapeName];
  if (shape?.t !== 'structure' || typeof value !== 'object' || value === null) return [];
  const out: [string[], string][] = [];
  for (const [m, s] of Object.entries(shape.m)) {
    out.push([[...path, m], s]);
    out.push(...memberPaths(s, (value as Record<string, unknown>)[m], [...path, m], shapes));
  }
  return out;
}

function setAt(value: Record<string, unknown>, path: string[], v: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  const copy = { ...value };
  if (rest.length === 0) copy[head!] = v;
  else copy[head!] = setAt((value[head!] ?? {}) as Record<string, unknown>, rest, v);
  return copy;
}

/** A known-good input with one member replaced by a model-shaped (often bad) value or removed. */
export function mutatedExample(op: OperationName): fc.Arbitrary<unknown> | undefined {
  const list = examples[op];
  if (list === undefined || list.length === 0) return undefined;
  return mutationsOf(list, CONTROL_PLANE_MODEL.operations[op].input!);
}

/** `list` (known-good inputs of shape `shapeName`) as is, or with one member replaced or removed. */
export function mutationsOf(list: Record<string, unknown>[], shapeName: string, shapes: Shapes = CONTROL_PLANE_MODEL.shapes): fc.Arbitrary<unknown> {
  return fc.constantFrom(...list).chain((ex) => {
    const paths = memberPaths(shapeName, ex, [], shapes);
    return fc.oneof(
      { weight: 1, arbitrary: fc.constant(ex) },
      { weight: 6, arbitrary: fc.constantFrom(...paths).chain(([path, s]) => fc.oneof(shapeArb(s, 0, shapes), fc.constant(undefined)).map((v) => setAt(ex, path, v))) },
    );
  });
}

/** Keep the expensive success paths cheap (see the file comment). */
export function cheapen(op: OperationName, input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const o = { ...(input as Record<string, unknown>) };
  if (op === 'GetParametersForImport' || op === 'GetParametersForExport') {
    const field = op === 'GetParametersForImport' ? 'WrappingKeyAlgorithm' : 'SigningKeyAlgorithm';
    if (o[field] === 'RSA_3072' || o[field] === 'RSA_4096') o[field] = 'RSA_2048';
    if (o.ReuseLastGeneratedToken === undefined || o.ReuseLastGeneratedToken === null || o.ReuseLastGeneratedToken === false) o.ReuseLastGeneratedToken = true;
  }
  if (op === 'CreateKey' && typeof o.KeyAttributes === 'object' && o.KeyAttributes !== null) {
    const a = { ...(o.KeyAttributes as Record<string, unknown>) };
    if (a.KeyAlgorithm === 'RSA_3072' || a.KeyAlgorithm === 'RSA_4096') a.KeyAlgorithm = 'RSA_2048';
    o.KeyAttributes = a;
  }
  return o;
}

// ---- seed: real keys, an alias, tokens and certificates -----------------------------------------

const quiet = (p: Promise<unknown>): Promise<unknown> => p.catch(() => undefined);

/** Put the seeded keys and aliases back (an earlier run may have deleted, stopped or re-pointed them). */
export async function repair(): Promise<void> {
  for (const arn of [ids.kek, ids.cvk, ids.rsa, ids.ecc]) {
    await quiet(em.call('RestoreKey', { KeyIdentifier: arn }));
    await quiet(em.call('StartKeyUsage', { KeyIdentifier: arn }));
  }
  await quiet(em.call('DeleteAlias', { AliasName: 'alias/seeded' }));
  await quiet(em.call('DeleteAlias', { AliasName: 'alias/dangling' }));
  await em.call('CreateAlias', { AliasName: 'alias/seeded', KeyArn: ids.cvk });
  await em.call('CreateAlias', { AliasName: 'alias/dangling' });
}

/** Real keys, aliases, tokens and certificates for the pools and the examples. */
export async function seed(): Promise<void> {
  const create = async (attrs: Record<string, unknown>): Promise<string> =>
    ((await em.call('CreateKey', { Exportable: true, KeyAttributes: attrs })) as { Key: { KeyArn: string } }).Key.KeyArn;
  ids.kek = await create({ KeyUsage: 'TR31_K0_KEY_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_256', KeyModesOfUse: KEK_MODES });
  ids.cvk = await create({ KeyUsage: 'TR31_C0_CARD_VERIFICATION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'TDES_2KEY', KeyModesOfUse: { Generate: true, Verify: true } });
  ids.rsa = await create({ KeyUsage: 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE', KeyClass: 'ASYMMETRIC_KEY_PAIR', KeyAlgorithm: 'RSA_2048', KeyModesOfUse: { Sign: true } });
  ids.ecc = await create({ KeyUsage: 'TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT', KeyClass: 'ASYMMETRIC_KEY_PAIR', KeyAlgorithm: 'ECC_NIST_P256', KeyModesOfUse: { DeriveKey: true } });
  ids.missing = ids.kek.replace(/key\/.*/, 'key/abcdefghijklmnop0123');
  await repair();
  const imports = await Promise.all(
    (['TR34_KEY_BLOCK', 'KEY_CRYPTOGRAM'] as const).map((t) => em.call('GetParametersForImport', { KeyMaterialType: t, WrappingKeyAlgorithm: 'RSA_2048' })),
  );
  const exports = await Promise.all(
    (['TR34_KEY_BLOCK', 'KEY_CRYPTOGRAM'] as const).map((t) => em.call('GetParametersForExport', { KeyMaterialType: t, SigningKeyAlgorithm: 'RSA_2048' })),
  );
  const rsaCert = await em.call('GetPublicKeyCertificate', { KeyIdentifier: ids.rsa });
  const block = (await em.call('ExportKey', { ExportKeyIdentifier: ids.cvk, KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: ids.kek } } })).WrappedKey!.KeyMaterial!;

  const arns = [ids.kek, ids.cvk, ids.rsa, ids.ecc, ids.missing];
  const idents = [...arns, 'alias/seeded', 'alias/dangling', 'alias/missing', ids.kek.replace(/key\/.*/, 'alias/seeded'), ids.kek.replace('us-east-1', 'eu-west-1'), ids.kek.replace('111122223333', '999988887777')];
  const certs = [
    imports[0]!.WrappingKeyCertificate!,
    imports[0]!.WrappingKeyCertificateChain!,
    exports[0]!.SigningKeyCertificate!,
    rsaCert.KeyCertificate!,
    Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n').toString('base64'),
    Buffer.from(imports[0]!.WrappingKeyCertificate!, 'base64').toString('utf8'),
    'QUJD',
  ];
  const hexes = fc.sample(fc.stringMatching(/^(?:[0-9A-F]{2}){1,300}$/), { numRuns: 8, seed: 1 });
  Object.assign(pools, {
    KeyArn: arns,
    ResourceArn: arns,
    KeyArnOrKeyAliasType: idents,
    AliasName: ['alias/seeded', 'alias/dangling', 'alias/new-one', 'alias/a/b_c-d'],
    CertificateType: certs,
    ImportTokenId: [imports[0]!.ImportToken!, imports[1]!.ImportToken!, 'import-token-0000000000000000', ''],
    ExportTokenId: [exports[0]!.ExportToken!, exports[1]!.ExportToken!, 'export-token-0000000000000000', ''],
    Tr31WrappedKeyBlock: [block, block.slice(0, -2) + (block.endsWith('00') ? '11' : '00'), block.replace(/^D/, 'B'), 'A'.repeat(56)],
    Tr34WrappedKeyBlock: hexes,
    WrappedKeyCryptogram: hexes.filter((h) => h.length >= 16),
    Region: ['us-east-1', 'eu-west-1', 'us-west-2', 'zz-nowhere-9'],
    MpaTeamArn: ['arn:aws:mpa:us-east-1:111122223333:approval-team/team-1'],
    ResourcePolicy: [POLICY, '{"Version":"2012-10-17","Statement":[]}', '{', '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*"}]}'],
  });
  const kek = ids.kek;
  const cvk = ids.cvk;
  const attrs = { KeyUsage: 'TR31_D0_SYMMETRIC_DATA_ENCRYPTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_128', KeyModesOfUse: { Encrypt: true, Decrypt: true } };
  Object.assign(examples, {
    CreateKey: [{ KeyAttributes: attrs, Exportable: true, Tags: [{ Key: 'k', Value: 'v' }] }, { KeyAttributes: { ...attrs, KeyUsage: 'TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT', KeyClass: 'ASYMMETRIC_KEY_PAIR', KeyAlgorithm: 'ECC_NIST_P256', KeyModesOfUse: { DeriveKey: true } }, Exportable: false }],
    CreateAlias: [{ AliasName: 'alias/new-one', KeyArn: kek }],
    UpdateAlias: [{ AliasName: 'alias/seeded', KeyArn: kek }],
    GetAlias: [{ AliasName: 'alias/seeded' }],
    DeleteAlias: [{ AliasName: 'alias/seeded' }],
    ListAliases: [{ KeyArn: cvk, MaxResults: 1 }],
    GetKey: [{ KeyIdentifier: 'alias/seeded' }],
    DeleteKey: [{ KeyIdentifier: cvk, DeleteKeyInDays: 3 }],
    StopKeyUsage: [{ KeyIdentifier: kek }],
    TagResource: [{ ResourceArn: cvk, Tags: [{ Key: 'team', Value: 'x' }] }],
    UntagResource: [{ ResourceArn: cvk, TagKeys: ['team'] }],
    ListTagsForResource: [{ ResourceArn: cvk, MaxResults: 1 }],
    AddKeyReplicationRegions: [{ KeyIdentifier: kek, ReplicationRegions: ['eu-west-1'] }],
    RemoveKeyReplicationRegions: [{ KeyIdentifier: kek, ReplicationRegions: ['eu-west-1'] }],
    PutResourcePolicy: [{ ResourceArn: kek, Policy: POLICY }],
    GetResourcePolicy: [{ ResourceArn: kek }],
    GetMpaTeamAssociation: [{ Action: 'IMPORT_ROOT_PUBLIC_KEY_CERTIFICATE' }],
    AssociateMpaTeam: [{ Action: 'IMPORT_ROOT_PUBLIC_KEY_CERTIFICATE', MpaTeamArn: 'arn:aws:mpa:us-east-1:111122223333:approval-team/team-1' }],
    GetParametersForImport: [{ KeyMaterialType: 'TR34_KEY_BLOCK', WrappingKeyAlgorithm: 'RSA_2048' }],
    GetParametersForExport: [{ KeyMaterialType: 'KEY_CRYPTOGRAM', SigningKeyAlgorithm: 'RSA_2048' }],
    GetPublicKeyCertificate: [{ KeyIdentifier: ids.rsa }],
    GetCertificateSigningRequest: [{ KeyIdentifier: ids.rsa, SigningAlgorithm: 'SHA256', CertificateSubject: { CommonName: 'robustness', Country: 'US' } }],
    ExportKey: [
      { ExportKeyIdentifier: 'alias/seeded', KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kek, KeyBlockHeaders: { KeyVersion: '01', OptionalBlocks: { KP: '0101' } } } } },
      { ExportKeyIdentifier: cvk, KeyMaterial: { KeyCryptogram: { CertificateAuthorityPublicKeyIdentifier: kek, WrappingKeyCertificate: imports[1]!.WrappingKeyCertificate!, WrappingSpec: 'RSA_OAEP_SHA_256' } } },
      { ExportKeyIdentifier: cvk, KeyMaterial: { Tr34KeyBlock: { CertificateAuthorityPublicKeyIdentifier: kek, WrappingKeyCertificate: imports[0]!.WrappingKeyCertificate!, ExportToken: exports[0]!.ExportToken!, KeyBlockFormat: 'X9_TR34_2012' } } },
    ],
    ImportKey: [
      { KeyMaterial: { Tr31KeyBlock: { WrappingKeyIdentifier: kek, WrappedKeyBlock: block } } },
      { KeyMaterial: { RootCertificatePublicKey: { KeyAttributes: { KeyUsage: 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE', KeyClass: 'PUBLIC_KEY', KeyAlgorithm: 'RSA_4096', KeyModesOfUse: { Verify: true } }, PublicKeyCertificate: imports[0]!.WrappingKeyCertificateChain! } } },
      { KeyMaterial: { KeyCryptogram: { KeyAttributes: attrs, Exportable: true, WrappedKeyCryptogram: 'AB'.repeat(256), ImportToken: imports[1]!.ImportToken! } } },
    ],
  });
}

import type { ModelShape } from '../model/shape-types.js';
import type { StateStore } from '../state/region-state.js';
import type { ServiceDefinition } from './service.js';

/**
 * Which keys a call names, for the audit log (core/audit-log.ts). Only members whose model shape
 * is a key reference are read — key ARN, alias name or alias ARN (`KeyArnOrKeyAliasType`,
 * `KeyArn`, `ResourceArn`, `AliasName`) — and only values that match those patterns are kept, so
 * nothing else of a request or response (key blocks, PINs, PANs, cryptograms, tag values, a
 * secret pasted into the wrong member) can reach a log line. Lists and maps are not walked (no
 * input names a key inside one; ListKeys' and ListAliases' answers are not logged key by key).
 */

const KEY_REFERENCE_SHAPES: ReadonlySet<string> = new Set(['KeyArnOrKeyAliasType', 'KeyArn', 'ResourceArn', 'AliasName']);
const KEY_ARN_RE = /^arn:aws:payment-cryptography:([a-z]{2}-[a-z]{1,16}-[0-9]+):([0-9]{12}):key\/([0-9a-zA-Z]{16,64})$/;
const ALIAS_ARN_RE = /^arn:aws:payment-cryptography:([a-z]{2}-[a-z]{1,16}-[0-9]+):([0-9]{12}):(alias\/[a-zA-Z0-9/_-]+)$/;
const ALIAS_RE = /^alias\/[a-zA-Z0-9/_-]+$/;
/** the model's longest key identifier (KeyArnOrKeyAliasType) */
const MAX_IDENTIFIER = 322;
/** the models nest structures a few levels deep; a bound all the same */
const MAX_DEPTH = 12;

/**
 * The request member naming the key the call acted on, and the response member carrying its ARN,
 * where the default rules do not find them: by default the first top-level key member of the
 * request, answered by the response's `KeyArn` / `Key.KeyArn` (for `KeyIdentifier`),
 * `Alias.KeyArn` (for `AliasName`) or `<X>Arn` (for `<X>Identifier`). NOTE: a choice; AWS logs
 * such calls in CloudTrail with every request parameter, which this log must not.
 */
const PRIMARY: Readonly<Record<string, { member: string; output: string }>> = {
  // the response's KeyArn is the outgoing key's (data-plane/pin-translate.ts, encryption.ts)
  TranslatePinData: { member: 'OutgoingKeyIdentifier', output: 'KeyArn' },
  ReEncryptData: { member: 'OutgoingKeyIdentifier', output: 'KeyArn' },
};

/** One key a request named. */
export interface KeyReference {
  /** the member path in the request, e.g. `KeyMaterial.Tr31KeyBlock.WrappingKeyIdentifier` */
  readonly member: string;
  /** the identifier as the request gave it (key ARN, alias name, alias ARN) */
  readonly given: string;
  /** the key ARN it named in the state before the call (a DeleteAlias answers nothing to pair) */
  before?: string;
}

/** The key fields of one audit line. */
export interface AuditKeyFields {
  keyIdentifier?: string;
  keyArn?: string;
  otherKeys?: { member: string; keyIdentifier: string; keyArn?: string }[];
}

export function isKeyIdentifier(v: unknown): v is string {
  if (typeof v !== 'string' || v.length > MAX_IDENTIFIER) return false;
  if (v.startsWith('alias/')) return ALIAS_RE.test(v);
  return v.startsWith('arn:') && (KEY_ARN_RE.test(v) || ALIAS_ARN_RE.test(v));
}

function structure(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

type Shapes = Readonly<Record<string, ModelShape>>;
type Wanted = 'reference' | 'keyArn';

/** Of one structure: the members that are wanted, and the structure members that lead to some. */
interface Plan {
  readonly members: readonly string[];
  readonly nested: readonly (readonly [member: string, shape: string])[];
}

/** Plans per model (shapes table) and `wanted:shape`; null: no wanted member below this shape. */
const PLANS = new WeakMap<Shapes, Map<string, Plan | null>>();

function planOf(shapes: Shapes, shapeName: string, wanted: Wanted, depth = 0): Plan | null {
  let cache = PLANS.get(shapes);
  if (cache === undefined) PLANS.set(shapes, (cache = new Map()));
  const id = `${wanted}:${shapeName}`;
  const known = cache.get(id);
  if (known !== undefined) return known;
  const shape = shapes[shapeName];
  let plan: Plan | null = null;
  if (shape?.t === 'structure' && depth <= MAX_DEPTH) {
    const members: string[] = [];
    const nested: [string, string][] = [];
    for (const [member, target] of Object.entries(shape.m)) {
      if (wanted === 'reference' ? KEY_REFERENCE_SHAPES.has(target) : target === 'KeyArn') members.push(member);
      else if (shapes[target]?.t === 'structure' && planOf(shapes, target, wanted, depth + 1) !== null) nested.push([member, target]);
    }
    if (members.length > 0 || nested.length > 0) plan = { members, nested };
  }
  cache.set(id, plan);
  return plan;
}

/** Wanted members of `shapeName` in `value`, with their dotted paths (only identifier-shaped values). */
function walk(shapes: Shapes, shapeName: string, value: unknown, wanted: Wanted, out: { path: string; value: string }[], prefix = '', depth = 0): void {
  const plan = planOf(shapes, shapeName, wanted);
  const obj = structure(value);
  if (plan === null || obj === undefined || depth > MAX_DEPTH) return;
  for (const member of plan.members) {
    if (!Object.prototype.hasOwnProperty.call(obj, member)) continue;
    const v = obj[member];
    if (isKeyIdentifier(v)) out.push({ path: prefix + member, value: v });
  }
  for (const [member, target] of plan.nested) {
    if (Object.prototype.hasOwnProperty.call(obj, member)) walk(shapes, target, obj[member], wanted, out, `${prefix}${member}.`, depth + 1);
  }
}

/** The keys the input of `operation` names (a failed or unvalidated input too: every value is checked). */
export function keyReferences(service: ServiceDefinition | undefined, operation: string | undefined, input: unknown): KeyReference[] {
  if (service === undefined || operation === undefined) return [];
  const inputShape = (service.model.operations as Readonly<Record<string, { input?: string }>>)[operation]?.input;
  if (inputShape === undefined) return [];
  const found: { path: string; value: string }[] = [];
  walk(service.model.shapes, inputShape, input, 'reference', found);
  return found.map((f) => ({ member: f.path, given: f.value }));
}

/** The key ARN `given` names in the account × region state now (undefined: no such key or alias there). */
export function resolveInState(states: StateStore, accountId: string | undefined, region: string | undefined, given: string): string | undefined {
  if (accountId === undefined || region === undefined) return undefined;
  const state = states.peek(accountId, region);
  if (state === undefined) return undefined;
  const key = KEY_ARN_RE.exec(given);
  if (key !== null) return key[1] === region && key[2] === accountId ? state.keys.get(key[3]!)?.keyArn : undefined;
  const aliasArn = ALIAS_ARN_RE.exec(given);
  const name = aliasArn === null ? given : aliasArn[1] === region && aliasArn[2] === accountId ? aliasArn[3]! : undefined;
  return name === undefined ? undefined : state.aliases.get(name)?.keyArn;
}

/** Record in each reference the key it names before the call runs. */
export function resolveBefore(refs: KeyReference[], states: StateStore, accountId: string | undefined, region: string | undefined): void {
  for (const r of refs) r.before = resolveInState(states, accountId, region, r.given);
}

/** Key ARNs in a response, by member path (`KeyArn`, `Key.KeyArn`, `Alias.KeyArn`, `GenerationKeyArn` …). */
function outputArns(service: ServiceDefinition | undefined, operation: string | undefined, output: unknown): Map<string, string> {
  const arns = new Map<string, string>();
  if (service === undefined || operation === undefined || output === undefined) return arns;
  const outputShape = (service.model.operations as Readonly<Record<string, { output?: string }>>)[operation]?.output;
  if (outputShape === undefined) return arns;
  const found: { path: string; value: string }[] = [];
  walk(service.model.shapes, outputShape, output, 'keyArn', found);
  for (const f of found) if (KEY_ARN_RE.test(f.value)) arns.set(f.path, f.value);
  return arns;
}

function pairedOutput(operation: string, member: string, arns: ReadonlyMap<string, string>): string | undefined {
  const special = PRIMARY[operation];
  if (special !== undefined && special.member === member) return arns.get(special.output);
  if (member.includes('.')) return undefined;
  if (member === 'KeyIdentifier') return arns.get('KeyArn') ?? arns.get('Key.KeyArn');
  if (member === 'AliasName') return arns.get('Alias.KeyArn');
  if (member.endsWith('Identifier')) return arns.get(`${member.slice(0, -'Identifier'.length)}Arn`);
  return undefined;
}

/**
 * The key fields of the audit line of a call: `keyIdentifier` (the main key member as given),
 * `keyArn` (the key ARN the call acted on: the response's, else the identifier resolved in the
 * state after the call, else before it — an alias resolves only while it exists) and `otherKeys`
 * (every other key the request named: wrapping keys, a translation's second key …). A failed call
 * keeps the ARNs the identifiers resolve to in the state (the key was named; it may not have been
 * usable).
 */
export function auditKeys(
  service: ServiceDefinition | undefined,
  operation: string | undefined,
  refs: readonly KeyReference[],
  output: unknown,
  states: StateStore,
  accountId: string | undefined,
  region: string | undefined,
): AuditKeyFields {
  const arns = outputArns(service, operation, output);
  const resolved = refs.map((r) => ({
    member: r.member,
    keyIdentifier: r.given,
    keyArn: (operation === undefined ? undefined : pairedOutput(operation, r.member, arns)) ?? resolveInState(states, accountId, region, r.given) ?? r.before,
  }));
  const mainMember = (operation === undefined ? undefined : PRIMARY[operation]?.member) ?? resolved.find((r) => !r.member.includes('.'))?.member;
  const main = resolved.find((r) => r.member === mainMember);
  const fields: AuditKeyFields = {};
  if (main !== undefined) fields.keyIdentifier = main.keyIdentifier;
  // a call that named no key at the top (CreateKey, ImportKey) answers the key it made
  const keyArn = main !== undefined ? main.keyArn : (arns.get('Key.KeyArn') ?? arns.get('KeyArn'));
  if (keyArn !== undefined) fields.keyArn = keyArn;
  const others = resolved.filter((r) => r !== main).map((r) => (r.keyArn === undefined ? { member: r.member, keyIdentifier: r.keyIdentifier } : r));
  if (others.length > 0) fields.otherKeys = others;
  return fields;
}

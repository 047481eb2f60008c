import type { OperationName as ControlOperationName } from '../model/control-plane.generated.js';
import type { OperationName as DataOperationName } from '../model/data-plane.generated.js';
import type { RequestContext } from './context.js';
import type { AllOperationTypes } from './operation-types.js';

/**
 * The registries: one table per service, one entry per operation of that service's newest
 * model, keyed by operation name. An entry is either a handler or an explicit "not implemented
 * yet" marker; a test fails if an operation has neither.
 *
 * A handler receives the input already validated against its service's model (required members,
 * types, lengths, patterns, enums, unions, ranges; URI labels already decoded into members) and
 * returns the SDK-shaped output (timestamps as `Date`; the protocol layer writes epoch seconds).
 * It raises AWS errors by throwing the AwsError factories of core/errors.ts.
 */
export type AnyOperationName = ControlOperationName | DataOperationName;

export type Handler<Op extends AnyOperationName> = (
  input: AllOperationTypes[Op]['input'],
  ctx: RequestContext,
) => AllOperationTypes[Op]['output'] | Promise<AllOperationTypes[Op]['output']>;

export type OperationEntry<Op extends AnyOperationName> =
  | { readonly kind: 'handler'; readonly handle: Handler<Op> }
  | { readonly kind: 'not-implemented'; readonly reason: string };

/** The control plane's table (every operation of its model). */
export type OperationTable = { readonly [Op in ControlOperationName]: OperationEntry<Op> };
/** The data plane's table (every operation of its model). */
export type DataOperationTable = { readonly [Op in DataOperationName]: OperationEntry<Op> };
export type PartialOperationTable<Ops extends AnyOperationName> = { readonly [Op in Ops]: OperationEntry<Op> };

export function handler<Op extends AnyOperationName>(handle: Handler<Op>): OperationEntry<Op> {
  return { kind: 'handler', handle };
}

export function notImplemented<Op extends AnyOperationName>(reason = 'not implemented yet'): OperationEntry<Op> {
  return { kind: 'not-implemented', reason };
}

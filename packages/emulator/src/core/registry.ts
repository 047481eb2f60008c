import type { OperationName } from '../model/generated.js';
import type { RequestContext } from './context.js';
import type { OperationTypes } from './operation-types.js';

/**
 * The registry: one entry per operation of the newest control-plane model, keyed by operation
 * name. An entry is either a handler or an explicit "not implemented yet" marker; a test fails
 * if an operation has neither.
 *
 * A handler receives the input already validated against the model (required members, types,
 * lengths, patterns, enums, unions, ranges) and returns the SDK-shaped output (timestamps as
 * `Date`; the transport writes epoch seconds). It raises AWS errors by throwing the AwsError
 * factories of core/errors.ts.
 */
export type Handler<Op extends keyof OperationTypes> = (
  input: OperationTypes[Op]['input'],
  ctx: RequestContext,
) => OperationTypes[Op]['output'] | Promise<OperationTypes[Op]['output']>;

export type OperationEntry<Op extends keyof OperationTypes> =
  | { readonly kind: 'handler'; readonly handle: Handler<Op> }
  | { readonly kind: 'not-implemented'; readonly reason: string };

export type OperationTable = { readonly [Op in OperationName]: OperationEntry<Op> };
export type PartialOperationTable<Ops extends OperationName> = { readonly [Op in Ops]: OperationEntry<Op> };

export function handler<Op extends keyof OperationTypes>(handle: Handler<Op>): OperationEntry<Op> {
  return { kind: 'handler', handle };
}

export function notImplemented<Op extends keyof OperationTypes>(reason = 'not implemented yet'): OperationEntry<Op> {
  return { kind: 'not-implemented', reason };
}

export { Emulator, DEFAULT_ACCOUNT_ID, DEFAULT_REGION, lmkCheckValue, type EmulatorOptions, type CallOptions } from './emulator.js';
export { inProcessHandler, type InProcessHandler } from './transport/in-process.js';
export { handleWire, toJson, credentialScope, type WireRequest, type WireResponse, type WireOptions } from './transport/wire.js';
export { AwsError, isAwsError, type AwsErrorName } from './core/errors.js';
export { CONTROL_PLANE } from './control-plane/index.js';
export { OPERATIONS, OPERATION_NAMES, type OperationName } from './model/generated.js';
export type { OperationTypes } from './core/operation-types.js';
export type { OperationTable, OperationEntry, Handler } from './core/registry.js';
export type { RequestContext, EmulatorServices } from './core/context.js';

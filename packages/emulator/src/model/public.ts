/**
 * The `@paycrypt/emulator/model` subpath: the generated models and operation types of both planes,
 * without the server. A client (the aws-adapter's data-plane client, a browser bundle) reads the
 * same route table the emulator's router reads.
 */
export { MODEL as CONTROL_PLANE_MODEL, OPERATION_NAMES as CONTROL_OPERATION_NAMES, type OperationName as ControlOperationName } from './control-plane.generated.js';
export { MODEL as DATA_PLANE_MODEL, OPERATION_NAMES as DATA_OPERATION_NAMES, type OperationName as DataOperationName } from './data-plane.generated.js';
export type { GeneratedOperationTypes as DataOperationTypes } from './data-plane.types.generated.js';
export type { ModelHttp, ModelOperation, ModelShape, ServiceModel } from './shape-types.js';

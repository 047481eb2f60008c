import { MODEL as CONTROL_PLANE_MODEL, type OperationName as ControlOperationName } from '../model/control-plane.generated.js';
import { MODEL as DATA_PLANE_MODEL, type OperationName as DataOperationName } from '../model/data-plane.generated.js';
import type { ServiceModel } from '../model/shape-types.js';
import type { AnyOperationName, DataOperationTable, OperationEntry, OperationTable } from './registry.js';

/**
 * A service of the emulator: its generated model, its handler table and its wire protocol.
 * The emulator serves two — the control plane (awsJson1_0, `X-Amz-Target`) and the data plane
 * (restJson1, method + path routes) — over one key domain and one state.
 */
export type ServiceId = 'control-plane' | 'data-plane';
export type WireProtocol = 'awsJson1_0' | 'restJson1';

export interface ServiceDefinition<Op extends AnyOperationName = AnyOperationName> {
  readonly id: ServiceId;
  readonly protocol: WireProtocol;
  readonly model: ServiceModel<Op>;
  readonly operations: { readonly [K in Op]: OperationEntry<K> };
}

export function controlPlaneService(operations: OperationTable): ServiceDefinition<ControlOperationName> {
  return { id: 'control-plane', protocol: 'awsJson1_0', model: CONTROL_PLANE_MODEL, operations };
}

export function dataPlaneService(operations: DataOperationTable): ServiceDefinition<DataOperationName> {
  return { id: 'data-plane', protocol: 'restJson1', model: DATA_PLANE_MODEL, operations };
}

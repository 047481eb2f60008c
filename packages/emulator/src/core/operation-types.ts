import type {
  CreateAliasInput,
  CreateAliasOutput,
  CreateKeyInput,
  CreateKeyOutput,
  DeleteAliasInput,
  DeleteAliasOutput,
  DeleteKeyInput,
  DeleteKeyOutput,
  ExportKeyInput,
  ExportKeyOutput,
  GetAliasInput,
  GetAliasOutput,
  GetKeyInput,
  GetKeyOutput,
  GetParametersForExportInput,
  GetParametersForExportOutput,
  GetParametersForImportInput,
  GetParametersForImportOutput,
  GetPublicKeyCertificateInput,
  GetPublicKeyCertificateOutput,
  ImportKeyInput,
  ImportKeyOutput,
  ListAliasesInput,
  ListAliasesOutput,
  ListKeysInput,
  ListKeysOutput,
  ListTagsForResourceInput,
  ListTagsForResourceOutput,
  RestoreKeyInput,
  RestoreKeyOutput,
  StartKeyUsageInput,
  StartKeyUsageOutput,
  StopKeyUsageInput,
  StopKeyUsageOutput,
  TagResourceInput,
  TagResourceOutput,
  UntagResourceInput,
  UntagResourceOutput,
  UpdateAliasInput,
  UpdateAliasOutput,
} from '@aws-sdk/client-payment-cryptography';
import type { OperationName } from '../model/control-plane.generated.js';
import type { OperationName as DataOperationName } from '../model/data-plane.generated.js';
import type { GeneratedOperationTypes as DataOperationTypesGenerated } from '../model/data-plane.types.generated.js';
import type {
  AddKeyReplicationRegionsInput,
  AddKeyReplicationRegionsOutput,
  AssociateMpaTeamInput,
  AssociateMpaTeamOutput,
  DeleteResourcePolicyInput,
  DeleteResourcePolicyOutput,
  DisableDefaultKeyReplicationRegionsInput,
  DisableDefaultKeyReplicationRegionsOutput,
  DisassociateMpaTeamInput,
  DisassociateMpaTeamOutput,
  EnableDefaultKeyReplicationRegionsInput,
  EnableDefaultKeyReplicationRegionsOutput,
  GetCertificateSigningRequestInput,
  GetCertificateSigningRequestOutput,
  GetDefaultKeyReplicationRegionsInput,
  GetDefaultKeyReplicationRegionsOutput,
  GetMpaTeamAssociationInput,
  GetMpaTeamAssociationOutput,
  GetResourcePolicyInput,
  GetResourcePolicyOutput,
  PutResourcePolicyInput,
  PutResourcePolicyOutput,
  RemoveKeyReplicationRegionsInput,
  RemoveKeyReplicationRegionsOutput,
} from '../model/control-plane.types.generated.js';

/**
 * Input and output type of every operation of the newest control-plane model: the SDK's own
 * types for the 20 operations @aws-sdk/client-payment-cryptography@3.882.0 has, generated types
 * (model/control-plane.types.generated.ts) for the 12 newer ones.
 */
export interface OperationTypes {
  AddKeyReplicationRegions: { input: AddKeyReplicationRegionsInput; output: AddKeyReplicationRegionsOutput };
  AssociateMpaTeam: { input: AssociateMpaTeamInput; output: AssociateMpaTeamOutput };
  CreateAlias: { input: CreateAliasInput; output: CreateAliasOutput };
  CreateKey: { input: CreateKeyInput; output: CreateKeyOutput };
  DeleteAlias: { input: DeleteAliasInput; output: DeleteAliasOutput };
  DeleteKey: { input: DeleteKeyInput; output: DeleteKeyOutput };
  DeleteResourcePolicy: { input: DeleteResourcePolicyInput; output: DeleteResourcePolicyOutput };
  DisableDefaultKeyReplicationRegions: { input: DisableDefaultKeyReplicationRegionsInput; output: DisableDefaultKeyReplicationRegionsOutput };
  DisassociateMpaTeam: { input: DisassociateMpaTeamInput; output: DisassociateMpaTeamOutput };
  EnableDefaultKeyReplicationRegions: { input: EnableDefaultKeyReplicationRegionsInput; output: EnableDefaultKeyReplicationRegionsOutput };
  ExportKey: { input: ExportKeyInput; output: ExportKeyOutput };
  GetAlias: { input: GetAliasInput; output: GetAliasOutput };
  GetCertificateSigningRequest: { input: GetCertificateSigningRequestInput; output: GetCertificateSigningRequestOutput };
  GetDefaultKeyReplicationRegions: { input: GetDefaultKeyReplicationRegionsInput; output: GetDefaultKeyReplicationRegionsOutput };
  GetKey: { input: GetKeyInput; output: GetKeyOutput };
  GetMpaTeamAssociation: { input: GetMpaTeamAssociationInput; output: GetMpaTeamAssociationOutput };
  GetParametersForExport: { input: GetParametersForExportInput; output: GetParametersForExportOutput };
  GetParametersForImport: { input: GetParametersForImportInput; output: GetParametersForImportOutput };
  GetPublicKeyCertificate: { input: GetPublicKeyCertificateInput; output: GetPublicKeyCertificateOutput };
  GetResourcePolicy: { input: GetResourcePolicyInput; output: GetResourcePolicyOutput };
  ImportKey: { input: ImportKeyInput; output: ImportKeyOutput };
  ListAliases: { input: ListAliasesInput; output: ListAliasesOutput };
  ListKeys: { input: ListKeysInput; output: ListKeysOutput };
  ListTagsForResource: { input: ListTagsForResourceInput; output: ListTagsForResourceOutput };
  PutResourcePolicy: { input: PutResourcePolicyInput; output: PutResourcePolicyOutput };
  RemoveKeyReplicationRegions: { input: RemoveKeyReplicationRegionsInput; output: RemoveKeyReplicationRegionsOutput };
  RestoreKey: { input: RestoreKeyInput; output: RestoreKeyOutput };
  StartKeyUsage: { input: StartKeyUsageInput; output: StartKeyUsageOutput };
  StopKeyUsage: { input: StopKeyUsageInput; output: StopKeyUsageOutput };
  TagResource: { input: TagResourceInput; output: TagResourceOutput };
  UntagResource: { input: UntagResourceInput; output: UntagResourceOutput };
  UpdateAlias: { input: UpdateAliasInput; output: UpdateAliasOutput };
}

// Compile-time check: OperationTypes covers exactly the model's operations.
type MissingOps = Exclude<OperationName, keyof OperationTypes>;
type ExtraOps = Exclude<keyof OperationTypes, OperationName>;
export const operationTypesComplete: [MissingOps, ExtraOps] extends [never, never] ? true : never = true;

/** Input and output type of every data-plane operation (generated: no data-plane SDK here). */
export type DataOperationTypes = DataOperationTypesGenerated;

/** Both planes' operations (their names do not overlap). */
export type AllOperationTypes = OperationTypes & DataOperationTypes;

type MissingDataOps = Exclude<DataOperationName, keyof DataOperationTypes>;
export const dataOperationTypesComplete: [MissingDataOps] extends [never] ? true : never = true;

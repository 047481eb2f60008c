import { awsEndpointFunctions } from '@aws-sdk/util-endpoints';
import { customEndpointFunctions, resolveEndpoint } from '@smithy/util-endpoints';
import { DATA_PLANE_RULE_SET } from './data-plane-rule-set.generated.js';

/**
 * The data plane's endpoint, evaluated from the service's published endpoint rule set by the
 * SDK's own rules engine (`@smithy/util-endpoints` with the `aws.partition` functions of
 * `@aws-sdk/util-endpoints`), exactly as the generated SDK clients do. The control plane needs
 * no resolver here: the real `PaymentCryptographyClient` carries its own rule set.
 */
customEndpointFunctions.aws = awsEndpointFunctions;

export interface EndpointParams {
  Region?: string | undefined;
  UseFIPS?: boolean | undefined;
  UseDualStack?: boolean | undefined;
  Endpoint?: string | undefined;
}

/** The URL of the data-plane endpoint; throws the rule set's error text (e.g. "Invalid Configuration: Missing Region"). */
export function resolveDataPlaneEndpoint(params: EndpointParams): URL {
  const endpointParams: Record<string, string | boolean> = {
    UseFIPS: params.UseFIPS ?? false,
    UseDualStack: params.UseDualStack ?? false,
  };
  if (params.Region !== undefined) endpointParams['Region'] = params.Region;
  if (params.Endpoint !== undefined) endpointParams['Endpoint'] = params.Endpoint;
  return resolveEndpoint(DATA_PLANE_RULE_SET, { endpointParams }).url;
}

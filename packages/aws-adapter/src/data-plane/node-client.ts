import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { PaymentCryptographyDataClient as BaseClient, type DataPlaneClientOptions } from './client.js';

/**
 * The data-plane client of the Node entry: credentials default to the standard Node provider
 * chain (environment, shared config/credentials files, SSO, web identity, ECS/EC2 metadata), as
 * the SDK clients do. The browser entry (`@paycrypt/aws-adapter/browser`) has the base class,
 * which needs `credentials`.
 */
export class PaymentCryptographyDataClient extends BaseClient {
  constructor(options: DataPlaneClientOptions) {
    super({ credentialDefaultProvider: () => fromNodeProviderChain(), ...options });
  }
}

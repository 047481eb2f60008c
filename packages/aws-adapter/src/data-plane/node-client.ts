import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { Hash } from '@smithy/hash-node';
import { PaymentCryptographyDataClient as BaseClient, type DataPlaneClientOptions } from './client.js';
import { nodeHttpTransport } from './node-http-transport.js';

/**
 * The data-plane client of the Node entry, with the SDK's Node defaults: credentials from the
 * standard Node provider chain (environment, shared config/credentials files, SSO, web identity,
 * ECS/EC2 metadata), HTTP through @smithy/node-http-handler, SHA-256 from @smithy/hash-node. The
 * browser entry (`@paycrypt/aws-adapter/browser`) has the base class: fetch, sha256-js, and
 * `credentials` required.
 */
export class PaymentCryptographyDataClient extends BaseClient {
  constructor(options: DataPlaneClientOptions) {
    super({ credentialDefaultProvider: () => fromNodeProviderChain(), sha256: Hash.bind(null, 'sha256'), ...options, transport: options.transport ?? nodeHttpTransport() });
  }
}

import { PaymentCryptographyClient } from '@aws-sdk/client-payment-cryptography';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createPaymentCryptography, endpointsFromEnv, resolveDataPlaneEndpoint, type EndpointParams } from '../src/index.js';
import { credentials } from './kit.js';

/** botocore's published endpoint-rule test cases (test/vectors/README.md). */
interface Case {
  documentation: string;
  params?: EndpointParams;
  expect: { endpoint?: { url: string }; error?: string };
}
const load = (name: string): Case[] => (JSON.parse(readFileSync(new URL(`./vectors/${name}`, import.meta.url), 'utf8')) as { testCases: Case[] }).testCases;

const dataCases = load('payment-cryptography-data.endpoint-tests-1.json');
const controlCases = load('payment-cryptography.endpoint-tests-1.json');

describe('data-plane endpoint resolver = endpoint-tests-1.json', () => {
  it('has the published cases', () => expect(dataCases.length).toBe(21));
  for (const c of dataCases) {
    it(c.documentation, () => {
      if (c.expect.error !== undefined) expect(() => resolveDataPlaneEndpoint(c.params ?? {})).toThrow(c.expect.error);
      else expect(resolveDataPlaneEndpoint(c.params ?? {}).href.replace(/\/$/, '')).toBe(c.expect.endpoint!.url);
    });
  }
});

describe("control-plane endpoints (the SDK client's own resolver) = endpoint-tests-1.json", () => {
  const provider = new PaymentCryptographyClient({ region: 'us-east-1', credentials }).config.endpointProvider;
  it('has the published cases', () => expect(controlCases.length).toBe(21));
  for (const c of controlCases) {
    it(c.documentation, () => {
      const params = { UseFIPS: false, UseDualStack: false, ...(c.params ?? {}) };
      if (c.expect.error !== undefined) expect(() => provider(params)).toThrow(c.expect.error);
      else expect(provider(params).url.href.replace(/\/$/, '')).toBe(c.expect.endpoint!.url);
    });
  }
});

describe("createPaymentCryptography({ target: 'aws' })", () => {
  async function controlUrl(client: PaymentCryptographyClient): Promise<string> {
    const cfg = client.config;
    const params = { Region: await cfg.region(), UseFIPS: await cfg.useFipsEndpoint(), UseDualStack: await cfg.useDualstackEndpoint() };
    const endpoint = cfg.endpoint === undefined ? undefined : await cfg.endpoint();
    return endpoint !== undefined ? `${endpoint.protocol}//${endpoint.hostname}` : cfg.endpointProvider(params).url.href.replace(/\/$/, '');
  }
  it('region endpoints for both planes', async () => {
    const pc = createPaymentCryptography({ target: 'aws', region: 'eu-central-1', credentials, env: {} });
    expect(pc.dataPlane.endpoint.href).toBe('https://dataplane.payment-cryptography.eu-central-1.amazonaws.com/');
    expect(await controlUrl(pc.controlPlane)).toBe('https://controlplane.payment-cryptography.eu-central-1.amazonaws.com');
    await pc.close();
  });
  it('FIPS and dual-stack from the environment (AWS_USE_FIPS_ENDPOINT, AWS_USE_DUALSTACK_ENDPOINT)', async () => {
    const pc = createPaymentCryptography({ credentials, env: { PAYCRYPT_TARGET: 'aws', AWS_REGION: 'us-west-2', AWS_USE_FIPS_ENDPOINT: 'true', AWS_USE_DUALSTACK_ENDPOINT: 'true' } });
    expect(pc.dataPlane.endpoint.href).toBe('https://dataplane.payment-cryptography-fips.us-west-2.api.aws/');
    expect(await controlUrl(pc.controlPlane)).toBe('https://controlplane.payment-cryptography-fips.us-west-2.api.aws');
    await pc.close();
  });
  it('a custom endpoint with FIPS is refused as the rules say', () => {
    expect(() => createPaymentCryptography({ target: 'aws', region: 'us-east-1', credentials, endpoint: 'https://example.com', useFipsEndpoint: true, env: {} })).toThrow('Invalid Configuration: FIPS and custom endpoint are not supported');
  });
  it('a region is required', () => {
    expect(() => createPaymentCryptography({ target: 'aws', credentials, env: {} })).toThrow(/region/);
  });
  it('an unknown PAYCRYPT_TARGET is refused', () => {
    expect(() => createPaymentCryptography({ env: { PAYCRYPT_TARGET: 'localstack' } })).toThrow(RangeError);
  });
  it('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS drops the endpoint variables', () => {
    expect(endpointsFromEnv({ AWS_ENDPOINT_URL: 'http://x', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).toEqual({});
    expect(endpointsFromEnv({ AWS_ENDPOINT_URL: 'http://x', AWS_ENDPOINT_URL_PAYMENT_CRYPTOGRAPHY_DATA: 'http://d' })).toEqual({ endpoint: 'http://x', dataPlane: 'http://d' });
  });
});

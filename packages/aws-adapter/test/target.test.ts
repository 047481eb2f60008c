import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createPaymentCryptography, resolveTarget } from '../src/index.js';
import { credentials } from './kit.js';

describe('resolveTarget: where the factory goes, without a client', () => {
  it('the emulator serves both planes on one endpoint: either variable serves both', () => {
    expect(resolveTarget({ env: { PAYCRYPT_TARGET: 'emulator', AWS_ENDPOINT_URL_PAYMENT_CRYPTOGRAPHY: 'http://127.0.0.1:9' } })).toEqual({
      target: 'emulator',
      region: 'us-east-1',
      controlPlaneEndpoint: 'http://127.0.0.1:9',
      dataPlaneEndpoint: 'http://127.0.0.1:9',
      useFipsEndpoint: false,
      useDualstackEndpoint: false,
    });
    expect(resolveTarget({ target: 'emulator', env: { AWS_ENDPOINT_URL_PAYMENT_CRYPTOGRAPHY_DATA: 'http://d:1' } }).controlPlaneEndpoint).toBe('http://d:1');
  });
  it('target emulator without an endpoint is in-process; FIPS is never asked of it', () => {
    const r = resolveTarget({ target: 'emulator', env: { AWS_USE_FIPS_ENDPOINT: 'true', AWS_REGION: 'eu-west-1' } });
    expect(r).toMatchObject({ controlPlaneEndpoint: undefined, dataPlaneEndpoint: undefined, region: 'eu-west-1', useFipsEndpoint: false });
  });
  it('target aws: endpoints per plane, options before the environment, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS honoured', () => {
    expect(resolveTarget({ target: 'aws', region: 'ap-south-1', env: { AWS_ENDPOINT_URL: 'https://x', AWS_ENDPOINT_URL_PAYMENT_CRYPTOGRAPHY_DATA: 'https://d', AWS_USE_DUALSTACK_ENDPOINT: 'true' } })).toEqual({
      target: 'aws',
      region: 'ap-south-1',
      controlPlaneEndpoint: 'https://x',
      dataPlaneEndpoint: 'https://d',
      useFipsEndpoint: false,
      useDualstackEndpoint: true,
    });
    expect(resolveTarget({ target: 'aws', region: 'ap-south-1', env: { AWS_ENDPOINT_URL: 'https://x', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' } }).controlPlaneEndpoint).toBeUndefined();
  });
  it('refuses what the factory refuses, with the same errors', () => {
    expect(() => resolveTarget({ target: 'aws', env: {} })).toThrow(TypeError);
    expect(() => createPaymentCryptography({ target: 'aws', credentials, env: {} })).toThrow(TypeError);
    expect(() => resolveTarget({ env: { PAYCRYPT_TARGET: 'localstack' } })).toThrow(RangeError);
  });
  it('agrees with the factory on the transport it picks', async () => {
    for (const env of [{ AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }, {}]) {
      const pc = createPaymentCryptography({ target: 'emulator', env });
      expect(pc.transport).toBe(resolveTarget({ target: 'emulator', env }).controlPlaneEndpoint === undefined ? 'in-process' : 'http');
      await pc.close();
    }
  });
  it('@paycrypt/aws-adapter/target bundles alone: no AWS SDK, no emulator, nothing else loaded with it', async () => {
    const out = await build({ entryPoints: [fileURLToPath(new URL('../src/target.ts', import.meta.url))], bundle: true, platform: 'node', format: 'esm', write: false, metafile: true, logLevel: 'silent' });
    expect(Object.keys(out.metafile.inputs).map((p) => p.replace(/.*packages\//, ''))).toEqual(['aws-adapter/src/target.ts']);
  });
});

import { bytesToHex, constantTimeEqual, generateMac, hexToBytes, type MacAlgorithm } from '@paycrypt/primitives';

/**
 * The expected MAC for a key known in clear, as GenerateMac computes it (Algorithm, MessageData,
 * MacLength in bytes), and a comparison with the service's Mac. Engine packages only.
 */
export interface MacCheck {
  expected: string;
  matches: boolean;
}

/** `keyAlgorithm` is the AWS KeyAlgorithm of the key (TDES_2KEY, AES_128, HMAC_SHA256, …). */
export function expectedMac(key: Uint8Array, keyAlgorithm: string, algorithm: MacAlgorithm, messageHex: string, macLength?: number): string {
  const cipher = keyAlgorithm.startsWith('AES') ? 'AES' : keyAlgorithm.startsWith('TDES') ? 'TDES' : undefined;
  const mac = generateMac(algorithm, key, hexToBytes(messageHex.toUpperCase()), {
    ...(cipher !== undefined ? { cipher } : {}),
    ...(macLength !== undefined ? { length: macLength } : {}),
  });
  return bytesToHex(mac);
}

/** Compare the service's Mac with the expected one (constant-time; the MAC length is the service answer's). */
export function checkMac(key: Uint8Array, keyAlgorithm: string, algorithm: MacAlgorithm, messageHex: string, serviceMac: string): MacCheck {
  const expected = expectedMac(key, keyAlgorithm, algorithm, messageHex, serviceMac.length / 2);
  const matches = expected.length === serviceMac.length && /^[0-9a-fA-F]*$/.test(serviceMac) && constantTimeEqual(hexToBytes(expected), hexToBytes(serviceMac.toUpperCase()));
  return { expected, matches };
}

import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Emulator } from '../src/emulator.js';
import { runPythonJson } from './python-json.js';

/** The audit-log tests' shared checks: reading the file, the allowed shape of a line, secrets absent. */

export interface AuditLine {
  time: string;
  requestId: string;
  transport: string;
  plane?: string;
  operation?: string;
  account?: string;
  region?: string;
  accessKeyId?: string;
  keyIdentifier?: string;
  keyArn?: string;
  otherKeys?: { member: string; keyIdentifier: string; keyArn?: string }[];
  outcome: string;
  status: number;
}

const FIELDS = new Set(['time', 'requestId', 'transport', 'plane', 'operation', 'account', 'region', 'accessKeyId', 'keyIdentifier', 'keyArn', 'otherKeys', 'outcome', 'status']);
const OTHER_FIELDS = new Set(['member', 'keyIdentifier', 'keyArn']);
const KEY_ARN = /^arn:aws:payment-cryptography:[a-z]{2}-[a-z]+-\d:\d{12}:key\/[0-9a-z]{16}$/;
const IDENTIFIER = /^(arn:aws:payment-cryptography:[a-z]{2}-[a-z]+-\d:\d{12}:(key\/[0-9a-z]{16}|alias\/[a-zA-Z0-9/_-]+)|alias\/[a-zA-Z0-9/_-]+)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every line of the file, each parsed as JSON and checked to carry only the documented fields. */
export function readAudit(path: string): AuditLine[] {
  const text = readFileSync(path, 'utf8');
  if (text === '') return [];
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((raw) => {
      const line = JSON.parse(raw) as AuditLine;
      checkShape(line);
      return line;
    });
}

/** Lines written so far (after a flush of the emulator's stream). */
export async function auditLines(em: Emulator, path: string): Promise<AuditLine[]> {
  await em.audit!.flush();
  return readAudit(path);
}

export function checkShape(line: AuditLine): void {
  for (const k of Object.keys(line)) expect(FIELDS.has(k), `field ${k}`).toBe(true);
  expect(new Date(line.time).toISOString()).toBe(line.time);
  expect(line.requestId).toMatch(UUID);
  expect(['http', 'in-process', 'direct']).toContain(line.transport);
  if (line.plane !== undefined) expect(['control-plane', 'data-plane']).toContain(line.plane);
  if (line.operation !== undefined) expect(line.operation).toMatch(/^[A-Z][A-Za-z0-9]+$/);
  if (line.account !== undefined) expect(line.account).toMatch(/^\d{12}$/);
  if (line.region !== undefined) expect(line.region).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
  if (line.keyIdentifier !== undefined) expect(line.keyIdentifier).toMatch(IDENTIFIER);
  if (line.keyArn !== undefined) expect(line.keyArn).toMatch(KEY_ARN);
  for (const o of line.otherKeys ?? []) {
    for (const k of Object.keys(o)) expect(OTHER_FIELDS.has(k), `otherKeys field ${k}`).toBe(true);
    expect(o.member).toMatch(/^[A-Za-z0-9.]+$/);
    expect(o.keyIdentifier).toMatch(IDENTIFIER);
    if (o.keyArn !== undefined) expect(o.keyArn).toMatch(KEY_ARN);
  }
  expect(line.outcome).toMatch(/^(ok|[A-Z][A-Za-z]+Exception)$/);
  expect(Number.isInteger(line.status)).toBe(true);
}

/**
 * Assert that no secret, nor any 16-character piece of one, occurs in `text` (either case). Upper
 * case hex of 16 characters or more cannot occur by chance in a line (request ids are UUIDs with
 * groups of at most 12, key ids are 16 of [a-z0-7]).
 */
export function expectNoSecrets(text: string, secrets: readonly string[]): void {
  const hay = text.toUpperCase();
  for (const s of secrets) {
    const needle = s.toUpperCase();
    expect(needle.length).toBeGreaterThanOrEqual(12);
    expect(hay.includes(needle), `a secret of ${needle.length} characters is in the audit log`).toBe(false);
    for (let i = 0; i + 16 <= needle.length; i += 4) {
      expect(hay.includes(needle.slice(i, i + 16)), `16 characters of a secret at ${i} are in the audit log`).toBe(false);
    }
  }
}

// ---- boto3 with request ids ---------------------------------------------------------------------

const RUNNER = String.raw`
import json, sys, boto3, botocore
from botocore.config import Config
req = json.load(sys.stdin)
c = boto3.client('payment-cryptography-data', region_name=req['region'], endpoint_url=req['endpoint'],
                 aws_access_key_id=req['akid'], aws_secret_access_key='secret', config=Config(retries={'max_attempts': 1}))
out = []
for call in req['calls']:
    try:
        r = getattr(c, call['op'])(**call['params'])
        rid = r.pop('ResponseMetadata', {}).get('RequestId')
        out.append({'ok': r, 'requestId': rid})
    except botocore.exceptions.ClientError as e:
        out.append({'error': e.response['Error']['Code'], 'status': e.response['ResponseMetadata']['HTTPStatusCode'], 'requestId': e.response['ResponseMetadata'].get('RequestId')})
print(json.dumps(out))
`;

export type BotoResult = { ok?: Record<string, unknown>; error?: string; status?: number; requestId: string };

/** Data-plane calls through boto3 (one python process, in order), with each answer's request id. */
export function botoCalls(endpoint: string, calls: { op: string; params: Record<string, unknown> }[], region = 'us-east-1', akid = 'AKIDEXAMPLE'): Promise<BotoResult[]> {
  return runPythonJson<BotoResult[]>(RUNNER, { endpoint, calls, region, akid });
}

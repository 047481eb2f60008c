// The region of a service command as the AWS CLI picks it: --region > AWS_REGION > AWS_DEFAULT_REGION >
// the region of the profile (--profile, else AWS_PROFILE, else "default") in the shared config file
// (a temp AWS_CONFIG_FILE here). Checked where it matters: the SigV4 credential scope of the request
// the command sends, recorded by a small HTTP server that answers every call with an AWS error.
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, buildOnce, tempFile, type Run } from './run-cli.js';

let server: Server;
let endpoint: string;
const scopes: string[] = [];
const config = tempFile(['[default]', 'region = ap-south-1', '', '[profile ci]', 'region = eu-west-3', '', '[profile noregion]', 'output = json', ''].join('\n'));
const credentials = tempFile(['[credonly]', 'aws_access_key_id = AKIDEXAMPLE', 'aws_secret_access_key = secret', 'region = sa-east-1', ''].join('\n'));

/** Runs the bin with no AWS_* variables of this process, only the ones given. */
function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && k !== 'PAYCRYPT_TARGET'));
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, '--json', ...args], { env: { ...base, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials, ...env }, encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

const exportArgs = (id: string): string[] => ['keys', 'export', `alias/${id}`, '--wrapping-key', 'alias/kek', '--endpoint', endpoint];

let calls = 0;
/** The region of the one ExportKey the command sends (the server refuses it: exit 3). */
async function regionOf(args: string[], env: Record<string, string> = {}): Promise<string> {
  const id = `probe-${calls++}`;
  const r = await run([...exportArgs(id), ...args], env);
  expect(r.code, r.stdout + r.stderr).toBe(3);
  const scope = scopes.find((s) => s.startsWith(`${id} `));
  expect(scope, r.stdout).toBeDefined();
  return scope!.split(' ')[1]!;
}

beforeAll(async () => {
  buildOnce();
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const region = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? 'none';
      const id = (/"ExportKeyIdentifier":"alias\/([^"]+)"/.exec(body)?.[1]) ?? 'unknown';
      scopes.push(`${id} ${region}`);
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: 'no such key' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

describe('the region of keys/migrate/demo: --region > AWS_REGION > AWS_DEFAULT_REGION > profile', () => {
  it('the profile\'s region from AWS_CONFIG_FILE: default profile, --profile, AWS_PROFILE, the credentials file', async () => {
    const got = await Promise.all([
      regionOf([]),
      regionOf(['--profile', 'ci']),
      regionOf([], { AWS_PROFILE: 'ci' }),
      regionOf(['--profile', 'credonly']),
    ]);
    expect(got).toEqual(['ap-south-1', 'eu-west-3', 'eu-west-3', 'sa-east-1']);
  });

  it('AWS_DEFAULT_REGION over the profile, AWS_REGION over both, --region over all', async () => {
    const got = await Promise.all([
      regionOf(['--profile', 'ci'], { AWS_DEFAULT_REGION: 'us-west-2' }),
      regionOf(['--profile', 'ci'], { AWS_DEFAULT_REGION: 'us-west-2', AWS_REGION: 'ca-central-1' }),
      regionOf(['--profile', 'ci', '--region', 'eu-north-1'], { AWS_DEFAULT_REGION: 'us-west-2', AWS_REGION: 'ca-central-1' }),
    ]);
    expect(got).toEqual(['us-west-2', 'ca-central-1', 'eu-north-1']);
  });

  it('a profile that no file defines exits 2; target aws with no region anywhere exits 2 before any call', async () => {
    const [missing, noRegion] = await Promise.all([
      run([...exportArgs('missing'), '--profile', 'nosuch']),
      run(['keys', 'export', 'alias/x', '--wrapping-key', 'alias/k', '--target', 'aws', '--profile', 'noregion']),
    ]);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toEqual({ ok: false, error: { code: 'USAGE', message: '--profile nosuch: no such profile in the AWS config or credentials file' } });
    expect(noRegion.code).toBe(2);
    expect(scopes.some((x) => x.startsWith('missing ') || x.startsWith('x '))).toBe(false);
    expect(JSON.parse(noRegion.stdout).error).toMatchObject({ code: 'USAGE', message: expect.stringMatching(/^--region is required for target aws/) });
  });
});

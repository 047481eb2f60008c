import { CreateKeyCommand, GetKeyCommand, ListKeysCommand } from '@aws-sdk/client-payment-cryptography';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleRequest, type Emulator } from '../src/index.js';
import { TRANSPORTS, harness, type Harness } from './helpers.js';

/** The installed SDK lacks these 12 operations: drive them on the wire, as a newer client would. */
async function raw(em: Emulator, op: string, input: unknown, region = 'us-east-1') {
  const r = await handleRequest(em, {
    method: 'POST',
    headers: {
      'x-amz-target': `PaymentCryptographyControlPlane.${op}`,
      authorization: `AWS4-HMAC-SHA256 Credential=AKID/20260110/${region}/payment-cryptography/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(input),
  });
  return { status: r.status, type: r.headers['x-amzn-errortype'], body: JSON.parse(r.body) };
}

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
})();

describe.each(TRANSPORTS)('newer operations (%s SDK client for the old operations)', (transport) => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness(transport);
  });
  afterAll(async () => h.close());

  const createAes = (c = h.client) =>
    c.send(
      new CreateKeyCommand({
        Exportable: true,
        KeyAttributes: { KeyUsage: 'TR31_K1_KEY_BLOCK_PROTECTION_KEY', KeyClass: 'SYMMETRIC_KEY', KeyAlgorithm: 'AES_256', KeyModesOfUse: { Encrypt: true, Decrypt: true, Wrap: true, Unwrap: true } },
      }),
    );

  it('key replication: add, the replica exists in the other region with the same KCV, remove; defaults apply to new keys', async () => {
    const key = (await createAes()).Key!;
    const added = await raw(h.emulator, 'AddKeyReplicationRegions', { KeyIdentifier: key.KeyArn, ReplicationRegions: ['eu-west-1', 'eu-west-1'] });
    expect(added.status).toBe(200);
    expect(added.body.Key.MultiRegionKeyType).toBe('PRIMARY');
    expect(added.body.Key.ReplicationStatus).toEqual({ 'eu-west-1': { Status: 'SYNCHRONIZED' } });
    const eu = h.clientFor('eu-west-1');
    const replicaArn = key.KeyArn!.replace(':us-east-1:', ':eu-west-1:');
    const replica = (await eu.send(new GetKeyCommand({ KeyIdentifier: replicaArn }))).Key!;
    expect(replica.KeyCheckValue).toBe(key.KeyCheckValue);
    const replicaRaw = await raw(h.emulator, 'GetKey', { KeyIdentifier: replicaArn }, 'eu-west-1');
    expect(replicaRaw.body.Key).toMatchObject({ MultiRegionKeyType: 'REPLICA', PrimaryRegion: 'us-east-1' });
    const own = await raw(h.emulator, 'AddKeyReplicationRegions', { KeyIdentifier: key.KeyArn, ReplicationRegions: ['us-east-1'] });
    expect(own.type).toBe('ValidationException');
    const onReplica = await raw(h.emulator, 'AddKeyReplicationRegions', { KeyIdentifier: replicaArn, ReplicationRegions: ['ap-south-1'] }, 'eu-west-1');
    expect(onReplica.type).toBe('ValidationException');
    const badRegion = await raw(h.emulator, 'AddKeyReplicationRegions', { KeyIdentifier: key.KeyArn, ReplicationRegions: ['Mars'] });
    expect(badRegion.type).toBe('ValidationException');
    const removed = await raw(h.emulator, 'RemoveKeyReplicationRegions', { KeyIdentifier: key.KeyArn, ReplicationRegions: ['eu-west-1'] });
    expect(removed.body.Key.MultiRegionKeyType).toBeUndefined();
    expect((await eu.send(new GetKeyCommand({ KeyIdentifier: replicaArn }))).Key!.KeyState).toBe('DELETE_COMPLETE');

    expect((await raw(h.emulator, 'GetDefaultKeyReplicationRegions', {})).body).toEqual({ EnabledReplicationRegions: [] });
    expect((await raw(h.emulator, 'EnableDefaultKeyReplicationRegions', { ReplicationRegions: ['ca-central-1', 'eu-north-1'] })).body).toEqual({
      EnabledReplicationRegions: ['ca-central-1', 'eu-north-1'],
    });
    expect((await raw(h.emulator, 'DisableDefaultKeyReplicationRegions', { ReplicationRegions: ['eu-north-1'] })).body).toEqual({
      EnabledReplicationRegions: ['ca-central-1'],
    });
    const k2 = (await createAes()).Key!;
    const k2raw = await raw(h.emulator, 'GetKey', { KeyIdentifier: k2.KeyArn });
    expect(k2raw.body.Key).toMatchObject({ MultiRegionKeyType: 'PRIMARY', UsingDefaultReplicationRegions: true, ReplicationStatus: { 'ca-central-1': { Status: 'SYNCHRONIZED' } } });
    const ca = h.clientFor('ca-central-1');
    expect((await ca.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyArn)).toContain(k2.KeyArn!.replace(':us-east-1:', ':ca-central-1:'));
    await raw(h.emulator, 'DisableDefaultKeyReplicationRegions', { ReplicationRegions: ['ca-central-1'] });
    expect((await raw(h.emulator, 'EnableDefaultKeyReplicationRegions', {})).type).toBe('ValidationException');
  });

  it('resource policies: put, get, public policy refused, delete; unknown key and no policy', async () => {
    const key = (await createAes()).Key!;
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'payment-cryptography:GetKey', Resource: '*' }] });
    expect((await raw(h.emulator, 'GetResourcePolicy', { ResourceArn: key.KeyArn })).type).toBe('ResourceNotFoundException');
    const put = await raw(h.emulator, 'PutResourcePolicy', { ResourceArn: key.KeyArn, Policy: policy });
    expect(put.body).toEqual({ ResourceArn: key.KeyArn, Policy: policy });
    expect((await raw(h.emulator, 'GetResourcePolicy', { ResourceArn: key.KeyArn })).body.Policy).toBe(policy);
    const pub = await raw(h.emulator, 'PutResourcePolicy', { ResourceArn: key.KeyArn, Policy: JSON.stringify({ Statement: { Effect: 'Allow', Principal: '*', Action: '*' } }) });
    expect(pub.type).toBe('PublicPolicyException');
    expect((await raw(h.emulator, 'PutResourcePolicy', { ResourceArn: key.KeyArn, Policy: 'not json' })).type).toBe('ValidationException');
    expect((await raw(h.emulator, 'PutResourcePolicy', { ResourceArn: key.KeyArn, Policy: '\u0001' })).type).toBe('ValidationException');
    expect((await raw(h.emulator, 'DeleteResourcePolicy', { ResourceArn: key.KeyArn })).body).toEqual({});
    expect((await raw(h.emulator, 'DeleteResourcePolicy', { ResourceArn: key.KeyArn })).status).toBe(200);
    expect((await raw(h.emulator, 'GetResourcePolicy', { ResourceArn: key.KeyArn })).type).toBe('ResourceNotFoundException');
    const ghost = 'arn:aws:payment-cryptography:us-east-1:111122223333:key/zzzzzzzzzzzzzzzz';
    expect((await raw(h.emulator, 'PutResourcePolicy', { ResourceArn: ghost, Policy: policy })).status).toBe(404);
  });

  it('MPA team associations: associate, get, disassociate', async () => {
    const team = 'arn:aws:mpa:us-east-1:111122223333:approval-team/team-1';
    expect((await raw(h.emulator, 'GetMpaTeamAssociation', { Action: 'IMPORT_ROOT_PUBLIC_KEY_CERTIFICATE' })).type).toBe('ResourceNotFoundException');
    const a = await raw(h.emulator, 'AssociateMpaTeam', { Action: 'IMPORT_ROOT_PUBLIC_KEY_CERTIFICATE', MpaTeamArn: team, RequesterComment: 'please' });
    expect(a.body).toEqual({ MpaTeamAssociation: { Action: 'IMPORT_ROOT_PUBLIC_KEY_CERTIFICATE', MpaTeamArn: team, AssociationState: 'ACTIVE' } });
    expect((await raw(h.emulator, 'GetMpaTeamAssociation', { Action: 'IMPORT_ROOT_PUBLIC_KEY_CERTIFICATE' })).body.MpaTeamAssociation.MpaTeamArn).toBe(team);
    expect((await raw(h.emulator, 'AssociateMpaTeam', { Action: 'DELETE_KEY', MpaTeamArn: team })).type).toBe('ValidationException');
    expect((await raw(h.emulator, 'AssociateMpaTeam', { Action: 'IMPORT_ROOT_PUBLIC_KEY_CERTIFICATE', MpaTeamArn: 'arn:aws:iam::1:role/x' })).type).toBe('ValidationException');
    const d = await raw(h.emulator, 'DisassociateMpaTeam', { Action: 'IMPORT_ROOT_PUBLIC_KEY_CERTIFICATE' });
    expect(d.body.MpaTeamAssociation.AssociationState).toBe('DELETE_PENDING');
    expect((await raw(h.emulator, 'DisassociateMpaTeam', { Action: 'IMPORT_ROOT_PUBLIC_KEY_CERTIFICATE' })).type).toBe('ResourceNotFoundException');
  });

  it.each([
    ['RSA', 'TR31_S0_ASYMMETRIC_KEY_FOR_DIGITAL_SIGNATURE', 'RSA_2048', { Sign: true }, 'SHA256'],
    ['ECC', 'TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT', 'ECC_NIST_P384', { DeriveKey: true }, 'SHA384'],
  ] as const)(`GetCertificateSigningRequest: a real %s PKCS#10 CSR${hasOpenssl ? ' that openssl verifies' : ' (openssl absent: its check is skipped)'}`, async (_f, KeyUsage, KeyAlgorithm, modes, SigningAlgorithm) => {
    const key = (
      await h.client.send(new CreateKeyCommand({ Exportable: false, KeyAttributes: { KeyUsage, KeyClass: 'ASYMMETRIC_KEY_PAIR', KeyAlgorithm, KeyModesOfUse: modes } }))
    ).Key!;
    const subject = { CommonName: 'terminal-42', Organization: 'Example Payments', Country: 'DE', EmailAddress: 'ops@example.com' };
    const r = await raw(h.emulator, 'GetCertificateSigningRequest', { KeyIdentifier: key.KeyArn, SigningAlgorithm, CertificateSubject: subject });
    expect(r.status).toBe(200);
    const pem = Buffer.from(r.body.CertificateSigningRequest, 'base64').toString('utf8');
    expect(pem.startsWith('-----BEGIN CERTIFICATE REQUEST-----\n')).toBe(true);
    if (hasOpenssl) {
      const dir = mkdtempSync(join(tmpdir(), 'csr-'));
      writeFileSync(join(dir, 'r.pem'), pem);
      const text = execFileSync('openssl', ['req', '-in', join(dir, 'r.pem'), '-noout', '-verify', '-subject'], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
      expect(text).toMatch(/C ?= ?DE/);
      expect(text).toMatch(/CN ?= ?terminal-42/);
    }
    const sym = (await createAes()).Key!;
    const e = await raw(h.emulator, 'GetCertificateSigningRequest', { KeyIdentifier: sym.KeyArn, SigningAlgorithm: 'SHA256', CertificateSubject: { CommonName: 'x' } });
    expect(e.type).toBe('ValidationException');
    const e2 = await raw(h.emulator, 'GetCertificateSigningRequest', { KeyIdentifier: key.KeyArn, SigningAlgorithm: 'MD5', CertificateSubject: { CommonName: 'x', Country: 'DEU' } });
    expect(e2.type).toBe('ValidationException');
    expect(e2.body.message).toMatch(/^2 validation errors detected: /);
  });
});

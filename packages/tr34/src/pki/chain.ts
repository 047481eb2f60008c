import { Tr34Error } from '../errors.js';
import { OID } from '../der/oids.js';
import { Certificate, toCertificate, type CertificateInput } from './certificate.js';

export interface VerifyChainOptions {
  /**
   * The trusted CA certificates (AWS: the `CertificateAuthorityPublicKeyIdentifier` root, plus
   * any trusted intermediates). The path must end at one of them (compared byte for byte).
   */
  trustAnchors: readonly CertificateInput[];
  /** Untrusted certificates that may complete the path (intermediates sent with the leaf). */
  intermediates?: readonly CertificateInput[];
  /** Time at which every certificate must be valid; `null` skips the date checks. Default: now. */
  at?: Date | null;
}

const MAX_PATH = 8;

function invalid(message: string): Tr34Error {
  return new Tr34Error('CERTIFICATE_INVALID', message);
}

function checkDates(c: Certificate, at: Date | null, role: string): void {
  if (at === null) return;
  if (at < c.notBefore) throw invalid(`${role} certificate "${c.subject}" is not yet valid`);
  if (at > c.notAfter) throw invalid(`${role} certificate "${c.subject}" has expired`);
}

/**
 * A CA certificate must be allowed to sign certificates. Lenient like AWS (tr34.md §9): a CA
 * without extensions is accepted; present extensions must not forbid it.
 */
function checkIssuerProfile(c: Certificate): void {
  if (c.isCa === false || (c.extension(OID.basicConstraints) !== undefined && c.isCa !== true)) {
    throw invalid(`issuer certificate "${c.subject}" is not a CA (basicConstraints)`);
  }
  const ku = c.keyUsage;
  if (ku !== undefined && !ku.has('keyCertSign')) throw invalid(`issuer certificate "${c.subject}" lacks keyCertSign`);
}

/**
 * Verifies that `leaf` chains to one of the trust anchors: names chain, every signature
 * verifies, every certificate is within its validity at `at`, every issuer is a CA.
 * Returns the path from the leaf to the anchor. Signature results are cached per
 * certificate pair, so repeated calls with the same Certificate objects are cheap.
 */
export async function verifyCertificateChain(leafInput: CertificateInput, options: VerifyChainOptions): Promise<Certificate[]> {
  const leaf = toCertificate(leafInput);
  const anchors = options.trustAnchors.map(toCertificate);
  if (anchors.length === 0) throw new TypeError('"trustAnchors" expected at least one certificate');
  const pool = [...(options.intermediates ?? []).map(toCertificate), ...anchors];
  const at = options.at === undefined ? new Date() : options.at;
  const path: Certificate[] = [leaf];
  checkDates(leaf, at, 'leaf');
  let current = leaf;
  for (let depth = 0; depth < MAX_PATH; depth++) {
    if (anchors.some((a) => a.equals(current))) return path;
    const candidates = pool.filter((c) => c !== current && sameName(c.subjectDer, current.issuerDer));
    let next: Certificate | undefined;
    for (const c of candidates) {
      if (await current.isSignedBy(c)) {
        next = c;
        break;
      }
    }
    if (next === undefined) {
      throw invalid(
        candidates.length === 0
          ? `no issuer found for "${current.subject}" (issuer "${current.issuer}")`
          : `signature of "${current.subject}" does not verify with its issuer's key`,
      );
    }
    checkIssuerProfile(next);
    checkDates(next, at, 'CA');
    path.push(next);
    current = next;
  }
  throw invalid('certificate path too long');
}

function sameName(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

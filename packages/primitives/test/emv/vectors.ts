import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One entry of test-vectors/emv.json (fields as the research set wrote them). */
export interface EmvVector {
  id: string;
  family: string;
  algorithm: string;
  description: string;
  source: string;
  published: boolean;
  publishedFields: string[];
  computedBy?: Record<string, string>;
  awsOutput?: boolean;
  // the shapes differ per source (AWS, jPOS, pyemv); each test reads what its algorithm has
  inputs: Record<string, any>;
  expected: Record<string, any>;
  notes?: string;
}

const file = fileURLToPath(new URL('../../../../test-vectors/emv.json', import.meta.url));
const doc = JSON.parse(readFileSync(file, 'utf8')) as { vectors: EmvVector[] };

export const EMV_VECTORS: readonly EmvVector[] = doc.vectors;

export function family(name: string): EmvVector[] {
  const v = EMV_VECTORS.filter((e) => e.family === name);
  if (v.length === 0) throw new Error(`no vectors of family ${name}`);
  return v;
}

function peer(who: string): string {
  const p = who.includes('pyemv') && who.includes('emvref') ? 'emvref + pyemv' : who.includes('pyemv') ? 'pyemv' : who.includes('emvref') ? 'emvref' : who;
  return p;
}

/**
 * The test title: id, description, and "(peer-computed: …)" naming each asserted field that is not
 * published in the source, with who computed it.
 */
export function title(v: EmvVector, asserted: string[]): string {
  const computed = asserted.filter((f) => !v.publishedFields.includes(f));
  const parts = computed.map((f) => `${f} by ${peer(v.computedBy?.[f] ?? 'unknown peer')}`);
  const aws = v.awsOutput === true ? ' [AWS output]' : '';
  return `${v.id}${aws}: ${v.description}${parts.length > 0 ? ` (peer-computed: ${parts.join('; ')})` : ''}`;
}

/** Hex of an optional JSON value (null → undefined). */
export function opt(s: string | null | undefined): string | undefined {
  return s === null || s === undefined ? undefined : s;
}

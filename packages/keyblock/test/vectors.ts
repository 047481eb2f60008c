import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Loads a JSON vector file from the repository's test-vectors/ folder. */
export function loadVectors<T = unknown>(name: string): T {
  const url = new URL(`../../../test-vectors/${name}`, import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as T;
}

import { createHash } from 'node:crypto';
import { validationError } from '../core/errors.js';

/**
 * Pagination of ListKeys / ListAliases / ListTagsForResource (model paginators-1.json):
 * MaxResults 1–100 (the model checks the range), default 50; NextToken is omitted on the last
 * page (the SDK paginators stop when it is absent).
 *
 * The token is a cursor, not an offset (issue 11 item 3): a walk never repeats an item and never
 * skips one that existed unchanged for the whole walk, whatever is written meanwhile.
 * - paginateOrdered: items in a stable total order (keys: creation time, then key id; aliases:
 *   name); the token names the last item returned, the next page starts after it.
 * - paginateUnordered: items in an order that is stable but not total (tags in insertion order);
 *   the token carries a 64-bit hash of each item already returned, the next page is the first
 *   items not returned yet (a list of at most 50 tags keeps it well under the model's 8192).
 * Tokens are opaque to clients: base64url of JSON `{ s: scope, a?: after, h?: hashes }`, where the
 * scope names the operation and its filter, so a token is refused by any other listing.
 * NOTE: AWS's error for a bad token is not documented; the emulator answers ValidationException.
 */
export const DEFAULT_PAGE_SIZE = 50;

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

interface Cursor {
  s: string;
  a?: string;
  h?: string[];
}

function badToken(): never {
  throw validationError('The NextToken is not valid for this request');
}

function readToken(nextToken: string | undefined, scope: string): Cursor | undefined {
  if (nextToken === undefined) return undefined;
  let c: unknown;
  try {
    c = JSON.parse(Buffer.from(nextToken, 'base64url').toString('utf8'));
  } catch {
    badToken();
  }
  if (typeof c !== 'object' || c === null || (c as Cursor).s !== scope) badToken();
  const { a, h } = c as Cursor;
  if (a !== undefined && typeof a !== 'string') badToken();
  if (h !== undefined && (!Array.isArray(h) || !h.every((x) => typeof x === 'string'))) badToken();
  return c as Cursor;
}

function writeToken(c: Cursor): string {
  return Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

/** `all` in the order of `orderKey` (unique per item); the token is the last key returned. */
export function paginateOrdered<T>(
  all: readonly T[],
  orderKey: (item: T) => string,
  scope: string,
  nextToken: string | undefined,
  maxResults: number | undefined,
): Page<T> {
  const cursor = readToken(nextToken, scope);
  if (cursor !== undefined && cursor.a === undefined) badToken();
  const after = cursor?.a;
  const rest = all
    .map((item) => ({ item, k: orderKey(item) }))
    .filter((e) => after === undefined || e.k > after)
    .sort((x, y) => (x.k < y.k ? -1 : x.k > y.k ? 1 : 0));
  const size = maxResults ?? DEFAULT_PAGE_SIZE;
  const page = rest.slice(0, size);
  const items = page.map((e) => e.item);
  return rest.length > size ? { items, nextToken: writeToken({ s: scope, a: page[page.length - 1]!.k }) } : { items };
}

function idHash(id: string): string {
  return createHash('sha256').update(id).digest().subarray(0, 8).toString('base64url');
}

/** `all` in its given order; `idOf` unique per item; the token lists (hashes of) what was returned. */
export function paginateUnordered<T>(
  all: readonly T[],
  idOf: (item: T) => string,
  scope: string,
  nextToken: string | undefined,
  maxResults: number | undefined,
): Page<T> {
  const cursor = readToken(nextToken, scope);
  if (cursor !== undefined && cursor.h === undefined) badToken();
  const seen = new Set(cursor?.h ?? []);
  const rest = all.map((item) => ({ item, h: idHash(idOf(item)) })).filter((e) => !seen.has(e.h));
  const size = maxResults ?? DEFAULT_PAGE_SIZE;
  const page = rest.slice(0, size);
  const items = page.map((e) => e.item);
  if (rest.length <= size) return { items };
  return { items, nextToken: writeToken({ s: scope, h: [...seen, ...page.map((e) => e.h)] }) };
}

/** The order of keys: creation time, then key id (both fixed for a key's life). */
export function keyOrder(k: { createdAt: number; keyId: string }): string {
  return `${String(k.createdAt).padStart(16, '0')}/${k.keyId}`;
}

import { validationError } from '../core/errors.js';

/**
 * Pagination of ListKeys / ListAliases / ListTagsForResource (model paginators-1.json):
 * MaxResults 1–100 (the model checks the range), default 50; NextToken is omitted on the last
 * page (the SDK paginators stop when it is absent).
 *
 * The token is opaque to clients: base64url of `<scope>|<offset>`, where the scope names the
 * operation and its filter, so a token is refused by any other listing.
 * NOTE: AWS's error for a bad token is not documented; the emulator answers ValidationException.
 */
export const DEFAULT_PAGE_SIZE = 50;

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export function paginate<T>(all: readonly T[], scope: string, nextToken: string | undefined, maxResults: number | undefined): Page<T> {
  let offset = 0;
  if (nextToken !== undefined) {
    const text = Buffer.from(nextToken, 'base64url').toString('utf8');
    const bar = text.lastIndexOf('|');
    const n = bar < 0 ? NaN : Number(text.slice(bar + 1));
    if (bar < 0 || text.slice(0, bar) !== scope || !Number.isSafeInteger(n) || n < 0) {
      throw validationError('The NextToken is not valid for this request');
    }
    offset = n;
  }
  const size = maxResults ?? DEFAULT_PAGE_SIZE;
  const items = all.slice(offset, offset + size);
  const end = offset + items.length;
  return end < all.length ? { items, nextToken: Buffer.from(`${scope}|${end}`, 'utf8').toString('base64url') } : { items };
}

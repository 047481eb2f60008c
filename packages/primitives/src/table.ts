/**
 * The entry of a facts table for a name (or numeric code) given by a caller, or undefined. Only the table's own
 * entries count: a name such as "toString" or "__proto__" from an untyped caller must never
 * select an Object.prototype member.
 */
export function ownEntry<V>(table: Readonly<Record<string | number, V>>, name: unknown): V | undefined {
  if (typeof name !== 'string' && typeof name !== 'number') return undefined;
  return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}

/**
 * The one order of names in everything written and compared: code-unit order, not the locale's
 * (`localeCompare` depends on the machine's ICU data), so that two builds anywhere are
 * byte-identical and a label set has one key.
 */

export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Entries by key, in code-unit order. */
export function byKey(a: readonly [string, unknown], b: readonly [string, unknown]): number {
  return byCodeUnit(a[0], b[0]);
}

/** A record's entries in key order. */
export function sortedEntries<T>(record: Readonly<Record<string, T>>): [string, T][] {
  return Object.entries(record).sort(byKey);
}

/** A copy of a record with its keys in code-unit order (JSON and YAML keep insertion order). */
export function sortedRecord<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(sortedEntries(record));
}

/**
 * What a misspelt name most likely meant: the override file's keys and the alert names it
 * refers to are long camel-case words where a typo is the usual mistake.
 */

/** Optimal string alignment distance, case-insensitive: typos, a missing or doubled letter, two swapped. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const d = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[x.length]![y.length]!;
}

/** The valid name a misspelt one most likely meant, if one is close enough to be a typo. */
export function nearestKey(key: string, valid: readonly string[]): string | undefined {
  const [best] = nearestNames(key, valid, 1);
  if (best === undefined) return undefined;
  const allowed = Math.max(1, Math.min(3, Math.floor(Math.max(key.length, best.length) / 3)));
  return editDistance(key, best) <= allowed ? best : undefined;
}

/** The `count` valid names closest to `name`, closest first (ties in the order given). */
export function nearestNames(name: string, valid: readonly string[], count: number): string[] {
  return valid
    .map((candidate, i) => ({ candidate, i, distance: editDistance(name, candidate) }))
    .sort((a, b) => a.distance - b.distance || a.i - b.i)
    .slice(0, count)
    .map((c) => c.candidate);
}

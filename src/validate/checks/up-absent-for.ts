import { durationSeconds } from '../../conventions/duration.js';
import type { Rule } from '../../documents/rules.js';
import { nodeText, parsePromql, parseSelector, type SyntaxNode, selectedName } from '../../promql/syntax.js';
import { defineCheck, type Finding } from '../check.js';

/**
 * An alert reading `up` or `absent()`, itself or through the bundle's recording rules, waits at
 * least 2 scrape intervals (`for`), so that one failed scrape does not page, unless it reads
 * them through a debounce (`min_over_time` over more than a scrape interval, as the SLI does).
 * pint's alerts/absent is online and does not follow recording rules.
 */

const MIN_SCRAPES = 2;

/** `min_over_time(x[w])` with w longer than a scrape interval: x must hold at two scrapes at least, so one failed scrape cannot set it (the SLI's debounce). */
function debounced(expr: string, node: SyntaxNode, scrapeSeconds: number): boolean {
  const fn = node.getChild('FunctionIdentifier');
  const range = node.getChild('FunctionCallBody')?.getChild('MatrixSelector')?.getChild('DurationExpr');
  return !!fn && !!range && nodeText(expr, fn) === 'min_over_time' && durationSeconds(nodeText(expr, range)) > scrapeSeconds;
}

/**
 * Whether the expression reads `up` or calls absent()/absent_over_time(), directly or through
 * the recording rules of the bundle it reads (an alert on `workers_up:count` reads `up`), other
 * than through a debounce.
 */
function readsUpOrAbsent(expr: string, recorded: ReadonlyMap<string, readonly string[]>, scrapeSeconds: number, seen: Set<string> = new Set()): boolean {
  let found = false;
  parsePromql(expr).iterate({
    enter: (ref) => {
      if (found) return false;
      if (ref.name === 'FunctionCall' && debounced(expr, ref.node, scrapeSeconds)) return false;
      if (ref.name === 'FunctionIdentifier' && /^absent(_over_time)?$/.test(nodeText(expr, ref.node))) found = true;
      if (ref.name === 'VectorSelector') {
        const name = selectedName(parseSelector(expr, ref.node)) ?? '';
        if (name === 'up') found = true;
        else if (recorded.has(name) && !seen.has(name)) {
          seen.add(name);
          found = recorded.get(name)!.some((e) => readsUpOrAbsent(e, recorded, scrapeSeconds, seen));
        }
      }
      return undefined;
    },
  });
  return found;
}

function recordingExpressions(rules: readonly Rule[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of rules) if (r.kind === 'record') out.set(r.name, [...(out.get(r.name) ?? []), r.expr]);
  return out;
}

export const upAbsentFor = defineCheck({
  id: 'mm2/up-absent-for',
  severity: 'bug',
  find: ({ rules, model }) => {
    const scrape = durationSeconds(model.prometheus.scrapeInterval);
    const recorded = recordingExpressions(rules);
    return rules.flatMap((r): Finding[] => {
      if (r.kind !== 'alert') return [];
      const forSeconds = r.for ? durationSeconds(r.for) : 0;
      if (forSeconds >= MIN_SCRAPES * scrape || !readsUpOrAbsent(r.expr, recorded, scrape)) return [];
      return [
        {
          file: r.file,
          where: r.where,
          detail: `reads up or absent() with for ${r.for ?? '0s'}: wait at least ${MIN_SCRAPES} scrape intervals (${MIN_SCRAPES * scrape}s) so that one failed scrape does not fire it`,
        },
      ];
    });
  },
});

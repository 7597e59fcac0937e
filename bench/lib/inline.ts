// Turns a query that reads recorded series into the query a bundle without those recording
// rules would need: each selector of a recorded signal is replaced by the recording rule's own
// expression (with the rule's static labels attached, as the rule would), recursively, and a
// range over it becomes a subquery at the evaluation interval. The PromQL is rewritten on its
// syntax tree (lezer-promql), never by text search.
// The project's own PromQL reader: one parser, one matcher.

import { matches } from '../../src/promql/matcher.js';
import { parsePromql, parseSelector, selectedName } from '../../src/promql/syntax.js';
import type { Rule } from '../../src/reader/read.js';

/** What inlining needs of a recording rule. */
export type InlinedRule = Pick<Rule, 'expr' | 'labels'>;

export interface Inlined {
  /** The rewritten query. */
  readonly expr: string;
  /** The recorded names it replaced, sorted. */
  readonly inlined: string[];
}

/**
 * @param rulesByRecord recording rules to inline, by recorded name
 * @param evalInterval subquery resolution for ranges over inlined expressions
 */
export function inlineRecorded(expr: string, rulesByRecord: ReadonlyMap<string, readonly InlinedRule[]>, evalInterval: string): Inlined {
  const inlined = new Set<string>();
  const rewrite = (text: string, depth: number): string => {
    if (depth > 10) throw new Error(`recording rules nest deeper than 10 levels in: ${text}`);
    const edits: { from: number; to: number; text: string }[] = [];
    parsePromql(text).iterate({
      enter(ref) {
        if (ref.name !== 'VectorSelector') return;
        const node = ref.node;
        const selector = parseSelector(text, node);
        const name = selectedName(selector);
        if (name === undefined) return false;
        const rules = rulesByRecord.get(name);
        if (!rules) return false;
        // Only the static labels of the rules can be matched before evaluation; other matchers
        // (e.g. a topic picked in a dashboard variable) filter the output, not what is read.
        const chosen = rules.filter((r) =>
          selector.matchers.every((m) => {
            const value = r.labels[m.label];
            return value === undefined || matches(m, value);
          }),
        );
        if (chosen.length === 0) return false;
        inlined.add(name);
        const body = chosen
          .map((r) =>
            Object.entries(r.labels).reduce(
              (e, [k, v]) => `label_replace(${e}, ${JSON.stringify(k)}, ${JSON.stringify(v)}, "", "")`,
              `(${rewrite(r.expr, depth + 1)})`,
            ),
          )
          .join(' or ');
        const parent = node.parent;
        if (parent && parent.name === 'MatrixSelector') {
          const range = parent.getChild('DurationExpr') ?? parent.lastChild;
          if (!range) throw new Error(`range selector without a duration in: ${text}`);
          edits.push({ from: parent.from, to: parent.to, text: `(${body})[${text.slice(range.from, range.to)}:${evalInterval}]` });
        } else {
          edits.push({ from: node.from, to: node.to, text: `(${body})` });
        }
        return false;
      },
    });
    let out = text;
    for (const e of edits.sort((a, b) => b.from - a.from)) out = out.slice(0, e.from) + e.text + out.slice(e.to);
    return out;
  };
  const out = rewrite(expr, 0);
  return { expr: out, inlined: [...inlined].sort() };
}

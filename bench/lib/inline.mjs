// Turns a query that reads recorded series into the query a bundle without those recording
// rules would need: each selector of a recorded signal is replaced by the recording rule's own
// expression (with the rule's static labels attached, as the rule would), recursively, and a
// range over it becomes a subquery at the evaluation interval. The PromQL is rewritten on its
// syntax tree (lezer-promql), never by text search.
import { parser } from '@prometheus-io/lezer-promql';

function unquote(literal) {
  return literal.startsWith('"') ? JSON.parse(literal) : literal.slice(1, -1);
}

function matchersOf(expr, selectorNode) {
  const out = [];
  const list = selectorNode.getChild('LabelMatchers');
  if (!list) return out;
  for (let m = list.firstChild; m; m = m.nextSibling) {
    const name = m.getChild('LabelName');
    const op = m.getChild('MatchOp');
    const value = m.getChild('StringLiteral');
    if (name && op && value) out.push({ label: expr.slice(name.from, name.to), op: expr.slice(op.from, op.to), value: unquote(expr.slice(value.from, value.to)) });
  }
  return out;
}

function matches(m, actual) {
  const v = actual ?? '';
  switch (m.op) {
    case '=': return v === m.value;
    case '!=': return v !== m.value;
    case '=~': return new RegExp(`^(?:${m.value})$`).test(v);
    case '!~': return !new RegExp(`^(?:${m.value})$`).test(v);
    default: throw new Error(`unknown matcher ${m.op}`);
  }
}

/**
 * @param {string} expr
 * @param {Map<string, {expr: string, labels: Record<string,string>}[]>} rulesByRecord recording rules to inline, by recorded name
 * @param {string} evalInterval subquery resolution for ranges over inlined expressions
 * @returns {{ expr: string, inlined: string[] }} the rewritten query and the recorded names it replaced
 */
export function inlineRecorded(expr, rulesByRecord, evalInterval) {
  const inlined = new Set();
  const rewrite = (text, depth) => {
    if (depth > 10) throw new Error(`recording rules nest deeper than 10 levels in: ${text}`);
    const edits = [];
    parser.parse(text).iterate({
      enter(ref) {
        if (ref.name !== 'VectorSelector') return;
        const node = ref.node;
        const id = node.getChild('Identifier');
        if (!id) return false;
        const name = text.slice(id.from, id.to);
        const rules = rulesByRecord.get(name);
        if (!rules) return false;
        // Only the static labels of the rules can be matched before evaluation; other matchers
        // (e.g. a topic picked in a dashboard variable) filter the output, not what is read.
        const ms = matchersOf(text, node);
        const chosen = rules.filter((r) => ms.every((m) => !(m.label in r.labels) || matches(m, r.labels[m.label])));
        if (chosen.length === 0) return false;
        inlined.add(name);
        const body = chosen
          .map((r) => Object.entries(r.labels).reduce((e, [k, v]) => `label_replace(${e}, ${JSON.stringify(k)}, ${JSON.stringify(v)}, "", "")`, `(${rewrite(r.expr, depth + 1)})`))
          .join(' or ');
        const parent = node.parent;
        if (parent && parent.name === 'MatrixSelector') {
          const range = parent.getChild('DurationExpr') ?? parent.lastChild;
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

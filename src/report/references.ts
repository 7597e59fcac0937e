import { parser } from '@prometheus-io/lezer-promql';

/**
 * The metric names an expression selects, read from its syntax tree rather than searched as
 * text: a recorded name inside a label value, a legend or a comment is not a use of it.
 * Covers `name{...}` and `{__name__="name"}`; a regex on `__name__` selects no name in
 * particular and is left out.
 */
export function selectedMetricNames(expr: string): Set<string> {
  const names = new Set<string>();
  const tree = parser.parse(expr);
  tree.iterate({
    enter(node) {
      if (node.name === 'VectorSelector') {
        const id = node.node.getChild('Identifier');
        if (id) names.add(expr.slice(id.from, id.to));
        return;
      }
      if (node.name === 'UnquotedLabelMatcher') {
        const label = node.node.getChild('LabelName');
        const op = node.node.getChild('MatchOp');
        const value = node.node.getChild('StringLiteral');
        if (label && op && value && expr.slice(label.from, label.to) === '__name__' && expr.slice(op.from, op.to) === '=') {
          names.add(unquote(expr.slice(value.from, value.to)));
        }
      }
    },
  });
  return names;
}

function unquote(literal: string): string {
  if (literal.startsWith('"')) return JSON.parse(literal) as string;
  // Single-quoted and backquoted literals: metric names never need escapes.
  return literal.slice(1, -1);
}

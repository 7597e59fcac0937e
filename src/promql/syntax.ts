import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import type { LabelMatcher, MatchOp } from './matcher.js';

/**
 * Reading PromQL: the one place that parses an expression (lezer-promql, Prometheus' own
 * grammar) and reads literals and selectors out of its tree. Every reader of the bundle's
 * expressions (validators, the report, the label-set interpreter) walks trees from here.
 */

export type { SyntaxNode };

/** The syntax tree of an expression; a syntax error shows as error nodes (see `hasSyntaxError`). */
export function parsePromql(expr: string): Tree {
  return parser.parse(expr);
}

export function hasSyntaxError(tree: Tree): boolean {
  let broken = false;
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) broken = true;
    },
  });
  return broken;
}

/** The source text of a node. */
export function nodeText(expr: string, node: { readonly from: number; readonly to: number }): string {
  return expr.slice(node.from, node.to);
}

/** The node's children that are expressions (operands, arguments). */
export function exprChildren(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.type.is('Expr')) out.push(c);
  return out;
}

/** Every child of the node. */
export function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

/** Go string literal as PromQL reads it. */
export function unquote(literal: string): string {
  const quote = literal[0];
  const body = literal.slice(1, -1);
  if (quote === '`') return body;
  const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, (_, e: string) => {
    if (/^[xuU]/.test(e)) return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (/^[0-7]{3}$/.test(e)) return String.fromCodePoint(parseInt(e, 8));
    return simple[e] ?? e;
  });
}

/** The label that holds a series' metric name. */
export const NAME_LABEL = '__name__';

/** A vector selector as written and its matchers; the metric name is a matcher on `__name__`. */
export interface Selector {
  readonly text: string;
  readonly matchers: readonly LabelMatcher[];
}

/** Reads a VectorSelector node: `name{...}`, `{"name", ...}` and `{__name__="name"}` alike. */
export function parseSelector(expr: string, node: SyntaxNode): Selector {
  const matchers: LabelMatcher[] = [];
  const id = node.getChild('Identifier');
  if (id) matchers.push({ label: NAME_LABEL, op: '=', value: nodeText(expr, id) });
  const list = node.getChild('LabelMatchers');
  for (let m = list?.firstChild ?? null; m; m = m.nextSibling) {
    if (m.name === 'QuotedLabelName') {
      matchers.push({ label: NAME_LABEL, op: '=', value: unquote(nodeText(expr, m)) });
      continue;
    }
    if (m.name !== 'UnquotedLabelMatcher' && m.name !== 'QuotedLabelMatcher') continue;
    const label = m.name === 'UnquotedLabelMatcher' ? nodeText(expr, m.getChild('LabelName')!) : unquote(nodeText(expr, m.getChild('QuotedLabelName')!));
    const op = nodeText(expr, m.getChild('MatchOp')!) as MatchOp;
    matchers.push({ label, op, value: unquote(nodeText(expr, m.getChild('StringLiteral')!)) });
  }
  return { text: nodeText(expr, node), matchers };
}

/** The metric name a selector names exactly (`name{...}` or `__name__="name"`), if any. */
export function selectedName(selector: Selector): string | undefined {
  return selector.matchers.find((m) => m.label === NAME_LABEL && m.op === '=')?.value;
}

/** Calls `visit` with every vector selector of the expression and its node. */
export function forEachSelector(expr: string, visit: (selector: Selector, node: SyntaxNode) => void): void {
  parsePromql(expr).iterate({
    enter: (ref) => {
      if (ref.name !== 'VectorSelector') return undefined;
      visit(parseSelector(expr, ref.node), ref.node);
      return false;
    },
  });
}

import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { ALERT_SERIES } from '../conventions/names.js';

/**
 * What an expression selects, read from its syntax tree rather than searched as text: a
 * recorded name inside a label value, a legend or a comment is not a use of it. Covers
 * `name{...}` and `{__name__="name"}`; a regex on `__name__` selects no name in particular
 * and is left out.
 */
export interface Selections {
  /** Every metric name the expression selects. */
  readonly names: Set<string>;
  /**
   * Names selected only on the right of `and` / `unless`: they decide which series are kept
   * (e.g. the dashboards' flow filter) but none of their values is shown or compared.
   */
  readonly filterOnly: Set<string>;
  /**
   * For each selector of Prometheus' ALERTS series, its matchers on `alertname` (none: any
   * alert). An expression built on alert states reads whatever those alerts read.
   */
  readonly alertSelectors: (readonly LabelMatcher[])[];
}

export interface LabelMatcher {
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** Whether a label value satisfies a matcher (regexes anchored, as Prometheus anchors them). */
export function satisfies(m: LabelMatcher, value: string): boolean {
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return new RegExp(`^(?:${m.value})$`).test(value);
    case '!~':
      return !new RegExp(`^(?:${m.value})$`).test(value);
  }
}

/** The matchers of a VectorSelector on one label. */
function matchersOn(expr: string, selector: SyntaxNode, label: string): LabelMatcher[] {
  const out: LabelMatcher[] = [];
  const list = selector.getChild('LabelMatchers');
  for (let m = list?.firstChild ?? null; m; m = m.nextSibling) {
    const name = m.getChild('LabelName');
    const op = m.getChild('MatchOp');
    const value = m.getChild('StringLiteral');
    if (name && op && value && expr.slice(name.from, name.to) === label) {
      out.push({ op: expr.slice(op.from, op.to) as LabelMatcher['op'], value: unquote(expr.slice(value.from, value.to)) });
    }
  }
  return out;
}

/** Whether `node` sits on the right-hand side of an `and` or `unless`. */
function onFilterSide(node: SyntaxNode): boolean {
  for (let child: SyntaxNode = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent.name !== 'BinaryExpr') continue;
    const op = parent.getChild('And') ?? parent.getChild('Unless');
    if (op && child.from > op.from) return true;
  }
  return false;
}

function unquote(literal: string): string {
  if (literal.startsWith('"')) return JSON.parse(literal) as string;
  // Single-quoted and backquoted literals: metric names never need escapes.
  return literal.slice(1, -1);
}

export function selections(expr: string): Selections {
  const shown = new Set<string>();
  const filters = new Set<string>();
  const alertSelectors: LabelMatcher[][] = [];
  const add = (name: string, node: SyntaxNode) => (onFilterSide(node) ? filters : shown).add(name);
  parser.parse(expr).iterate({
    enter(ref) {
      if (ref.name === 'VectorSelector') {
        const id = ref.node.getChild('Identifier');
        if (id) add(expr.slice(id.from, id.to), ref.node);
        if (id && expr.slice(id.from, id.to) === ALERT_SERIES.alerts) alertSelectors.push(matchersOn(expr, ref.node, 'alertname'));
        return;
      }
      if (ref.name === 'UnquotedLabelMatcher') {
        const label = ref.node.getChild('LabelName');
        const op = ref.node.getChild('MatchOp');
        const value = ref.node.getChild('StringLiteral');
        if (label && op && value && expr.slice(label.from, label.to) === '__name__' && expr.slice(op.from, op.to) === '=') {
          add(unquote(expr.slice(value.from, value.to)), ref.node);
        }
      }
    },
  });
  return { names: new Set([...shown, ...filters]), filterOnly: new Set([...filters].filter((n) => !shown.has(n))), alertSelectors };
}

/** Every metric name the expression selects (see `selections`). */
export function selectedMetricNames(expr: string): Set<string> {
  return selections(expr).names;
}

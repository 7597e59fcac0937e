import { ALERT_SERIES } from '../conventions/names.js';
import type { Matcher } from './matcher.js';
import { forEachSelector, type SyntaxNode, selectedName } from './syntax.js';

/**
 * What an expression selects, read from its syntax tree rather than searched as text: a
 * recorded name inside a label value, a legend or a comment is not a use of it. Covers
 * `name{...}` and `{__name__="name"}`; a regex on `__name__` selects no name in particular
 * and is left out.
 */
export interface Selections {
  /** Every metric name the expression selects. */
  readonly names: ReadonlySet<string>;
  /**
   * Names selected only on the right of `and` / `unless`: they decide which series are kept
   * (e.g. the dashboards' flow filter) but none of their values is shown or compared.
   */
  readonly filterOnly: ReadonlySet<string>;
  /**
   * For each selector of Prometheus' ALERTS series, its matchers on `alertname` (none: any
   * alert). An expression built on alert states reads whatever those alerts read.
   */
  readonly alertSelectors: readonly (readonly Matcher[])[];
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

export function selections(expr: string): Selections {
  const shown = new Set<string>();
  const filters = new Set<string>();
  const alertSelectors: Matcher[][] = [];
  forEachSelector(expr, (selector, node) => {
    const name = selectedName(selector);
    if (name === undefined) return;
    (onFilterSide(node) ? filters : shown).add(name);
    if (name === ALERT_SERIES.alerts) {
      alertSelectors.push(selector.matchers.filter((m) => m.label === 'alertname').map(({ op, value }) => ({ op, value })));
    }
  });
  return { names: new Set([...shown, ...filters]), filterOnly: new Set([...filters].filter((n) => !shown.has(n))), alertSelectors };
}

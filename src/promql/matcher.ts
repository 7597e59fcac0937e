/**
 * A label matcher, as the builders write it and as the readers parse it back: one type and one
 * way to decide whether a value satisfies it (Prometheus anchors regex matchers).
 */
export type MatchOp = '=' | '!=' | '=~' | '!~';
export interface Matcher {
  readonly op: MatchOp;
  readonly value: string;
}

/** A matcher read from a selector: the label it is on, `__name__` for the metric name. */
export interface LabelMatcher extends Matcher {
  readonly label: string;
}

/** RE2 as Prometheus uses it (fully anchored), run as a JavaScript RegExp; undefined when JavaScript cannot read it. */
export function anchoredRegex(regex: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${regex})$`);
  } catch {
    return undefined;
  }
}

/**
 * Whether a label value satisfies the matcher (an absent label is the empty value). A regex
 * JavaScript cannot compile is given the benefit of the doubt: it may match.
 */
export function matches(m: Matcher, value: string): boolean {
  if (m.op === '=') return value === m.value;
  if (m.op === '!=') return value !== m.value;
  const re = anchoredRegex(m.value);
  if (!re) return true;
  return re.test(value) === (m.op === '=~');
}

/** Escapes RE2 metacharacters so that a literal (a connector name, an alias) matches only itself. */
export function escapeRegex(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

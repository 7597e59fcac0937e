import type { TargetLabel } from '../conventions/labels.js';
import { byKey } from '../conventions/order.js';
import type { LabelsOf, MetricKey } from '../metrics/names.js';
import { METRICS } from '../metrics/names.js';
import { escapeRegex, type Matcher } from './matcher.js';

/**
 * Builds PromQL selectors from the metric catalog: label names are type-checked against
 * the metric's declared labels, values are escaped once here.
 */

export const eq = (value: string): Matcher => ({ op: '=', value });
export const re = (value: string): Matcher => ({ op: '=~', value });
export const nre = (value: string): Matcher => ({ op: '!~', value });

/** A regex matching exactly one of the literals (Prometheus anchors regex matchers). */
export function oneOf(literals: readonly string[]): Matcher {
  const unique = [...new Set(literals)].sort();
  if (unique.length === 1) return eq(unique[0]!);
  return re(unique.map(escapeRegex).join('|'));
}

/** PromQL double-quoted string literal. */
export function quote(value: string): string {
  return JSON.stringify(value);
}

/** One matcher on a label, or several (all must hold: `topic=~"nemo\\..+", topic!~"nemo\\.eu\\..+"`). */
export type LabelMatch = Matcher | readonly Matcher[];
export type SelectorLabels<K extends MetricKey> = Partial<Record<LabelsOf<K> | TargetLabel, LabelMatch>>;

function renderMatchers(matchers: Readonly<Record<string, LabelMatch | undefined>>): string {
  return Object.entries(matchers)
    .filter((e): e is [string, LabelMatch] => e[1] !== undefined)
    .sort(byKey)
    .flatMap(([label, m]) => (Array.isArray(m) ? m : [m as Matcher]).map((x) => `${label}${x.op}${quote(x.value)}`))
    .join(', ');
}

/** `metric{label="value",...}` with labels in a stable order (declaration order, then target labels). */
export function metricSelector<K extends MetricKey>(key: K, matchers: SelectorLabels<K> = {}): string {
  const body = renderMatchers(matchers as Record<string, LabelMatch | undefined>);
  return body ? `${METRICS[key].name}{${body}}` : METRICS[key].name;
}

/** A selector on a recorded series (recording rule output). */
export function recorded(name: string, matchers: Readonly<Record<string, LabelMatch>> = {}): string {
  const body = renderMatchers(matchers);
  return body ? `${name}{${body}}` : name;
}

/** label_replace's replacement as a PromQL string: `$` would start a group reference, `$$` is a literal one. */
export function labelReplacement(value: string): string {
  return quote(value.replace(/\$/g, '$$$$'));
}

import type { Matcher } from '../promql/matcher.js';
import { selections } from '../promql/selections.js';

/** A Prometheus recording or alerting rule as it is written in a rule file. */
export interface RuleSpec {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly for?: string;
  readonly keep_firing_for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A rule group as it is written in a rule file. */
export interface RuleGroupSpec {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly RuleSpec[];
}

/** What an expression reads (promql/selections.ts). */
export interface Reads {
  /** Metric names (raw or recorded) the expression selects. */
  readonly reads: ReadonlySet<string>;
  /** Of those, the ones selected only to filter (right of `and` / `unless`). */
  readonly filterReads: ReadonlySet<string>;
  /** `alertname` matchers of each ALERTS selector: the expression reads those alerts' states. */
  readonly alertSelectors: readonly (readonly Matcher[])[];
}

export function readsOf(expr: string): Reads {
  const s = selections(expr);
  return { reads: s.names, filterReads: s.filterOnly, alertSelectors: s.alertSelectors };
}

/** One recording or alerting rule of a rule file, typed, with what its expression reads. */
export interface Rule extends Reads {
  readonly file: string;
  readonly group: string;
  readonly kind: 'record' | 'alert';
  /** The recorded series or the alert name. */
  readonly name: string;
  readonly expr: string;
  readonly for: string | undefined;
  /** An alert's keep_firing_for. */
  readonly keepFiringFor: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** Where it is, for messages: "group mm2-alerts, alert MM2TaskFailedCritical". */
  readonly where: string;
}

export interface RuleGroup {
  readonly file: string;
  readonly name: string;
  readonly rules: readonly Rule[];
}

/** A rule as it is written -> the typed rule (undefined: neither a recording nor an alerting rule). */
export function ruleOf(file: string, group: string, spec: RuleSpec): Rule | undefined {
  const kind = spec.alert !== undefined ? 'alert' : spec.record !== undefined ? 'record' : undefined;
  if (!kind) return undefined;
  const name = String(kind === 'alert' ? spec.alert : spec.record);
  return {
    file,
    group,
    kind,
    name,
    expr: spec.expr,
    for: spec.for,
    keepFiringFor: spec.keep_firing_for,
    labels: { ...spec.labels },
    annotations: { ...spec.annotations },
    where: `group ${group}, ${kind} ${name}`,
    ...readsOf(spec.expr),
  };
}

export function ruleGroupOf(file: string, group: RuleGroupSpec): RuleGroup {
  return { file, name: group.name, rules: group.rules.flatMap((r) => ruleOf(file, group.name, r) ?? []) };
}

import { FLOW_LABEL } from '../../conventions/labels.js';
import type { Model, ResolvedSignal } from '../../model/model.js';

/** A Prometheus recording rule as it is serialised. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * One recording rule per signal and flow (or one for cluster signals). The `flow` label is
 * attached here, statically, because no MM2 metric carries the flow as a label: this is the
 * one place that turns connector names and topic prefixes into a routable flow. The group
 * labels (cluster, job) are attached the same way: every raw selector of the rule is scoped
 * to them, so the static value is the one the aggregation would have kept.
 */
export function signalRecordingRules(model: Model, signal: ResolvedSignal): RecordingRule[] {
  const def = signal.def;
  if (def.scope === 'cluster') return [{ record: def.record, expr: def.expr(model.queryContext), labels: { ...model.groupLabels } }];
  return model.flows.map((flow) => ({ record: def.record, expr: def.expr(flow, model.queryContext), labels: { ...model.groupLabels, [FLOW_LABEL]: flow.id } }));
}

export function allSignalRecordingRules(model: Model): RecordingRule[] {
  return model.signals.flatMap((s) => signalRecordingRules(model, s));
}

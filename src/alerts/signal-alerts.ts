import { DIRECTIONS } from '../conventions/direction.js';
import { FLOW_LABEL } from '../conventions/labels.js';
import { runbookUrl, signalAlertName } from '../conventions/names.js';
import type { Unit } from '../conventions/units.js';
import { durationSeconds } from '../model/duration.js';
import { groupMatchers, type Model, type ResolvedSignal } from '../model/model.js';
import { SEVERITIES, type Severity } from '../model/signals.js';
import { recorded } from '../promql/selector.js';
import { quantity, unitWords } from '../text/wording.js';

/** A Prometheus alerting rule as it is serialised. */
export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<{ summary: string; description: string; runbook_url: string }>;
}

/**
 * The unit after Prometheus' {{ $value }}: the singular when the value is exactly 1 ("1 task",
 * "2 tasks"), decided by the template since the value is only known when the alert fires.
 */
function valueUnit(unit: Unit): string {
  const [one, many] = unitWords(unit);
  return one === many ? many : `{{ if eq $value 1.0 }}${one}{{ else }}${many}{{ end }}`;
}

/** How a location label reads in a sentence: an instance is a Connect worker's exporter. */
const LABEL_WORDS: Readonly<Record<string, string>> = { instance: 'worker' };

/** "flow {{ $labels.flow }}, connector {{ $labels.connector }}": the labels that say where to look. */
function locator(model: Model, signal: ResolvedSignal): string {
  const def = signal.def;
  const where = def.scope === 'flow' ? [`flow {{ $labels.${FLOW_LABEL} }}`] : [`Connect cluster ${model.prometheus.cluster} (job ${model.prometheus.job})`];
  for (const label of def.by) where.push(`${LABEL_WORDS[label] ?? label} {{ $labels.${label} }}`);
  return where.join(', ');
}

function signalAlert(model: Model, signal: ResolvedSignal, severity: Severity): AlertingRule | undefined {
  const tier = signal.tiers[severity];
  if (!tier) return undefined;
  const def = signal.def;
  const { comparison: op, bound: boundWords } = DIRECTIONS[def.direction];
  const bound = `${boundWords} ${quantity(tier.threshold, def.unit)}`;
  const alert = signalAlertName(signal.id, severity);
  return {
    alert,
    // No flow filter: one rule covers every flow, and the flow label comes from the recorded series.
    // The group filter keeps another bundle's series (another Connect cluster) out of this rule.
    expr: `${recorded(def.record, groupMatchers(model))} ${op} ${tier.threshold}`,
    for: durationSeconds(tier.for) > 0 ? tier.for : undefined,
    labels: { severity, signal: signal.id, ...model.alerting.extraLabels },
    annotations: {
      // The summary is what a pager shows: it names where to act (flow, connector, task, worker).
      summary: `MirrorMaker 2 ${locator(model, signal)}: ${def.title.toLowerCase()} ${bound} for ${tier.for}.`,
      description:
        `${locator(model, signal)}: ${def.title.toLowerCase()} is {{ $value | humanize }} ${valueUnit(def.unit)}, ` +
        `${bound} for ${tier.for} (${severity} threshold). ${def.meaning}`,
      runbook_url: runbookUrl(model.prometheus.runbookBaseUrl, alert),
    },
  };
}

/** One alert per signal and tier of the model's thresholds, critical before warning. */
export function signalAlertRules(model: Model): AlertingRule[] {
  const order = [...SEVERITIES].reverse();
  return model.signals.flatMap((s) => order.flatMap((sev) => signalAlert(model, s, sev) ?? []));
}

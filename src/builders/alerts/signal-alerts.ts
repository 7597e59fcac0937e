import { DIRECTIONS } from '../../conventions/direction.js';
import { durationSeconds } from '../../conventions/duration.js';
import { FLOW_LABEL, LABEL_WORDS } from '../../conventions/labels.js';
import { signalAlertName } from '../../conventions/names.js';
import type { Unit } from '../../conventions/units.js';
import { groupMatchers, type Model, type ResolvedSignal } from '../../model/model.js';
import { SEVERITIES, type Severity } from '../../model/signals.js';
import { CONNECTOR_ROLES, connectorLabel } from '../../model/topology.js';
import type { Matcher } from '../../promql/matcher.js';
import { oneOf, recorded } from '../../promql/selector.js';
import { andList, quantity, unitWords } from '../../text/wording.js';

/** A Prometheus alerting rule as its builder writes it: the decoration pass (decorate.ts) adds its runbook link and the labels every alert carries. */
export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  /** Prometheus' keep_firing_for: how long the alert stays firing once its condition no longer holds. */
  readonly keep_firing_for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<{ summary: string; description: string }>;
}

/**
 * The unit after Prometheus' {{ $value }}: the singular when the value is exactly 1 ("1 task",
 * "2 tasks"), decided by the template since the value is only known when the alert fires.
 */
function valueUnit(unit: Unit): string {
  const [one, many] = unitWords(unit);
  return one === many ? many : `{{ if eq $value 1.0 }}${one}{{ else }}${many}{{ end }}`;
}

/** "flow {{ $labels.flow }}, connector {{ $labels.connector }}": the labels that say where to look. */
function locator(model: Model, signal: ResolvedSignal): string {
  const def = signal.def;
  const where = def.scope === 'flow' ? [`flow {{ $labels.${FLOW_LABEL} }}`] : [`Connect cluster ${model.prometheus.cluster} (job ${model.prometheus.job})`];
  for (const label of def.by) where.push(`${LABEL_WORDS[label] ?? label} {{ $labels.${label} }}`);
  return where.join(', ');
}

/** The connector matcher of a tier that is about some connectors only (tierConnectors), over every flow. */
function tierConnectorMatcher(model: Model, signal: ResolvedSignal, severity: Severity): Record<string, Matcher> {
  const kinds = signal.def.tierConnectors?.[severity];
  return kinds ? { connector: oneOf(model.flows.flatMap((f) => kinds.map((k) => connectorLabel(f.connectors[k])))) } : {};
}

/** Why a tier about some connectors only pages or warns: what those connectors carry. */
function tierConnectorReason(signal: ResolvedSignal, severity: Severity): string {
  const kinds = signal.def.tierConnectors?.[severity];
  if (!kinds) return '';
  const what = kinds.map(
    (k) => `the ${k} connector${CONNECTOR_ROLES[k].carriesRecords ? ' carries the records' : `'s outage stops ${CONNECTOR_ROLES[k].stops}`}`,
  );
  return kinds.every((k) => CONNECTOR_ROLES[k].carriesRecords)
    ? ` A page: ${andList(what)}, and its outage counts against the SLO.`
    : ` A warning, not a page: ${andList(what)}.`;
}

function signalAlert(model: Model, signal: ResolvedSignal, severity: Severity): AlertingRule | undefined {
  const tier = signal.tiers[severity];
  if (!tier) return undefined;
  const def = signal.def;
  const { comparison: op, bound: boundWords } = DIRECTIONS[def.direction];
  const bound = `${boundWords} ${quantity(tier.threshold, def.unit)}`;
  const alert = signalAlertName(signal.id, severity);
  // No flow filter: one rule covers every flow, and the flow label comes from the recorded series.
  // The group filter keeps another bundle's series (another Connect cluster) out of this rule.
  const series = recorded(def.record, { ...groupMatchers(model), ...tierConnectorMatcher(model, signal, severity) });
  const value = def.sparse ? `last_over_time(${series}[${model.prometheus.rateWindow}])` : series;
  const sparse = def.sparse
    ? ` Read as the last value within ${model.prometheus.rateWindow}: a topic with a record every few minutes has a value only after each record.`
    : '';
  return {
    alert,
    expr: `${value} ${op} ${tier.threshold}`,
    for: durationSeconds(tier.for) > 0 ? tier.for : undefined,
    labels: { severity, signal: signal.id },
    annotations: {
      // The summary is what a pager shows: it names where to act (flow, connector, task, worker).
      summary: `MirrorMaker 2 ${locator(model, signal)}: ${def.title.toLowerCase()} ${bound} for ${tier.for}.`,
      description:
        `${locator(model, signal)}: ${def.title.toLowerCase()} is {{ $value | humanize }} ${valueUnit(def.unit)}, ` +
        `${bound} for ${tier.for} (${severity} threshold). ${def.meaning}${sparse}${tierConnectorReason(signal, severity)}`,
    },
  };
}

/** One alert per signal and tier of the model's thresholds, critical before warning. */
export function signalAlertRules(model: Model): AlertingRule[] {
  const order = [...SEVERITIES].reverse();
  return model.signals.flatMap((s) => order.flatMap((sev) => signalAlert(model, s, sev) ?? []));
}

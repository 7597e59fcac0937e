import { badComparison } from '../conventions/direction.js';
import { FLOW_LABEL } from '../conventions/labels.js';
import { burnRateAlertName, runbookUrl, SLO_SERIES, SLO_SIGNAL_LABEL } from '../conventions/names.js';
import { durationSeconds } from '../model/duration.js';
import { groupMatchers, type Model, signal } from '../model/model.js';
import { isLongSloWindow, roundFloatNoise, SLI_CONDITIONS, SLI_DEBOUNCE_EVALUATIONS, sloLongWindowInterval } from '../model/sla.js';
import { connectorLabel } from '../model/topology.js';
import { eq, metricSelector, recorded } from '../promql/selector.js';
import { aboutDuration, formatNumber, humanDuration, nearOnePercent } from '../text/wording.js';
import type { RecordingRule } from './recording.js';
import type { AlertingRule } from './signal-alerts.js';

/** Every window an SLO rule sums over: the tiers' long and short windows, in ascending length. */
export function sloWindows(model: Model): string[] {
  const windows = new Set(model.sla.burnRateTiers.flatMap((t) => [t.longWindow, t.shortWindow]));
  return [...windows].sort((a, b) => durationSeconds(a) - durationSeconds(b));
}

/**
 * A range that holds exactly `SLI_DEBOUNCE_EVALUATIONS` evaluations whether the range's left
 * end is closed (Prometheus 2) or open (Prometheus 3): half an interval short of the next one.
 */
function debounceRange(model: Model): string {
  const ms = (SLI_DEBOUNCE_EVALUATIONS - 1) * model.sla.evaluationSeconds * 1000 + (model.sla.evaluationSeconds * 1000) / 2;
  return `${ms}ms`;
}

/**
 * No data is not downtime: a condition counts only once Prometheus has known the job's targets
 * for 4 scrape intervals. Before the targets are discovered every "nothing runs" condition
 * holds; the first scrapes clear them before the gate opens. A Connect cluster that is down
 * while its targets are known (up == 0) does count.
 */
function dataGate(model: Model): string {
  return `${4 * durationSeconds(model.prometheus.scrapeInterval)}s`;
}

export function sloRecordingRules(model: Model): RecordingRule[] {
  const group = groupMatchers(model);
  const labels = (flowId?: string) => ({ ...model.groupLabels, ...(flowId ? { [FLOW_LABEL]: flowId } : {}) });
  const perFlow = (flowId: string, name: string) => recorded(name, { ...group, [FLOW_LABEL]: eq(flowId) });
  const r = debounceRange(model);
  const rules: RecordingRule[] = [];
  for (const flow of model.flows) {
    const conditions = SLI_CONDITIONS.flatMap((c) => {
      const s = signal(model, c.signal);
      const tier = s.tiers.critical ?? s.tiers.warning;
      if (!tier) return [];
      const matchers = {
        ...group,
        ...(s.def.scope === 'flow' ? { [FLOW_LABEL]: eq(flow.id) } : {}),
        ...(c.sourceConnectorOnly ? { connector: eq(connectorLabel(flow.connectors.source)) } : {}),
      };
      return [`count(${recorded(s.def.record, matchers)} ${badComparison(s.def.direction)} ${tier.threshold})`];
    });
    const gate = `count(${metricSelector('up', group)} offset ${dataGate(model)}) > 0`;
    const outage = conditions.length ? `(clamp_max(${conditions.join(' or on () ')}, 1) and on () (${gate})) or on () vector(0)` : 'vector(0)';
    rules.push(
      { record: SLO_SERIES.outage, expr: outage, labels: labels(flow.id) },
      // 1 at the last evaluation of every full debounce window of bad evaluations.
      { record: SLO_SERIES.outageConfirmed, expr: `min_over_time(${perFlow(flow.id, SLO_SERIES.outage)}[${r}])`, labels: labels(flow.id) },
      // Spread back over the window: a run of k >= N bad evaluations gives exactly k bad evaluations here,
      // N - 1 evaluations late; a shorter run gives none.
      { record: SLO_SERIES.unavailable, expr: `max_over_time(${perFlow(flow.id, SLO_SERIES.outageConfirmed)}[${r}])`, labels: labels(flow.id) },
    );
  }
  const mine = (name: string) => recorded(name, group);
  const step = model.sla.evaluationSeconds;
  // Unavailable time over the window's length: missing data counts as available, so a window
  // longer than the data that exists is not inflated by it (avg_over_time would be).
  const ratios = sloWindows(model).map((w) => ({
    record: SLO_SERIES.errorRatio(w),
    expr: `sum_over_time(${mine(SLO_SERIES.unavailable)}[${w}]) * ${step} / ${durationSeconds(w)}`,
    labels: labels(),
  }));
  const burns = sloWindows(model).map((w) => ({
    record: SLO_SERIES.burnRate(w),
    expr: `${mine(SLO_SERIES.errorRatio(w))} / ${roundFloatNoise(model.sla.errorBudgetRatio)}`,
    labels: labels(),
  }));
  const remaining = {
    record: SLO_SERIES.errorBudgetRemaining,
    expr: `1 - sum_over_time(${mine(SLO_SERIES.unavailable)}[${model.sla.sloPeriod}]) * ${step} / ${model.sla.errorBudgetSecondsPerPeriod}`,
    labels: labels(),
  };
  return [...rules, ...ratios, ...burns, remaining];
}

/** The SLO's recording rules split by evaluation group: the short windows every evaluation, the long ones (and the remaining budget) less often. */
export function sloRecordingGroups(model: Model): { short: RecordingRule[]; long: RecordingRule[]; longInterval: string } {
  const longRecords = new Set([
    ...sloWindows(model)
      .filter(isLongSloWindow)
      .flatMap((w) => [SLO_SERIES.errorRatio(w), SLO_SERIES.burnRate(w)]),
    SLO_SERIES.errorBudgetRemaining,
  ]);
  const all = sloRecordingRules(model);
  return {
    short: all.filter((r) => !longRecords.has(r.record)),
    long: all.filter((r) => longRecords.has(r.record)),
    longInterval: sloLongWindowInterval(model.prometheus.evaluationInterval),
  };
}

export function sloAlertRules(model: Model): AlertingRule[] {
  const group = groupMatchers(model);
  const mine = (name: string) => recorded(name, group);
  const pct = nearOnePercent(model.sla.objective);
  return model.sla.burnRateTiers.map((t) => {
    const burning = `${mine(SLO_SERIES.burnRate(t.longWindow))} > ${t.factor} and ${mine(SLO_SERIES.burnRate(t.shortWindow))} > ${t.factor}`;
    return {
      alert: burnRateAlertName(t.name),
      // A page means "still burning now": the flow is unavailable at this evaluation too.
      expr: t.pages ? `${burning} and on (${[...Object.keys(model.groupLabels), FLOW_LABEL].join(', ')}) ${mine(SLO_SERIES.unavailable)} == 1` : burning,
      for: t.for,
      labels: { severity: t.severity, signal: SLO_SIGNAL_LABEL, ...model.alerting.extraLabels },
      annotations: {
        summary: t.pages
          ? `MirrorMaker 2 flow {{ $labels.${FLOW_LABEL} }} is unavailable now and burning its error budget at more than ${formatNumber(t.factor)} × the rate the SLO allows.`
          : `MirrorMaker 2 flow {{ $labels.${FLOW_LABEL} }} spent more than ${formatNumber(t.budgetShare * 100)} % of its ${model.sla.sloPeriod} error budget within ${t.longWindow}: a ticket, not a page.`,
        description:
          `flow {{ $labels.${FLOW_LABEL} }}: burn rate {{ $value | humanize }} over ${t.longWindow} (and above ${formatNumber(t.factor)} over ${t.shortWindow}). ` +
          `At this pace ${formatNumber(t.budgetShare * 100)} % of the ${model.sla.sloPeriod} error budget of the ${pct} objective goes within ${t.longWindow}; ` +
          `${aboutDuration(t.minOutageSeconds)} of downtime within ${t.longWindow} is enough to trip it${t.minOutageSeconds <= model.sla.minCountedOutageSeconds ? `: any outage the SLI counts (${humanDuration(model.sla.minCountedOutageSeconds)} or more) does` : ''}. ` +
          `The flow counts as unavailable while its source connector is not running, a source task failed, replication is stalled with a backlog, no heartbeat crosses the flow, or no worker is reachable.`,
        runbook_url: runbookUrl(model.prometheus.runbookBaseUrl, burnRateAlertName(t.name)),
      },
    };
  });
}

import { durationSeconds } from '../../conventions/duration.js';
import { FLOW_LABEL } from '../../conventions/labels.js';
import { burnRateAlertName, SLO_SERIES, SLO_SIGNAL_LABEL } from '../../conventions/names.js';
import { type BurnRateAlert, type BurnRateTier, isLongSloWindow, roundFloatNoise, sloLongWindowInterval } from '../../model/error-budget.js';
import { groupMatchers, type Model } from '../../model/model.js';
import { sliConditionExprs } from '../../model/sli.js';
import { eq, metricSelector, recorded } from '../../promql/selector.js';
import { aboutDuration, andList, formatNumber, humanDuration, nearOnePercent, orList, smallPercent } from '../../text/wording.js';
import type { RecordingRule } from './recording.js';
import type { AlertingRule } from './signal-alerts.js';

/** Every window an SLO rule sums over: the tiers' long and short windows, in ascending length. */
export function sloWindows(model: Model): string[] {
  const windows = new Set(model.sla.burnRateTiers.flatMap((t) => [t.longWindow, t.shortWindow]));
  return [...windows].sort((a, b) => durationSeconds(a) - durationSeconds(b));
}

/**
 * A range that holds exactly the debounce's evaluations (Sla.debounceEvaluations) whether the range's left
 * end is closed (Prometheus 2) or open (Prometheus 3): half an interval short of the next one.
 */
function debounceRange(model: Model): string {
  const ms = (model.sla.debounceEvaluations - 1) * model.sla.evaluationSeconds * 1000 + (model.sla.evaluationSeconds * 1000) / 2;
  return `${ms}ms`;
}

/**
 * No data is not downtime, and no data is not availability either. The SLI has a value once
 * Prometheus has known the job's targets for 4 scrape intervals (before the targets are
 * discovered every "nothing runs" condition holds; the first scrapes clear them before the gate
 * opens), and keeps one while some target was known within the status hold: a job whose every
 * target vanished (pods deleted, an emptied file_sd list) counts as unavailable (no worker up),
 * not as available. Outside the gate the SLI has no value: unknown, counted neither way.
 */
function dataGate(model: Model): string {
  const known = `${4 * durationSeconds(model.prometheus.scrapeInterval)}s`;
  return `count(last_over_time(${metricSelector('up', groupMatchers(model))}[${model.queryContext.statusHold}] offset ${known})) > 0`;
}

export function sloRecordingRules(model: Model): RecordingRule[] {
  const group = groupMatchers(model);
  const labels = (flowId?: string) => ({ ...model.groupLabels, ...(flowId ? { [FLOW_LABEL]: flowId } : {}) });
  const perFlow = (flowId: string, name: string) => recorded(name, { ...group, [FLOW_LABEL]: eq(flowId) });
  const r = debounceRange(model);
  const rules: RecordingRule[] = [];
  for (const flow of model.flows) {
    const conditions = sliConditionExprs(model, flow).map((c) => `count(${c.expr})`);
    const outage = `(${conditions.length ? `clamp_max(${conditions.join(' or on () ')}, 1) or on () ` : ''}vector(0)) and on () (${dataGate(model)})`;
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

/** What a burn-rate alert fires on, as PromQL over the recorded SLO series (report/slo-replay.ts replays the same). */
export function burnRateExpr(model: Model, a: BurnRateAlert): string {
  const group = groupMatchers(model);
  const mine = (name: string) => recorded(name, group);
  const on = `on (${[...Object.keys(model.groupLabels), FLOW_LABEL].join(', ')})`;
  const shortGate = (t: BurnRateTier) => `${mine(SLO_SERIES.errorRatio(t.shortWindow))} > ${t.shortWindowRatioThreshold}`;
  const pair = (t: BurnRateTier) =>
    t.pages
      ? `${mine(SLO_SERIES.burnRate(t.longWindow))} > ${t.factor} and ${shortGate(t)}`
      : `${mine(SLO_SERIES.burnRate(t.longWindow))} > ${t.factor} and ${mine(SLO_SERIES.burnRate(t.shortWindow))} > ${t.factor}`;
  if (!a.pages) return a.tiers.length === 1 ? pair(a.tiers[0]!) : a.tiers.map((t) => `(${pair(t)})`).join(' or ');
  // A page: its window pair, and the flow unavailable at this evaluation (keep_firing_for carries it through the ups).
  const page = `${pair(a.tiers[0]!)} and ${on} ${mine(SLO_SERIES.unavailable)} == 1`;
  return a.leavesTo ? `${page} unless ${on} ${shortGate(a.leavesTo)}` : page;
}

function sloCauses(): string {
  return 'The flow counts as unavailable while its source connector is not running, a source task failed or is missing, replication is stalled with a backlog, no heartbeat crosses the flow (while the heartbeat emitter can emit), or no worker is reachable.';
}

export function sloAlertRules(model: Model): AlertingRule[] {
  const pct = nearOnePercent(model.sla.objective);
  const sla = model.sla;
  const flow = `{{ $labels.${FLOW_LABEL} }}`;
  return sla.burnRateAlerts.map((a) => {
    const t = a.tiers[0]!;
    const down = humanDuration(sla.pageDowntimeSeconds);
    const summary = a.pages
      ? a.leavesTo
        ? `MirrorMaker 2 flow ${flow} is unavailable now, again: ${down} or more of downtime within ${t.shortWindow}, in outages too short or too far apart to page on their own.`
        : `MirrorMaker 2 flow ${flow} is unavailable now, after ${down} or more of downtime within ${t.shortWindow}: it burns its error budget at more than ${formatNumber(t.factor)} × the rate the SLO allows.`
      : `MirrorMaker 2 flow ${flow} spent more than ${andList([...new Set(a.tiers.map((x) => `${formatNumber(x.budgetShare * 100)} %`))])} of its ${sla.sloPeriod} error budget within ${orList(a.tiers.map((x) => x.longWindow))}: a ticket, not a page.`;
    const pairs = a.tiers.map(
      (x) =>
        `above ${formatNumber(x.factor)} over ${x.longWindow} and ${x.pages ? `more than ${smallPercent(x.shortWindowRatioThreshold)} of the last ${x.shortWindow} unavailable` : `over ${x.shortWindow}`} ` +
        `(${formatNumber(x.budgetShare * 100)} % of the ${sla.sloPeriod} budget of the ${pct} objective within ${x.longWindow} at that pace; ${aboutDuration(x.minOutageSeconds)} of downtime within ${x.longWindow} is enough` +
        `${x.minOutageSeconds <= sla.minCountedOutageSeconds ? `: any outage the SLI counts (${humanDuration(sla.minCountedOutageSeconds)} or more) does` : ''})`,
    );
    const behaviour = a.pages
      ? ` It fires only while the flow is unavailable, and keeps firing ${a.keepFiringFor} once it is available again, through the ups of an outage that comes and goes.` +
        (a.leavesTo ? ` It leaves to ${burnRateAlertName(a.leavesTo.alert)} the outages that put ${down} of downtime within ${a.leavesTo.shortWindow}.` : '')
      : '';
    return {
      alert: burnRateAlertName(a.name),
      expr: burnRateExpr(model, a),
      ...(durationSeconds(a.for) > 0 ? { for: a.for } : {}),
      ...(a.keepFiringFor ? { keep_firing_for: a.keepFiringFor } : {}),
      labels: { severity: a.severity, signal: SLO_SIGNAL_LABEL },
      annotations: {
        summary,
        description: `flow ${flow}: burn rate {{ $value | humanize }} over ${t.longWindow}; fires when the burn rate is ${orList(pairs)}.${behaviour} ${sloCauses()}`,
      },
    };
  });
}

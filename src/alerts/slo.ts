import { FLOW_LABEL } from '../metrics/names.js';
import { durationSeconds, formatSeconds } from '../model/duration.js';
import type { Model } from '../model/model.js';
import { clean } from '../model/sla.js';
import type { SignalId } from '../model/signals.js';
import { eq, oneOf, recorded, sel } from '../promql/selector.js';
import { burnRateAlertName, runbookUrl, signalAlertName, SLO_SERIES, SLO_SIGNAL_LABEL } from './naming.js';
import type { RecordingRule } from './recording.js';
import type { AlertingRule } from './signal-alerts.js';

/**
 * The SLI: a flow is unavailable at an evaluation while one of these critical alerts fires
 * for it (or for the whole cluster). Each means no record of the flow (or of a part of it)
 * reaches the target: a connector not running, a failed task, a backlog nothing moves, no
 * worker reachable. Latency and lag alerts are left out: the flow still delivers, late.
 *
 * Why firing alerts and not the raw conditions: at 99.9886 % the fast tier's error ratio
 * (14.4 x 0.000114 = 0.00164) is exceeded by a single bad 15 s sample in its 1 h window
 * (15/3600 = 0.0042) and in its 5 m window, and both stay above it for five minutes; `for`
 * on the burn alert cannot debounce that. A firing alert has already held its own `for`
 * (1-2 min, from the thresholds), so a 30 s blip or the 90 s reassignment after a worker
 * restart never becomes a bad sample. The price: the first `for` of an outage is not counted
 * against the budget, which the per-failure alerts page on anyway. The burn-rate alerts keep
 * the tiers' own `for` on top, as a second guard.
 */
export const AVAILABILITY_SIGNALS: readonly SignalId[] = ['connectorsNotRunning', 'failedTasks', 'replicationStalled'];
/** Cluster-wide: when it fires, every flow is unavailable. */
export const CLUSTER_AVAILABILITY_SIGNALS: readonly SignalId[] = ['workersUp'];

const ALERTS = 'ALERTS';

function criticalAlertNames(model: Model, ids: readonly SignalId[]): string[] {
  return model.signals.filter((s) => ids.includes(s.id) && s.tiers.critical).map((s) => signalAlertName(s.id, 'critical'));
}

/** Every window an SLO rule averages over: the tiers' long and short windows, in ascending length. */
export function sloWindows(model: Model): string[] {
  const windows = new Set(model.sla.burnRateTiers.flatMap((t) => [t.longWindow, t.shortWindow]));
  return [...windows].sort((a, b) => durationSeconds(a) - durationSeconds(b));
}


/**
 * No data is not downtime: a bad evaluation counts only once Prometheus has known the job's
 * targets for as long as the longest `for` of the SLI's alerts. When Prometheus starts (or the
 * targets were never discovered) every availability alert sees "nothing runs"; those alerts
 * resolve with the first scrapes, before the gate opens, and never burn the budget. A Connect
 * cluster that is down while its targets are known (up == 0) does count.
 */
function dataGate(model: Model): string {
  const fors = model.signals
    .filter((s) => [...AVAILABILITY_SIGNALS, ...CLUSTER_AVAILABILITY_SIGNALS].includes(s.id) && s.tiers.critical)
    .map((s) => durationSeconds(s.tiers.critical!.for));
  return formatSeconds(Math.max(durationSeconds(model.prometheus.evaluationInterval), ...fors));
}

export function sloRecordingRules(model: Model): RecordingRule[] {
  const firing = eq('firing');
  const flowAlerts = criticalAlertNames(model, AVAILABILITY_SIGNALS);
  const clusterAlerts = criticalAlertNames(model, CLUSTER_AVAILABILITY_SIGNALS);
  const budget = model.sla.errorBudgetRatio;
  const gate = dataGate(model);
  const unavailable: RecordingRule[] = model.flows.map((flow) => {
    const bad = [
      ...(flowAlerts.length ? [`max(${recorded(ALERTS, { alertname: oneOf(flowAlerts), alertstate: firing, [FLOW_LABEL]: eq(flow.id) })})`] : []),
      ...(clusterAlerts.length ? [`max(${recorded(ALERTS, { alertname: oneOf(clusterAlerts), alertstate: firing })})`] : []),
    ];
    const expr = bad.length ? `((${bad.join(' or ')}) and on () (count(${sel('up', { job: eq(model.prometheus.job) })} offset ${gate}) > 0)) or vector(0)` : 'vector(0)';
    return { record: SLO_SERIES.unavailable, expr, labels: { [FLOW_LABEL]: flow.id } };
  });
  const windows = [...sloWindows(model), model.sla.sloPeriod].filter((w, i, all) => all.indexOf(w) === i);
  const ratios = windows.map((w) => ({ record: SLO_SERIES.errorRatio(w), expr: `avg_over_time(${SLO_SERIES.unavailable}[${w}])` }));
  const burns = sloWindows(model).map((w) => ({ record: SLO_SERIES.burnRate(w), expr: `${SLO_SERIES.errorRatio(w)} / ${clean(budget)}` }));
  const remaining = { record: SLO_SERIES.errorBudgetRemaining, expr: `1 - ${SLO_SERIES.errorRatio(model.sla.sloPeriod)} / ${clean(budget)}` };
  return [...unavailable, ...ratios, ...burns, remaining];
}

export function sloAlertRules(model: Model): AlertingRule[] {
  const pct = clean(model.sla.objective * 100);
  return model.sla.burnRateTiers.map((t) => ({
    alert: burnRateAlertName(t.name),
    expr: `${SLO_SERIES.burnRate(t.longWindow)} > ${t.factor} and ${SLO_SERIES.burnRate(t.shortWindow)} > ${t.factor}`,
    for: t.for,
    labels: { severity: t.severity, signal: SLO_SIGNAL_LABEL, ...model.alerting.extraLabels },
    annotations: {
      summary: `A MirrorMaker 2 flow is spending its availability error budget ${t.factor} times faster than the SLO allows.`,
      description:
        `flow {{ $labels.${FLOW_LABEL} }}: burn rate {{ $value | humanize }} over ${t.longWindow} (and above ${t.factor} over ${t.shortWindow}). ` +
        `At this pace ${clean(t.budgetShare * 100)} % of the ${model.sla.sloPeriod} error budget of the ${pct} % objective goes within ${t.longWindow}. ` +
        `The flow counts as unavailable while a connector is not running, a task failed, replication is stalled with a backlog, or no worker is reachable.`,
      runbook_url: runbookUrl(model.prometheus.runbookBaseUrl, burnRateAlertName(t.name)),
    },
  }));
}

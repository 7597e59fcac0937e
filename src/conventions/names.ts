/**
 * The names the bundle gives and the names it reads that Prometheus gives: alerts, recorded SLO
 * series, Prometheus' alert-state series. Builders, the report, the validators and the tests
 * import them from here; none imports another builder for a name.
 */

/** Every alert of the bundle is named MM2<Something>: dashboards list firing alerts with this prefix. */
export const ALERT_NAME_PREFIX = 'MM2';

/**
 * Names of the SLO series recorded per flow. The dashboards read them, the SLO rules write
 * them: both import from here.
 */
export const SLO_SERIES = {
  /** 1 while one of the SLI's raw conditions holds at an evaluation (before debouncing). */
  outage: 'mm2_flow:slo_outage:bool',
  /** 1 when the raw condition held for the whole debounce (the last evaluations of the SLI's debounce). */
  outageConfirmed: 'mm2_flow:slo_outage_confirmed:bool',
  /** 1 at every evaluation of a confirmed outage, from its first bad evaluation (counted whole), 0 otherwise: the SLI's bad events. */
  unavailable: 'mm2_flow:slo_unavailable:bool',
  /** Unavailable time in the window divided by the window (the error ratio). */
  errorRatio: (window: string) => `mm2_flow:slo_unavailable:ratio_avg${window}`,
  /** Error ratio over the window divided by the error budget ratio. */
  burnRate: (window: string) => `mm2_flow:slo_burn_rate:ratio${window}`,
  /** 1 - unavailable seconds in the SLO period / the period's error budget in seconds: 1 = untouched, 0 = spent, < 0 = overspent. */
  errorBudgetRemaining: 'mm2_flow:slo_error_budget_remaining:ratio',
} as const;

/** The alert of one signal's tier: MM2<SignalId><Severity>, e.g. MM2FailedTasksCritical. */
export function signalAlertName(signalId: string, severity: 'warning' | 'critical'): string {
  return `${ALERT_NAME_PREFIX}${signalId[0]!.toUpperCase()}${signalId.slice(1)}${severity === 'critical' ? 'Critical' : 'Warning'}`;
}

/** The multi-window burn-rate alert of one SLO tier, e.g. MM2SloBurnRateFast. */
export function burnRateAlertName(tier: string): string {
  return `${ALERT_NAME_PREFIX}SloBurnRate${tier[0]!.toUpperCase()}${tier.slice(1)}`;
}

/** The `signal` label of the burn-rate alerts (every other alert carries its signal id). */
export const SLO_SIGNAL_LABEL = 'sloBurnRate';

/** The always-firing dead man's switch: its absence at the receiver means the alerting pipeline is broken. */
export const WATCHDOG_ALERT = `${ALERT_NAME_PREFIX}Watchdog`;
/** The Watchdog's `signal` label: it belongs to no signal of the model. */
export const WATCHDOG_SIGNAL_LABEL = 'watchdog';

/**
 * The fragment of an alert's section in RUNBOOK.md: the alert name in lower case, which is
 * also the anchor GitHub and GitLab derive from a `## MM2FailedTasksCritical` heading.
 */
export function runbookAnchor(alertName: string): string {
  return alertName.toLowerCase();
}

/** Where an alert's runbook_url points: its section of RUNBOOK.md as served at the configured URL. */
export function runbookUrl(runbookBaseUrl: string, alertName: string): string {
  return `${runbookBaseUrl}#${runbookAnchor(alertName)}`;
}

/** Series Prometheus' rule manager writes: alert state, with the alert's labels. */
export const ALERT_SERIES = { alerts: 'ALERTS', forState: 'ALERTS_FOR_STATE' } as const;
export const ALERT_STATES = ['pending', 'firing'] as const;

/** How many of the worst per-partition series the drill-down's top-N rules record per flow (alerts/top-partitions.ts). */
export const TOP_RANKED = 15;

/** Static label of the rules ranked over every topic of a flow, and its value (the topic variable's "All"). */
export const RANKED_AMONG = 'ranked_among';
export const ALL_TOPICS = 'all topics';

export type RankedMirrorGauge = 'replicationLatencyMs' | 'replicationLatencyMsMax' | 'replicationLatencyMsAvg' | 'recordAgeMsMax';

const MIRROR_RECORDS: Record<RankedMirrorGauge, string> = {
  replicationLatencyMsMax: `mm2_flow_partition:replication_latency_ms_max:top${TOP_RANKED}`,
  recordAgeMsMax: `mm2_flow_partition:record_age_ms_max:top${TOP_RANKED}`,
  replicationLatencyMsAvg: `mm2_flow_partition:replication_latency_ms_avg:top${TOP_RANKED}`,
  replicationLatencyMs: `mm2_flow_partition:replication_latency_ms:top${TOP_RANKED}`,
};

export const TOP_SERIES_RECORDS = {
  mirror: MIRROR_RECORDS,
  consumerLag: `mm2_flow_partition:records_lag:top${TOP_RANKED}`,
  checkpointLatencyMax: `mm2_flow_group:checkpoint_latency_ms_max:top${TOP_RANKED}`,
} as const;

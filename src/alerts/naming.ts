/** Every alert of the bundle is named MM2<Something>: dashboards list firing alerts with this prefix. */
export const ALERT_NAME_PREFIX = 'MM2';

/**
 * Names of the SLO series recorded per flow. The dashboards read them, the SLO rules write
 * them: both import from here.
 */
export const SLO_SERIES = {
  /** 1 while the flow is unavailable at an evaluation, 0 while it is healthy (the SLI's bad events). */
  unavailable: 'mm2_flow:slo_unavailable:bool',
  /** Share of evaluations in the window where the flow was unavailable (the error ratio). */
  errorRatio: (window: string) => `mm2_flow:slo_unavailable:ratio_avg${window}`,
  /** Error ratio over the window divided by the error budget ratio. */
  burnRate: (window: string) => `mm2_flow:slo_burn_rate:ratio${window}`,
  /** 1 - (error ratio over the SLO period / error budget ratio): 1 = untouched, 0 = spent, < 0 = overspent. */
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

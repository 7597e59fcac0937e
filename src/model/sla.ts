import { type Duration, durationSeconds, formatSeconds } from './duration.js';
import type { SignalId } from './signals.js';

/**
 * What the SLA's "at most X of downtime a year" means for alerting. Everything here is
 * computed from the downtime budget, never typed, so that changing the SLA moves every
 * objective, budget and burn-rate threshold together.
 */
export interface SlaInput {
  maxDowntimePerYear: Duration;
  /** The SLO window the burn rates are measured against (Google SRE workbook: 30 days). */
  sloPeriod: Duration;
  /** Prometheus' rule evaluation interval: the SLI's time resolution. */
  evaluationInterval: Duration;
}

/** One multi-window burn-rate tier (SRE workbook, chapter "Alerting on SLOs"). */
export interface BurnRateTier {
  name: 'fast' | 'slow' | 'ticket' | 'drift';
  severity: 'critical' | 'warning';
  /** Share of the period's error budget that this tier detects being spent within its long window. */
  budgetShare: number;
  longWindow: Duration;
  shortWindow: Duration;
  for: Duration;
  /** budgetShare * period / longWindow */
  factor: number;
  /** factor * error budget ratio: the error ratio above which the tier fires. */
  errorRatioThreshold: number;
  /**
   * errorRatioThreshold * longWindow: the shortest outage (seconds of counted downtime) that
   * alone trips the tier's long window. Below the SLI's shortest counted outage, the tier
   * cannot tell a fast burn from a slow one: any outage trips it.
   */
  minOutageSeconds: number;
  /**
   * A paging tier means "still burning now": it also requires the flow to be unavailable at
   * this evaluation, so it stops as soon as the flow has recovered. The others open a ticket.
   */
  pages: boolean;
}

/**
 * The SLI counts a bad evaluation only inside a run of at least this many consecutive bad
 * evaluations (debounce), and then counts the whole run: one bad sample (a status flicker
 * during a rebalance) is not downtime, a 90 s outage is 90 s.
 */
export const SLI_DEBOUNCE_EVALUATIONS = 2;

export interface Sla {
  maxDowntimePerYear: Duration;
  sloPeriod: Duration;
  /** e.g. 0.999885844748858 for 1 h/year; a ratio, not a percent. */
  objective: number;
  /** 1 - objective */
  errorBudgetRatio: number;
  errorBudgetSecondsPerYear: number;
  errorBudgetSecondsPerPeriod: number;
  burnRateTiers: readonly BurnRateTier[];
  /** Seconds of downtime one bad evaluation stands for (the evaluation interval). */
  evaluationSeconds: number;
  /** The shortest outage the SLI counts: SLI_DEBOUNCE_EVALUATIONS evaluations; shorter ones are not counted (the SLI's remaining error). */
  minCountedOutageSeconds: number;
  /** The error budget of one SLO period in bad evaluations: errorBudgetSecondsPerPeriod / evaluationSeconds. */
  errorBudgetEvaluationsPerPeriod: number;
}

const YEAR_SECONDS = 365 * 86_400;

// The four tiers used by Sloth and kubernetes-mixin (budget share consumed within the long window),
// short windows 1/12 of the long ones (SRE workbook). Only the fast tier pages, and only while the
// flow is still unavailable: at a tight objective every tier's minOutageSeconds is below the SLI's
// shortest counted outage, so a burn-rate page would otherwise outlive the outage by its short window
// (and the 6 h tier would page 15 min after a 2-minute outage, for half an hour). The per-failure
// alerts page on every cause; the slower tiers open tickets: "this flow spent budget, look at why".
const TIER_SHAPES = [
  { name: 'fast', severity: 'critical', budgetShare: 0.02, longWindow: 3600, shortWindow: 300, for: 60 },
  { name: 'slow', severity: 'warning', budgetShare: 0.05, longWindow: 6 * 3600, shortWindow: 1800, for: 900 },
  { name: 'ticket', severity: 'warning', budgetShare: 0.1, longWindow: 86_400, shortWindow: 7200, for: 3600 },
  { name: 'drift', severity: 'warning', budgetShare: 0.1, longWindow: 3 * 86_400, shortWindow: 6 * 3600, for: 3 * 3600 },
] as const;

/** Rounds away binary floating-point noise (1 - 0.99989 = 0.00011000000000005) before anything prints it. */
export function roundFloatNoise(x: number): number {
  return Number(x.toPrecision(12));
}

export function deriveSla(input: SlaInput): Sla {
  const downtime = durationSeconds(input.maxDowntimePerYear);
  const period = durationSeconds(input.sloPeriod);
  const errorBudgetRatio = roundFloatNoise(downtime / YEAR_SECONDS);
  const objective = roundFloatNoise(1 - errorBudgetRatio);
  const burnRateTiers = TIER_SHAPES.filter((t) => t.longWindow <= period).map((t): BurnRateTier => {
    const factor = roundFloatNoise((t.budgetShare * period) / t.longWindow);
    return {
      name: t.name,
      severity: t.severity,
      budgetShare: t.budgetShare,
      longWindow: formatSeconds(t.longWindow),
      shortWindow: formatSeconds(t.shortWindow),
      for: formatSeconds(t.for),
      factor,
      errorRatioThreshold: roundFloatNoise(factor * errorBudgetRatio),
      minOutageSeconds: roundFloatNoise(factor * errorBudgetRatio * t.longWindow),
      pages: t.severity === 'critical',
    };
  });
  const evaluationSeconds = durationSeconds(input.evaluationInterval);
  const errorBudgetSecondsPerPeriod = roundFloatNoise(errorBudgetRatio * period);
  return {
    maxDowntimePerYear: input.maxDowntimePerYear,
    sloPeriod: input.sloPeriod,
    objective,
    errorBudgetRatio,
    errorBudgetSecondsPerYear: downtime,
    errorBudgetSecondsPerPeriod,
    burnRateTiers,
    evaluationSeconds,
    minCountedOutageSeconds: SLI_DEBOUNCE_EVALUATIONS * evaluationSeconds,
    errorBudgetEvaluationsPerPeriod: roundFloatNoise(errorBudgetSecondsPerPeriod / evaluationSeconds),
  };
}

/**
 * The SLI: a flow is unavailable while something stops its records from reaching the target:
 * its source connector not running, a failed source task, a backlog nothing moves, or no worker
 * reachable. The checkpoint and heartbeat connectors do not carry data: their outages have
 * their own alerts and stay out of the SLI (the tuning guide rates the heartbeat's impact low).
 * Latency and lag are left out too: the flow still delivers, late.
 *
 * Raw conditions, not firing alerts: an alert's `for` would drop the first minutes of every
 * outage and every outage shorter than it, which at about 5 minutes of budget a month is most
 * of the budget. Each condition compares the signal's recorded series with its critical
 * threshold, at every evaluation.
 */
export interface SliCondition {
  readonly signal: SignalId;
  /** Only the source connector's series: checkpoint and heartbeat outages do not stop data. */
  readonly sourceConnectorOnly?: boolean;
}
export const SLI_CONDITIONS: readonly SliCondition[] = [
  { signal: 'connectorsNotRunning', sourceConnectorOnly: true },
  { signal: 'failedTasks', sourceConnectorOnly: true },
  { signal: 'replicationStalled' },
  // The source cluster unreachable while every connector runs: only the heartbeats crossing the
  // flow show it. Counted from one short window after the last heartbeat.
  { signal: 'heartbeatsReplicated' },
  { signal: 'workersUp' },
];

/**
 * Windows of a day or more (and the SLO period of the remaining budget) re-read days of samples
 * at every evaluation while moving by a negligible share of themselves in one: their error
 * ratios, burn rates and the remaining budget are evaluated in a group of their own with a
 * longer interval (as sloth's rule-interval option does), four evaluation intervals, at most
 * 2m: the alerts read these series at every evaluation, and a recorded sample older than
 * Prometheus' 5-minute lookback would read as absent, so a late or missed evaluation of the
 * slow group must not make them vanish. The tiers reading them fire up to one such interval
 * later (report/sla.ts adds it to their promised time).
 */
export const LONG_WINDOW_MIN_SECONDS = 86_400;

export function sloLongWindowInterval(evaluationInterval: Duration): string {
  const step = durationSeconds(evaluationInterval);
  return formatSeconds(Math.max(step, Math.min(4 * step, 120)));
}

export function isLongSloWindow(window: string): boolean {
  return durationSeconds(window) >= LONG_WINDOW_MIN_SECONDS;
}

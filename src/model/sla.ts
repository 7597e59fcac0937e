import { type Duration, durationSeconds, formatSeconds } from './duration.js';

/**
 * What the SLA's "at most X of downtime a year" means for alerting. Everything here is
 * computed from the downtime budget, never typed, so that changing the SLA moves every
 * objective, budget and burn-rate threshold together.
 */
export interface SlaInput {
  maxDowntimePerYear: Duration;
  /** The SLO window the burn rates are measured against (Google SRE workbook: 30 days). */
  sloPeriod: Duration;
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
}

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
}

const YEAR_SECONDS = 365 * 86_400;

// The four tiers used by Sloth and kubernetes-mixin (budget share consumed within the long window).
const TIER_SHAPES = [
  { name: 'fast', severity: 'critical', budgetShare: 0.02, longWindow: 3600, shortWindow: 300, for: 120 },
  { name: 'slow', severity: 'critical', budgetShare: 0.05, longWindow: 6 * 3600, shortWindow: 1800, for: 900 },
  { name: 'ticket', severity: 'warning', budgetShare: 0.1, longWindow: 86_400, shortWindow: 7200, for: 3600 },
  { name: 'drift', severity: 'warning', budgetShare: 0.1, longWindow: 3 * 86_400, shortWindow: 6 * 3600, for: 3 * 3600 },
] as const;

/** Rounds away binary floating-point noise (1 - 0.99989 = 0.00011000000000005) before anything prints it. */
export function clean(x: number): number {
  return Number(x.toPrecision(12));
}

export function deriveSla(input: SlaInput): Sla {
  const downtime = durationSeconds(input.maxDowntimePerYear);
  const period = durationSeconds(input.sloPeriod);
  const errorBudgetRatio = clean(downtime / YEAR_SECONDS);
  const objective = clean(1 - errorBudgetRatio);
  const burnRateTiers = TIER_SHAPES.filter((t) => t.longWindow <= period).map((t): BurnRateTier => {
    const factor = clean((t.budgetShare * period) / t.longWindow);
    return {
      name: t.name,
      severity: t.severity,
      budgetShare: t.budgetShare,
      longWindow: formatSeconds(t.longWindow),
      shortWindow: formatSeconds(t.shortWindow),
      for: formatSeconds(t.for),
      factor,
      errorRatioThreshold: clean(factor * errorBudgetRatio),
    };
  });
  return {
    maxDowntimePerYear: input.maxDowntimePerYear,
    sloPeriod: input.sloPeriod,
    objective,
    errorBudgetRatio,
    errorBudgetSecondsPerYear: downtime,
    errorBudgetSecondsPerPeriod: clean(errorBudgetRatio * period),
    burnRateTiers,
  };
}

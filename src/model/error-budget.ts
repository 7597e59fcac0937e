import { type Duration, durationSeconds, formatSeconds, NO_WAIT, YEAR_SECONDS } from '../conventions/duration.js';
import type { SignalId, Tiers } from './signals.js';

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
  /** The workers' scrape interval: a failed scrape is seen by every evaluation until the next one. */
  scrapeInterval: Duration;
  /** The shortest `for` of the critical alerts on the SLI's conditions (sliPageDowntime): what a page's short window must hold. */
  pageDowntimeSeconds: number;
}

/** The burn-rate alerts: two pages and one ticket, as Sloth groups the SRE workbook's window pairs. */
export type BurnRateAlertName = 'fast' | 'slow' | 'ticket';

/** One multi-window burn-rate tier: a long and a short window (SRE workbook, chapter "Alerting on SLOs"). */
export interface BurnRateTier {
  name: 'fast' | 'slow' | 'ticket' | 'drift';
  /** The alert that reads this window pair (a ticket reads two pairs). */
  alert: BurnRateAlertName;
  severity: 'critical' | 'warning';
  /** Share of the period's error budget that this tier detects being spent within its long window. */
  budgetShare: number;
  longWindow: Duration;
  shortWindow: Duration;
  /** The `for` of its alert. */
  for: Duration;
  /** budgetShare * period / longWindow */
  factor: number;
  /** factor * error budget ratio: the error ratio above which the tier fires. */
  errorRatioThreshold: number;
  /**
   * The error ratio its short window must exceed. For a ticket, errorRatioThreshold. For a page,
   * at least the page's downtime (Sla.pageDowntimeSeconds) less half an evaluation over the short
   * window: at a tight objective errorRatioThreshold is below one bad evaluation, so that any
   * outage the SLI counts would keep the short window above it for the whole window after the
   * outage had ended; the page asks for a short window that holds as much downtime as a page is
   * worth, whole or in pieces.
   */
  shortWindowRatioThreshold: number;
  /**
   * errorRatioThreshold * longWindow: the shortest outage (seconds of counted downtime) that
   * alone trips the tier's long window. Below the SLI's shortest counted outage, the tier
   * cannot tell a fast burn from a slow one: any outage trips it.
   */
  minOutageSeconds: number;
  /** Whether its alert pages (critical) or opens a ticket (warning). */
  pages: boolean;
}

/** One burn-rate alert: its window pairs (any of them fires it), its `for` and how long it keeps firing. */
export interface BurnRateAlert {
  name: BurnRateAlertName;
  severity: 'critical' | 'warning';
  pages: boolean;
  tiers: readonly BurnRateTier[];
  for: Duration;
  /**
   * A page fires only at an evaluation where the flow is unavailable, and keeps firing this long
   * once it no longer is (Prometheus' keep_firing_for): its short window, after which the window
   * holds no downtime. An outage that comes and goes keeps it firing through its ups; a page
   * that fired is always firing long enough to be notified.
   */
  keepFiringFor?: Duration;
  /**
   * The faster page this one leaves to: it fires only while that page's short window does not
   * hold its downtime, i.e. for outages recurring too sparsely for the faster page.
   */
  leavesTo?: BurnRateTier;
}

/**
 * The SLI counts a bad evaluation only inside a run of consecutive bad evaluations longer than
 * two scrapes (debounce), and then counts the whole run: a 90 s outage is 90 s. What one or two
 * scrapes show alone is not downtime: a status flicker during a rebalance, a failed scrape (seen
 * by every evaluation until the next scrape), and a worker shutting down cleanly, whose exporter
 * still answers for a scrape or two after it has stopped its connectors and tasks (measured on
 * the real workers: one scrape, two on a loaded machine). Two, not one: a scrape that comes late
 * leaves its sample to one evaluation more.
 */
export const SLI_DEBOUNCE_SCRAPES = 2;

export interface Sla {
  maxDowntimePerYear: Duration;
  sloPeriod: Duration;
  /** e.g. 0.999885844748858 for 1 h/year; a ratio, not a percent. */
  objective: number;
  /** 1 - objective */
  errorBudgetRatio: number;
  errorBudgetSecondsPerYear: number;
  errorBudgetSecondsPerPeriod: number;
  /** The window pairs, fastest first. */
  burnRateTiers: readonly BurnRateTier[];
  /** The alerts that read them: the pages, then the ticket. */
  burnRateAlerts: readonly BurnRateAlert[];
  /** Seconds of downtime one bad evaluation stands for (the evaluation interval). */
  evaluationSeconds: number;
  /** Consecutive bad evaluations the SLI's debounce asks: one more than SLI_DEBOUNCE_SCRAPES scrapes span. */
  debounceEvaluations: number;
  /** The shortest outage the SLI counts: debounceEvaluations evaluations; shorter ones are not counted (the SLI's remaining error). */
  minCountedOutageSeconds: number;
  /**
   * The downtime a page's short window must hold: the shortest `for` of the critical alerts on
   * the SLI's conditions (1m in the defaults), one evaluation more than the shortest counted
   * outage at least, the fastest page's short window at most. A single outage shorter than that
   * pages nobody, through its cause or through the SLO: it opens the ticket.
   */
  pageDowntimeSeconds: number;
  /** The error budget of one SLO period in bad evaluations: errorBudgetSecondsPerPeriod / evaluationSeconds. */
  errorBudgetEvaluationsPerPeriod: number;
}

// The SRE workbook's window pairs and budget shares, as Sloth and Pyrra use them: the 1h and 6h
// pairs page, the 1d and 3d pairs open one ticket (Sloth's page and ticket alerts). Short windows
// are 1/12 of the long ones.
const TIER_SHAPES = [
  { name: 'fast', alert: 'fast', budgetShare: 0.02, longWindow: 3600, shortWindow: 300 },
  { name: 'slow', alert: 'slow', budgetShare: 0.05, longWindow: 6 * 3600, shortWindow: 1800 },
  { name: 'ticket', alert: 'ticket', budgetShare: 0.1, longWindow: 86_400, shortWindow: 7200 },
  { name: 'drift', alert: 'ticket', budgetShare: 0.1, longWindow: 3 * 86_400, shortWindow: 6 * 3600 },
] as const;

// Pages keep firing for their short window (keepFiringFor); the slow page leaves to the fast one
// what the fast one sees, so that a long outage pages once (the slow page covers outages that
// recur, and the start of one that follows another within 30 minutes). A ticket needs no `for`: at a tight
// objective any counted outage spends budget worth a look, and it is one alert per flow.
const ALERT_SHAPES = [
  { name: 'fast', severity: 'critical', leavesTo: undefined },
  { name: 'slow', severity: 'critical', leavesTo: 'fast' },
  { name: 'ticket', severity: 'warning', leavesTo: undefined },
] as const;

/** Rounds away binary floating-point noise (1 - 0.99989 = 0.00011000000000005) before anything prints it. */
export function roundFloatNoise(x: number): number {
  return Number(x.toPrecision(12));
}

export function deriveSla(input: SlaInput): Sla {
  const downtime = durationSeconds(input.maxDowntimePerYear);
  const period = durationSeconds(input.sloPeriod);
  const step = durationSeconds(input.evaluationInterval);
  const errorBudgetRatio = roundFloatNoise(downtime / YEAR_SECONDS);
  const objective = roundFloatNoise(1 - errorBudgetRatio);
  const debounceEvaluations = SLI_DEBOUNCE_SCRAPES * Math.ceil(durationSeconds(input.scrapeInterval) / step) + 1;
  const minCountedOutageSeconds = debounceEvaluations * step;
  const fastest = Math.min(...TIER_SHAPES.map((t) => t.shortWindow));
  const pageDowntimeSeconds = Math.min(fastest, Math.max(minCountedOutageSeconds + step, input.pageDowntimeSeconds));
  const severityOf = (alert: BurnRateAlertName) => ALERT_SHAPES.find((a) => a.name === alert)!.severity;
  const burnRateTiers = TIER_SHAPES.filter((t) => t.longWindow <= period).map((t): BurnRateTier => {
    const factor = roundFloatNoise((t.budgetShare * period) / t.longWindow);
    const errorRatioThreshold = roundFloatNoise(factor * errorBudgetRatio);
    const pages = severityOf(t.alert) === 'critical';
    return {
      name: t.name,
      alert: t.alert,
      severity: severityOf(t.alert),
      budgetShare: t.budgetShare,
      longWindow: formatSeconds(t.longWindow),
      shortWindow: formatSeconds(t.shortWindow),
      for: NO_WAIT,
      factor,
      errorRatioThreshold,
      // Half an evaluation short of the page's downtime: the counted evaluations on either side are far from it.
      shortWindowRatioThreshold: pages ? roundFloatNoise(Math.max(errorRatioThreshold, (pageDowntimeSeconds - step / 2) / t.shortWindow)) : errorRatioThreshold,
      minOutageSeconds: roundFloatNoise(factor * errorBudgetRatio * t.longWindow),
      pages,
    };
  });
  const burnRateAlerts = ALERT_SHAPES.flatMap((a): BurnRateAlert[] => {
    const tiers = burnRateTiers.filter((t) => t.alert === a.name);
    if (tiers.length === 0) return [];
    const pages = a.severity === 'critical';
    const leavesTo = a.leavesTo ? burnRateTiers.find((t) => t.alert === a.leavesTo) : undefined;
    return [
      {
        name: a.name,
        severity: a.severity,
        pages,
        tiers,
        for: NO_WAIT,
        ...(pages ? { keepFiringFor: tiers[0]!.shortWindow } : {}),
        ...(leavesTo ? { leavesTo } : {}),
      },
    ];
  });
  const errorBudgetSecondsPerPeriod = roundFloatNoise(errorBudgetRatio * period);
  return {
    maxDowntimePerYear: input.maxDowntimePerYear,
    sloPeriod: input.sloPeriod,
    objective,
    errorBudgetRatio,
    errorBudgetSecondsPerYear: downtime,
    errorBudgetSecondsPerPeriod,
    burnRateTiers,
    burnRateAlerts,
    evaluationSeconds: step,
    debounceEvaluations,
    minCountedOutageSeconds,
    pageDowntimeSeconds,
    errorBudgetEvaluationsPerPeriod: roundFloatNoise(errorBudgetSecondsPerPeriod / step),
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
  /** Only the connectors that carry the records (the source connector): checkpoint and heartbeat outages do not stop data. */
  readonly sourceConnectorOnly?: boolean;
}
export const SLI_CONDITIONS: readonly SliCondition[] = [
  { signal: 'connectorsNotRunning', sourceConnectorOnly: true },
  { signal: 'failedTasks', sourceConnectorOnly: true },
  // A source task missing (paused, unassigned, vanished) leaves its partitions unreplicated.
  { signal: 'tasksNotRunning', sourceConnectorOnly: true },
  { signal: 'replicationStalled' },
  // The source cluster unreachable while every connector runs: only the heartbeats crossing the
  // flow show it. Counted from one short window after the last heartbeat, while the emitter can emit.
  { signal: 'heartbeatsReplicated' },
  { signal: 'workersUp' },
];

/** The tier of a signal the SLI compares with: its critical one, else its warning one. */
export function sliTier(tiers: Tiers): Tiers['critical'] {
  return tiers.critical ?? tiers.warning;
}

/**
 * The downtime a page's short window must hold (Sla.pageDowntimeSeconds, before its bounds): the
 * shortest `for` of the tiers the SLI compares with. An outage that outlasts it pages through the
 * SLO whatever its cause's own `for`, and however it comes and goes; one shorter than every
 * cause's `for` pages nobody.
 */
export function sliPageDowntime(thresholds: Readonly<Record<SignalId, Tiers>>): number {
  const fors = SLI_CONDITIONS.flatMap((c) => {
    const tier = sliTier(thresholds[c.signal]);
    return tier ? [durationSeconds(tier.for)] : [];
  });
  return fors.length ? Math.min(...fors) : 0;
}

/**
 * Windows of a day or more (and the SLO period of the remaining budget) re-read days of samples
 * at every evaluation while moving by a negligible share of themselves in one: their error
 * ratios, burn rates and the remaining budget are evaluated in a group of their own with a
 * longer interval (as sloth's rule-interval option does), four evaluation intervals, at most
 * 2m: the alerts read these series at every evaluation, and a recorded sample older than
 * Prometheus' 5-minute lookback would read as absent, so a late or missed evaluation of the
 * slow group must not make them vanish. The tiers reading them fire up to one such interval
 * later (report/slo-numbers.ts adds it to their promised time).
 */
export const LONG_WINDOW_MIN_SECONDS = 86_400;

export function sloLongWindowInterval(evaluationInterval: Duration): string {
  const step = durationSeconds(evaluationInterval);
  return formatSeconds(Math.max(step, Math.min(4 * step, 120)));
}

export function isLongSloWindow(window: string): boolean {
  return durationSeconds(window) >= LONG_WINDOW_MIN_SECONDS;
}

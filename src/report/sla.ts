import { burnRateAlertName, SLO_SERIES } from '../alerts/naming.js';
import { durationSeconds } from '../model/duration.js';
import type { Model } from '../model/model.js';
import type { BurnRateTier } from '../model/sla.js';
import { satisfies } from './references.js';
import type { RuleEntry } from './usage.js';

/**
 * What the SLA and its burn-rate tiers mean in time: every number is computed from the model
 * and from the rules the bundle generated, never typed.
 */

const YEAR_SECONDS = 365 * 86_400;

/** The alerts whose firing the SLI counts as unavailability, read from the SLO's recording rule. */
export interface SliInput {
  readonly alert: string;
  /** The alert's `for` as the rule states it ("0s" when it has none). */
  readonly for: string;
}

export function sliInputs(rules: readonly RuleEntry[]): SliInput[] {
  const alerts = rules.filter((r) => r.kind === 'alert');
  const names = new Set<string>();
  for (const r of rules) {
    if (r.kind !== 'record' || r.name !== SLO_SERIES.unavailable) continue;
    for (const matchers of r.alertSelectors) for (const a of alerts) if (matchers.every((m) => satisfies(m, a.name))) names.add(a.name);
  }
  return alerts
    .filter((a) => names.has(a.name))
    .filter((a, i, all) => all.findIndex((b) => b.name === a.name) === i)
    .map((a) => ({ alert: a.name, for: a.for ?? '0s' }));
}

/** How one burn-rate tier behaves, from a step-by-step replay of its rule on a total outage. */
export interface TierBehaviour {
  readonly tier: BurnRateTier;
  readonly alert: string;
  /** Seconds from the first counted bad evaluation of a total outage to the alert firing. */
  readonly firesAfter: number;
  /** Share of the SLO period's error budget the SLI has counted by then. */
  readonly budgetSpentWhenFiring: number;
  /** The shortest counted outage (seconds) after which the alert fires at all. */
  readonly shortestFiringOutage: number;
  /** Seconds the alert keeps firing after a long outage ends. */
  readonly firingAfterRecovery: number;
  /** At exactly the tier's threshold rate, seconds until the whole period's budget is gone. */
  readonly budgetGoneAfter: number;
}

/**
 * Replays `burn(long) > factor and burn(short) > factor` held for `for` (the shape of the
 * bundle's burn-rate alerts, checked by test/report/sla.test.ts) over a clean history followed by
 * `badSteps` bad evaluations, a window of n evaluations holding those of (t - window, t] as
 * Prometheus 3 selects a range. Returns the step at which it fires (undefined: never) and the
 * step at which it resolves.
 */
function replay(tier: BurnRateTier, step: number, budget: number, badSteps: number): { fires?: number; resolves?: number } {
  const long = Math.round(durationSeconds(tier.longWindow) / step);
  const short = Math.round(durationSeconds(tier.shortWindow) / step);
  const hold = Math.round(durationSeconds(tier.for) / step);
  // A window of n evaluations ending at t holds min(n, t+1) of the outage's first steps, minus those that left it.
  const badIn = (t: number, n: number) => Math.max(0, Math.min(t, badSteps - 1) - Math.max(0, t - n + 1) + 1);
  const burning = (t: number) => badIn(t, long) / long / budget > tier.factor && badIn(t, short) / short / budget > tier.factor;
  let pendingSince: number | undefined;
  let fires: number | undefined;
  const end = badSteps + long + hold + short + 1;
  for (let t = 0; t <= end; t++) {
    if (burning(t)) {
      pendingSince ??= t;
      if (fires === undefined && t - pendingSince >= hold) fires = t;
    } else {
      if (fires !== undefined) return { fires, resolves: t };
      pendingSince = undefined;
    }
  }
  return { fires };
}

export function tierBehaviour(model: Model, tier: BurnRateTier): TierBehaviour {
  const step = durationSeconds(model.prometheus.evaluationInterval);
  const budget = model.sla.errorBudgetRatio;
  const period = durationSeconds(model.sla.sloPeriod);
  const forever = Math.ceil((durationSeconds(tier.longWindow) + durationSeconds(tier.for)) / step) + 1;
  const total = replay(tier, step, budget, forever);
  if (total.fires === undefined) throw new Error(`burn-rate tier ${tier.name} never fires on a total outage`);
  const firesAfter = total.fires * step;
  // The shortest outage that fires: the rule is monotonic in the outage's length, so bisect.
  let [lo, hi] = [1, forever];
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (replay(tier, step, budget, mid).fires !== undefined) hi = mid;
    else lo = mid + 1;
  }
  const shortSteps = Math.round(durationSeconds(tier.shortWindow) / step);
  const longOutage = total.fires + shortSteps + 1;
  const afterLong = replay(tier, step, budget, longOutage);
  return {
    tier,
    alert: burnRateAlertName(tier.name),
    firesAfter,
    budgetSpentWhenFiring: ((total.fires + 1) * step) / model.sla.errorBudgetSecondsPerPeriod,
    shortestFiringOutage: lo * step,
    firingAfterRecovery: afterLong.resolves === undefined ? Infinity : (afterLong.resolves - longOutage) * step,
    budgetGoneAfter: period / tier.factor,
  };
}

export interface SlaNumbers {
  readonly objective: number;
  readonly budgetRatio: number;
  readonly perYear: number;
  readonly perPeriod: number;
  readonly perWeek: number;
  readonly perDay: number;
  /** The objective rounded to two decimals of a percent (what "nines" a reader may round it to) and its yearly budget. */
  readonly roundedObjective: number;
  readonly roundedObjectivePerYear: number;
}

export function slaNumbers(model: Model): SlaNumbers {
  const sla = model.sla;
  const roundedObjective = Math.round(sla.objective * 10_000) / 10_000;
  return {
    objective: sla.objective,
    budgetRatio: sla.errorBudgetRatio,
    perYear: sla.errorBudgetSecondsPerYear,
    perPeriod: sla.errorBudgetSecondsPerPeriod,
    perWeek: sla.errorBudgetRatio * 7 * 86_400,
    perDay: sla.errorBudgetRatio * 86_400,
    roundedObjective,
    roundedObjectivePerYear: (1 - roundedObjective) * YEAR_SECONDS,
  };
}

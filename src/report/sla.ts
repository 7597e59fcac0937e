import type { Rule } from '../bundle/read.js';
import { burnRateAlertName, SLO_SERIES } from '../conventions/names.js';
import { durationSeconds } from '../model/duration.js';
import { type Model, type ResolvedSignal, signal } from '../model/model.js';
import { type BurnRateTier, isLongSloWindow, SLI_CONDITIONS, SLI_DEBOUNCE_EVALUATIONS, sloLongWindowInterval } from '../model/sla.js';

/**
 * What the SLA and its burn-rate tiers mean in time: every number is computed from the model
 * and from the rules the bundle generated, never typed.
 */

const YEAR_SECONDS = 365 * 86_400;

/** One raw condition of the SLI: a signal compared with its critical threshold at every evaluation. */
export interface SliInput {
  readonly signal: ResolvedSignal;
  /** Only the flow's source connector counts (its checkpoint and heartbeat connectors carry no data). */
  readonly sourceConnectorOnly: boolean;
}

/**
 * The SLI's conditions as the bundle built them: the signals whose recorded series the SLO's
 * outage rule reads, in the order the SLO declares them. No alert state is among them: the SLI
 * counts raw conditions, so no alert's `for` delays or shortens what it counts.
 */
export function sliInputs(model: Model, rules: readonly Rule[]): SliInput[] {
  const read = new Set(rules.filter((r) => r.kind === 'record' && r.name === SLO_SERIES.outage).flatMap((r) => [...r.reads]));
  return SLI_CONDITIONS.flatMap((c) => {
    const s = signal(model, c.signal);
    const tier = s.tiers.critical ?? s.tiers.warning;
    if (!tier || !read.has(s.def.record)) return [];
    return [{ signal: s, sourceConnectorOnly: c.sourceConnectorOnly === true }];
  });
}

/**
 * "`failedTasks` is past its critical threshold (source connector only)". The value itself is printed
 * only in the threshold table, so that a threshold change changes one line of the report.
 */
export function sliConditionText(i: SliInput): string {
  return `\`${i.signal.id}\` is past its critical threshold${i.sourceConnectorOnly ? ' (source connector only)' : ''}`;
}

/** Whether any SLO rule reads alert states (ALERTS): the SLI of this bundle never should. */
export function sliReadsAlerts(rules: readonly Rule[]): boolean {
  return rules.some((r) => r.kind === 'record' && r.name.startsWith('mm2_flow:slo_') && r.alertSelectors.length > 0);
}

/** How one burn-rate tier behaves, from a step-by-step replay of its rule on a total outage. */
export interface TierBehaviour {
  readonly tier: BurnRateTier;
  readonly alert: string;
  /** Seconds from the first bad evaluation of a total outage (before the debounce) to the alert firing. */
  readonly firesAfter: number;
  /** Share of the SLO period's error budget the SLI has counted by then. */
  readonly budgetSpentWhenFiring: number;
  /** The shortest outage (seconds of bad evaluations) after which the alert fires at all. */
  readonly shortestFiringOutage: number;
  /** Seconds the alert keeps firing after a long outage ends (its last bad evaluation's successor). */
  readonly firingAfterRecovery: number;
  /** At exactly the tier's threshold rate, seconds until the whole period's budget is gone. */
  readonly budgetGoneAfter: number;
  /**
   * Seconds the tier may fire later than `firesAfter` because its long window is recorded by the
   * slower SLO group (alerts/slo.ts): up to one interval of that group minus one evaluation.
   * The replay (and promtool, which evaluates every group at every step) does not see it.
   */
  readonly longWindowLag: number;
}

/**
 * Replays a tier's alert over a clean history followed by `badSteps` bad evaluations of the
 * SLI's raw outage series, the way the bundle's rules compute it (shape checked by
 * test/report/sla.test.ts against the generated rules, timings against promtool):
 * - the debounce: an evaluation is counted unavailable when it lies in a run of at least
 *   SLI_DEBOUNCE_EVALUATIONS bad evaluations, recorded SLI_DEBOUNCE_EVALUATIONS - 1 evaluations late;
 * - `burn(long) > factor and burn(short) > factor`, a window of n evaluations holding the counted
 *   evaluations of (t - window, t] as Prometheus 3 selects a range;
 * - for a paging tier, `and unavailable == 1` at that evaluation: it pages only while still unavailable;
 * - held for `for`.
 * Returns the step at which it fires (undefined: never) and the step at which it resolves.
 */
function replay(tier: BurnRateTier, step: number, budget: number, badSteps: number): { fires?: number; resolves?: number } {
  const long = Math.round(durationSeconds(tier.longWindow) / step);
  const short = Math.round(durationSeconds(tier.shortWindow) / step);
  const hold = Math.round(durationSeconds(tier.for) / step);
  const lag = SLI_DEBOUNCE_EVALUATIONS - 1;
  // Counted evaluations: steps lag .. badSteps - 1 + lag, none when the run is shorter than the debounce.
  const [first, last] = badSteps >= SLI_DEBOUNCE_EVALUATIONS ? [lag, badSteps - 1 + lag] : [1, 0];
  const counted = (t: number) => t >= first && t <= last;
  const countedIn = (t: number, n: number) => Math.max(0, Math.min(t, last) - Math.max(first, t - n + 1) + 1);
  const burning = (t: number) =>
    countedIn(t, long) / long / budget > tier.factor && countedIn(t, short) / short / budget > tier.factor && (!tier.pages || counted(t));
  let pendingSince: number | undefined;
  let fires: number | undefined;
  const end = badSteps + lag + long + hold + short + 1;
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
  const lag = SLI_DEBOUNCE_EVALUATIONS - 1;
  const forever = Math.ceil((durationSeconds(tier.longWindow) + durationSeconds(tier.for)) / step) + lag + 1;
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
    budgetSpentWhenFiring: ((total.fires - lag + 1) * step) / model.sla.errorBudgetSecondsPerPeriod,
    shortestFiringOutage: lo * step,
    firingAfterRecovery: afterLong.resolves === undefined ? Infinity : (afterLong.resolves - longOutage) * step,
    budgetGoneAfter: period / tier.factor,
    longWindowLag: isLongSloWindow(tier.longWindow) ? durationSeconds(sloLongWindowInterval(model.prometheus.evaluationInterval)) - step : 0,
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

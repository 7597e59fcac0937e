import { durationSeconds } from '../../conventions/duration.js';
import { burnRateAlertName } from '../../conventions/names.js';
import { type BurnRateAlert, type BurnRateAlertName, type BurnRateTier, isLongSloWindow, sloLongWindowInterval } from '../../model/error-budget.js';
import type { Model } from '../../model/model.js';
import { humanDuration } from '../../text/wording.js';

/**
 * The SLO's rules replayed evaluation by evaluation on a pattern of the SLI's raw outage series,
 * the way the bundle's rules compute it (alerts/slo.ts; shapes checked by test/builders/report/sla-arithmetic.test.ts
 * against the generated rules, outcomes against promtool):
 * - the debounce: an evaluation is counted unavailable when it lies in a run of at least
 *   Sla.debounceEvaluations bad evaluations, recorded one evaluation fewer late;
 * - error ratios as unavailable seconds over the window's length, a window of n evaluations
 *   holding the counted evaluations of (t - window, t] as Prometheus 3 selects a range (Prometheus
 *   2 holds one sample more: a timing moves by one evaluation at most);
 * - each burn-rate alert's condition, `for` and keep_firing_for, as Prometheus' rule manager
 *   runs them;
 * - every group evaluated at every evaluation (the long windows' slower group is added apart:
 *   longWindowLag).
 * Every timing the report and the README give for the burn-rate alerts comes from here.
 */

/** The SLI's raw outage series: bad at evaluation i or not. */
export type OutagePattern = (i: number) => boolean;

export interface SloReplay {
  /** The SLI's counted unavailability per evaluation (mm2_flow:slo_unavailable:bool). */
  readonly unavailable: readonly number[];
  /** Per burn-rate alert, whether it is firing at each evaluation. */
  readonly firing: Readonly<Record<BurnRateAlertName, readonly boolean[]>>;
}

export function replaySlo(model: Model, bad: OutagePattern, evaluations: number): SloReplay {
  const sla = model.sla;
  const step = sla.evaluationSeconds;
  const n = sla.debounceEvaluations;
  // min_over_time and max_over_time over the debounce's evaluations (fewer at the start of the data).
  const over = (xs: readonly number[], i: number, pick: (a: number, b: number) => number) => {
    let v = xs[i]!;
    for (let j = Math.max(0, i - n + 1); j < i; j++) v = pick(v, xs[j]!);
    return v;
  };
  const outage = Array.from({ length: evaluations }, (_, i) => (bad(i) ? 1 : 0));
  const confirmed = outage.map((_, i) => over(outage, i, Math.min));
  const unavailable = confirmed.map((_, i) => over(confirmed, i, Math.max));
  // Per window, the error ratio at every evaluation: unavailable evaluations of (t - window, t] * step / window seconds, as the rule writes it.
  const prefix = new Float64Array(evaluations + 1);
  for (let i = 0; i < evaluations; i++) prefix[i + 1] = prefix[i]! + unavailable[i]!;
  const ratios = new Map<string, Float64Array>();
  const ratio = (window: string): Float64Array => {
    let r = ratios.get(window);
    if (!r) {
      const seconds = durationSeconds(window);
      const k = Math.round(seconds / step);
      r = new Float64Array(evaluations);
      for (let i = 0; i < evaluations; i++) r[i] = ((prefix[i + 1]! - prefix[Math.max(0, i - k + 1)]!) * step) / seconds;
      ratios.set(window, r);
    }
    return r;
  };
  const above = (xs: Float64Array, threshold: number, scale = 1) => Uint8Array.from(xs, (x) => (x / scale > threshold ? 1 : 0));
  const shortGate = (t: BurnRateTier) => above(ratio(t.shortWindow), t.shortWindowRatioThreshold);
  const pair = (t: BurnRateTier) => {
    const long = above(ratio(t.longWindow), t.factor, sla.errorBudgetRatio);
    const short = t.pages ? shortGate(t) : above(ratio(t.shortWindow), t.factor, sla.errorBudgetRatio);
    return long.map((l, i) => l & short[i]!);
  };
  const conditionOf = (a: BurnRateAlert): Uint8Array => {
    if (!a.pages) return a.tiers.map(pair).reduce((x, y) => x.map((v, i) => v | y[i]!));
    const own = pair(a.tiers[0]!);
    const faster = a.leavesTo ? shortGate(a.leavesTo) : undefined;
    return own.map((v, i) => (v && unavailable[i] === 1 && !faster?.[i] ? 1 : 0));
  };
  const firing = {} as Record<BurnRateAlertName, boolean[]>;
  for (const a of sla.burnRateAlerts) {
    const hold = durationSeconds(a.for);
    const keep = a.keepFiringFor ? durationSeconds(a.keepFiringFor) : 0;
    let activeSince: number | undefined;
    let firingNow = false;
    let keepSince: number | undefined;
    const condition = conditionOf(a);
    firing[a.name] = unavailable.map((_, i) => {
      if (condition[i]) {
        keepSince = undefined;
        activeSince ??= i;
        if ((i - activeSince) * step >= hold) firingNow = true;
        return firingNow;
      }
      if (firingNow && keep > 0) {
        keepSince ??= i;
        if ((i - keepSince) * step < keep) return true;
      }
      activeSince = undefined;
      firingNow = false;
      keepSince = undefined;
      return false;
    });
  }
  return { unavailable, firing };
}

/** How one burn-rate alert behaves on the outages that define it. */
export interface AlertBehaviour {
  readonly alert: BurnRateAlert;
  /** Its name, e.g. MM2SloBurnRateFast. */
  readonly name: string;
  /** Seconds from the first bad evaluation of a total outage to the alert firing; undefined when a faster page has it. */
  readonly firesAfter: number | undefined;
  /** Share of the SLO period's error budget the SLI has counted by then. */
  readonly budgetSpentWhenFiring: number | undefined;
  /** The shortest single outage (seconds of bad evaluations) that fires it; undefined when no single outage does. */
  readonly shortestFiringOutage: number | undefined;
  /** Seconds it keeps firing after the last bad evaluation of a long outage (of recurring outages, for a page no single outage fires). */
  readonly firingAfterRecovery: number;
  /**
   * Seconds the alert may fire later than `firesAfter` because a long window it reads is recorded
   * by the slower SLO group (alerts/slo.ts): up to one interval of that group minus one evaluation.
   */
  readonly longWindowLag: number;
}

/** A clean history this long precedes every replayed outage: the windows start empty, as they do in the tests. */
const HISTORY = 10;

function firstFiring(r: SloReplay, a: BurnRateAlertName, from = 0): number | undefined {
  const i = r.firing[a].findIndex((f, j) => f && j >= from);
  return i < 0 ? undefined : i;
}

/** Evaluations until every window of the SLO has emptied after an outage ending at `end`. */
function settled(model: Model, end: number): number {
  const longest = Math.max(
    ...model.sla.burnRateAlerts.flatMap((a) => [...a.tiers.map((t) => durationSeconds(t.shortWindow)), durationSeconds(a.keepFiringFor ?? '0s')]),
  );
  // The SLI records a run debounceEvaluations - 1 evaluations late: past the longest window by that, and one more.
  return end + Math.ceil(longest / model.sla.evaluationSeconds) + model.sla.debounceEvaluations;
}

/** The evaluation at which the alert stops firing after `from`, or undefined if it fires to the end. */
function resolution(r: SloReplay, a: BurnRateAlertName, from: number): number | undefined {
  const i = r.firing[a].findIndex((f, j) => !f && j >= from);
  return i < 0 ? undefined : i;
}

/** Outages recurring every `period` evaluations, each `down` evaluations long, `times` times. */
export function recurring(down: number, period: number, times: number): OutagePattern {
  return (i) => i >= HISTORY && i < HISTORY + period * times && (i - HISTORY) % period < down;
}

export function singleOutage(evaluations: number): OutagePattern {
  return (i) => i >= HISTORY && i < HISTORY + evaluations;
}

/** The outages recurring in pieces that the slow page is for: each one evaluation short of the page downtime, one fast short window apart. */
export function sparseOutages(model: Model): { down: number; period: number } {
  const sla = model.sla;
  const fast = sla.burnRateAlerts.find((a) => a.pages && !a.leavesTo)?.tiers[0];
  const down = sla.pageDowntimeSeconds / sla.evaluationSeconds - 1;
  const period = (fast ? durationSeconds(fast.shortWindow) / sla.evaluationSeconds : 20) + down + 1;
  return { down, period };
}

// The report, thresholds.json and the README promises all ask for the same behaviours of one model.
const behaviours = new WeakMap<Model, Map<BurnRateAlertName, AlertBehaviour>>();

export function alertBehaviour(model: Model, a: BurnRateAlert): AlertBehaviour {
  const known = behaviours.get(model) ?? new Map<BurnRateAlertName, AlertBehaviour>();
  behaviours.set(model, known);
  const cached = known.get(a.name);
  if (cached?.alert === a) return cached;
  const b = computeBehaviour(model, a);
  known.set(a.name, b);
  return b;
}

function computeBehaviour(model: Model, a: BurnRateAlert): AlertBehaviour {
  const sla = model.sla;
  const step = sla.evaluationSeconds;
  const longest = Math.max(...a.tiers.map((t) => durationSeconds(t.longWindow)));
  const forever = Math.ceil(longest / step) + 2;
  const total = replaySlo(model, (i) => i >= HISTORY, HISTORY + forever);
  const fires = firstFiring(total, a.name);
  const counted = (upTo: number) => total.unavailable.slice(0, upTo + 1).reduce((x, y) => x + y, 0) * step;
  // The shortest single outage that fires it: firing is monotonic in the outage's length, so
  // double the length until it fires, then bisect.
  const firesOn = (k: number) => firstFiring(replaySlo(model, singleOutage(k), settled(model, HISTORY + k)), a.name) !== undefined;
  let shortest: number | undefined;
  let hi = 1;
  while (hi < forever && !firesOn(hi)) hi = Math.min(forever, 2 * hi);
  if (firesOn(hi)) {
    let lo = Math.max(1, Math.floor(hi / 2));
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (firesOn(mid)) hi = mid;
      else lo = mid + 1;
    }
    shortest = lo * step;
  }
  // After recovery: from a total outage long enough to fire it, or from recurring outages a single one does not fire.
  const sparse = sparseOutages(model);
  const [pattern, lastBad] =
    fires !== undefined
      ? [singleOutage(fires - HISTORY + 1), fires]
      : [recurring(sparse.down, sparse.period, 3), HISTORY + 2 * sparse.period + sparse.down - 1];
  const r = replaySlo(model, pattern, settled(model, lastBad));
  const resolves = resolution(r, a.name, (firstFiring(r, a.name) ?? lastBad) + 1);
  const step1 = sloLongWindowInterval(model.prometheus.evaluationInterval);
  return {
    alert: a,
    name: burnRateAlertName(a.name),
    firesAfter: fires === undefined ? undefined : (fires - HISTORY) * step,
    budgetSpentWhenFiring: fires === undefined ? undefined : counted(fires) / sla.errorBudgetSecondsPerPeriod,
    shortestFiringOutage: shortest,
    firingAfterRecovery: resolves === undefined ? Infinity : (resolves - lastBad - 1) * step,
    longWindowLag: a.tiers.some((t) => isLongSloWindow(t.longWindow)) ? durationSeconds(step1) - step : 0,
  };
}

/** A shape of outage the report and the tests replay. */
export interface SloSituation {
  readonly name: string;
  readonly pattern: OutagePattern;
  /** Evaluations replayed. */
  readonly evaluations: number;
  /** The first bad evaluation. */
  readonly start: number;
  /** The evaluation after the last bad one. */
  readonly end: number;
}

/** What each burn-rate alert does in a situation: when it first fires (seconds from the first bad evaluation), how often, and when it last stops. */
export interface SituationOutcome {
  readonly firstFiresAfter: number | undefined;
  /** Separate firings (a page that resolves and fires again is notified again). */
  readonly firings: number;
  /** Seconds from the first firing to the last evaluation firing in one stretch: how long its first notification stays true. */
  readonly firstStretch: number;
  /** Seconds after the last bad evaluation at which it stops firing (undefined: still firing at the end). */
  readonly resolvesAfterEnd: number | undefined;
}

export function situationOutcomes(model: Model, s: SloSituation): Record<BurnRateAlertName, SituationOutcome> {
  const step = model.sla.evaluationSeconds;
  const r = replaySlo(model, s.pattern, s.evaluations);
  const out = {} as Record<BurnRateAlertName, SituationOutcome>;
  for (const a of model.sla.burnRateAlerts) {
    const f = r.firing[a.name];
    const first = firstFiring(r, a.name);
    const firings = f.filter((x, i) => x && (i === 0 || !f[i - 1])).length;
    const stop = first === undefined ? undefined : resolution(r, a.name, first);
    const last = f.lastIndexOf(true);
    out[a.name] = {
      firstFiresAfter: first === undefined ? undefined : (first - s.start) * step,
      firings,
      firstStretch: first === undefined ? 0 : ((stop ?? f.length) - first) * step,
      resolvesAfterEnd: first === undefined ? 0 : last === f.length - 1 ? undefined : (last + 1 - s.end) * step,
    };
  }
  return out;
}

/**
 * The situations the report states and the tests prove: a total outage, the longest single
 * outage that pages nobody and the shortest that pages, an outage that comes and goes, a second
 * outage soon after a first, and outages recurring in pieces too short to page alone. Lengths
 * come from the model.
 */
export function sloSituations(model: Model): SloSituation[] {
  const sla = model.sla;
  const step = sla.evaluationSeconds;
  const page = sla.pageDowntimeSeconds / step;
  const single = (k: number, name: string): SloSituation => ({
    name,
    pattern: singleOutage(k),
    evaluations: settled(model, HISTORY + k),
    start: HISTORY,
    end: HISTORY + k,
  });
  const flap = page;
  const sparse = sparseOutages(model);
  const hours = (h: number) => Math.round((h * 3600) / step);
  return [
    single(hours(1), `a total outage of ${humanDuration(3600)}`),
    single(page - 1, `a single outage of ${humanDuration((page - 1) * step)}`),
    single(page, `a single outage of ${humanDuration(page * step)}`),
    {
      name: `an outage that comes and goes for ${humanDuration(2 * 3600)}: down ${humanDuration(flap * step)}, up ${humanDuration(flap * step)}`,
      pattern: recurring(flap, 2 * flap, hours(2) / (2 * flap)),
      evaluations: settled(model, HISTORY + hours(2)),
      start: HISTORY,
      end: HISTORY + hours(2) - flap,
    },
    {
      name: `two outages of ${humanDuration(3 * page * step)}, ${humanDuration(10 * page * step)} apart`,
      pattern: (i) => (i >= HISTORY && i < HISTORY + 3 * page) || (i >= HISTORY + 13 * page && i < HISTORY + 16 * page),
      evaluations: settled(model, HISTORY + 16 * page),
      start: HISTORY,
      end: HISTORY + 16 * page,
    },
    {
      name: `outages of ${humanDuration(sparse.down * step)} every ${humanDuration(sparse.period * step)}, ${3} of them`,
      pattern: recurring(sparse.down, sparse.period, 3),
      evaluations: settled(model, HISTORY + 3 * sparse.period),
      start: HISTORY,
      end: HISTORY + 2 * sparse.period + sparse.down,
    },
  ];
}

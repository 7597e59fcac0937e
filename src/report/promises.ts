import { durationSeconds } from '../model/duration.js';
import type { Model } from '../model/model.js';
import { SEVERITIES, type Severity } from '../model/signals.js';
import { SLI_DEBOUNCE_EVALUATIONS, sloLongWindowInterval } from '../model/sla.js';
import { aboutDuration, andList, countWord, humanDuration, nearOnePercent, orList, plural } from '../text/wording.js';
import { tierBehaviour } from './sla.js';

/**
 * The sentences of the README and the report that promise a number ("critical alerts page
 * within ..."). They are rendered from the model and the generated rules, and a test checks
 * that the README contains each one word for word: a change of the model that breaks a
 * promise fails the test instead of leaving the README wrong.
 */

/** "1m or 2m", "2m to 15m": the distinct `for` durations of a set of tiers. */
function forRange(fors: readonly string[]): string {
  const distinct = [...new Set(fors)].sort((a, b) => durationSeconds(a) - durationSeconds(b));
  if (distinct.length <= 2) return orList(distinct);
  return `${distinct[0]} to ${distinct[distinct.length - 1]}`;
}

function tierFors(model: Model, severity: Severity): string[] {
  return model.signals.flatMap((s) => (s.tiers[severity] ? [s.tiers[severity].for] : []));
}

/** How soon the signal alerts page, how much later the burn-rate alerts fire, which of them page, and what the SLI counts. */
export function pagingPromise(model: Model): string {
  const [warning, critical] = SEVERITIES.map((s) => tierFors(model, s));
  const tiers = model.sla.burnRateTiers.map((t) => tierBehaviour(model, t));
  const paging = tiers.filter((b) => b.tier.pages);
  const tickets = tiers.filter((b) => !b.tier.pages);
  const after = (b: (typeof tiers)[number]) =>
    `${b.alert} (${b.tier.severity}) after ${aboutDuration(b.firesAfter)}${b.longWindowLag > 0 ? ` (${humanDuration(b.longWindowLag)} more at worst: its ${b.tier.longWindow} window is evaluated every ${sloLongWindowInterval(model.prometheus.evaluationInterval)})` : ''}`;
  const burn = [
    ...paging.map((b) => `${b.alert} (${b.tier.severity}) pages after ${aboutDuration(b.firesAfter)}, and only while the flow is still unavailable`),
    ...(tickets.length ? [`tickets open: ${andList(tickets.map(after))}`] : []),
  ];
  const sla = model.sla;
  return (
    `Critical signal alerts page once their condition has held for ${forRange(critical ?? [])}; warnings wait ${forRange(warning ?? [])}. ` +
    `The burn-rate alerts fire later by design, counted from the first bad evaluation of a total outage: ${burn.join('; ')}. ` +
    `The SLI counts an outage whole, from its first bad evaluation, once it has lasted ${plural(SLI_DEBOUNCE_EVALUATIONS, 'evaluation', 'evaluations')} (${humanDuration(sla.minCountedOutageSeconds)}); a shorter blip is not downtime.`
  );
}

/** The SLO in one sentence: windows, tiers, objective, period and factors. */
export function sloPromise(model: Model): string {
  const sla = model.sla;
  const windows = [...new Set(sla.burnRateTiers.flatMap((t) => [t.longWindow, t.shortWindow]))].sort((a, b) => durationSeconds(a) - durationSeconds(b));
  const days = durationSeconds(sla.sloPeriod) / 86_400;
  const period = Number.isInteger(days) ? `${days}-day` : humanDuration(durationSeconds(sla.sloPeriod));
  return (
    `Error ratios over ${windows[0]}..${sla.sloPeriod} feed ${countWord(sla.burnRateTiers.length)} burn-rate tiers derived from the ` +
    `${nearOnePercent(sla.objective)} objective and a ${period} period (factors ${andList(sla.burnRateTiers.map((t) => String(t.factor)))}).`
  );
}

/** The SLA as the defaults state it. */
export function slaPromise(model: Model): string {
  return `an SLA of ${allowedDowntime(model)}`;
}

export function allowedDowntime(model: Model): string {
  return `at most ${humanDuration(model.sla.errorBudgetSecondsPerYear)} of downtime a year`;
}

/** Every numeric promise the README makes, in the order it makes them. */
export function readmePromises(model: Model): string[] {
  return [slaPromise(model), pagingPromise(model), sloPromise(model)];
}

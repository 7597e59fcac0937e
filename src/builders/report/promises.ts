import { durationSeconds } from '../../conventions/duration.js';
import { burnRateAlertName } from '../../conventions/names.js';
import { sloLongWindowInterval } from '../../model/error-budget.js';
import type { Model } from '../../model/model.js';
import { SEVERITIES, type Severity } from '../../model/signals.js';
import { aboutDuration, andList, countWord, humanDuration, nearOnePercent, orList, plural } from '../../text/wording.js';
import { alertBehaviour } from './slo-replay.js';

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

/** What each burn-rate alert does, in the words of the README and the report. */
export function burnRatePromises(model: Model): string[] {
  const sla = model.sla;
  const behaviours = sla.burnRateAlerts.map((a) => alertBehaviour(model, a));
  return behaviours.map((b) => {
    const a = b.alert;
    const lag =
      b.longWindowLag > 0
        ? ` (${humanDuration(b.longWindowLag)} more at worst: its long windows are evaluated every ${sloLongWindowInterval(model.prometheus.evaluationInterval)})`
        : '';
    const keep = a.keepFiringFor ? `, and keeps firing ${humanDuration(durationSeconds(a.keepFiringFor))} once it is available again` : '';
    if (!a.pages)
      return `the ticket ${b.name} (${a.severity}) opens after ${aboutDuration(b.firesAfter ?? 0)}${lag} and closes once its short windows are clean`;
    if (b.firesAfter !== undefined)
      return `${b.name} (${a.severity}) pages after ${aboutDuration(b.firesAfter)}, only at an evaluation where the flow is unavailable${keep}`;
    const leavesTo = a.leavesTo ? behaviours.find((x) => x.alert.name === a.leavesTo!.alert)?.name : undefined;
    return (
      `${b.name} (${a.severity}) pages outages that add up to ${humanDuration(sla.pageDowntimeSeconds)} within ${a.tiers[0]!.shortWindow}` +
      `${leavesTo ? ` in pieces ${leavesTo} does not page` : ''}, only at an evaluation where the flow is unavailable${keep}`
    );
  });
}

/** How soon the signal alerts page, how the burn-rate alerts fire, what a short outage does, and what the SLI counts. */
export function pagingPromise(model: Model): string {
  const [warning, critical] = SEVERITIES.map((s) => tierFors(model, s));
  const sla = model.sla;
  const pages = sla.burnRateAlerts.filter((a) => a.pages).map((a) => alertBehaviour(model, a));
  const shortestPage = Math.min(...pages.map((b) => b.shortestFiringOutage ?? Infinity));
  const ticket = sla.burnRateAlerts.find((a) => !a.pages);
  const short =
    Number.isFinite(shortestPage) && shortestPage > sla.minCountedOutageSeconds
      ? ` A single outage shorter than ${humanDuration(shortestPage)} pages nobody through the SLO${ticket ? ` and opens ${burnRateAlertName(ticket.name)}` : ''}; it pages through its cause's alert only if it outlasts that alert's \`for\`.`
      : '';
  return (
    `Critical signal alerts page once their condition has held for ${forRange(critical ?? [])}; warnings wait ${forRange(warning ?? [])}. ` +
    `The burn-rate alerts, counted from the first bad evaluation of a total outage: ${burnRatePromises(model).join('; ')}.${short} ` +
    `The SLI counts an outage whole, from its first bad evaluation, once it has lasted ${plural(sla.debounceEvaluations, 'evaluation', 'evaluations')} (${humanDuration(sla.minCountedOutageSeconds)}); a shorter blip is not downtime.`
  );
}

/** The SLO in one sentence: windows, tiers, objective, period and factors. */
export function sloPromise(model: Model): string {
  const sla = model.sla;
  const windows = [...new Set(sla.burnRateTiers.flatMap((t) => [t.longWindow, t.shortWindow]))].sort((a, b) => durationSeconds(a) - durationSeconds(b));
  const days = durationSeconds(sla.sloPeriod) / 86_400;
  const period = Number.isInteger(days) ? `${days}-day` : humanDuration(durationSeconds(sla.sloPeriod));
  const pages = sla.burnRateAlerts.filter((a) => a.pages);
  const tickets = sla.burnRateAlerts.filter((a) => !a.pages);
  return (
    `Error ratios over ${windows[0]}..${sla.sloPeriod} feed ${countWord(sla.burnRateTiers.length)} burn-rate tiers derived from the ` +
    `${nearOnePercent(sla.objective)} objective and a ${period} period (factors ${andList(sla.burnRateTiers.map((t) => String(t.factor)))}): ` +
    `${andList(pages.map((a) => `the ${a.tiers.map((t) => `${t.longWindow}/${t.shortWindow}`).join(' and ')} pair`))} ${pages.length === 1 ? 'pages' : 'page'}` +
    `${tickets.length ? `, ${andList(tickets.map((a) => `the ${a.tiers.map((t) => `${t.longWindow}/${t.shortWindow}`).join(' and ')} ${a.tiers.length === 1 ? 'pair opens' : 'pairs open'} one ticket`))}` : ''}.`
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

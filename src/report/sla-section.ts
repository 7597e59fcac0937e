import { durationSeconds } from '../model/duration.js';
import type { Model } from '../model/model.js';
import { code, table } from './markdown.js';
import { allowedDowntime, pagingPromise, sloPromise } from './promises.js';
import { sliInputs, slaNumbers, tierBehaviour } from './sla.js';
import type { RuleEntry } from './usage.js';
import { aboutDuration, andList, formatNumber, humanDuration, nearOnePercent, orList, plural, smallPercent } from './wording.js';

function share(ratio: number): string {
  return `${formatNumber(Math.round(ratio * 100))} %`;
}

/** "46 % of the 30d budget", or "3.1 times the 30d budget" once it is all spent. */
function budgetShare(ratio: number, period: string): string {
  return ratio < 1 ? `${share(ratio)} of the ${period} budget` : `${formatNumber(Math.round(ratio * 10) / 10)} times the ${period} budget`;
}

/**
 * The SLA's arithmetic in numbers a person reads, exact values in a footnote, and what each
 * burn-rate tier pages on, how fast and what it cannot see. `lateSignals` are the signals with
 * thresholds that the SLI does not read.
 */
export function slaSection(model: Model, rules: readonly RuleEntry[], lateSignals: readonly string[]): string {
  const sla = model.sla;
  const n = slaNumbers(model);
  const step = durationSeconds(model.prometheus.evaluationInterval);
  const periodSeconds = durationSeconds(sla.sloPeriod);
  const sli = sliInputs(rules);
  const tiers = sla.burnRateTiers.map((t) => tierBehaviour(model, t));
  const facts = table(
    ['Quantity', 'Value', 'From'],
    [
      ['SLA', allowedDowntime(model), '`sla.maxDowntimePerYear`; a year is 365 days'],
      ['Objective', `${nearOnePercent(n.objective)} of the time [^exact]`, '1 − allowed downtime / one year'],
      ['Error budget', `${smallPercent(n.budgetRatio)} of the time`, '1 − objective'],
      ['Error budget per year', aboutDuration(n.perYear), 'error budget × 365 days'],
      [`Error budget per SLO period (${sla.sloPeriod})`, aboutDuration(n.perPeriod), `error budget × ${sla.sloPeriod} (\`sla.sloPeriod\`, the period burn rates are measured against)`],
      ['Error budget per week', aboutDuration(n.perWeek), 'error budget × 7 days'],
      ['Error budget per day', aboutDuration(n.perDay), 'error budget × 1 day'],
    ],
  );
  const tierTable = table(
    ['Tier', 'Alert', 'Severity', 'Fires when the burn rate', '`for`', 'Fires after it is first counted', 'Budget counted by then', 'Shortest outage that fires it', 'Still firing after recovery', 'Budget gone at that rate'],
    tiers.map((b) => [
      b.tier.name,
      b.alert,
      b.tier.severity === 'critical' ? 'critical (pages)' : 'warning (ticket)',
      `> ${formatNumber(b.tier.factor)} over ${b.tier.longWindow} and ${b.tier.shortWindow} (error ratio > ${smallPercent(b.tier.errorRatioThreshold)})`,
      b.tier.for,
      aboutDuration(b.firesAfter),
      budgetShare(b.budgetSpentWhenFiring, sla.sloPeriod),
      b.shortestFiringOutage <= step ? `one bad evaluation (${humanDuration(step)})` : aboutDuration(b.shortestFiringOutage),
      aboutDuration(b.firingAfterRecovery),
      aboutDuration(b.budgetGoneAfter),
    ]),
  );
  const sliText = sli.length
    ? `A flow is unavailable during each evaluation (every ${model.prometheus.evaluationInterval}) in which ${orList(sli.map((i) => code(i.alert)))} fires for it (read from the SLO's recording rule). `
    : 'The SLO\'s recording rule reads no alert: each bad evaluation of its own expression counts. ';
  const blind: string[] = [];
  if (sli.length) {
    const fors = [...new Set(sli.map((i) => i.for))].sort((a, b) => durationSeconds(a) - durationSeconds(b));
    blind.push(
      `**Short outages.** An outage shorter than the \`for\` of the SLI's alerts (${orList(fors)}) is never counted, and every counted outage loses its first ${orList(fors)}, ` +
        `against a budget of ${aboutDuration(n.perPeriod)} per ${sla.sloPeriod}.`,
    );
  }
  if (lateSignals.length) {
    blind.push(
      `**Degraded is not down.** ${plural(lateSignals.length, 'signal', 'signals')} with thresholds (${lateSignals.map(code).join(', ')}) alert on their own but never spend the budget: a flow that delivers late, or with part of its capacity (a task or a worker missing), is available for the SLO.`,
    );
  }
  blind.push(
    `**Pages after the fact.** A counted outage shorter than a tier's "Fires after" has ended before the tier fires; the tier then fires for a fault that is over, and stays firing for its "Still firing after recovery". ` +
      `At this objective one bad evaluation is ${share(step / periodSeconds / n.budgetRatio)} of a ${sla.sloPeriod} budget: ${andList(
        tiers.filter((b) => b.shortestFiringOutage <= step).map((b) => b.tier.name),
      ) || 'no tier'} fire${tiers.filter((b) => b.shortestFiringOutage <= step).length === 1 ? 's' : ''} on a single one.`,
  );
  const exact = [
    `objective ${n.objective} = 1 − ${formatNumber(n.perYear)} s / ${formatNumber(365 * 86_400)} s`,
    `error budget ratio ${n.budgetRatio}`,
    `${n.perPeriod} s per ${sla.sloPeriod}`,
    `${Number(n.perWeek.toPrecision(12))} s per week`,
    `${Number(n.perDay.toPrecision(12))} s per day`,
    ...sla.burnRateTiers.map((t) => `${t.name} tier error ratio ${t.errorRatioThreshold} (factor ${t.factor} × budget share ${t.budgetShare} of ${sla.sloPeriod} over ${t.longWindow})`),
  ];
  return [
    '## SLA arithmetic',
    '',
    facts,
    '',
    `Rounded to ${formatNumber(n.roundedObjective * 100)} %, the objective would allow only ${aboutDuration(n.roundedObjectivePerYear)} a year; every rule uses the exact ratio.`,
    '',
    `${sloPromise(model)}`,
    '',
    '### Burn-rate tiers',
    '',
    `${sliText}The burn rate is the error ratio over a window divided by the error budget ratio; a tier fires when it exceeds the tier's factor over both its long and its short window for its \`for\`. ` +
      `The timings below replay each tier's rule evaluation by evaluation on a total outage (every evaluation bad), starting from a clean history, ` +
      `with Prometheus 3's ranges (left end excluded); Prometheus 2 counts one more sample per window, which moves a timing by one evaluation at most.`,
    '',
    tierTable,
    '',
    pagingPromise(model, rules),
    '',
    'What the tiers cannot see:',
    '',
    ...blind.map((b) => `- ${b}`),
    '',
    `[^exact]: Exact values: ${exact.join('; ')}.`,
  ].join('\n');
}

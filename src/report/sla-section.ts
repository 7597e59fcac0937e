import type { Rule } from '../bundle/read.js';
import { durationSeconds } from '../model/duration.js';
import type { Model } from '../model/model.js';
import { SLI_DEBOUNCE_EVALUATIONS } from '../model/sla.js';
import { code, table } from '../text/markdown.js';
import { aboutDuration, andList, formatNumber, humanDuration, nearOnePercent, orList, plural, smallPercent } from '../text/wording.js';
import { allowedDowntime, pagingPromise, sloPromise } from './promises.js';
import { type SliInput, slaNumbers, sliConditionText, sliReadsAlerts, tierBehaviour } from './sla.js';

function share(ratio: number): string {
  return `${formatNumber(Math.round(ratio * 100))} %`;
}

/** "46 % of the 30d budget", or "3.1 times the 30d budget" once it is all spent. */
function budgetShare(ratio: number, period: string): string {
  return ratio < 1 ? `${share(ratio)} of the ${period} budget` : `${formatNumber(Math.round(ratio * 10) / 10)} times the ${period} budget`;
}

/** "1 min 15 s (5 evaluations)": an outage as a duration and in evaluations. */
function outage(seconds: number, step: number): string {
  return `${aboutDuration(seconds)} (${plural(Math.round(seconds / step), 'evaluation', 'evaluations')})`;
}

/** What the SLI counts, how, and what it cannot see: from the conditions its outage rule reads. */
function sliSection(model: Model, rules: readonly Rule[], sli: readonly SliInput[], lateSignals: readonly string[]): string {
  const sla = model.sla;
  const step = sla.evaluationSeconds;
  const blip = sla.minCountedOutageSeconds - step;
  const conditions = sli.length
    ? `A flow is unavailable at each evaluation (every ${model.prometheus.evaluationInterval}) at which something stops its records from reaching the target: ${orList(sli.map(sliConditionText))}. ` +
      "Each is a raw condition, the signal's recorded series against its critical threshold in [the threshold table](#thresholds), " +
      `${sliReadsAlerts(rules) ? 'though some SLO rule also reads alert states' : "never an alert's state"}: an outage counts whole, from its first bad evaluation, however short the \`for\` of the alerts on the same signals. ` +
      'The checkpoint and heartbeat connectors carry no data: their outages have their own alerts and are not downtime.'
    : "The SLO's outage rule reads none of the signals: nothing is ever counted as downtime.";
  const facts = table(
    ['Quantity', 'Value', 'From'],
    [
      ['One bad evaluation stands for', humanDuration(step), 'the evaluation interval (`prometheus.evaluationInterval`)'],
      [
        'Shortest outage counted',
        outage(sla.minCountedOutageSeconds, step),
        `${SLI_DEBOUNCE_EVALUATIONS} consecutive bad evaluations (debounce); a counted run counts whole, recorded ${plural(SLI_DEBOUNCE_EVALUATIONS - 1, 'evaluation', 'evaluations')} late`,
      ],
      [
        'Remaining error of the SLI',
        `up to ${humanDuration(blip)} per uncounted blip, ± ${humanDuration(step)} per outage`,
        'blips shorter than the debounce are not counted; an outage is seen at evaluation resolution',
      ],
      [
        'Error budget in bad evaluations',
        `about ${formatNumber(Math.round(sla.errorBudgetEvaluationsPerPeriod * 10) / 10)} per ${sla.sloPeriod}`,
        `error budget per SLO period / ${humanDuration(step)}`,
      ],
    ],
  );
  const blind: string[] = [
    `**Blips.** A run of bad evaluations shorter than the debounce (${humanDuration(sla.minCountedOutageSeconds)}), such as a status flicker during a rebalance, is not downtime: up to ${humanDuration(blip)} of each is left out.`,
  ];
  if (lateSignals.length) {
    blind.push(
      `**Degraded is not down.** ${plural(lateSignals.length, 'signal', 'signals')} with thresholds (${lateSignals.map(code).join(', ')}) alert on their own but never spend the budget: a flow that delivers late, or with part of its capacity (a task or a worker missing), is available for the SLO.`,
    );
  }
  blind.push(
    `**A worker that cannot be scraped.** The connectors and tasks it ran keep the state it last reported (\`connect.statusHold\`, ${model.queryContext.statusHold}) until another worker reports them or the hold ends: a source connector that stops on an unscraped worker meanwhile is not downtime, and only the exporter's warning fires.`,
  );
  if (sli.some((i) => i.signal.id === 'heartbeatsReplicated')) {
    blind.push(
      '**An unreachable source cluster without the heartbeat emitter.** Only heartbeats emitted into the source cluster and replicated to the target (`connect/<source>-heartbeats-at-source.json`) show a source that every task retries while its connector reports RUNNING; without that connector there is no heartbeat series, and such an outage counts only once replication stalls with a backlog.',
    );
  }
  return [
    '### SLI',
    '',
    conditions +
      ` Error ratios and the remaining budget are unavailable seconds over the window's full length (missing data counts as available): they are right before ${sla.sloPeriod} of data exist, ` +
      `and Prometheus must retain at least ${sla.sloPeriod} of the recorded SLI.`,
    '',
    facts,
    '',
    'What the SLI cannot see:',
    '',
    ...blind.map((b) => `- ${b}`),
  ].join('\n');
}

/**
 * The SLA's arithmetic in numbers a person reads, exact values in a footnote, what the SLI
 * counts, and what each burn-rate tier pages on, how fast and what it cannot see.
 * `lateSignals` are the signals with thresholds that the SLI does not read.
 */
export function slaSection(model: Model, rules: readonly Rule[], sli: readonly SliInput[], lateSignals: readonly string[]): string {
  const sla = model.sla;
  const n = slaNumbers(model);
  const step = durationSeconds(model.prometheus.evaluationInterval);
  const periodSeconds = durationSeconds(sla.sloPeriod);
  const tiers = sla.burnRateTiers.map((t) => tierBehaviour(model, t));
  const facts = table(
    ['Quantity', 'Value', 'From'],
    [
      ['SLA', allowedDowntime(model), '`sla.maxDowntimePerYear`; a year is 365 days'],
      ['Objective', `${nearOnePercent(n.objective)} of the time [^exact]`, '1 − allowed downtime / one year'],
      ['Error budget', `${smallPercent(n.budgetRatio)} of the time`, '1 − objective'],
      ['Error budget per year', aboutDuration(n.perYear), 'error budget × 365 days'],
      [
        `Error budget per SLO period (${sla.sloPeriod})`,
        aboutDuration(n.perPeriod),
        `error budget × ${sla.sloPeriod} (\`sla.sloPeriod\`, the period burn rates are measured against)`,
      ],
      ['Error budget per week', aboutDuration(n.perWeek), 'error budget × 7 days'],
      ['Error budget per day', aboutDuration(n.perDay), 'error budget × 1 day'],
    ],
  );
  const tierTable = table(
    [
      'Tier',
      'Alert',
      'Severity',
      'Fires when the burn rate',
      '`for`',
      'Fires after the first bad evaluation',
      'Budget counted by then',
      'Shortest outage that fires it',
      'Still firing after recovery',
      'Budget gone at that rate',
    ],
    tiers.map((b) => [
      b.tier.name,
      b.alert,
      b.tier.pages ? `${b.tier.severity} (pages)` : `${b.tier.severity} (ticket)`,
      `> ${formatNumber(b.tier.factor)} over ${b.tier.longWindow} and ${b.tier.shortWindow} (error ratio > ${smallPercent(b.tier.errorRatioThreshold)})${b.tier.pages ? ', while the flow is unavailable' : ''}`,
      b.tier.for,
      b.longWindowLag > 0
        ? `${aboutDuration(b.firesAfter)} (${humanDuration(b.longWindowLag)} more at worst: ${b.tier.longWindow} evaluated every ${humanDuration(b.longWindowLag + step)})`
        : aboutDuration(b.firesAfter),
      budgetShare(b.budgetSpentWhenFiring, sla.sloPeriod),
      outage(b.shortestFiringOutage, step),
      b.firingAfterRecovery === 0 ? 'no' : aboutDuration(b.firingAfterRecovery),
      aboutDuration(b.budgetGoneAfter),
    ]),
  );
  // At a tight objective every tier trips on the shortest outage the SLI counts: a burn rate cannot tell a fast burn from a slow one.
  const largestTrip = Math.max(...sla.burnRateTiers.map((t) => t.minOutageSeconds));
  const tight = largestTrip <= sla.minCountedOutageSeconds;
  const paging = tiers.filter((b) => b.tier.pages);
  const tickets = tiers.filter((b) => !b.tier.pages);
  const onOne = tickets.filter((b) => b.shortestFiringOutage <= sla.minCountedOutageSeconds);
  const blind: string[] = [
    `**Short outages.** ${andList(paging.map((b) => b.alert))} ${paging.length === 1 ? 'pages' : 'page'} only on an outage of at least ${andList(paging.map((b) => outage(b.shortestFiringOutage, step)))}: a shorter one pages through its own alert if it outlasts that alert's \`for\`, and otherwise ` +
      (onOne.length
        ? `opens ${plural(onOne.length, 'ticket', 'tickets')} (${andList(onOne.map((b) => b.alert))}) for the budget it spent: at this objective one counted outage of ${humanDuration(sla.minCountedOutageSeconds)} is ${share(sla.minCountedOutageSeconds / periodSeconds / n.budgetRatio)} of the ${sla.sloPeriod} budget.`
        : 'only spends budget.'),
    `**Tickets after the fact.** A counted outage shorter than a ticket tier's "Fires after" has ended before the ticket opens, and the ticket stays open for its "Still firing after recovery": it reports budget spent, not a fault in progress.`,
  ];
  const exact = [
    `objective ${n.objective} = 1 − ${formatNumber(n.perYear)} s / ${formatNumber(365 * 86_400)} s`,
    `error budget ratio ${n.budgetRatio}`,
    `${n.perPeriod} s per ${sla.sloPeriod}`,
    `${Number(n.perWeek.toPrecision(12))} s per week`,
    `${Number(n.perDay.toPrecision(12))} s per day`,
    `${sla.errorBudgetEvaluationsPerPeriod} bad evaluations per ${sla.sloPeriod}`,
    ...sla.burnRateTiers.map(
      (t) =>
        `${t.name} tier error ratio ${t.errorRatioThreshold} (factor ${t.factor} × budget share ${t.budgetShare} of ${sla.sloPeriod} over ${t.longWindow}), tripped by ${t.minOutageSeconds} s within ${t.longWindow}`,
    ),
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
    sliSection(model, rules, sli, lateSignals),
    '',
    '### Burn-rate tiers',
    '',
    "The burn rate is the error ratio over a window divided by the error budget ratio. A tier fires when it exceeds the tier's factor over both its long and its short window (multi-window, multi-burn-rate) for its `for`; " +
      `${paging.length ? `the paging ${paging.length === 1 ? 'tier also requires' : 'tiers also require'} the flow to be unavailable at that evaluation. ` : ''}` +
      `Factor = budget share × SLO period / long window; error-ratio threshold = factor × error budget ratio; at that burn rate the whole ${sla.sloPeriod} budget is gone after SLO period / factor. ` +
      "The timings below replay each tier's rules evaluation by evaluation on a total outage (every evaluation bad from the first), starting from a clean history, debounce included, " +
      "with Prometheus 3's ranges (left end excluded); Prometheus 2 counts one more sample per window, which moves a timing by one evaluation at most. A test runs the same outages through promtool.",
    '',
    tierTable,
    '',
    tight
      ? `Every tier trips on the shortest outage the SLI counts (${humanDuration(sla.minCountedOutageSeconds)}; the most any tier needs within its long window is ${aboutDuration(largestTrip)}): at this objective a burn rate cannot tell a fast burn from a slow one. ` +
        `So only ${andList(paging.map((b) => `the ${b.tier.name} tier`)) || 'no tier'} pages, and only while the flow is unavailable at the evaluation: a page means "still burning now" and stops once the SLI has recovered. ` +
        `The per-failure alerts page on each cause; the slower tiers open tickets that outlive the outage by their short window.`
      : `Only ${andList(paging.map((b) => `the ${b.tier.name} tier`)) || 'no tier'} pages, and only while the flow is unavailable at the evaluation (a page means "still burning now"); the slower tiers open tickets.`,
    '',
    pagingPromise(model),
    '',
    'What the tiers cannot see, besides what the SLI cannot see:',
    '',
    ...blind.map((b) => `- ${b}`),
    '',
    `[^exact]: Exact values: ${exact.join('; ')}.`,
  ].join('\n');
}

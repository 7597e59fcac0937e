import { durationSeconds, YEAR_DAYS, YEAR_SECONDS } from '../../conventions/duration.js';
import { burnRateAlertName } from '../../conventions/names.js';
import type { Rule } from '../../documents/rules.js';
import type { Model } from '../../model/model.js';
import { code, table } from '../../text/markdown.js';
import { aboutDuration, andList, formatNumber, humanDuration, nearOnePercent, orList, plural, smallPercent } from '../../text/wording.js';
import { allowedDowntime, pagingPromise, sloPromise } from './promises.js';
import { type SliInput, slaNumbers, sliConditionText, sliReadsAlerts } from './slo-numbers.js';
import { alertBehaviour, type SituationOutcome, situationOutcomes, sloSituations } from './slo-replay.js';

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
        `${sla.debounceEvaluations} consecutive bad evaluations (debounce); a counted run counts whole, recorded ${plural(sla.debounceEvaluations - 1, 'evaluation', 'evaluations')} late`,
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
      `**Degraded is not down.** ${plural(lateSignals.length, 'signal', 'signals')} with thresholds (${lateSignals.map(code).join(', ')}) alert on their own but never spend the budget: a flow that delivers late, or with a worker fewer, is available for the SLO.`,
    );
  }
  blind.push(
    `**A worker that cannot be scraped, or has just restarted.** The connectors and tasks it ran keep the state it last reported (\`connect.statusHold\`, ${model.queryContext.statusHold}) until another worker reports them or the hold ends, and for \`connect.startupGrace\` (${model.queryContext.startupGrace}) after its exporter answers again or its JVM starts (what it reports meanwhile, such as \`unassigned\` while Connect hands its work back, does not count): a source task that stops on such a worker meanwhile is not downtime, and only the exporter's warning fires.`,
    `**No target known.** The SLI has no value until Prometheus has known the job's targets for 4 scrape intervals, nor once none has been known for \`connect.statusHold\`: that time counts neither way. A job whose every target vanished within the hold counts as unavailable (no worker up).`,
  );
  if (sli.some((i) => i.signal.id === 'heartbeatsReplicated')) {
    blind.push(
      '**An unreachable source cluster without the heartbeat emitter.** Only heartbeats emitted into the source cluster and replicated to the target (`connect/<source>-heartbeats-at-source.json`) show a source that every task retries while its connector reports RUNNING; without that connector there is no heartbeat series, and such an outage counts only once replication stalls with a backlog. ' +
        "The same while the emitter's connector is paused, stopped or deleted (its own warning fires): its missing heartbeats are not downtime.",
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
  const facts = table(
    ['Quantity', 'Value', 'From'],
    [
      ['SLA', allowedDowntime(model), `\`sla.maxDowntimePerYear\`; a year is ${YEAR_DAYS} days`],
      ['Objective', `${nearOnePercent(n.objective)} of the time [^exact]`, '1 − allowed downtime / one year'],
      ['Error budget', `${smallPercent(n.budgetRatio)} of the time`, '1 − objective'],
      ['Error budget per year', aboutDuration(n.perYear), `error budget × ${YEAR_DAYS} days`],
      [
        `Error budget per SLO period (${sla.sloPeriod})`,
        aboutDuration(n.perPeriod),
        `error budget × ${sla.sloPeriod} (\`sla.sloPeriod\`, the period burn rates are measured against)`,
      ],
      ['Error budget per week', aboutDuration(n.perWeek), 'error budget × 7 days'],
      ['Error budget per day', aboutDuration(n.perDay), 'error budget × 1 day'],
    ],
  );
  const behaviours = sla.burnRateAlerts.map((a) => alertBehaviour(model, a));
  const tierTable = table(
    ['Tier', 'Alert', 'Severity', 'Fires when', 'Budget gone at that rate'],
    sla.burnRateTiers.map((t) => [
      t.name,
      burnRateAlertName(t.alert),
      t.pages ? `${t.severity} (pages)` : `${t.severity} (ticket)`,
      t.pages
        ? `burn rate > ${formatNumber(t.factor)} over ${t.longWindow} (error ratio > ${smallPercent(t.errorRatioThreshold)}), more than ${smallPercent(t.shortWindowRatioThreshold)} of the last ${t.shortWindow} unavailable ` +
          `(${humanDuration(sla.pageDowntimeSeconds)} of downtime; the burn rate alone would ask ${smallPercent(t.errorRatioThreshold)}), and the flow unavailable now`
        : `burn rate > ${formatNumber(t.factor)} over ${t.longWindow} and ${t.shortWindow} (error ratio > ${smallPercent(t.errorRatioThreshold)})`,
      aboutDuration(durationSeconds(sla.sloPeriod) / t.factor),
    ]),
  );
  const alertTable = table(
    [
      'Alert',
      'Severity',
      '`for`',
      'Keeps firing',
      'Fires after the first bad evaluation of a total outage',
      'Budget counted by then',
      'Shortest single outage that fires it',
      'Still firing after recovery',
    ],
    behaviours.map((b) => [
      b.name,
      b.alert.pages ? `${b.alert.severity} (pages)` : `${b.alert.severity} (ticket)`,
      b.alert.for,
      b.alert.keepFiringFor ? `${b.alert.keepFiringFor} after the flow is available again` : 'no',
      b.firesAfter === undefined
        ? `never: ${b.alert.leavesTo ? burnRateAlertName(b.alert.leavesTo.alert) : 'another page'} has it`
        : b.longWindowLag > 0
          ? `${aboutDuration(b.firesAfter)} (${humanDuration(b.longWindowLag)} more at worst: its long windows are evaluated every ${humanDuration(b.longWindowLag + step)})`
          : aboutDuration(b.firesAfter),
      b.budgetSpentWhenFiring === undefined ? '-' : budgetShare(b.budgetSpentWhenFiring, sla.sloPeriod),
      b.shortestFiringOutage === undefined ? 'none: only outages that recur' : outage(b.shortestFiringOutage, step),
      Number.isFinite(b.firingAfterRecovery) ? aboutDuration(b.firingAfterRecovery) : 'until the end',
    ]),
  );
  const outcome = (o: SituationOutcome) =>
    o.firstFiresAfter === undefined
      ? 'no'
      : `after ${aboutDuration(o.firstFiresAfter)}${o.firings > 1 ? `, ${plural(o.firings, 'time', 'times')}` : ''}; stops ${o.resolvesAfterEnd === undefined ? 'after the end of the replay' : `${aboutDuration(o.resolvesAfterEnd)} after the last bad evaluation`}`;
  const situations = sloSituations(model);
  const situationTable = table(
    ['Situation (from its first bad evaluation)', ...behaviours.map((b) => b.name)],
    situations.map((sit) => {
      const o = situationOutcomes(model, sit);
      return [sit.name, ...behaviours.map((b) => outcome(o[b.alert.name]))];
    }),
  );
  // At a tight objective every tier trips on the shortest outage the SLI counts: a burn rate cannot tell a fast burn from a slow one.
  const largestTrip = Math.max(...sla.burnRateTiers.map((t) => t.minOutageSeconds));
  const tight = largestTrip <= sla.minCountedOutageSeconds;
  const pages = behaviours.filter((b) => b.alert.pages);
  const tickets = behaviours.filter((b) => !b.alert.pages);
  const shortestPage = Math.min(...pages.map((b) => b.shortestFiringOutage ?? Infinity));
  const blind: string[] = [
    `**Short outages.** A single outage shorter than ${humanDuration(shortestPage)} pages nobody through the SLO; it pages through its cause's alert if it outlasts that alert's \`for\`, and otherwise ` +
      (tickets.length
        ? `opens ${andList(tickets.map((b) => b.name))} for the budget it spent: at this objective one counted outage of ${humanDuration(sla.minCountedOutageSeconds)} is ${share(sla.minCountedOutageSeconds / periodSeconds / n.budgetRatio)} of the ${sla.sloPeriod} budget.`
        : 'only spends budget.'),
    `**Pages after the end.** A page keeps firing for its short window once the flow is available again (keep_firing_for), so that an outage that comes and goes pages once and a page that fired is notified: its resolution says the flow has been available for that long, not that it just recovered.`,
    '**Tickets after the fact.** The ticket reports budget spent, not a fault in progress: it opens with the outage and stays open until its short windows are clean again.',
  ];
  const exact = [
    `objective ${n.objective} = 1 − ${formatNumber(n.perYear)} s / ${formatNumber(YEAR_SECONDS)} s`,
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
    '### Burn-rate alerts',
    '',
    "The burn rate is the error ratio over a window divided by the error budget ratio. The SRE workbook's window pairs (multi-window, multi-burn-rate): each fires when the burn rate exceeds its factor over its long window and its short window. " +
      `Factor = budget share × SLO period / long window; error-ratio threshold = factor × error budget ratio; at that burn rate the whole ${sla.sloPeriod} budget is gone after SLO period / factor. ` +
      `${pages.length ? `The ${andList(pages.map((b) => b.alert.tiers[0]!.name))} ${pages.length === 1 ? 'pair pages' : 'pairs page'}; ` : ''}` +
      `${tickets.length ? `${andList(tickets.flatMap((b) => b.alert.tiers.map((t) => `the ${t.name} pair`)))} ${tickets.flatMap((b) => b.alert.tiers).length === 1 ? 'opens' : 'open'} one ticket (as Sloth groups them), so that one outage opens one ticket.` : ''}`,
    '',
    tierTable,
    '',
    (tight
      ? `Every tier trips on the shortest outage the SLI counts (${humanDuration(sla.minCountedOutageSeconds)}; the most any tier needs within its long window is ${aboutDuration(largestTrip)}): at this objective a burn rate cannot tell a fast burn from a slow one, and the short windows, which should say "still burning", would stay above their factors for their whole length after any outage. `
      : '') +
      `${tight ? 'So a' : 'A'} page also asks its short window to hold ${humanDuration(sla.pageDowntimeSeconds)} of downtime (the shortest \`for\` of the critical alerts on the SLI's conditions: an outage no cause would page for does not page through the SLO either), ` +
      'whole or in pieces, and the flow to be unavailable at that very evaluation: a page fires while the flow is down, never after the fact. It then keeps firing for its short window (keep_firing_for), through the ups of an outage that comes and goes: one page, notified once, however the outage flaps. ' +
      `${pages.some((b) => b.alert.leavesTo) ? `${andList(pages.filter((b) => b.alert.leavesTo).map((b) => b.name))} ${pages.filter((b) => b.alert.leavesTo).length === 1 ? 'leaves' : 'leave'} to ${andList(pages.filter((b) => !b.alert.leavesTo).map((b) => b.name))} what its short window sees: it pages outages that recur too sparsely for it, and at once the start of an outage that follows another one within its own short window (the flow is down again), which ${andList(pages.filter((b) => !b.alert.leavesTo).map((b) => b.name))} then joins if it lasts. ` : ''}` +
      "The timings below replay the rules evaluation by evaluation on each outage, from a clean history, debounce included, with Prometheus 3's ranges (left end excluded); Prometheus 2 counts one more sample per window, which moves a timing by one evaluation at most. A test runs the same outages through promtool.",
    '',
    alertTable,
    '',
    situationTable,
    '',
    pagingPromise(model),
    '',
    'What the alerts cannot see, besides what the SLI cannot see:',
    '',
    ...blind.map((b) => `- ${b}`),
    '',
    `[^exact]: Exact values: ${exact.join('; ')}.`,
  ].join('\n');
}

import { durationSeconds } from '../model/duration.js';
import type { Model } from '../model/model.js';
import { clean, SLI_DEBOUNCE_EVALUATIONS } from '../model/sla.js';
import { code, table } from './markdown.js';

/** Seconds as a reviewer reads them: "4m 55.9s", "2d 2h". Tenths of a second at most. */
export function humanSeconds(total: number): string {
  let rest = Math.round(total * 10) / 10;
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      parts.push(`${n}${unit}`);
      rest = Math.round((rest - n * size) * 10) / 10;
    }
  }
  if (rest > 0 || parts.length === 0) parts.push(`${rest}s`);
  return parts.join(' ');
}

function percent(ratio: number): string {
  return `${clean(ratio * 100)} %`;
}

/** The SLA's arithmetic, every number computed by the model (sla.ts) from the downtime budget. */
export function slaSection(model: Model): string {
  const sla = model.sla;
  const period = durationSeconds(sla.sloPeriod);
  const facts = table(
    ['Quantity', 'Value', 'How it is obtained'],
    [
      ['Downtime allowed per year', `${sla.maxDowntimePerYear} (${sla.errorBudgetSecondsPerYear} s)`, 'the SLA (`sla.maxDowntimePerYear`)'],
      ['Objective', `${percent(sla.objective)} (${(sla.objective * 100).toFixed(4)} % rounded)`, '1 - downtime / 365 days'],
      ['Error budget ratio', String(sla.errorBudgetRatio), '1 - objective'],
      ['Error budget per year', `${humanSeconds(sla.errorBudgetSecondsPerYear)} (${sla.errorBudgetSecondsPerYear} s)`, 'error budget ratio x 365 days'],
      [
        `Error budget per SLO period (${sla.sloPeriod})`,
        `${humanSeconds(sla.errorBudgetSecondsPerPeriod)} (${sla.errorBudgetSecondsPerPeriod} s)`,
        `error budget ratio x ${sla.sloPeriod} (\`sla.sloPeriod\`)`,
      ],
    ],
  );
  const tiers = table(
    ['Tier', 'Severity', 'Budget share', 'Long window', 'Short window', 'for', 'Burn-rate factor', 'Error-ratio threshold', 'Budget gone after', 'Shortest outage that trips it', 'Pages'],
    sla.burnRateTiers.map((t) => [
      t.name,
      t.severity,
      percent(t.budgetShare),
      t.longWindow,
      t.shortWindow,
      t.for,
      String(t.factor),
      `${t.errorRatioThreshold} (${percent(t.errorRatioThreshold)})`,
      humanSeconds(period / t.factor),
      humanSeconds(t.minOutageSeconds),
      t.pages ? 'yes, while the flow is unavailable now' : 'no: a ticket',
    ]),
  );
  const sli = table(
    ['Quantity', 'Value', 'How it is obtained'],
    [
      ['One bad evaluation stands for', `${sla.evaluationSeconds} s`, 'the evaluation interval (`prometheus.evaluationInterval`)'],
      ['Shortest outage counted', `${sla.minCountedOutageSeconds} s`, `${SLI_DEBOUNCE_EVALUATIONS} consecutive bad evaluations (debounce); a counted outage counts whole, from its first bad evaluation`],
      [
        'Remaining error of the SLI',
        `up to ${sla.minCountedOutageSeconds - sla.evaluationSeconds} s per uncounted blip, +/- ${sla.evaluationSeconds} s per outage`,
        'blips shorter than the debounce are not counted; an outage is seen at evaluation resolution',
      ],
      ['Error budget in bad evaluations', String(sla.errorBudgetEvaluationsPerPeriod), `error budget per SLO period / ${sla.evaluationSeconds} s`],
    ],
  );
  const shortest = Math.max(...sla.burnRateTiers.map((t) => t.minOutageSeconds));
  const tight = shortest <= sla.minCountedOutageSeconds;
  return [
    '## SLA arithmetic',
    '',
    facts,
    '',
    '### Burn-rate tiers',
    '',
    `A tier fires when the error ratio exceeds its threshold over both its long and its short window (multi-window, multi-burn-rate). ` +
      `Factor = budget share x SLO period / long window; error-ratio threshold = factor x error budget ratio; ` +
      `at that burn rate the whole ${code(sla.sloPeriod)} budget is gone after SLO period / factor.`,
    '',
    tiers,
    '',
    tight
      ? `Every tier trips on the shortest outage the SLI counts (${sla.minCountedOutageSeconds} s >= ${humanSeconds(shortest)}): at this objective a burn rate cannot tell a fast burn from a slow one. ` +
        'So only the fast tier pages, and only while the flow is unavailable at the evaluation (a page means "still burning now" and stops once the flow has recovered); ' +
        'the per-failure alerts page on each cause within two minutes, and the slower tiers open tickets that outlive the outage by their short window.'
      : 'Only the fast tier pages, and only while the flow is unavailable at the evaluation (a page means "still burning now"); the slower tiers open tickets.',
    '',
    '### SLI',
    '',
    'The flow is unavailable while its source connector is not running, a source task failed, replication is stalled with a backlog, or no worker is reachable ' +
      '(raw conditions against the critical thresholds, not firing alerts). The checkpoint and heartbeat connectors have their own alerts and are not downtime. ' +
      `Error ratios and the remaining budget are unavailable seconds over the window's full length: they are right before ${sla.sloPeriod} of data exist, ` +
      `and Prometheus must retain at least ${sla.sloPeriod} of the recorded SLI.`,
    '',
    sli,
  ].join('\n');
}

import { durationSeconds } from '../model/duration.js';
import type { Model } from '../model/model.js';
import { clean } from '../model/sla.js';
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
    ['Tier', 'Severity', 'Budget share', 'Long window', 'Short window', 'for', 'Burn-rate factor', 'Error-ratio threshold', 'Budget gone after'],
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
    ]),
  );
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
  ].join('\n');
}

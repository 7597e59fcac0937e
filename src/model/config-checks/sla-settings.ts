import { DAY_SECONDS, durationSeconds, YEAR_SECONDS } from '../../conventions/duration.js';
import type { Config } from '../config.js';
import type { ConfigProblem } from '../problems.js';

/** A downtime budget below a year, and an SLO period of a day at least. */
export function slaSettingProblems(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const downtime = durationSeconds(config.sla.maxDowntimePerYear);
  if (downtime >= YEAR_SECONDS) problems.push({ path: 'sla.maxDowntimePerYear', message: `expected less than a year, got ${config.sla.maxDowntimePerYear}` });
  if (durationSeconds(config.sla.sloPeriod) < DAY_SECONDS)
    problems.push({ path: 'sla.sloPeriod', message: `expected at least 1d, got ${config.sla.sloPeriod}` });
  return problems;
}

import type { Config } from '../config.js';
import type { ConfigProblem } from '../problems.js';
import { collectorProblems } from './collector.js';
import { connectProblems } from './connect.js';
import { flowProblems } from './flows.js';
import { groupLabelProblems } from './group-labels.js';
import { scrapeAuthProblems } from './scrape-auth.js';
import { slaSettingProblems } from './sla-settings.js';
import { thresholdProblems } from './thresholds.js';
import { timingProblems } from './timings.js';
import { workerProblems } from './workers.js';

/**
 * What the loader checks of a configuration the schema accepted, one file per part of the
 * configuration it reads. The alert names of `alerting` are checked once the model exists
 * (alerting.ts), inline receiver secrets before the schema (receivers.ts).
 */
export function configProblems(config: Config): ConfigProblem[] {
  return [
    ...flowProblems(config),
    ...workerProblems(config),
    ...groupLabelProblems(config),
    ...timingProblems(config),
    ...slaSettingProblems(config),
    ...scrapeAuthProblems(config),
    ...collectorProblems(config),
    ...connectProblems(config),
    ...thresholdProblems(config),
  ];
}

import { burnRateAlertName, signalAlertName, WATCHDOG_ALERT } from '../conventions/names.js';
import type { Model } from './model.js';
import { nearestKey, nearestNames } from './nearest.js';
import type { ConfigProblem } from './problems.js';

/**
 * The override file names alerts of the bundle (alerting.exclude, alerting.patch, applied by
 * src/builders/alerts/decorate.ts): the names must be ones the model makes, and a patch or extra label
 * cannot move an alert to another Connect cluster's group labels.
 */

/** Every alert name the model makes. */
function alertNames(model: Model): string[] {
  return [
    ...model.signals.flatMap((s) => (['critical', 'warning'] as const).filter((sev) => s.tiers[sev]).map((sev) => signalAlertName(s.id, sev))),
    ...model.sla.burnRateAlerts.map((a) => burnRateAlertName(a.name)),
    WATCHDOG_ALERT,
  ];
}

/** What is wrong with alerting.exclude and alerting.patch for this model, as load errors. */
export function alertingProblems(model: Model): ConfigProblem[] {
  const names = alertNames(model);
  const known = new Set(names);
  // 34 names are more than anyone reads in an error: the nearest few, and where the rest are listed.
  const unknown = (name: string) => {
    const near = nearestKey(name, names);
    const hint = near ? `did you mean ${near}?` : `the nearest are ${nearestNames(name, names, 3).join(', ')}`;
    return `expected the name of an alert the bundle makes with the thresholds in force, got ${name}: ${hint} (alerts/THRESHOLDS.md lists every alert)`;
  };
  const problems: ConfigProblem[] = [];
  model.alerting.exclude.forEach((name, i) => {
    if (!known.has(name)) problems.push({ path: `alerting.exclude[${i}]`, message: unknown(name) });
  });
  // The group labels say which Connect cluster an alert is about; inhibitions and routes match on them.
  const groupLabel = (path: string, labels: Readonly<Record<string, string>> | undefined) => {
    for (const l of Object.keys(labels ?? {})) {
      if (l in model.groupLabels)
        problems.push({
          path: `${path}.${l}`,
          message: `expected a label other than the group labels (${Object.keys(model.groupLabels).join(', ')}), which the bundle sets from prometheus`,
        });
    }
  };
  groupLabel('alerting.extraLabels', model.alerting.extraLabels);
  for (const [name, p] of Object.entries(model.alerting.patch)) {
    if (!known.has(name)) problems.push({ path: `alerting.patch.${name}`, message: unknown(name) });
    groupLabel(`alerting.patch.${name}.labels`, p.labels);
  }
  return problems;
}

import type { ConfigProblem } from '../model/load.js';
import type { Model } from '../model/model.js';
import { burnRateAlertName, signalAlertName, WATCHDOG_ALERT } from '../conventions/names.js';
import type { AlertingRule } from './signal-alerts.js';

/**
 * The override file's say over the bundle's alerts by name, as kube-prometheus' rule
 * sanitizer allows: leave an alert out (alerting.exclude) or change its labels and annotations
 * (alerting.patch). Thresholds and `for` are changed in `thresholds`, not here, so that the
 * dashboards and the audit follow. Excluding an alert does not change the SLO: the SLI reads
 * the recorded series against the critical thresholds, not the alerts (src/alerts/slo.ts).
 */

/** Every alert name the model makes. */
function alertNames(model: Model): string[] {
  return [
    ...model.signals.flatMap((s) => (['critical', 'warning'] as const).filter((sev) => s.tiers[sev]).map((sev) => signalAlertName(s.id, sev))),
    ...model.sla.burnRateTiers.map((t) => burnRateAlertName(t.name)),
    WATCHDOG_ALERT,
  ];
}

/** What is wrong with alerting.exclude and alerting.patch for this model, as load errors. */
export function alertingProblems(model: Model): ConfigProblem[] {
  const names = alertNames(model);
  const known = new Set(names);
  const expected = `expected the name of an alert of the bundle (one of ${names.join(', ')})`;
  const problems: ConfigProblem[] = [];
  model.alerting.exclude.forEach((name, i) => {
    if (!known.has(name)) problems.push({ path: `alerting.exclude[${i}]`, message: `${expected}, got ${name}` });
  });
  // The group labels say which Connect cluster an alert is about; inhibitions and routes match on them.
  const groupLabel = (path: string, labels: Readonly<Record<string, string>> | undefined) => {
    for (const l of Object.keys(labels ?? {})) {
      if (l in model.groupLabels) problems.push({ path: `${path}.${l}`, message: `expected a label other than the group labels (${Object.keys(model.groupLabels).join(', ')}), which the bundle sets from prometheus` });
    }
  };
  groupLabel('alerting.extraLabels', model.alerting.extraLabels);
  for (const [name, p] of Object.entries(model.alerting.patch)) {
    if (!known.has(name)) problems.push({ path: `alerting.patch.${name}`, message: `${expected}, got ${name}` });
    groupLabel(`alerting.patch.${name}.labels`, p.labels);
  }
  return problems;
}

/** The alerts as the override file wants them: excluded ones left out, patches applied. */
export function sanitizeAlerts(model: Model, rules: readonly AlertingRule[]): AlertingRule[] {
  const { exclude, patch } = model.alerting;
  return rules
    .filter((r) => !exclude.includes(r.alert))
    .map((r) => {
      const p = patch[r.alert];
      if (!p) return r;
      return { ...r, labels: { ...r.labels, ...p.labels }, annotations: { ...r.annotations, ...p.annotations } };
    });
}

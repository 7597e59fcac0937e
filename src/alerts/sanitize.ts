import type { ConfigProblem } from '../model/load.js';
import type { Model } from '../model/model.js';
import { burnRateAlertName, signalAlertName } from './naming.js';
import type { AlertingRule } from './signal-alerts.js';
import { AVAILABILITY_SIGNALS, CLUSTER_AVAILABILITY_SIGNALS } from './slo.js';

/**
 * The override file's say over the bundle's alerts by name, as kube-prometheus' rule
 * sanitizer allows: leave an alert out (alerting.exclude) or change its labels and annotations
 * (alerting.patch). Thresholds and `for` are changed in `thresholds`, not here, so that the
 * dashboards and the audit follow.
 */

/** Every alert name the model makes, with the SLI's own alerts marked. */
function alertNames(model: Model): { names: string[]; sli: Set<string> } {
  const names = [
    ...model.signals.flatMap((s) => (['critical', 'warning'] as const).filter((sev) => s.tiers[sev]).map((sev) => signalAlertName(s.id, sev))),
    ...model.sla.burnRateTiers.map((t) => burnRateAlertName(t.name)),
  ];
  const sli = new Set(model.signals.filter((s) => [...AVAILABILITY_SIGNALS, ...CLUSTER_AVAILABILITY_SIGNALS].includes(s.id) && s.tiers.critical).map((s) => signalAlertName(s.id, 'critical')));
  return { names, sli };
}

/** What is wrong with alerting.exclude and alerting.patch for this model, as load errors. */
export function alertingProblems(model: Model): ConfigProblem[] {
  const { names, sli } = alertNames(model);
  const known = new Set(names);
  const expected = `expected the name of an alert of the bundle (one of ${names.join(', ')})`;
  const problems: ConfigProblem[] = [];
  model.alerting.exclude.forEach((name, i) => {
    const path = `alerting.exclude[${i}]`;
    if (!known.has(name)) problems.push({ path, message: `${expected}, got ${name}` });
    else if (sli.has(name)) problems.push({ path, message: `expected an alert the SLO does not read: ${name} is counted by the availability SLI (mm2-slo.rules.yaml); route or silence it in Alertmanager instead` });
  });
  for (const name of Object.keys(model.alerting.patch)) {
    if (!known.has(name)) problems.push({ path: `alerting.patch.${name}`, message: `${expected}, got ${name}` });
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

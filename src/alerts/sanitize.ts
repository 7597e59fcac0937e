import type { Model } from '../model/model.js';
import type { AlertingRule } from './signal-alerts.js';

/**
 * The override file's say over the bundle's alerts by name, as kube-prometheus' rule
 * sanitizer allows: leave an alert out (alerting.exclude) or change its labels and annotations
 * (alerting.patch). Thresholds and `for` are changed in `thresholds`, not here, so that the
 * dashboards and the audit follow. Excluding an alert does not change the SLO: the SLI reads
 * the recorded series against the critical thresholds, not the alerts (src/alerts/slo.ts).
 * The load checks the names (src/model/alerting.ts).
 */

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

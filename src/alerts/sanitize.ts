import { BUNDLE_LABEL, BUNDLE_LABEL_VALUE } from '../conventions/labels.js';
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

/**
 * The alerts as the override file wants them: excluded ones left out, patches applied, and each
 * marked as the bundle's (BUNDLE_LABEL), the label its Alertmanager routes and inhibitions match.
 */
export function sanitizeAlerts(model: Model, rules: readonly AlertingRule[]): AlertingRule[] {
  const { exclude, patch } = model.alerting;
  return rules
    .filter((r) => !exclude.includes(r.alert))
    .map((r) => {
      const p = patch[r.alert];
      return {
        ...r,
        labels: { ...r.labels, ...p?.labels, [BUNDLE_LABEL]: BUNDLE_LABEL_VALUE },
        annotations: { ...r.annotations, ...p?.annotations },
      };
    });
}

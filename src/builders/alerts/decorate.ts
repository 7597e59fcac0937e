import { BUNDLE_LABEL, BUNDLE_LABEL_VALUE } from '../../conventions/labels.js';
import { runbookUrl } from '../../conventions/names.js';
import type { RuleGroupSpec, RuleSpec } from '../../documents/rules.js';
import type { Model } from '../../model/model.js';

/**
 * What every alert of the bundle carries besides its own query and words, added in one pass
 * over every rule group (as kubernetes-mixin's add-runbook-links does), so that an alert added
 * anywhere gets it: its runbook link, the override file's extraLabels, the bundle label its
 * Alertmanager routes and inhibitions match (BUNDLE_LABEL), and the override file's say over
 * the alerts by name, as kube-prometheus' rule sanitizer allows: leave an alert out
 * (alerting.exclude) or change its labels and annotations (alerting.patch). Thresholds and
 * `for` are changed in `thresholds`, not here, so that the dashboards and the audit follow.
 * Excluding an alert does not change the SLO: the SLI reads the recorded series against the
 * critical thresholds, not the alerts (src/builders/alerts/slo.ts). The load checks the names
 * (src/model/alerting.ts). Recording rules pass unchanged.
 */
export function decorateGroups(model: Model, groups: readonly RuleGroupSpec[]): RuleGroupSpec[] {
  return groups.map((g) => ({ ...g, rules: g.rules.flatMap((r) => decorated(model, r) ?? []) }));
}

/** The alert as the bundle writes it; none when the override file excludes it. */
function decorated(model: Model, rule: RuleSpec): RuleSpec | undefined {
  const { alert } = rule;
  if (alert === undefined) return rule;
  const { exclude, patch, extraLabels } = model.alerting;
  if (exclude.includes(alert)) return undefined;
  const p = patch[alert];
  return {
    ...rule,
    labels: { ...rule.labels, ...extraLabels, ...p?.labels, [BUNDLE_LABEL]: BUNDLE_LABEL_VALUE },
    annotations: { ...rule.annotations, runbook_url: runbookUrl(model.prometheus.runbookBaseUrl, alert), ...p?.annotations },
  };
}

import { type RulesDocument, rulesFile, type YamlDocument, yamlFile } from '../../documents/document.js';
import { ALERT_FILES } from '../../documents/paths.js';
import type { RuleGroupSpec } from '../../documents/rules.js';
import { type Deployment, type Model, prefixed } from '../../model/model.js';
import { type AlertmanagerFragment, alertmanagerConfig, alertmanagerFragment } from './alertmanager.js';
import { decorateGroups } from './decorate.js';
import { allSignalRecordingRules } from './recording.js';
import { signalAlertRules } from './signal-alerts.js';
import { sloAlertRules, sloRecordingGroups } from './slo.js';
import { topPartitionRecordingRules } from './top-partitions.js';
import { watchdogRule } from './watchdog.js';

/** A Connect cluster's rule files; group names carry its prefix, so that a ruler holding several clusters' groups tells them apart. */
export function buildAlertFiles(model: Model): RulesDocument[] {
  const interval = model.prometheus.evaluationInterval;
  const slo = sloRecordingGroups(model);
  const group = (name: string) => prefixed(model.prefix, name);
  // Every group goes through the one decoration pass (decorate.ts).
  const file = (path: string, what: string, groups: readonly RuleGroupSpec[]) => rulesFile(path, model, what, decorateGroups(model, groups));
  return [
    file(ALERT_FILES.recording, 'Prometheus recording rules: one series per MirrorMaker 2 signal and flow', [
      { name: group('mm2-signals'), interval, rules: allSignalRecordingRules(model) },
      // Read only by the drill-down dashboard: its own group, so that its cost shows apart.
      { name: group('mm2-top-partitions'), interval, rules: topPartitionRecordingRules(model) },
    ]),
    file(ALERT_FILES.alerts, 'Prometheus alerting rules: one alert per MirrorMaker 2 signal and threshold tier', [
      { name: group('mm2-alerts'), interval, rules: signalAlertRules(model) },
      { name: group('mm2-watchdog'), interval, rules: [watchdogRule(model)] },
    ]),
    file(ALERT_FILES.slo, 'Prometheus rules of the availability SLO: SLI, error ratios, burn rates, error budget and burn-rate alerts', [
      { name: group('mm2-slo-recording'), interval, rules: slo.short },
      { name: group('mm2-slo-long-windows'), interval: slo.longInterval, rules: slo.long },
      { name: group('mm2-slo-alerts'), interval, rules: sloAlertRules(model) },
    ]),
  ];
}

/** The Alertmanager configuration of every cluster of the deployment: standalone, and as a fragment to merge into a shared one. */
export function buildAlertmanagerFiles(d: Deployment): [YamlDocument<object>, YamlDocument<AlertmanagerFragment>] {
  const model = d.clusters[0];
  const receivers =
    model.alerting.receivers.length > 0
      ? 'receivers of the override file, secrets read from files'
      : 'receivers are loopback placeholders: declare yours in alerting.receivers';
  return [
    yamlFile(ALERT_FILES.alertmanager, model, `Alertmanager configuration for MirrorMaker 2 (${receivers})`, alertmanagerConfig(d)),
    yamlFile(
      ALERT_FILES.alertmanagerFragment,
      model,
      `MirrorMaker 2 routes, receivers and inhibitions to merge into a shared Alertmanager configuration (${receivers}): ` +
        'put `routes` first under its route.routes, append `receivers` to its receivers and `inhibit_rules` to its inhibit_rules (README "Alertmanager")',
      alertmanagerFragment(d),
    ),
  ];
}

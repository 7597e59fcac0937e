import { type GeneratedFile, yamlFile } from '../bundle/files.js';
import { ALERT_FILES } from '../bundle/paths.js';
import type { Model } from '../model/model.js';
import { alertmanagerConfig } from './alertmanager.js';
import { allSignalRecordingRules } from './recording.js';
import { sanitizeAlerts } from './sanitize.js';
import { signalAlertRules } from './signal-alerts.js';
import { sloAlertRules, sloRecordingGroups } from './slo.js';
import { topPartitionRecordingRules } from './top-partitions.js';
import { watchdogRule } from './watchdog.js';

export function buildAlertFiles(model: Model): GeneratedFile[] {
  const interval = model.prometheus.evaluationInterval;
  const slo = sloRecordingGroups(model);
  return [
    yamlFile(ALERT_FILES.recording, model, 'Prometheus recording rules: one series per MirrorMaker 2 signal and flow', {
      groups: [
        { name: 'mm2-signals', interval, rules: allSignalRecordingRules(model) },
        // Read only by the drill-down dashboard: its own group, so that its cost shows apart.
        { name: 'mm2-top-partitions', interval, rules: topPartitionRecordingRules(model) },
      ],
    }),
    yamlFile(ALERT_FILES.alerts, model, 'Prometheus alerting rules: one alert per MirrorMaker 2 signal and threshold tier', {
      groups: [
        { name: 'mm2-alerts', interval, rules: sanitizeAlerts(model, signalAlertRules(model)) },
        { name: 'mm2-watchdog', interval, rules: sanitizeAlerts(model, [watchdogRule(model)]) },
      ],
    }),
    yamlFile(ALERT_FILES.slo, model, 'Prometheus rules of the availability SLO: SLI, error ratios, burn rates, error budget and burn-rate alerts', {
      groups: [
        { name: 'mm2-slo-recording', interval, rules: slo.short },
        { name: 'mm2-slo-long-windows', interval: slo.longInterval, rules: slo.long },
        { name: 'mm2-slo-alerts', interval, rules: sanitizeAlerts(model, sloAlertRules(model)) },
      ],
    }),
    yamlFile(
      ALERT_FILES.alertmanager,
      model,
      'Alertmanager configuration for MirrorMaker 2; receivers are loopback placeholders to replace (no credentials here)',
      alertmanagerConfig(model),
    ),
  ];
}

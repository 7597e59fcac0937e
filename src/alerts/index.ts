import { yamlFile, type GeneratedFile } from '../bundle/files.js';
import { durationSeconds } from '../model/duration.js';
import type { Model } from '../model/model.js';
import { SEVERITIES } from '../model/signals.js';
import { allSignalRecordingRules } from './recording.js';

function alertName(id: string, severity: string): string {
  return `MM2${id[0]!.toUpperCase()}${id.slice(1)}${severity === 'critical' ? 'Critical' : 'Warning'}`;
}

export function buildAlertFiles(model: Model): GeneratedFile[] {
  const interval = model.prometheus.evaluationInterval;
  const recording = { name: 'mm2-signals', interval, rules: allSignalRecordingRules(model) };
  const alerting = {
    name: 'mm2-alerts',
    interval,
    rules: model.signals.flatMap((s) =>
      SEVERITIES.flatMap((severity) => {
        const tier = s.tiers[severity];
        if (!tier) return [];
        const op = s.def.direction === 'above' ? '>=' : '<';
        return [
          {
            alert: alertName(s.id, severity),
            expr: `${s.def.record} ${op} ${tier.threshold}`,
            for: durationSeconds(tier.for) > 0 ? tier.for : undefined,
            labels: { severity, signal: s.id },
            annotations: {
              summary: s.def.title,
              description: `${s.def.title} is {{ $value }} (${severity} threshold ${tier.threshold} ${s.def.unit}).`,
              runbook_url: `${model.prometheus.runbookBaseUrl}#${s.def.runbook}`,
            },
          },
        ];
      }),
    ),
  };
  return [yamlFile('alerts/mm2-rules.yaml', model, 'Prometheus rule groups for MirrorMaker 2', { groups: [recording, alerting] })];
}

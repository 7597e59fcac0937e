import { WATCHDOG_ALERT, WATCHDOG_SIGNAL_LABEL } from '../../conventions/names.js';
import type { Model } from '../../model/model.js';
import type { AlertingRule } from './signal-alerts.js';

/**
 * The dead man's switch (kube-prometheus' Watchdog): always firing, routed to its own receiver
 * (a heartbeat service such as a dead man's snitch) that raises the alarm when it stops
 * arriving: Prometheus down, rules not loaded, or Alertmanager unreachable. `severity: none`
 * keeps it out of every pager route.
 */
export function watchdogRule(model: Model): AlertingRule {
  return {
    alert: WATCHDOG_ALERT,
    expr: 'vector(1) > 0',
    labels: { ...model.groupLabels, severity: 'none', signal: WATCHDOG_SIGNAL_LABEL },
    annotations: {
      summary: `MirrorMaker 2 monitoring of Connect cluster ${model.prometheus.cluster}: the alerting pipeline is alive (this alert always fires).`,
      description:
        `Always firing, value {{ $value }}: Prometheus evaluates the MM2 rules of Connect cluster ${model.prometheus.cluster} (job ${model.prometheus.job}) and reaches Alertmanager. ` +
        'Its receiver must alarm when it stops arriving.',
    },
  };
}

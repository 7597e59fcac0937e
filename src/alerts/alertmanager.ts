import { FLOW_LABEL } from '../conventions/labels.js';
import { signalAlertName, WATCHDOG_ALERT } from '../conventions/names.js';
import { groupLabelNames, type Model } from '../model/model.js';
import { SEVERITIES, type Severity } from '../model/signals.js';
import { flowSlug } from '../model/topology.js';
import { quote } from '../promql/selector.js';

/**
 * Alertmanager configuration: one receiver per flow and severity (plus cluster-wide ones), so
 * that each flow's owners get their flow's alerts and pages are kept apart from tickets.
 * Receivers are placeholders on the loopback: a deployment replaces their webhook URLs (or
 * the receivers) with its own; no secret belongs in this file.
 */
const PLACEHOLDER_WEBHOOK = 'http://127.0.0.1:9095/';

const matcher = (label: string, value: string) => `${label}=${quote(value)}`;

function receiver(name: string) {
  return { name, webhook_configs: [{ url: `${PLACEHOLDER_WEBHOOK}${name}`, send_resolved: true }] };
}

/** Critical pages again sooner than warnings. */
const REPEAT: Record<Severity, string> = { critical: '1h', warning: '12h' };

export function alertmanagerConfig(model: Model): object {
  const group = groupLabelNames(model);
  const severityRoutes = (prefix: string, extra: string[]) =>
    [...SEVERITIES].reverse().map((sev) => ({
      receiver: `${prefix}-${sev}`,
      matchers: [...extra, matcher('severity', sev)],
      repeat_interval: REPEAT[sev],
    }));
  // Receiver names from the flow id with punctuation folded ("nemo->applicatif" -> mm2-nemo-applicatif-*):
  // load rejects flows whose names would collide.
  const flowRoutes = model.flows.map((f) => ({
    receiver: `mm2-${flowSlug(f.id)}-warning`,
    matchers: [matcher(FLOW_LABEL, f.id)],
    routes: severityRoutes(`mm2-${flowSlug(f.id)}`, []),
  }));
  const receivers = [
    'mm2-default',
    'mm2-watchdog',
    ...[...SEVERITIES].reverse().map((s) => `mm2-cluster-${s}`),
    ...model.flows.flatMap((f) => [...SEVERITIES].reverse().map((s) => `mm2-${flowSlug(f.id)}-${s}`)),
  ].map(receiver);
  const clusterDown = signalAlertName('workersUp', 'critical');
  return {
    route: {
      receiver: 'mm2-default',
      group_by: [...group, FLOW_LABEL, 'alertname'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      // The watchdog first, to its own receiver, often; then per flow; alerts without a flow
      // (cluster-wide) go by severity.
      routes: [
        { receiver: 'mm2-watchdog', matchers: [matcher('alertname', WATCHDOG_ALERT)], group_wait: '0s', group_interval: '1m', repeat_interval: '1m' },
        ...flowRoutes,
        ...severityRoutes('mm2-cluster', []),
      ],
    },
    inhibit_rules: [
      {
        // The whole cluster (or its monitoring) is unreachable: every flow alert of that cluster
        // is a consequence. Scoped by the group labels: another Connect cluster's alerts stay.
        source_matchers: [matcher('alertname', clusterDown)],
        target_matchers: [`${FLOW_LABEL}=~".+"`],
        equal: [...group],
      },
      {
        source_matchers: [matcher('alertname', clusterDown)],
        target_matchers: [matcher('alertname', signalAlertName('workerExporterUnreachable', 'warning'))],
        equal: [...group],
      },
      {
        // A connector that does not run explains its tasks not running or failing (either severity: it follows the connector).
        source_matchers: [matcher('signal', 'connectorsNotRunning')],
        target_matchers: [`signal=~"failedTasks|tasksNotRunning"`],
        equal: [...group, FLOW_LABEL, 'connector'],
      },
      {
        // A failed task is a task not running: the failed-task alert says it, with the task id.
        source_matchers: [matcher('signal', 'failedTasks')],
        target_matchers: [matcher('signal', 'tasksNotRunning')],
        equal: [...group, FLOW_LABEL, 'connector'],
      },
      {
        // The critical tier of a signal makes its warning redundant, at the same place only: a
        // critical on one topic (task, worker) says nothing about another one's warning.
        source_matchers: [matcher('severity', 'critical')],
        target_matchers: [matcher('severity', 'warning')],
        equal: [...group, FLOW_LABEL, 'signal', 'connector', 'task', 'topic', 'instance'],
      },
    ],
    receivers,
  };
}

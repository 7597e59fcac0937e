import { BUNDLE_LABEL, BUNDLE_LABEL_VALUE, FLOW_LABEL } from '../../conventions/labels.js';
import { signalAlertName, WATCHDOG_ALERT } from '../../conventions/names.js';
import { type Deployment, groupLabelNames, type Model } from '../../model/model.js';
import type { ReceiverSettings } from '../../model/receivers.js';
import { type Routing, routingOf } from '../../model/routing.js';
import { SEVERITIES, type Severity } from '../../model/signals.js';
import { quote } from '../../promql/selector.js';

/**
 * The bundle's Alertmanager routing, in the form a team merges into the Alertmanager it shares
 * with other teams: one route per Connect cluster, matching only the bundle's alerts (the
 * BUNDLE_LABEL no other team's alert carries, and the cluster's group labels), the receivers
 * the override file declares, and inhibitions whose source and target are both the bundle's.
 * A foreign alert never enters these routes and is never inhibited by these rules, whatever its
 * labels; the standalone alertmanager.yaml is this fragment under a root route of its own.
 */

const matcher = (label: string, value: string) => `${label}=${quote(value)}`;
const OWN = matcher(BUNDLE_LABEL, BUNDLE_LABEL_VALUE);

/**
 * Notification timing per severity. A page's group_interval is its group_wait: a critical that
 * fires again while its group still exists (minutes after the previous one resolved, before the
 * resolution was flushed and the empty group collected) is sent at the group's next tick, so a
 * longer interval would hold the page back by up to that interval. Warnings are batched.
 */
export const NOTIFY_TIMING: Record<Severity | 'watchdog' | 'other', { group_wait: string; group_interval: string; repeat_interval: string }> = {
  critical: { group_wait: '30s', group_interval: '30s', repeat_interval: '1h' },
  warning: { group_wait: '30s', group_interval: '5m', repeat_interval: '12h' },
  // Often, so that the dead man's switch sees a gap within minutes.
  watchdog: { group_wait: '0s', group_interval: '1m', repeat_interval: '1m' },
  other: { group_wait: '30s', group_interval: '5m', repeat_interval: '4h' },
};

interface Route {
  receiver: string;
  matchers?: string[];
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: Route[];
}

function severityRoutes(routing: Routing, cluster: Model, flow: string | undefined): Route[] {
  return [...SEVERITIES].reverse().map((sev) => ({
    receiver: routing.receiverFor(cluster, flow, sev),
    matchers: [matcher('severity', sev)],
    ...NOTIFY_TIMING[sev],
  }));
}

/** The route of one Connect cluster's alerts: the watchdog, then per flow, then cluster-wide alerts by severity. */
function clusterRoute(routing: Routing, cluster: Model): Route {
  return {
    receiver: routing.fallback,
    matchers: [OWN, ...Object.entries(cluster.groupLabels).map(([k, v]) => matcher(k, v))],
    group_by: [...groupLabelNames(cluster), FLOW_LABEL, 'alertname'],
    ...NOTIFY_TIMING.other,
    routes: [
      { receiver: routing.watchdog, matchers: [matcher('alertname', WATCHDOG_ALERT)], ...NOTIFY_TIMING.watchdog },
      ...cluster.flows.map((f) => ({
        receiver: routing.receiverFor(cluster, f.id, 'warning'),
        matchers: [matcher(FLOW_LABEL, f.id)],
        routes: severityRoutes(routing, cluster, f.id),
      })),
      ...severityRoutes(routing, cluster, undefined),
    ],
  };
}

/**
 * Inhibitions between the bundle's own alerts only (both sides carry BUNDLE_LABEL) and within
 * one Connect cluster (equal on the group labels): another team's critical never silences the
 * bundle's warnings, nor the bundle's critical another team's warnings.
 */
function inhibitRules(model: Model) {
  const group = groupLabelNames(model);
  const clusterDown = signalAlertName('workersUp', 'critical');
  return [
    {
      // The whole cluster (or its monitoring) is unreachable: every flow alert of that cluster is a consequence.
      source_matchers: [OWN, matcher('alertname', clusterDown)],
      target_matchers: [OWN, `${FLOW_LABEL}=~".+"`],
      equal: [...group],
    },
    {
      source_matchers: [OWN, matcher('alertname', clusterDown)],
      target_matchers: [OWN, matcher('alertname', signalAlertName('workerExporterUnreachable', 'warning'))],
      equal: [...group],
    },
    {
      // A connector that does not run explains its tasks not running or failing (either severity: it follows the connector).
      source_matchers: [OWN, matcher('signal', 'connectorsNotRunning')],
      target_matchers: [OWN, `signal=~"failedTasks|tasksNotRunning"`],
      equal: [...group, FLOW_LABEL, 'connector'],
    },
    {
      // A failed task is a task not running: the failed-task alert says it, with the task id.
      source_matchers: [OWN, matcher('signal', 'failedTasks')],
      target_matchers: [OWN, matcher('signal', 'tasksNotRunning')],
      equal: [...group, FLOW_LABEL, 'connector'],
    },
    {
      // The critical tier of a signal makes its warning redundant, at the same place only: a
      // critical on one topic (task, worker) says nothing about another one's warning.
      source_matchers: [OWN, matcher('severity', 'critical')],
      target_matchers: [OWN, matcher('severity', 'warning')],
      equal: [...group, FLOW_LABEL, 'signal', 'connector', 'task', 'topic', 'instance'],
    },
  ];
}

/** What a team merges into its Alertmanager configuration: `routes` first under its root route, `receivers` and `inhibit_rules` appended. */
export interface AlertmanagerFragment {
  routes: Route[];
  receivers: ReceiverSettings[];
  inhibit_rules: ReturnType<typeof inhibitRules>;
}

export function alertmanagerFragment(d: Deployment): AlertmanagerFragment {
  const routing = routingOf(d);
  // Group labels have the same names in every cluster (the shared prometheus.groupLabels).
  return { routes: d.clusters.map((c) => clusterRoute(routing, c)), receivers: [...routing.receivers], inhibit_rules: inhibitRules(d.clusters[0]) };
}

/** The standalone configuration: the fragment under a root route whose receiver takes whatever is not the bundle's. */
export function alertmanagerConfig(d: Deployment): object {
  const fragment = alertmanagerFragment(d);
  return {
    route: { receiver: routingOf(d).fallback, group_by: ['alertname'], ...NOTIFY_TIMING.other, routes: fragment.routes },
    inhibit_rules: fragment.inhibit_rules,
    receivers: fragment.receivers,
  };
}

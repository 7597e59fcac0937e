import { nearestKey } from './load.js';
import { type Deployment, deploymentOf, type Model, prefixed } from './model.js';
import type { ConfigProblem } from './problems.js';
import { OPERATOR_SECRETS_DIR, operatorSecret, type ReceiverSettings, secretFiles } from './receivers.js';
import { SEVERITIES, type Severity } from './signals.js';
import { flowSlug } from './topology.js';

/**
 * Which receiver gets which of the bundle's alerts: the override file's receivers and routes,
 * or, when it declares none, loopback webhook placeholders (one per flow and severity, one per
 * severity for the cluster-wide alerts) that show the shape and deliver nowhere real.
 */
export interface Routing {
  readonly receivers: readonly ReceiverSettings[];
  /** Receiver of MM2Watchdog, which always fires. */
  readonly watchdog: string;
  /** Receiver of a bundle alert no route below names (an unknown severity). */
  readonly fallback: string;
  /** The receiver of an alert of this cluster, flow (undefined: cluster-wide) and severity. */
  receiverFor(cluster: Model, flow: string | undefined, severity: Severity): string;
  /** Whether the file declared the receivers (false: placeholders). */
  readonly declared: boolean;
}

/** Where the placeholder receivers post: nothing listens there unless a test does. */
export const PLACEHOLDER_WEBHOOK = 'http://127.0.0.1:9095/';

const placeholder = (name: string): ReceiverSettings => ({
  name,
  webhook_configs: [{ url: `${PLACEHOLDER_WEBHOOK}${name}`, send_resolved: true }],
});

function allFlowIds(d: Deployment): string[] {
  return [...new Set(d.clusters.flatMap((c) => c.flows.map((f) => f.id)))];
}

export function routingOf(input: Model | Deployment): Routing {
  const d = deploymentOf(input);
  const { receivers, routes } = d.clusters[0].alerting;
  const name = (n: string) => prefixed(d.prefix, n);
  const bySeverity = [...SEVERITIES].reverse();
  if (receivers.length === 0) {
    return {
      declared: false,
      receivers: [
        name('mm2-default'),
        name('mm2-watchdog'),
        ...bySeverity.map((s) => name(`mm2-cluster-${s}`)),
        ...allFlowIds(d).flatMap((f) => bySeverity.map((s) => name(`mm2-${flowSlug(f)}-${s}`))),
      ].map(placeholder),
      watchdog: name('mm2-watchdog'),
      fallback: name('mm2-default'),
      receiverFor: (_cluster, flow, severity) => name(flow === undefined ? `mm2-cluster-${severity}` : `mm2-${flowSlug(flow)}-${severity}`),
    };
  }
  const only = receivers.length === 1 ? receivers[0]!.name : undefined;
  const fallback = routes.default ?? only;
  const watchdog = routes.watchdog ?? name('mm2-watchdog');
  // Without a watchdog receiver, MM2Watchdog goes to one that notifies nobody (a receiver of that name, if declared, is used).
  const sink = receivers.some((r) => r.name === watchdog) ? [] : [{ name: watchdog }];
  return {
    declared: true,
    receivers: [...receivers, ...sink],
    watchdog,
    fallback: fallback ?? routes.warning ?? routes.critical ?? receivers[0]!.name,
    receiverFor: (cluster, flow, severity) => {
      const c = routes.clusters[cluster.prometheus.cluster];
      const r =
        (flow !== undefined ? (c?.flows[flow]?.[severity] ?? routes.flows[flow]?.[severity]) : undefined) ?? c?.[severity] ?? routes[severity] ?? fallback;
      // routingProblems refuses a configuration that leaves a severity without a receiver.
      if (r === undefined) throw new Error(`no receiver for ${severity} alerts of ${cluster.prometheus.cluster} ${flow ?? ''}`);
      return r;
    },
  };
}

/** What is wrong with alerting.receivers and alerting.routes for these clusters, as load errors. */
export function routingProblems(clusters: readonly Model[]): ConfigProblem[] {
  const { receivers, routes } = clusters[0]!.alerting;
  const problems: ConfigProblem[] = [];
  const names = receivers.map((r) => r.name);
  const routeNames: { path: string; name: string }[] = [];
  const collect = (path: string, v: { critical?: string | undefined; warning?: string | undefined }) => {
    for (const s of SEVERITIES) if (v[s] !== undefined) routeNames.push({ path: `${path}.${s}`, name: v[s]! });
  };
  for (const k of ['default', 'watchdog'] as const) if (routes[k] !== undefined) routeNames.push({ path: `alerting.routes.${k}`, name: routes[k]! });
  collect('alerting.routes', routes);
  const flowIds = new Set(clusters.flatMap((c) => c.flows.map((f) => f.id)));
  const flowKey = (path: string, id: string) => {
    if (!flowIds.has(id))
      problems.push({
        path,
        message: `expected a flow of the bundle (${[...flowIds].map((f) => JSON.stringify(f)).join(', ')}), got ${JSON.stringify(id)}${hint(id, [...flowIds])}`,
      });
  };
  for (const [id, v] of Object.entries(routes.flows)) {
    flowKey(`alerting.routes.flows.${id}`, id);
    collect(`alerting.routes.flows.${id}`, v);
  }
  const clusterLabels = clusters.map((c) => c.prometheus.cluster);
  for (const [cluster, v] of Object.entries(routes.clusters)) {
    const path = `alerting.routes.clusters.${cluster}`;
    if (!clusterLabels.includes(cluster))
      problems.push({
        path,
        message: `expected the \`cluster\` label of a Connect cluster of the bundle (${clusterLabels.map((c) => JSON.stringify(c)).join(', ')}), got ${JSON.stringify(cluster)}${hint(cluster, clusterLabels)}`,
      });
    collect(path, v);
    for (const [id, f] of Object.entries(v.flows)) {
      flowKey(`${path}.flows.${id}`, id);
      collect(`${path}.flows.${id}`, f);
    }
  }
  if (receivers.length === 0) {
    if (routeNames.length > 0)
      problems.push({
        path: 'alerting.routes',
        message: 'expected `alerting.receivers` too: routes name receivers the file declares (without receivers, the bundle writes loopback placeholders)',
      });
    return problems;
  }
  const seen = new Map<string, number>();
  names.forEach((n, i) => {
    const prev = seen.get(n);
    if (prev !== undefined)
      problems.push({ path: `alerting.receivers[${i}].name`, message: `duplicate receiver name ${JSON.stringify(n)} (already alerting.receivers[${prev}])` });
    seen.set(n, i);
  });
  for (const r of routeNames) {
    if (!names.includes(r.name))
      problems.push({
        path: r.path,
        message: `expected the name of a receiver of alerting.receivers (${names.map((n) => JSON.stringify(n)).join(', ')}), got ${JSON.stringify(r.name)}${hint(r.name, names)}`,
      });
  }
  if (receivers.length > 1 && routes.default === undefined && (routes.critical === undefined || routes.warning === undefined)) {
    problems.push({
      path: 'alerting.routes.default',
      message: `missing: with ${receivers.length} receivers, say which one gets the alerts no other route names: \`default\`, or both \`critical\` and \`warning\``,
    });
  }
  if (clusters[0]!.output.kubernetes) {
    receivers.forEach((r, i) => {
      for (const s of secretFiles(r)) {
        if (!operatorSecret(s.file))
          problems.push({
            path: `alerting.receivers[${i}].${s.path}`,
            message: `expected ${OPERATOR_SECRETS_DIR}/<secret>/<key> with output.kubernetes: the AlertmanagerConfig references the key of a Secret, which the Prometheus Operator mounts there (list the Secret in the Alertmanager's spec.secrets), got ${JSON.stringify(s.file)}`,
          });
      }
    });
  }
  return problems;
}

function hint(value: string, valid: readonly string[]): string {
  const near = nearestKey(value, valid);
  return near ? ` (did you mean ${JSON.stringify(near)}?)` : '';
}

import type { Config } from '../config.js';
import { attachedCluster } from '../connect-cluster.js';
import type { ConfigProblem } from '../problems.js';
import { flowId, strimziConnectorName } from '../topology.js';

/**
 * Whether the Connect cluster can run each flow. On Connect a source connector's producer writes
 * to the workers' own Kafka cluster: a flow into another cluster needs its producers pointed at
 * its target (connect/connectors.ts), so the bundle must know which cluster the workers use.
 * Strimzi's KafkaMirrorMaker2 attaches its Connect cluster to the target (spec.connectCluster,
 * spec.target in its v1 API) and writes the connectors' configuration itself.
 */
export function connectProblems(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const attached = attachedCluster(config);
  if (config.connect.strimzi !== 'kafkaMirrorMaker2') return problems;
  config.flows.forEach((f, i) => {
    if (f.target !== attached) {
      problems.push({
        path: `flows[${i}].target`,
        message:
          `flow ${flowId(f.source, f.target)} writes into ${f.target}, but a Strimzi KafkaMirrorMaker2 runs its connectors on a Connect cluster attached to their target ` +
          `(spec.connectCluster; spec.target in its v1 API), here ${attached}${config.connect.kafkaCluster ? ' (connect.kafkaCluster)' : ', the target of flows[0]'}: ` +
          `deploy a KafkaMirrorMaker2 attached to ${f.target} for this flow and monitor it as a Connect cluster of its own (an entry of clusters, or its own override file, with its own connect, prometheus.job and cluster), ` +
          'or run the flow on a plain Kafka Connect cluster (connect.strimzi: kafkaConnect or unset)',
      });
    }
    for (const kind of ['source', 'checkpoint', 'heartbeat'] as const) {
      const set = f.connectors[kind].name;
      const operator = strimziConnectorName(f.source, f.target, kind);
      if (set !== undefined && set !== operator) {
        problems.push({
          path: `flows[${i}].connectors.${kind}.name`,
          message: `expected ${JSON.stringify(operator)}, the name Strimzi's KafkaMirrorMaker2 operator gives this connector (connect.strimzi: kafkaMirrorMaker2), got ${JSON.stringify(set)}; remove the name`,
        });
      }
    }
  });
  return problems;
}

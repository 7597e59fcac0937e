import type { Config } from '../config.js';
import { connectorNameOf } from '../connect-cluster.js';
import type { ConfigProblem } from '../problems.js';
import { flowId, flowSlug } from '../topology.js';

/**
 * The flows can be told apart: no flow twice, no connector name twice, no two flows whose
 * receivers and dashboard UIDs would share a name, no identity policy beside another flow into
 * its target.
 */
export function flowProblems(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seenFlows = new Map<string, number>();
  const seenConnectors = new Map<string, string>();
  config.flows.forEach((f, i) => {
    if (f.source === f.target) problems.push({ path: `flows[${i}].target`, message: `expected a cluster alias other than the source "${f.source}"` });
    const id = flowId(f.source, f.target);
    const prev = seenFlows.get(id);
    if (prev !== undefined) problems.push({ path: `flows[${i}]`, message: `duplicate flow ${id} (already flows[${prev}])` });
    seenFlows.set(id, i);
    for (const kind of ['source', 'checkpoint', 'heartbeat'] as const) {
      const name = f.connectors[kind].name ?? connectorNameOf(config, f.source, f.target, kind);
      const where = `flows[${i}].connectors.${kind}`;
      const other = seenConnectors.get(name);
      if (other) problems.push({ path: `${where}.name`, message: `duplicate connector name "${name}" (already ${other})` });
      seenConnectors.set(name, where);
    }
  });
  // Receiver names and dashboard UIDs are made from the flow id with punctuation folded: flows
  // whose ids differ only by punctuation would collide (amtool rejects the configuration).
  const seenSlugs = new Map<string, number>();
  config.flows.forEach((f, i) => {
    const id = flowId(f.source, f.target);
    const prev = seenSlugs.get(flowSlug(id));
    if (prev !== undefined && flowId(config.flows[prev]!.source, config.flows[prev]!.target) !== id) {
      problems.push({
        path: `flows[${i}]`,
        message: `flow ${id} and flows[${prev}] (${flowId(config.flows[prev]!.source, config.flows[prev]!.target)}) differ only by punctuation in their aliases: their Alertmanager receivers would both be named mm2-${flowSlug(id)}; rename one alias`,
      });
    }
    seenSlugs.set(flowSlug(id), i);
  });
  // IdentityReplicationPolicy keeps topic names: a flow using it cannot be told from another flow
  // into the same target by topic, and the MirrorSourceConnector metrics the bundle reads carry no
  // source alias (Kafka 4.x adds a `source` tag the bundle does not select on): selectors would leak.
  config.flows.forEach((f, i) => {
    if (f.replicationPolicy !== 'identity') return;
    const others = config.flows.map((o, j) => ({ o, j })).filter(({ o, j }) => j !== i && o.target === f.target);
    if (others.length === 0) return;
    problems.push({
      path: `flows[${i}].replicationPolicy`,
      message:
        `flow ${flowId(f.source, f.target)} uses replicationPolicy identity into ${f.target}, which also receives ${others.map(({ o, j }) => `${flowId(o.source, o.target)} (flows[${j}])`).join(', ')}: ` +
        'with topic names kept, no topic pattern tells their metrics apart; use the default policy or one flow per target',
    });
  });
  return problems;
}

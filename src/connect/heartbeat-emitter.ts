import { jsonFile, type GeneratedFile } from '../bundle/files.js';
import type { Model } from '../model/model.js';
import type { Flow } from '../model/topology.js';

/**
 * The recommended heartbeat connector of a flow's source cluster. On Connect a source connector
 * writes to the workers' own cluster (the target), so the flow's MirrorHeartbeatConnector never
 * writes into the source, and nothing crosses the flow end to end. This one points its producer
 * and its admin client at the source cluster: its heartbeats land in the source's `heartbeats`
 * topic, MirrorSourceConnector replicates them to `<source>.heartbeats` on the target, and
 * MM2HeartbeatsReplicatedCritical fires when they stop arriving (an unreachable source cluster
 * while every connector reports RUNNING). The workers need
 * `connector.client.config.override.policy=All` for the producer override.
 */
export const SOURCE_BOOTSTRAP_PLACEHOLDER = (flow: Flow) => `REPLACE-WITH-${flow.source}-BOOTSTRAP-SERVERS`;

export function heartbeatEmitterName(flow: Flow): string {
  return `${flow.source}-heartbeats-at-source`;
}

function emitterConfig(flow: Flow): Record<string, string> {
  const bootstrap = SOURCE_BOOTSTRAP_PLACEHOLDER(flow);
  return {
    'connector.class': 'org.apache.kafka.connect.mirror.MirrorHeartbeatConnector',
    'tasks.max': '1',
    'source.cluster.alias': flow.source,
    'target.cluster.alias': flow.target,
    // The heartbeats topic is created and written in the source cluster, not the workers' cluster.
    'source.cluster.bootstrap.servers': bootstrap,
    'target.cluster.bootstrap.servers': bootstrap,
    'producer.override.bootstrap.servers': bootstrap,
    'emit.heartbeats.enabled': 'true',
    // The tuning guide's interval: MM2HeartbeatsReplicatedCritical expects several per minute.
    'emit.heartbeats.interval.seconds': '5',
    'heartbeats.topic.replication.factor': '3',
    'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
  };
}

/**
 * One file per source cluster, for `PUT /connectors/<name>/config` (the file name is the
 * connector name). Connect logs the notice key as an unused property.
 */
export function buildConnectFiles(model: Model): GeneratedFile[] {
  const bySource = new Map<string, Flow>();
  for (const f of model.flows) if (!bySource.has(f.source)) bySource.set(f.source, f);
  return [...bySource.values()].map((flow) =>
    jsonFile(
      `connect/${heartbeatEmitterName(flow)}.json`,
      model,
      `Recommended heartbeat connector emitting into source cluster ${flow.source} (PUT /connectors/${heartbeatEmitterName(flow)}/config; replace the bootstrap placeholders; workers need connector.client.config.override.policy=All)`,
      emitterConfig(flow),
    ),
  );
}

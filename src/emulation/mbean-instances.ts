import { type CatalogMBean, CONNECT_STATES, MBEAN_CATALOG, mbean } from '../metrics/mbean-catalog.js';
import type { Model } from '../model/model.js';
import {
  type Connector,
  connectorsOf,
  connectWorkerClientId,
  consumerTopicTag,
  type Flow,
  heartbeatEmitterFlows,
  heartbeatEmitterName,
  jmxSanitize,
  mm2ClientId,
  producerClientId,
  remoteHeartbeatsTopic,
  remoteTopicName,
  replicationConsumerClientId,
} from '../model/topology.js';
import type { MBeanReading } from './exporter.js';

/**
 * The MBeans the model's Connect cluster registers, as readings for the exporter emulator:
 * every catalog family instantiated with the model's names (aliases, connector names, task
 * ids, client ids as Kafka builds and JMX-quotes them), every attribute of each. What the
 * exporter rules make of these is the set of series a query can rely on.
 *
 * The model does not list business topics or consumer groups, so a sample of each stands in
 * (SAMPLE_*); the heartbeats topic, which MM2 always replicates, is the model's. A query that
 * filters on a literal business topic or group therefore cannot be traced back to the model,
 * which is intended.
 */

/** The MirrorSourceConnector ObjectName shape: Kafka 3.7 (no `source` property) or 4.x (always `source`). */
export const KAFKA_SHAPES = ['3.7', '4.x'] as const;
export type KafkaShape = (typeof KAFKA_SHAPES)[number];

/** A source topic with a dot, so that the consumer's dot-to-underscore renaming shows. */
export const SAMPLE_TOPIC = 'sample.events';
export const SAMPLE_GROUP = 'sample-group';
export const SAMPLE_PARTITIONS = [0, 1] as const;

type Props = readonly (readonly [string, string])[];

function tasksOf(connector: Connector): number[] {
  return Array.from({ length: connector.tasksMax }, (_, i) => i);
}

/** Source topics a flow replicates in the sample: the heartbeats topic and one business topic. */
function sourceTopics(flow: Flow): { topic: string; remote: string }[] {
  return [
    { topic: 'heartbeats', remote: remoteHeartbeatsTopic(flow) },
    { topic: SAMPLE_TOPIC, remote: remoteTopicName(flow, SAMPLE_TOPIC) },
  ];
}

/**
 * An ObjectName's property list in the catalog's order (`type` first), from the value of each
 * other property: the shape is the catalog's, never written here.
 */
function propsOf(entry: CatalogMBean, values: Readonly<Record<string, string>>, keys: readonly string[] = entry.keyProperties): Props {
  return keys.map((k) => {
    const v = k === 'type' ? entry.typeValue : values[k];
    if (v === undefined) throw new Error(`${entry.id}: no value for ObjectName property ${k}`);
    return [k, v] as const;
  });
}

function mirrorSourceProps(flow: Flow, remote: string, partition: number, shape: KafkaShape): Props {
  const entry = mbean('mirrorSource');
  const keys = shape === '4.x' ? (entry.keyPropertiesKafka4 ?? entry.keyProperties) : entry.keyProperties;
  return propsOf(entry, { source: flow.source, target: flow.target, topic: remote, partition: String(partition) }, keys);
}

/** The per-partition consumer MBean: topic dots become underscores (FetchMetricsManager.topicTags). */
function consumerPartitionProps(flow: Flow, task: number, topic: string, partition: number): Props {
  return propsOf(mbean('consumerPartition'), {
    'client-id': replicationConsumerClientId(flow, task),
    topic: consumerTopicTag(topic),
    partition: String(partition),
  });
}

function checkpointProps(flow: Flow, remote: string, partition: number): Props {
  return propsOf(mbean('mirrorCheckpoint'), { source: flow.source, target: flow.target, group: SAMPLE_GROUP, topic: remote, partition: String(partition) });
}

/** ObjectName property lists of each catalog family, for the model's topology. */
function instancesOf(model: Model, shape: KafkaShape, entry: (typeof MBEAN_CATALOG)[number]): Props[] {
  const flows = model.flows;
  // The flows' connectors, and the heartbeat emitter of each source cluster (connect/): one task.
  const emitters = heartbeatEmitterFlows(flows).map((f): Connector => ({ kind: 'heartbeat', name: heartbeatEmitterName(f), tasksMax: 1 }));
  const connectors = [...flows.flatMap(connectorsOf), ...emitters];
  const tasks = connectors.flatMap((c) => tasksOf(c).map((t) => ({ c, t })));
  const sourceTasks = flows.flatMap((f) => tasksOf(f.connectors.source).map((t) => ({ f, t })));
  const partitions = flows.flatMap((f) =>
    sourceTopics(f).flatMap(({ topic, remote }) => SAMPLE_PARTITIONS.map((p, i) => ({ f, topic, remote, p, task: i % f.connectors.source.tasksMax }))),
  );
  const each = (values: readonly Readonly<Record<string, string>>[]) => values.map((v) => propsOf(entry, v));
  switch (entry.id) {
    case 'mirrorSource':
      return partitions.map(({ f, remote, p }) => mirrorSourceProps(f, remote, p, shape));
    case 'mirrorCheckpoint':
      return flows.flatMap((f) => SAMPLE_PARTITIONS.map((p) => checkpointProps(f, remoteTopicName(f, SAMPLE_TOPIC), p)));
    case 'worker':
    case 'rebalance':
      return each([{}]);
    case 'workerConnector':
    case 'connector':
      return each(connectors.map((c) => ({ connector: c.name })));
    case 'task':
    case 'sourceTask':
    case 'taskError':
      return each(tasks.map(({ c, t }) => ({ connector: c.name, task: String(t) })));
    case 'coordinator':
      return each(model.workers.map((w) => ({ 'client-id': connectWorkerClientId(w.host) })));
    case 'producer':
      return each(
        [
          ...tasks.map(({ c, t }) => producerClientId(c, t)),
          ...sourceTasks.map(({ f, t }) => mm2ClientId(f, f.connectors.source, t, 'offset-syncs-source-producer')),
        ].map((id) => ({ 'client-id': id })),
      );
    case 'producerTopic':
      return each(
        partitions.filter(({ p }) => p === 0).map(({ f, remote, task }) => ({ 'client-id': producerClientId(f.connectors.source, task), topic: remote })),
      );
    case 'consumer':
      return each(
        [
          ...sourceTasks.map(({ f, t }) => replicationConsumerClientId(f, t)),
          ...flows.map((f) => mm2ClientId(f, f.connectors.checkpoint, 0, 'offset-syncs-source-consumer')),
        ].map((id) => ({ 'client-id': id })),
      );
    case 'consumerTopic':
      return each(
        partitions
          .filter(({ p }) => p === 0)
          .map(({ f, topic, task }) => ({ 'client-id': replicationConsumerClientId(f, task), topic: consumerTopicTag(topic) })),
      );
    case 'consumerPartition':
      return partitions.map(({ f, topic, p, task }) => consumerPartitionProps(f, task, topic, p));
  }
}

/** Every value an attribute reading can take: each Connect state for `status`, one sample otherwise. */
function valuesOf(kind: string, attribute: string): (number | string)[] {
  if (kind !== 'string') return [1];
  return attribute === 'status' ? [...CONNECT_STATES] : ['sample'];
}

function readingsFor(props: Props, entry: CatalogMBean): MBeanReading[] {
  const properties = props.map(([k, v]) => [k, jmxSanitize(v)] as const);
  return entry.attributes.flatMap((a) => valuesOf(a.kind, a.name).map((value) => ({ domain: entry.domain, properties, attribute: a.name, value })));
}

/** Every attribute reading of the model's cluster (all workers together) for one Kafka shape. */
export function modelReadings(model: Model, shape: KafkaShape): MBeanReading[] {
  return MBEAN_CATALOG.flatMap((entry) => instancesOf(model, shape, entry).flatMap((props) => readingsFor(props, entry)));
}

/**
 * The readings that one more replicated partition adds: its MirrorSourceConnector MBean and
 * its replication consumer's partition MBean (per-topic MBeans come with a topic, not with a
 * partition). For the cost figure of the exporter configuration.
 */
export function partitionReadings(flow: Flow, shape: KafkaShape): MBeanReading[] {
  const mirror = mirrorSourceProps(flow, remoteTopicName(flow, SAMPLE_TOPIC), 0, shape);
  const consumer = consumerPartitionProps(flow, 0, SAMPLE_TOPIC, 0);
  return [...readingsFor(mirror, mbean('mirrorSource')), ...readingsFor(consumer, mbean('consumerPartition'))];
}

/** The readings one more checkpointed (group, partition) adds. */
export function checkpointPartitionReadings(flow: Flow): MBeanReading[] {
  const props = checkpointProps(flow, remoteTopicName(flow, SAMPLE_TOPIC), 0);
  return readingsFor(props, mbean('mirrorCheckpoint'));
}

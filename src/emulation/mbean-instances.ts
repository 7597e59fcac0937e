import { type CatalogMBean, CONNECT_STATES, catalogEntry, MBEAN_CATALOG } from '../metrics/mbean-catalog.js';
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

function mirrorSourceProps(flow: Flow, remote: string, partition: number, shape: KafkaShape): Props {
  const source: Props = shape === '4.x' ? [['source', flow.source]] : [];
  return [['type', 'MirrorSourceConnector'], ...source, ['target', flow.target], ['topic', remote], ['partition', String(partition)]];
}

/** The per-partition consumer MBean: topic dots become underscores (FetchMetricsManager.topicTags). */
function consumerPartitionProps(flow: Flow, task: number, topic: string, partition: number): Props {
  return [
    ['type', 'consumer-fetch-manager-metrics'],
    ['client-id', replicationConsumerClientId(flow, task)],
    ['topic', consumerTopicTag(topic)],
    ['partition', String(partition)],
  ];
}

function checkpointProps(flow: Flow, remote: string, partition: number): Props {
  return [
    ['type', 'MirrorCheckpointConnector'],
    ['source', flow.source],
    ['target', flow.target],
    ['group', SAMPLE_GROUP],
    ['topic', remote],
    ['partition', String(partition)],
  ];
}

function familyKey(entry: CatalogMBean): string {
  return `${entry.domain}:${entry.typeValue}:${entry.keyProperties.join(',')}`;
}

/** ObjectName property lists of each catalog family, for the model's topology. */
function instancesOf(model: Model, shape: KafkaShape, entry: CatalogMBean): Props[] {
  const flows = model.flows;
  // The flows' connectors, and the heartbeat emitter of each source cluster (connect/): one task.
  const emitters = heartbeatEmitterFlows(flows).map((f): Connector => ({ kind: 'heartbeat', name: heartbeatEmitterName(f), tasksMax: 1 }));
  const connectors = [...flows.flatMap(connectorsOf), ...emitters];
  const tasks = connectors.flatMap((c) => tasksOf(c).map((t) => ({ c, t })));
  const sourceTasks = flows.flatMap((f) => tasksOf(f.connectors.source).map((t) => ({ f, t })));
  const partitions = flows.flatMap((f) =>
    sourceTopics(f).flatMap(({ topic, remote }) => SAMPLE_PARTITIONS.map((p, i) => ({ f, topic, remote, p, task: i % f.connectors.source.tasksMax }))),
  );
  const type = entry.typeValue;
  switch (familyKey(entry)) {
    case 'kafka.connect.mirror:MirrorSourceConnector:type,target,topic,partition':
      return partitions.map(({ f, remote, p }) => mirrorSourceProps(f, remote, p, shape));
    case 'kafka.connect.mirror:MirrorCheckpointConnector:type,source,target,group,topic,partition':
      return flows.flatMap((f) => SAMPLE_PARTITIONS.map((p) => checkpointProps(f, remoteTopicName(f, SAMPLE_TOPIC), p)));
    case 'kafka.connect:connect-worker-metrics:type':
    case 'kafka.connect:connect-worker-rebalance-metrics:type':
      return [[['type', type]]];
    case 'kafka.connect:connect-worker-metrics:type,connector':
    case 'kafka.connect:connector-metrics:type,connector':
      return connectors.map((c) => [
        ['type', type],
        ['connector', c.name],
      ]);
    case 'kafka.connect:connector-task-metrics:type,connector,task':
    case 'kafka.connect:source-task-metrics:type,connector,task':
    case 'kafka.connect:task-error-metrics:type,connector,task':
      return tasks.map(({ c, t }) => [
        ['type', type],
        ['connector', c.name],
        ['task', String(t)],
      ]);
    case 'kafka.connect:connect-coordinator-metrics:type,client-id':
      return model.workers.map((w) => [
        ['type', type],
        ['client-id', connectWorkerClientId(w.host)],
      ]);
    case 'kafka.producer:producer-metrics:type,client-id':
      return [
        ...tasks.map(({ c, t }) => producerClientId(c, t)),
        ...sourceTasks.map(({ f, t }) => mm2ClientId(f, f.connectors.source, t, 'offset-syncs-source-producer')),
      ].map((id) => [
        ['type', type],
        ['client-id', id],
      ]);
    case 'kafka.producer:producer-topic-metrics:type,client-id,topic':
      return partitions
        .filter(({ p }) => p === 0)
        .map(({ f, remote, task }) => [
          ['type', type],
          ['client-id', producerClientId(f.connectors.source, task)],
          ['topic', remote],
        ]);
    case 'kafka.consumer:consumer-fetch-manager-metrics:type,client-id':
      return [
        ...sourceTasks.map(({ f, t }) => replicationConsumerClientId(f, t)),
        ...flows.map((f) => mm2ClientId(f, f.connectors.checkpoint, 0, 'offset-syncs-source-consumer')),
      ].map((id) => [
        ['type', type],
        ['client-id', id],
      ]);
    case 'kafka.consumer:consumer-fetch-manager-metrics:type,client-id,topic':
      return partitions
        .filter(({ p }) => p === 0)
        .map(({ f, topic, task }) => [
          ['type', type],
          ['client-id', replicationConsumerClientId(f, task)],
          ['topic', consumerTopicTag(topic)],
        ]);
    case 'kafka.consumer:consumer-fetch-manager-metrics:type,client-id,topic,partition':
      return partitions.map(({ f, topic, p, task }) => consumerPartitionProps(f, task, topic, p));
    default:
      throw new Error(`no instances for catalog family ${familyKey(entry)}: add them here`);
  }
}

/** Every value an attribute reading can take: each Connect state for `status`, one sample otherwise. */
function valuesOf(kind: string, attribute: string): (number | string)[] {
  if (kind !== 'string') return [1];
  return attribute === 'status' ? [...CONNECT_STATES] : ['sample'];
}

function readingsFor(domain: string, props: Props, entry: CatalogMBean): MBeanReading[] {
  const properties = props.map(([k, v]) => [k, jmxSanitize(v)] as const);
  return entry.attributes.flatMap((a) => valuesOf(a.kind, a.name).map((value) => ({ domain, properties, attribute: a.name, value })));
}

/** Every attribute reading of the model's cluster (all workers together) for one Kafka shape. */
export function modelReadings(model: Model, shape: KafkaShape): MBeanReading[] {
  return MBEAN_CATALOG.flatMap((entry) => instancesOf(model, shape, entry).flatMap((props) => readingsFor(entry.domain, props, entry)));
}

/** The catalog family of an ObjectName (3.7 or 4.x property list). */
function familyOf(domain: string, props: Props): CatalogMBean {
  return catalogEntry(
    domain,
    props[0]?.[1],
    props.map(([k]) => k),
  );
}

/**
 * The readings that one more replicated partition adds: its MirrorSourceConnector MBean and
 * its replication consumer's partition MBean (per-topic MBeans come with a topic, not with a
 * partition). For the cost figure of the exporter configuration.
 */
export function partitionReadings(flow: Flow, shape: KafkaShape): MBeanReading[] {
  const mirror = mirrorSourceProps(flow, remoteTopicName(flow, SAMPLE_TOPIC), 0, shape);
  const consumer = consumerPartitionProps(flow, 0, SAMPLE_TOPIC, 0);
  return [
    ...readingsFor('kafka.connect.mirror', mirror, familyOf('kafka.connect.mirror', mirror)),
    ...readingsFor('kafka.consumer', consumer, familyOf('kafka.consumer', consumer)),
  ];
}

/** The readings one more checkpointed (group, partition) adds. */
export function checkpointPartitionReadings(flow: Flow): MBeanReading[] {
  const props = checkpointProps(flow, remoteTopicName(flow, SAMPLE_TOPIC), 0);
  return readingsFor('kafka.connect.mirror', props, familyOf('kafka.connect.mirror', props));
}

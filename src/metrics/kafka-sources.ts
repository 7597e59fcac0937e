import { type CatalogMBean, type MBeanId, mbean } from './mbean-catalog.js';
import type { MetricKey } from './names.js';

/**
 * Where each metric of the label contract comes from in Kafka, whatever collects it: the
 * metrics group it is registered in, under which namespace and tags, and its metric name. JMX
 * shows the same thing as `<namespace>:type=<group>,<tag>=<value>,...` with the metric name as
 * the attribute, which the JMX exporter rules match; the Strimzi Metrics Reporter reads the
 * metrics registry directly and names the series after namespace, group and name.
 */

export interface KafkaTag {
  readonly key: string;
  /** MirrorSourceConnector's `source`: Kafka 3.7 registers it only with add.source.alias.to.metrics=true, Kafka 4.x always. */
  readonly optional?: boolean;
}

export interface KafkaFamily {
  /** The metrics context namespace: the JMX domain. */
  readonly namespace: string;
  /** The metrics group: the MBean's `type`. */
  readonly group: string;
  /** Tags in registration order (the 4.x superset): the MBean's properties after `type`. */
  readonly tags: readonly KafkaTag[];
}

/** The catalog's ObjectName shapes that hold a metric of the label contract. */
const CONTRACT_FAMILIES = [
  'mirrorSource',
  'mirrorCheckpoint',
  'connector',
  'task',
  'sourceTask',
  'worker',
  'workerConnector',
  'rebalance',
  /** The producers Connect creates for the connectors' tasks. */
  'producer',
  /** MM2's replication consumers (reading the source cluster). */
  'consumer',
  'consumerPartition',
] as const satisfies readonly MBeanId[];

export type KafkaFamilyId = (typeof CONTRACT_FAMILIES)[number];

/** A catalog shape as a metrics family: a tag Kafka 3.7 lacks (it is in the 4.x superset only) is optional. */
function familyOf(entry: CatalogMBean): KafkaFamily {
  const v37 = entry.keyProperties;
  const tags = (entry.keyPropertiesKafka4 ?? v37).filter((k) => k !== 'type').map((key): KafkaTag => (v37.includes(key) ? { key } : { key, optional: true }));
  return { namespace: entry.domain, group: entry.typeValue, tags };
}

export const KAFKA_FAMILIES: Readonly<Record<KafkaFamilyId, KafkaFamily>> = Object.fromEntries(
  CONTRACT_FAMILIES.map((id) => [id, familyOf(mbean(id))]),
) as Record<KafkaFamilyId, KafkaFamily>;

/** The contract's metrics that Prometheus or the collector's own JVM instrumentation make, not Kafka. */
export type NotFromKafka =
  | 'jvmMemoryUsedBytes'
  | 'jvmMemoryMaxBytes'
  | 'jvmGcCollectionSecondsSum'
  | 'jvmGcCollectionSecondsCount'
  | 'processStartTimeSeconds'
  | 'up'
  | 'scrapeDurationSeconds';
export type KafkaMetricKey = Exclude<MetricKey, NotFromKafka>;

/** Each metric of the label contract that Kafka registers: its family and its metric name (the MBean attribute). */
export const KAFKA_SOURCES: Readonly<Record<KafkaMetricKey, { readonly family: KafkaFamilyId; readonly name: string }>> = {
  replicationLatencyMs: { family: 'mirrorSource', name: 'replication-latency-ms' },
  replicationLatencyMsMax: { family: 'mirrorSource', name: 'replication-latency-ms-max' },
  replicationLatencyMsAvg: { family: 'mirrorSource', name: 'replication-latency-ms-avg' },
  recordAgeMsMax: { family: 'mirrorSource', name: 'record-age-ms-max' },
  recordAgeMsAvg: { family: 'mirrorSource', name: 'record-age-ms-avg' },
  mirrorRecordCount: { family: 'mirrorSource', name: 'record-count' },
  mirrorByteCount: { family: 'mirrorSource', name: 'byte-count' },
  mirrorRecordRate: { family: 'mirrorSource', name: 'record-rate' },
  checkpointLatencyMsMax: { family: 'mirrorCheckpoint', name: 'checkpoint-latency-ms-max' },
  connectorStatus: { family: 'connector', name: 'status' },
  taskStatus: { family: 'task', name: 'status' },
  sourceRecordPollTotal: { family: 'sourceTask', name: 'source-record-poll-total' },
  sourceRecordWriteTotal: { family: 'sourceTask', name: 'source-record-write-total' },
  sourceRecordActiveCount: { family: 'sourceTask', name: 'source-record-active-count' },
  pollBatchAvgTimeMs: { family: 'sourceTask', name: 'poll-batch-avg-time-ms' },
  workerConnectorCount: { family: 'worker', name: 'connector-count' },
  workerTaskCount: { family: 'worker', name: 'task-count' },
  workerTaskStartupFailureTotal: { family: 'worker', name: 'task-startup-failure-total' },
  workerConnectorRunningTaskCount: { family: 'workerConnector', name: 'connector-running-task-count' },
  workerConnectorFailedTaskCount: { family: 'workerConnector', name: 'connector-failed-task-count' },
  rebalancesTotal: { family: 'rebalance', name: 'completed-rebalances-total' },
  rebalancing: { family: 'rebalance', name: 'rebalancing' },
  rebalanceAvgTimeMs: { family: 'rebalance', name: 'rebalance-avg-time-ms' },
  producerRecordErrorTotal: { family: 'producer', name: 'record-error-total' },
  producerBufferExhaustedTotal: { family: 'producer', name: 'buffer-exhausted-total' },
  producerRecordSendTotal: { family: 'producer', name: 'record-send-total' },
  producerRecordRetryTotal: { family: 'producer', name: 'record-retry-total' },
  producerBufferAvailableBytes: { family: 'producer', name: 'buffer-available-bytes' },
  producerBufferTotalBytes: { family: 'producer', name: 'buffer-total-bytes' },
  producerBatchSizeAvg: { family: 'producer', name: 'batch-size-avg' },
  producerRecordQueueTimeAvg: { family: 'producer', name: 'record-queue-time-avg' },
  producerRequestLatencyAvg: { family: 'producer', name: 'request-latency-avg' },
  consumerRecordsLag: { family: 'consumerPartition', name: 'records-lag' },
  consumerRecordsLagMax: { family: 'consumer', name: 'records-lag-max' },
  consumerRecordsConsumedTotal: { family: 'consumer', name: 'records-consumed-total' },
};

export const KAFKA_METRIC_KEYS = Object.keys(KAFKA_SOURCES) as KafkaMetricKey[];

/** The families with a metric per partition: what grows with the partitions a worker replicates. */
export const PER_PARTITION_FAMILIES: readonly KafkaFamilyId[] = ['mirrorSource', 'consumerPartition', 'mirrorCheckpoint'];

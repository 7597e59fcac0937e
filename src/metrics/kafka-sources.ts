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

const CONNECTOR: KafkaTag = { key: 'connector' };
const TASK: KafkaTag = { key: 'task' };
const PARTITION: KafkaTag = { key: 'partition' };
const CLIENT: KafkaTag = { key: 'client-id' };

export const KAFKA_FAMILIES = {
  mirrorSource: {
    namespace: 'kafka.connect.mirror',
    group: 'MirrorSourceConnector',
    tags: [{ key: 'source', optional: true }, { key: 'target' }, { key: 'topic' }, PARTITION],
  },
  mirrorCheckpoint: {
    namespace: 'kafka.connect.mirror',
    group: 'MirrorCheckpointConnector',
    tags: [{ key: 'source' }, { key: 'target' }, { key: 'group' }, { key: 'topic' }, PARTITION],
  },
  connector: { namespace: 'kafka.connect', group: 'connector-metrics', tags: [CONNECTOR] },
  task: { namespace: 'kafka.connect', group: 'connector-task-metrics', tags: [CONNECTOR, TASK] },
  sourceTask: { namespace: 'kafka.connect', group: 'source-task-metrics', tags: [CONNECTOR, TASK] },
  worker: { namespace: 'kafka.connect', group: 'connect-worker-metrics', tags: [] },
  workerConnector: { namespace: 'kafka.connect', group: 'connect-worker-metrics', tags: [CONNECTOR] },
  rebalance: { namespace: 'kafka.connect', group: 'connect-worker-rebalance-metrics', tags: [] },
  /** The producers Connect creates for the connectors' tasks. */
  producer: { namespace: 'kafka.producer', group: 'producer-metrics', tags: [CLIENT] },
  /** MM2's replication consumers (reading the source cluster). */
  consumer: { namespace: 'kafka.consumer', group: 'consumer-fetch-manager-metrics', tags: [CLIENT] },
  consumerPartition: { namespace: 'kafka.consumer', group: 'consumer-fetch-manager-metrics', tags: [CLIENT, { key: 'topic' }, PARTITION] },
} as const satisfies Record<string, KafkaFamily>;

export type KafkaFamilyId = keyof typeof KAFKA_FAMILIES;

/** The contract's metrics that Prometheus or the collector's own JVM instrumentation make, not Kafka. */
export type NotFromKafka =
  | 'jvmMemoryUsedBytes'
  | 'jvmMemoryMaxBytes'
  | 'jvmGcCollectionSecondsSum'
  | 'jvmGcCollectionSecondsCount'
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

/**
 * The label contract between the collector and every query of the bundle: each series the
 * JMX exporter rules produce (or the Strimzi Metrics Reporter serves, once the scrape job has
 * renamed it) is declared here once, with its labels. Queries name metrics through these
 * constants, so a renamed metric is a compile error in the queries and a failed series check
 * (mm2/series-exist) against the collector's emulation.
 */

export type MetricType = 'gauge' | 'counter';

export interface MetricDef<L extends string = string> {
  readonly name: string;
  readonly type: MetricType;
  /** Labels the exporter rules put on the series (Prometheus adds job and instance). */
  readonly labels: readonly L[];
  /** What the value really is; dashboards reuse it as panel help. */
  readonly help: string;
}

function metric<const L extends string>(name: string, type: MetricType, labels: readonly L[], help: string): MetricDef<L> {
  return { name, type, labels, help };
}

// Label sets shared by MBean families.
const MIRROR_PARTITION = ['source', 'target', 'topic', 'partition'] as const;
const CHECKPOINT = ['source', 'target', 'group', 'topic', 'partition'] as const;
const TASK = ['connector', 'task'] as const;
const CLIENT = ['client_id'] as const;

const IDLE_NOTE = 'Frozen at its last value while the partition is idle.';
const WINDOW_NOTE = 'Windowed over about 60 s; NaN when no record was replicated in the window.';

// Only what a panel or a rule of the bundle reads is declared (and therefore exported): every
// per-partition series costs scrape time and storage at thousands of partitions. Not exported:
// MirrorSourceConnector's byte-rate and record-age-ms (the windowed record-age-ms-max/-avg are
// read instead), MirrorCheckpointConnector's checkpoint-latency-ms (the windowed max is read).
export const METRICS = {
  // kafka.connect.mirror:type=MirrorSourceConnector (source label only on Kafka 4.x or add.source.alias.to.metrics=true)
  replicationLatencyMs: metric(
    'kafka_connect_mirror_source_connector_replication_latency_ms',
    'gauge',
    MIRROR_PARTITION,
    `Last record's source-to-target latency in ms, measured after the target acked it (record timestamp to ack). ${IDLE_NOTE}`,
  ),
  replicationLatencyMsMax: metric(
    'kafka_connect_mirror_source_connector_replication_latency_ms_max',
    'gauge',
    MIRROR_PARTITION,
    `Max source-to-target latency in ms. ${WINDOW_NOTE}`,
  ),
  replicationLatencyMsAvg: metric(
    'kafka_connect_mirror_source_connector_replication_latency_ms_avg',
    'gauge',
    MIRROR_PARTITION,
    `Average source-to-target latency in ms. ${WINDOW_NOTE}`,
  ),
  recordAgeMsMax: metric(
    'kafka_connect_mirror_source_connector_record_age_ms_max',
    'gauge',
    MIRROR_PARTITION,
    `Max age in ms of records when read from the source. ${WINDOW_NOTE}`,
  ),
  recordAgeMsAvg: metric(
    'kafka_connect_mirror_source_connector_record_age_ms_avg',
    'gauge',
    MIRROR_PARTITION,
    `Average age in ms of records when read from the source. ${WINDOW_NOTE}`,
  ),
  mirrorRecordCount: metric(
    'kafka_connect_mirror_source_connector_record_count_total',
    'counter',
    MIRROR_PARTITION,
    'Records replicated to the target (counted after the target acked them).',
  ),
  mirrorByteCount: metric(
    'kafka_connect_mirror_source_connector_byte_count_total',
    'counter',
    MIRROR_PARTITION,
    'Bytes of record values replicated (keys and headers are not counted).',
  ),
  mirrorRecordRate: metric(
    'kafka_connect_mirror_source_connector_record_rate',
    'gauge',
    MIRROR_PARTITION,
    'Records replicated per second, as averaged by the Kafka client over its sample window.',
  ),

  // kafka.connect.mirror:type=MirrorCheckpointConnector
  checkpointLatencyMsMax: metric(
    'kafka_connect_mirror_checkpoint_connector_checkpoint_latency_ms_max',
    'gauge',
    CHECKPOINT,
    `Max time in ms to replicate consumer group offsets. Kafka shares one sensor per checkpoint task, so all groups and partitions of a task show the same value. ${WINDOW_NOTE}`,
  ),

  // kafka.connect:type=connector-metrics / connector-task-metrics (string status exported as value 1)
  connectorStatus: metric(
    'kafka_connect_connector_status',
    'gauge',
    ['connector', 'status'] as const,
    "Always 1, with the connector's current state in the status label; exported only by the worker that runs the connector.",
  ),
  taskStatus: metric(
    'kafka_connect_connector_task_status',
    'gauge',
    ['connector', 'task', 'status'] as const,
    "Always 1, with the task's current state in the status label; exported only by the worker that runs the task.",
  ),

  // kafka.connect:type=source-task-metrics
  sourceRecordPollTotal: metric(
    'kafka_connect_source_task_metrics_source_record_poll_total',
    'counter',
    TASK,
    'Records the task polled from its source (for MM2: read from the source cluster).',
  ),
  sourceRecordWriteTotal: metric(
    'kafka_connect_source_task_metrics_source_record_write_total',
    'counter',
    TASK,
    'Records the task wrote to Kafka (acked by the target cluster).',
  ),
  sourceRecordActiveCount: metric(
    'kafka_connect_source_task_metrics_source_record_active_count',
    'gauge',
    TASK,
    'Records polled but not yet acked by the target: in-flight records, not replication lag.',
  ),
  pollBatchAvgTimeMs: metric('kafka_connect_source_task_metrics_poll_batch_avg_time_ms', 'gauge', TASK, 'Average time in ms the task took to poll a batch.'),

  // kafka.connect:type=connect-worker-metrics
  workerConnectorCount: metric('kafka_connect_worker_connector_count', 'gauge', [] as const, 'Connectors running on this worker.'),
  workerTaskCount: metric('kafka_connect_worker_task_count', 'gauge', [] as const, 'Tasks running on this worker.'),
  workerConnectorRunningTaskCount: metric(
    'kafka_connect_worker_connector_running_task_count',
    'gauge',
    ['connector'] as const,
    'Running tasks of a connector on this worker (sum over workers for the cluster).',
  ),
  workerConnectorFailedTaskCount: metric(
    'kafka_connect_worker_connector_failed_task_count',
    'gauge',
    ['connector'] as const,
    'Failed tasks of a connector on this worker.',
  ),
  workerTaskStartupFailureTotal: metric('kafka_connect_worker_task_startup_failure_total', 'counter', [] as const, 'Task starts that failed on this worker.'),

  // kafka.connect:type=connect-worker-rebalance-metrics
  rebalancesTotal: metric('kafka_connect_worker_rebalance_completed_rebalances_total', 'counter', [] as const, 'Rebalances this worker completed.'),
  rebalancing: metric('kafka_connect_worker_rebalance_rebalancing', 'gauge', [] as const, '1 while this worker is in a rebalance.'),
  rebalanceAvgTimeMs: metric(
    'kafka_connect_worker_rebalance_rebalance_avg_time_ms',
    'gauge',
    [] as const,
    "Average duration in ms of this worker's rebalances.",
  ),

  // kafka.producer:type=producer-metrics (the per-task producer: client id connector-producer-<connector>-<task>)
  producerRecordErrorTotal: metric(
    'kafka_producer_producer_metrics_record_error_total',
    'counter',
    CLIENT,
    'Records the producer failed to send (after retries).',
  ),
  producerBufferExhaustedTotal: metric(
    'kafka_producer_producer_metrics_buffer_exhausted_total',
    'counter',
    CLIENT,
    'Sends dropped because the producer buffer was full (backpressure from the target).',
  ),
  producerRecordSendTotal: metric('kafka_producer_producer_metrics_record_send_total', 'counter', CLIENT, 'Records the producer sent.'),
  producerRecordRetryTotal: metric('kafka_producer_producer_metrics_record_retry_total', 'counter', CLIENT, 'Record sends the producer retried.'),
  producerBufferAvailableBytes: metric('kafka_producer_producer_metrics_buffer_available_bytes', 'gauge', CLIENT, 'Free bytes in the producer buffer.'),
  producerBufferTotalBytes: metric(
    'kafka_producer_producer_metrics_buffer_total_bytes',
    'gauge',
    CLIENT,
    'Size in bytes of the producer buffer (buffer.memory).',
  ),
  producerBatchSizeAvg: metric('kafka_producer_producer_metrics_batch_size_avg', 'gauge', CLIENT, 'Average bytes per batch sent.'),
  producerRecordQueueTimeAvg: metric(
    'kafka_producer_producer_metrics_record_queue_time_avg',
    'gauge',
    CLIENT,
    'Average ms a batch waited in the producer buffer.',
  ),
  producerRequestLatencyAvg: metric('kafka_producer_producer_metrics_request_latency_avg', 'gauge', CLIENT, 'Average produce request latency in ms.'),

  // kafka.consumer:type=consumer-fetch-manager-metrics of MM2's replication consumer (reads the source cluster)
  consumerRecordsLag: metric(
    'kafka_consumer_consumer_fetch_manager_metrics_records_lag',
    'gauge',
    ['client_id', 'topic', 'partition'] as const,
    'Offset lag of the replication consumer on one source partition: records on the source not yet read by MM2. Topic dots appear as underscores.',
  ),
  consumerRecordsLagMax: metric(
    'kafka_consumer_consumer_fetch_manager_metrics_records_lag_max',
    'gauge',
    CLIENT,
    'Largest partition lag of the replication consumer over its sample window.',
  ),
  consumerRecordsConsumedTotal: metric(
    'kafka_consumer_consumer_fetch_manager_metrics_records_consumed_total',
    'counter',
    CLIENT,
    'Records the replication consumer read from the source.',
  ),

  // JVM metrics come from the exporter's own JVM instrumentation, not from MBean rules.
  jvmMemoryUsedBytes: metric('jvm_memory_used_bytes', 'gauge', ['area'] as const, 'JVM memory in use, by area (heap, nonheap).'),
  jvmMemoryMaxBytes: metric('jvm_memory_max_bytes', 'gauge', ['area'] as const, 'JVM memory limit, by area.'),
  jvmGcCollectionSecondsSum: metric('jvm_gc_collection_seconds_sum', 'counter', ['gc'] as const, 'Seconds spent in GC, by collector.'),
  jvmGcCollectionSecondsCount: metric('jvm_gc_collection_seconds_count', 'counter', ['gc'] as const, 'GC runs, by collector.'),
  processStartTimeSeconds: metric('process_start_time_seconds', 'gauge', [] as const, "When the worker's JVM started, in seconds since the epoch."),

  // Prometheus' own per-target series.
  up: metric('up', 'gauge', [] as const, "1 if the last scrape of the worker's exporter succeeded."),
  scrapeDurationSeconds: metric('scrape_duration_seconds', 'gauge', [] as const, 'How long the last scrape of the exporter took.'),
} as const;

export type MetricKey = keyof typeof METRICS;
export type LabelsOf<K extends MetricKey> = (typeof METRICS)[K]['labels'][number];

/** Metrics that come from the exporter's JVM instrumentation or from Prometheus, not from MBean rules. */
export const NOT_FROM_MBEAN_RULES: readonly MetricKey[] = [
  'jvmMemoryUsedBytes',
  'jvmMemoryMaxBytes',
  'jvmGcCollectionSecondsSum',
  'jvmGcCollectionSecondsCount',
  'processStartTimeSeconds',
  'up',
  'scrapeDurationSeconds',
];

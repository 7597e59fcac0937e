/**
 * The MBeans a Kafka Connect worker running MirrorMaker 2 registers, as Kafka 3.7.1 names
 * them: domain, ObjectName key properties in registration order (`type` first, the order
 * the JMX exporter sees them in), and every attribute with its kind. Copied from the
 * project's reference catalog (test/fixtures/kafka-catalog.json, read from Kafka's source;
 * a test keeps the two equal). Typed data rather than a file read, because builders and
 * `npm run check` must not read files.
 */
export type AttributeKind = 'counter' | 'gauge' | 'string';

export interface CatalogAttribute {
  readonly name: string;
  readonly kind: AttributeKind;
  /** Registered only under this worker or connector setting (a plain MM2 never shows it). */
  readonly onlyWhen?: string;
}

export interface CatalogMBean {
  /** How the project names the ObjectName shape: the exporter rules, the reporter and the emulator look it up by this. */
  readonly id: string;
  readonly domain: string;
  readonly typeValue: string;
  /** Key properties in ObjectName order on Kafka 3.7 (and the JMX exporter's match string). */
  readonly keyProperties: readonly string[];
  /**
   * Where Kafka 4.x differs: MirrorSourceConnector always carries `source` from 4.0
   * (on 3.7 only with add.source.alias.to.metrics=true).
   */
  readonly keyPropertiesKafka4?: readonly string[];
  readonly attributes: readonly CatalogAttribute[];
}

function attrs(byKind: Partial<Record<AttributeKind, readonly string[]>>, onlyWhen?: string): CatalogAttribute[] {
  return (Object.entries(byKind) as [AttributeKind, readonly string[]][]).flatMap(([kind, names]) =>
    names.map((name) => ({ name, kind, ...(onlyWhen ? { onlyWhen } : {}) })),
  );
}

/**
 * Values of the connector and task `status` attributes: Connect's AbstractStatus.State,
 * lower-cased (WorkerConnector/WorkerTask). A status query can only ever match these.
 */
export const CONNECT_STATES = ['unassigned', 'running', 'paused', 'failed', 'restarting', 'stopped', 'destroyed'] as const;

const CATALOG = [
  {
    id: 'mirrorSource',
    domain: 'kafka.connect.mirror',
    typeValue: 'MirrorSourceConnector',
    keyProperties: ['type', 'target', 'topic', 'partition'],
    keyPropertiesKafka4: ['type', 'source', 'target', 'topic', 'partition'],
    attributes: attrs({
      counter: ['record-count', 'byte-count'],
      gauge: [
        'record-rate',
        'record-age-ms',
        'record-age-ms-max',
        'record-age-ms-min',
        'record-age-ms-avg',
        'byte-rate',
        'replication-latency-ms',
        'replication-latency-ms-max',
        'replication-latency-ms-min',
        'replication-latency-ms-avg',
      ],
    }),
  },
  {
    id: 'mirrorCheckpoint',
    domain: 'kafka.connect.mirror',
    typeValue: 'MirrorCheckpointConnector',
    keyProperties: ['type', 'source', 'target', 'group', 'topic', 'partition'],
    attributes: attrs({
      gauge: ['checkpoint-latency-ms', 'checkpoint-latency-ms-max', 'checkpoint-latency-ms-min', 'checkpoint-latency-ms-avg'],
    }),
  },
  {
    id: 'worker',
    domain: 'kafka.connect',
    typeValue: 'connect-worker-metrics',
    keyProperties: ['type'],
    attributes: attrs({
      counter: [
        'connector-startup-attempts-total',
        'connector-startup-success-total',
        'connector-startup-failure-total',
        'task-startup-attempts-total',
        'task-startup-success-total',
        'task-startup-failure-total',
      ],
      gauge: [
        'connector-count',
        'task-count',
        'connector-startup-success-percentage',
        'connector-startup-failure-percentage',
        'task-startup-success-percentage',
        'task-startup-failure-percentage',
      ],
    }),
  },
  {
    id: 'workerConnector',
    domain: 'kafka.connect',
    typeValue: 'connect-worker-metrics',
    keyProperties: ['type', 'connector'],
    attributes: attrs({
      gauge: [
        'connector-total-task-count',
        'connector-running-task-count',
        'connector-paused-task-count',
        'connector-failed-task-count',
        'connector-unassigned-task-count',
        'connector-destroyed-task-count',
        'connector-restarting-task-count',
      ],
    }),
  },
  {
    id: 'rebalance',
    domain: 'kafka.connect',
    typeValue: 'connect-worker-rebalance-metrics',
    keyProperties: ['type'],
    attributes: attrs({
      counter: ['completed-rebalances-total'],
      gauge: ['epoch', 'rebalancing', 'rebalance-max-time-ms', 'rebalance-avg-time-ms', 'time-since-last-rebalance-ms'],
      string: ['connect-protocol', 'leader-name'],
    }),
  },
  {
    id: 'connector',
    domain: 'kafka.connect',
    typeValue: 'connector-metrics',
    keyProperties: ['type', 'connector'],
    attributes: attrs({
      string: ['status', 'connector-type', 'connector-class', 'connector-version'],
    }),
  },
  {
    id: 'task',
    domain: 'kafka.connect',
    typeValue: 'connector-task-metrics',
    keyProperties: ['type', 'connector', 'task'],
    attributes: attrs({
      gauge: [
        'running-ratio',
        'pause-ratio',
        'offset-commit-max-time-ms',
        'offset-commit-avg-time-ms',
        'batch-size-max',
        'batch-size-avg',
        'offset-commit-failure-percentage',
        'offset-commit-success-percentage',
      ],
      string: ['status'],
    }),
  },
  {
    id: 'sourceTask',
    domain: 'kafka.connect',
    typeValue: 'source-task-metrics',
    keyProperties: ['type', 'connector', 'task'],
    attributes: [
      ...attrs({
        counter: ['source-record-poll-total', 'source-record-write-total'],
        gauge: [
          'source-record-poll-rate',
          'source-record-write-rate',
          'poll-batch-max-time-ms',
          'poll-batch-avg-time-ms',
          'source-record-active-count',
          'source-record-active-count-max',
          'source-record-active-count-avg',
        ],
      }),
      // ExactlyOnceWorkerSourceTask only: absent from the recording of real MM2 workers.
      ...attrs({ gauge: ['transaction-size-min', 'transaction-size-max', 'transaction-size-avg'] }, 'exactly.once.source.support=enabled'),
    ],
  },
  {
    id: 'taskError',
    domain: 'kafka.connect',
    typeValue: 'task-error-metrics',
    keyProperties: ['type', 'connector', 'task'],
    attributes: attrs({
      counter: [
        'total-record-failures',
        'total-record-errors',
        'total-records-skipped',
        'total-retries',
        'total-errors-logged',
        'deadletterqueue-produce-requests',
        'deadletterqueue-produce-failures',
      ],
      gauge: ['last-error-timestamp'],
    }),
  },
  {
    id: 'coordinator',
    domain: 'kafka.connect',
    typeValue: 'connect-coordinator-metrics',
    keyProperties: ['type', 'client-id'],
    attributes: attrs({
      counter: ['heartbeat-total', 'join-total', 'sync-total', 'rebalance-latency-total', 'rebalance-total', 'failed-rebalance-total'],
      gauge: [
        'assigned-connectors',
        'assigned-tasks',
        'heartbeat-response-time-max',
        'heartbeat-rate',
        'join-time-avg',
        'join-time-max',
        'join-rate',
        'sync-time-avg',
        'sync-time-max',
        'sync-rate',
        'rebalance-latency-avg',
        'rebalance-latency-max',
        'rebalance-rate-per-hour',
        'failed-rebalance-rate-per-hour',
        'last-rebalance-seconds-ago',
        'last-heartbeat-seconds-ago',
      ],
    }),
  },
  {
    id: 'producer',
    domain: 'kafka.producer',
    typeValue: 'producer-metrics',
    keyProperties: ['type', 'client-id'],
    attributes: [
      ...attrs({
        counter: [
          'record-send-total',
          'record-error-total',
          'record-retry-total',
          'buffer-exhausted-total',
          'bufferpool-wait-time-ns-total',
          'batch-split-total',
        ],
        gauge: [
          'record-send-rate',
          'record-error-rate',
          'record-retry-rate',
          'buffer-exhausted-rate',
          'buffer-total-bytes',
          'buffer-available-bytes',
          'waiting-threads',
          'bufferpool-wait-ratio',
          'request-latency-avg',
          'request-latency-max',
          'record-queue-time-avg',
          'record-queue-time-max',
          'batch-size-avg',
          'batch-size-max',
          'compression-rate-avg',
          'records-per-request-avg',
          'record-size-avg',
          'record-size-max',
          'requests-in-flight',
          'metadata-age',
          'produce-throttle-time-avg',
          'produce-throttle-time-max',
          'batch-split-rate',
        ],
      }),
      // Deprecated in 3.x; the recording of real Kafka 4.3 workers no longer has it.
      ...attrs({ counter: ['bufferpool-wait-time-total'] }, 'Kafka 3.x (removed in 4.0)'),
    ],
  },
  {
    id: 'producerTopic',
    domain: 'kafka.producer',
    typeValue: 'producer-topic-metrics',
    keyProperties: ['type', 'client-id', 'topic'],
    attributes: attrs({
      counter: ['record-send-total', 'byte-total', 'record-retry-total', 'record-error-total'],
      gauge: ['record-send-rate', 'byte-rate', 'compression-rate', 'record-retry-rate', 'record-error-rate'],
    }),
  },
  {
    id: 'consumer',
    domain: 'kafka.consumer',
    typeValue: 'consumer-fetch-manager-metrics',
    keyProperties: ['type', 'client-id'],
    attributes: attrs({
      counter: ['bytes-consumed-total', 'records-consumed-total', 'fetch-total'],
      gauge: [
        'records-lag-max',
        'records-lead-min',
        'fetch-size-avg',
        'fetch-size-max',
        'bytes-consumed-rate',
        'records-per-request-avg',
        'records-consumed-rate',
        'fetch-latency-avg',
        'fetch-latency-max',
        'fetch-rate',
        'fetch-throttle-time-avg',
        'fetch-throttle-time-max',
      ],
    }),
  },
  {
    id: 'consumerTopic',
    domain: 'kafka.consumer',
    typeValue: 'consumer-fetch-manager-metrics',
    keyProperties: ['type', 'client-id', 'topic'],
    attributes: attrs({
      counter: ['bytes-consumed-total', 'records-consumed-total'],
      gauge: ['fetch-size-avg', 'fetch-size-max', 'bytes-consumed-rate', 'records-per-request-avg', 'records-consumed-rate'],
    }),
  },
  {
    id: 'consumerPartition',
    domain: 'kafka.consumer',
    typeValue: 'consumer-fetch-manager-metrics',
    keyProperties: ['type', 'client-id', 'topic', 'partition'],
    attributes: attrs({
      gauge: ['records-lag', 'records-lag-max', 'records-lag-avg', 'records-lead', 'records-lead-min', 'records-lead-avg', 'preferred-read-replica'],
    }),
  },
] as const satisfies readonly CatalogMBean[];

export type MBeanId = (typeof CATALOG)[number]['id'];
export const MBEAN_CATALOG: readonly (CatalogMBean & { readonly id: MBeanId })[] = CATALOG;

/** The catalog entry of an ObjectName shape, by the id the project gives it. */
export function mbean(id: MBeanId): CatalogMBean {
  return MBEAN_CATALOG.find((e) => e.id === id)!;
}

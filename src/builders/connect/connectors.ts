import { type JsonDocument, jsonFile, type PropertiesDocument, propertiesFile } from '../../documents/document.js';
import { REPORTER_ARTIFACT, reporterSettings } from '../../metrics/strimzi-reporter.js';
import type { Collector } from '../../model/config.js';
import type { Model } from '../../model/model.js';
import {
  type Connector,
  type ConnectorKind,
  connectorsOf,
  type Flow,
  heartbeatEmitterFlows,
  heartbeatEmitterName,
  MM2_CONNECTOR_CLASSES,
} from '../../model/topology.js';

/**
 * The configuration of each flow's three MM2 connectors, as the Connect REST API takes it
 * (`PUT /connectors/<name>/config`): the names, aliases and tasks.max the alerts and dashboards
 * select on come from the same topology, so a deployed connector is one the bundle monitors.
 *
 * Values are the tuning guide's (section 4). Cluster addresses are placeholders, one per
 * cluster alias, for the deployment to substitute (envsubst, or a Connect ConfigProvider);
 * security settings (SASL/TLS) are the deployment's and not generated.
 */

const CONNECTOR_CLASS = (kind: ConnectorKind) => `org.apache.kafka.connect.mirror.${MM2_CONNECTOR_CLASSES[kind]}`;

/** "${NEMO_BOOTSTRAP_SERVERS}" for alias "nemo": one placeholder per cluster, whatever the flow. */
export function bootstrapPlaceholder(alias: string): string {
  return `\${${alias.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_BOOTSTRAP_SERVERS}`;
}

// What MM2 on Connect needs whatever the connector: byte-for-byte copies, as dedicated MM2 forces.
const BYTES = {
  'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
  'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
  'header.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
};

// The tuning guide's topic and group filters: never mirror internal, Connect or MM2 topics.
const TOPICS = { topics: '.*', 'topics.exclude': '.*[\\.\\-]internal,.*\\.replica,__.*,connect-.*,mm2-.*' };

const BY_KIND: Readonly<Record<ConnectorKind, Readonly<Record<string, string>>>> = {
  source: {
    ...TOPICS,
    'replication.factor': '3',
    'offset-syncs.topic.replication.factor': '3',
    'sync.topic.configs.enabled': 'true',
    'sync.topic.acls.enabled': 'false',
    'refresh.topics.enabled': 'true',
    'refresh.topics.interval.seconds': '60',
    // Guide section 5 (throughput and no loss): idempotent, ordered, acked by all replicas.
    'producer.override.acks': 'all',
    'producer.override.batch.size': '65536',
    'producer.override.linger.ms': '5',
    'producer.override.buffer.memory': '67108864',
    'producer.override.compression.type': 'lz4',
    'producer.override.max.in.flight.requests.per.connection': '1',
    'producer.override.enable.idempotence': 'true',
    'producer.override.retries': '2147483647',
    'consumer.override.fetch.max.bytes': '52428800',
    'consumer.override.max.poll.records': '1000',
    'consumer.override.auto.offset.reset': 'earliest',
    'consumer.override.max.poll.interval.ms': '300000',
    'consumer.override.session.timeout.ms': '30000',
    'consumer.override.heartbeat.interval.ms': '10000',
  },
  checkpoint: {
    ...TOPICS,
    groups: '.*',
    'groups.exclude': 'console-consumer.*,_.*',
    'checkpoints.topic.replication.factor': '3',
    'emit.checkpoints.enabled': 'true',
    'emit.checkpoints.interval.seconds': '10',
    'sync.group.offsets.enabled': 'true',
    'sync.group.offsets.interval.seconds': '10',
    'refresh.groups.enabled': 'true',
    'refresh.groups.interval.seconds': '60',
  },
  heartbeat: {
    'heartbeats.topic.replication.factor': '3',
    'emit.heartbeats.enabled': 'true',
    // The heartbeat alert's reasoning (no heartbeat in a whole rate window = a stuck task) assumes 5 s.
    'emit.heartbeats.interval.seconds': '5',
  },
};

/**
 * With the Strimzi Metrics Reporter as the collector, what each connector adds so that the
 * reporter sees its metrics: MM2's own metrics (MirrorSourceConnector, MirrorCheckpointConnector)
 * through the connector's metric.reporters, the replication consumer's through MM2's `consumer.`
 * settings, and the task producers' through Connect's `producer.override.` (the workers'
 * connector.client.config.override.policy must allow it; All is the default since Kafka 3.0).
 * Only the worker's reporter listens: these register their metrics with it.
 */
function collectorSettings(collector: Collector, kind: ConnectorKind): Record<string, string> {
  if (collector !== 'strimzi-metrics-reporter') return {};
  return {
    ...(kind !== 'heartbeat' ? reporterSettings('kafka.connect.mirror', '') : {}),
    ...(kind === 'source' ? reporterSettings('kafka.consumer', 'consumer.') : {}),
    ...reporterSettings('kafka.producer', 'producer.override.'),
  };
}

/**
 * Whether the flow's connectors write into another Kafka cluster than the one the Connect
 * workers are attached to. On Connect the records a source task returns (the replicated
 * records, the checkpoints, the heartbeats) are written by the worker's producer, into the
 * workers' own cluster; MM2's own clients (the replication consumer, the offset-syncs producer
 * and consumer, the admin clients that create the remote, checkpoints and heartbeats topics and
 * sync group offsets) are built from the source and target cluster settings and go where they
 * must whatever the workers' cluster. So such a flow points its connectors' producers at the
 * target; the source connector's offsets stay in the workers' offsets topic.
 */
export function writesThroughOverride(model: Model, flow: Flow): boolean {
  return flow.target !== model.connect.kafkaCluster;
}

/** One connector's configuration: what `PUT /connectors/<name>/config` takes. */
export function connectorConfig(model: Model, flow: Flow, connector: Connector): Record<string, string> {
  return {
    'connector.class': CONNECTOR_CLASS(connector.kind),
    'tasks.max': String(connector.tasksMax),
    'source.cluster.alias': flow.source,
    'target.cluster.alias': flow.target,
    'source.cluster.bootstrap.servers': bootstrapPlaceholder(flow.source),
    'target.cluster.bootstrap.servers': bootstrapPlaceholder(flow.target),
    ...(flow.replicationPolicy === 'identity' ? { 'replication.policy.class': 'org.apache.kafka.connect.mirror.IdentityReplicationPolicy' } : {}),
    ...(flow.replicationPolicy === 'default' && flow.separator !== '.' ? { 'replication.policy.separator': flow.separator } : {}),
    ...BY_KIND[connector.kind],
    ...(writesThroughOverride(model, flow) ? { 'producer.override.bootstrap.servers': bootstrapPlaceholder(flow.target) } : {}),
    ...BYTES,
    ...collectorSettings(model.collector, connector.kind),
  };
}

/**
 * connect/<name>.json, the name percent-encoded where it holds more than letters, digits, `.`,
 * `_` and `-` (`nemo->applicatif.MirrorSourceConnector` is `nemo-%3Eapplicatif.MirrorSourceConnector.json`):
 * Connect accepts names no file system or shell takes as they are, and the encoding keeps two
 * names two files.
 */
export function connectorFilePath(connector: Pick<Connector, 'name'>): string {
  const safe = [...new TextEncoder().encode(connector.name)]
    .map((b, i) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9_-]/.test(c) || (c === '.' && i > 0) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
  return `connect/${safe}.json`;
}

/**
 * The recommended heartbeat connector of a flow's source cluster. On Connect a source connector
 * writes to the workers' own cluster (the target), so the flow's heartbeat connector never writes
 * into the source and nothing crosses the flow end to end. This one points its producer and its
 * admin client at the source cluster: its heartbeats land in the source's `heartbeats` topic,
 * MirrorSourceConnector replicates them to `<source>.heartbeats` on the target, and the
 * heartbeatsReplicated alert fires when they stop arriving (an unreachable source cluster while
 * every connector reports RUNNING). The workers need `connector.client.config.override.policy=All`.
 * Its name comes from the topology, which the emitter's own alert selects on.
 */
export { heartbeatEmitterName };

export function heartbeatEmitterConfig(flow: Flow): Record<string, string> {
  const source = bootstrapPlaceholder(flow.source);
  return {
    'connector.class': CONNECTOR_CLASS('heartbeat'),
    'tasks.max': '1',
    'source.cluster.alias': flow.source,
    'target.cluster.alias': flow.target,
    // The heartbeats topic is created and written in the source cluster, not the workers' cluster.
    'source.cluster.bootstrap.servers': source,
    'target.cluster.bootstrap.servers': source,
    'producer.override.bootstrap.servers': source,
    ...BY_KIND.heartbeat,
    ...BYTES,
  };
}

/** One emitter per source cluster, whatever the number of flows leaving it. */
export function heartbeatEmitters(model: Model): Flow[] {
  return heartbeatEmitterFlows(model.flows);
}

const HOW = 'for the Connect REST API: PUT its "config" to /connectors/<name>/config after substituting the ${..._BOOTSTRAP_SERVERS} placeholders';

/** A connector's file: the Connect REST API's shape. */
export interface ConnectorFile {
  readonly name: string;
  readonly config: Readonly<Record<string, string>>;
}

/**
 * connect/<connector>.json for every connector of every flow, and the recommended heartbeat
 * emitter of each source cluster: `{ name, config }`, the REST API's shape.
 */
export function buildConnectorFiles(model: Model): (JsonDocument<ConnectorFile> | PropertiesDocument)[] {
  // Strimzi's KafkaMirrorMaker2 operator writes the flows' connectors from its resource: a file
  // to PUT by hand would only fight it. The source-side heartbeat emitter runs on any Connect cluster.
  const operatorManaged = model.connect.strimzi === 'kafkaMirrorMaker2';
  const flows = operatorManaged
    ? []
    : model.flows.flatMap((flow) =>
        connectorsOf(flow).map((c) => {
          const override = writesThroughOverride(model, flow)
            ? `; the Connect workers are attached to ${model.connect.kafkaCluster}, so its producer writes into ${flow.target} through producer.override.bootstrap.servers, which the workers' connector.client.config.override.policy must allow (All, Kafka's default since 3.0)`
            : '';
          return jsonFile(connectorFilePath(c), model, `MM2 connector ${c.name} of flow ${flow.id}${override}, ${HOW}`, {
            name: c.name,
            config: connectorConfig(model, flow, c),
          });
        }),
      );
  const emitters = heartbeatEmitters(model).map((flow) => {
    const name = heartbeatEmitterName(flow);
    return jsonFile(
      connectorFilePath({ name }),
      model,
      `Recommended heartbeat connector emitting into source cluster ${flow.source} (end-to-end liveness of its flows; workers need connector.client.config.override.policy=All), ${HOW}`,
      {
        name,
        config: heartbeatEmitterConfig(flow),
      },
    );
  });
  return [...flows, ...emitters, ...workerReporterFiles(model)];
}

/** Where the workers' settings for the Strimzi Metrics Reporter go: one file per listener port the workers use. */
export function workerReporterFilePath(port: number, ports: readonly number[]): string {
  return ports.length === 1 ? 'connect/worker-metrics-reporter.properties' : `connect/worker-metrics-reporter-${port}.properties`;
}

/**
 * With the Strimzi Metrics Reporter as the collector, the settings to add to each worker's
 * configuration (connect-distributed.properties, or a KafkaConnect's spec.config): the reporter
 * serving the worker's own metrics (worker, rebalance, connector and task states, source tasks)
 * and, on its listener, every metric the connectors' reporters register in the same JVM.
 */
function workerReporterFiles(model: Model): PropertiesDocument[] {
  if (model.collector !== 'strimzi-metrics-reporter') return [];
  const ports = [...new Set(model.workers.map((w) => w.port))].sort((a, b) => a - b);
  return ports.map((port) =>
    propertiesFile(
      workerReporterFilePath(port, ports),
      model,
      `Strimzi Metrics Reporter settings of the Connect workers listening on :${port} (${model.workers
        .filter((w) => w.port === port)
        .map((w) => w.host)
        .join(', ')}): add them to each worker's configuration`,
      reporterSettings('kafka.connect', '', { port }),
      [
        `The workers need ${REPORTER_ARTIFACT} and its Prometheus client libraries (its release archive's libs/, or Maven's runtime dependencies) on their classpath.`,
        'On Kafka 4.x, metric.reporters replaces the default JmxReporter: add org.apache.kafka.common.metrics.JmxReporter to the list to keep the MBeans.',
      ],
    ),
  );
}

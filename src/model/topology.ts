import { escapeRegex, type Matcher } from '../promql/matcher.js';
import { nre, re } from '../promql/selector.js';

/**
 * The MM2-on-Connect topology as the rest of the bundle sees it. Every connector name,
 * client id and topic pattern that a query filters on is derived here from the flow's
 * aliases, so that the queries match what Kafka really registers.
 */
export const CONNECTOR_KINDS = ['source', 'checkpoint', 'heartbeat'] as const;
export type ConnectorKind = (typeof CONNECTOR_KINDS)[number];

export interface Connector {
  readonly kind: ConnectorKind;
  /** The name in Connect: any name Connect accepts, `nemo->applicatif.MirrorSourceConnector` included. */
  readonly name: string;
  readonly tasksMax: number;
}

/** The MM2 connector class of each kind (package org.apache.kafka.connect.mirror). */
export const MM2_CONNECTOR_CLASSES: Readonly<Record<ConnectorKind, string>> = {
  source: 'MirrorSourceConnector',
  checkpoint: 'MirrorCheckpointConnector',
  heartbeat: 'MirrorHeartbeatConnector',
};

export interface Flow {
  /** Value of the `flow` label on recorded series and alerts: "<source>-><target>", as MM2 writes it. */
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** `default`: remote topics are "<source><separator><topic>"; `identity`: topic names are kept. */
  readonly replicationPolicy: 'default' | 'identity';
  readonly separator: string;
  readonly connectors: Readonly<Record<ConnectorKind, Connector>>;
  /** Source partitions the flow replicates, when the configuration says (flows[].partitions). */
  readonly partitions?: number;
  /**
   * Remote-topic patterns of other flows into the same target that this flow's pattern would
   * also match (`nemo.eu.orders` matches `nemo\..+`): excluded from its selectors.
   */
  readonly excludedTopicRegexes: readonly string[];
}

export interface Worker {
  readonly host: string;
  readonly port: number;
  /** The `instance` label Prometheus gives the worker's exporter target. */
  readonly instance: string;
}

export function flowId(source: string, target: string): string {
  return `${source}->${target}`;
}

/** "nemo->applicatif" -> "nemo-applicatif": receiver names stay readable in Alertmanager's UI. Load rejects flows whose slugs collide. */
export function flowSlug(id: string): string {
  return id.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** The tuning guide's naming: "<source>-to-<target>-<kind>" (e.g. nemo-to-applicatif-source). */
export function defaultConnectorName(source: string, target: string, kind: ConnectorKind): string {
  return `${source}-to-${target}-${kind}`;
}

/**
 * Strimzi's KafkaMirrorMaker2 operator's naming: "<source>-><target>.<connector class>" (e.g.
 * nemo->applicatif.MirrorSourceConnector). `>` is outside what Kafka leaves unquoted in MBean
 * names, so these names are JMX-quoted (see exportedTagValue).
 */
export function strimziConnectorName(source: string, target: string, kind: ConnectorKind): string {
  return `${source}->${target}.${MM2_CONNECTOR_CLASSES[kind]}`;
}

/**
 * Kafka's Sanitizer.jmxSanitize, as JmxReporter applies it to every tag value of an MBean
 * name: a value outside `[\w-%. \t]*` is quoted as ObjectName.quote does (`\`, `"`, `*`, `?`
 * and newlines escaped with a backslash).
 */
export function jmxSanitize(value: string): string {
  return /^[\w\-%. \t]*$/.test(value) ? value : `"${objectNameEscape(value)}"`;
}

function objectNameEscape(value: string): string {
  return value.replace(/[\\"*?\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/**
 * The label value the exporter rules give a tag value (a connector name, a client id): the
 * agent reads the value as it stands in the MBean name, and the rules capture what is inside
 * Kafka's quotes, so the quotes go and ObjectName.quote's escapes stay
 * (`a"b` is exported as `a\"b`). Every escaped character forces quoting, so escaping a part of
 * a value escapes it as the whole value is escaped: client-id patterns compose.
 */
export function exportedTagValue(value: string): string {
  return objectNameEscape(value);
}

/** The `connector` label value of a connector's series. */
export function connectorLabel(connector: Pick<Connector, 'name'>): string {
  return exportedTagValue(connector.name);
}

export function connectorsOf(flow: Flow): readonly Connector[] {
  return CONNECTOR_KINDS.map((k) => flow.connectors[k]);
}

/**
 * What each MM2 connector carries, and so what its outage costs. Only the source connector's
 * tasks move the flow's records: its failures page and count against the SLO. The checkpoint
 * and heartbeat connectors' failures warn, with `stops` as the reason in their alerts.
 */
export interface ConnectorRole {
  /** Whether the connector's tasks replicate the flow's records. */
  readonly carriesRecords: boolean;
  /** What stops while the connector is down, as an alert annotation says it. */
  readonly stops: string;
  /**
   * How Kafka decides the connector's task count. `stable`: min(tasks.max, partitions) for
   * MirrorSourceConnector (tasks.max in practice) and always one for MirrorHeartbeatConnector;
   * `follows-groups`: MirrorCheckpointConnector starts min(tasks.max, consumer groups) tasks,
   * none without a group, and changes it as groups come and go.
   */
  readonly taskCount: 'stable' | 'follows-groups';
}

export const CONNECTOR_ROLES: Readonly<Record<ConnectorKind, ConnectorRole>> = {
  source: { carriesRecords: true, stops: "the flow's records", taskCount: 'stable' },
  checkpoint: {
    carriesRecords: false,
    stops: 'the translation of consumer-group offsets (consumers failing over to the target would restart further back); records keep replicating',
    taskCount: 'follows-groups',
  },
  heartbeat: { carriesRecords: false, stops: 'the heartbeats written into the target; records keep replicating', taskCount: 'stable' },
};

/** The connector kinds whose failures page and count against the SLO: those that carry the records. */
export const RECORD_CONNECTOR_KINDS: readonly ConnectorKind[] = CONNECTOR_KINDS.filter((k) => CONNECTOR_ROLES[k].carriesRecords);
/** The other kinds: their failures warn. */
export const AUXILIARY_CONNECTOR_KINDS: readonly ConnectorKind[] = CONNECTOR_KINDS.filter((k) => !CONNECTOR_ROLES[k].carriesRecords);

/**
 * The recommended heartbeat connector of a flow's source cluster (connect/): a
 * MirrorHeartbeatConnector whose producer writes into the source cluster, so that its heartbeats
 * cross the flow to `<source>.heartbeats` on the target. One per source cluster, shared by the
 * flows leaving it.
 */
export function heartbeatEmitterName(flow: Pick<Flow, 'source'>): string {
  return `${flow.source}-heartbeats-at-source`;
}

/** The first flow leaving each source cluster: one heartbeat emitter each. */
export function heartbeatEmitterFlows(flows: readonly Flow[]): Flow[] {
  const bySource = new Map<string, Flow>();
  for (const f of flows) if (!bySource.has(f.source)) bySource.set(f.source, f);
  return [...bySource.values()];
}

/**
 * Regex (RE2, anchored by Prometheus) for the `topic` label of MirrorSourceConnector
 * series: the remote topic name on the target, e.g. "nemo.orders" under DefaultReplicationPolicy.
 */
export function remoteTopicRegex(flow: Flow): string {
  return flow.replicationPolicy === 'default' ? `${escapeRegex(flow.source + flow.separator)}.+` : '.+';
}

/** The matchers of a flow's remote topics on the target: its prefix, minus longer prefixes of other flows. */
export function remoteTopicMatchers(flow: Flow): Matcher[] {
  return [re(remoteTopicRegex(flow)), ...flow.excludedTopicRegexes.map(nre)];
}

/**
 * For each flow, the remote-topic regexes of the other flows into the same target that start
 * with its own prefix (fan-in with overlapping aliases).
 */
export function topicExclusions(flows: readonly Omit<Flow, 'excludedTopicRegexes'>[]): string[][] {
  const prefix = (f: Omit<Flow, 'excludedTopicRegexes'>) => f.source + f.separator;
  return flows.map((f) =>
    f.replicationPolicy !== 'default'
      ? []
      : flows
          .filter((o) => o !== f && o.target === f.target && o.replicationPolicy === 'default' && prefix(o).startsWith(prefix(f)) && prefix(o) !== prefix(f))
          .map((o) => `${escapeRegex(prefix(o))}.+`)
          .sort(),
  );
}

/** DefaultReplicationPolicy.formatRemoteTopic, or the name kept by IdentityReplicationPolicy. */
export function remoteTopicName(flow: Flow, topic: string): string {
  return flow.replicationPolicy === 'default' ? `${flow.source}${flow.separator}${topic}` : topic;
}

/** The remote name of the source cluster's heartbeats topic (replicated whatever the topic filter). */
export function remoteHeartbeatsTopic(flow: Flow): string {
  return remoteTopicName(flow, 'heartbeats');
}

/**
 * Client ids of the producers Connect creates for a connector's tasks
 * ("connector-producer-<connector>-<task>", Worker.java), as a regex over all tasks of the
 * connectors `connectorRegex` matches (a regex, e.g. a dashboard variable).
 */
export function producerClientIdPattern(connectorRegex: string): string {
  return `connector-producer-${connectorRegex}-[0-9]+`;
}

/** Client ids of the producers of these connectors' tasks, as a regex. */
export function producerClientIdRegex(connectors: readonly Connector[]): string {
  const names = [...new Set(connectors.map(connectorLabel))].sort().map(escapeRegex);
  return producerClientIdPattern(names.length === 1 ? names[0]! : `(${names.join('|')})`);
}

/** One producer client id as Kafka builds it (used to build test fixtures and simulators; its label value is exportedTagValue of it). */
export function producerClientId(connector: Connector, task: number): string {
  return `connector-producer-${connector.name}-${task}`;
}

/** The roles of MM2's own clients, the last part of their client ids. */
export type Mm2ClientRole = 'replication-consumer' | 'offset-syncs-source-producer' | 'offset-syncs-source-consumer';
const REPLICATION_CONSUMER: Mm2ClientRole = 'replication-consumer';

/** MM2's internal client ids: "<source>-><target>|<connector>-<task>|<role>" (MirrorConnectorConfig). */
export function mm2ClientId(flow: Flow, connector: Connector, task: number, role: Mm2ClientRole): string {
  return `${flow.source}->${flow.target}|${connector.name}-${task}|${role}`;
}

/**
 * Client ids of MM2's replication consumers, which read the source cluster:
 * "<source>-><target>|<connector>-<task>|replication-consumer" (MirrorConnectorConfig),
 * optionally prefixed by a user client.id and "|".
 */
export function replicationConsumerClientIdRegex(flow: Flow): string {
  const c = connectorLabel(flow.connectors.source);
  return `(.+\\|)?${escapeRegex(`${flow.source}->${flow.target}|${c}-`)}[0-9]+${escapeRegex(`|${REPLICATION_CONSUMER}`)}`;
}

/** Client ids of the replication consumers of the connectors `connectorRegex` matches, any flow. */
export function replicationConsumerClientIdPattern(connectorRegex: string): string {
  return `.*\\|${connectorRegex}-[0-9]+${escapeRegex(`|${REPLICATION_CONSUMER}`)}`;
}

export function replicationConsumerClientId(flow: Flow, task: number): string {
  return mm2ClientId(flow, flow.connectors.source, task, REPLICATION_CONSUMER);
}

/**
 * The `topic` tag of the consumer's per-topic and per-partition fetch metrics: Kafka writes the
 * topic with its dots as underscores (FetchMetricsManager.topicTags).
 */
export function consumerTopicTag(topic: string): string {
  return topic.replace(/\./g, '_');
}

/** Connect's default REST port, part of the worker's group client id. */
export const CONNECT_REST_PORT = 8083;

/** The client id of a Connect worker's group membership: "connect-<host>:<rest port>". */
export function connectWorkerClientId(host: string, restPort: number = CONNECT_REST_PORT): string {
  return `connect-${host}:${restPort}`;
}

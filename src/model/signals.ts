import type { Direction } from '../conventions/direction.js';
import { type Duration, durationSeconds } from '../conventions/duration.js';
import type { Unit } from '../conventions/units.js';
import type { Matcher } from '../promql/matcher.js';
import { eq, labelReplacement, metricSelector, oneOf, re, recorded } from '../promql/selector.js';
import {
  AUXILIARY_CONNECTOR_KINDS,
  CONNECTOR_ROLES,
  type Connector,
  type ConnectorKind,
  connectorLabel,
  connectorsOf,
  type Flow,
  heartbeatEmitterName,
  producerClientIdRegex,
  RECORD_CONNECTOR_KINDS,
  remoteHeartbeatsTopic,
  remoteTopicMatchers,
  replicationConsumerClientIdRegex,
} from './topology.js';

/**
 * A signal is one monitored quantity. Its query, unit and direction are declared here;
 * its thresholds live in defaults.ts (and a user's overrides). Dashboards, alerts and the
 * audit report all read the same resolved signal.
 */
export type Severity = 'warning' | 'critical';
export const SEVERITIES: readonly Severity[] = ['warning', 'critical'];

export interface Tier {
  readonly threshold: number;
  readonly for: Duration;
}
export type Tiers = Partial<Readonly<Record<Severity, Tier>>>;

/** What a signal's query may use besides the flow. */
export interface QueryContext {
  /** The bundle's group labels (cluster, job) and their values: every raw selector is scoped by them. */
  readonly group: Readonly<Record<string, string>>;
  readonly job: string;
  readonly rateWindow: Duration;
  /** How long a state last reported by a worker that cannot be scraped counts as unknown rather than stopped. */
  readonly statusHold: Duration;
  /** How long a checkpoint task reported by a worker is expected to run (its count follows the consumer groups). */
  readonly taskMemory: Duration;
  /** How long a worker whose exporter answers again still counts as unreachable: it has not rejoined its group yet. */
  readonly startupGrace: Duration;
  readonly scrapeInterval: Duration;
  /** The shortest window a rate may use: 4 scrape intervals (what the rule lint requires). */
  readonly shortWindow: Duration;
}

interface SignalBase {
  readonly title: string;
  /** What the value really measures, with its caveats: shown to reviewers and on panels. */
  readonly meaning: string;
  readonly unit: Unit;
  readonly direction: Direction;
  /** Name of the recording rule that stores the signal (`level:metric:operations`). */
  readonly record: string;
  /** Labels kept by the signal's aggregation besides `flow`; alerts use them to locate the problem. */
  readonly by: readonly string[];
  /** Runbook topic: the key of its advice in runbook.ts (signals diagnosed alike share one). */
  readonly runbook: string;
  /**
   * The connectors each tier's alert is about, for signals with a `connector` label: the
   * connectors that carry the records page, the others warn (topology.ts, CONNECTOR_ROLES). Both
   * tiers may then share a threshold: they never read the same series.
   */
  readonly tierConnectors?: Readonly<Record<Severity, readonly ConnectorKind[]>>;
  /**
   * The value comes from Kafka's windowed statistics, NaN for a partition that saw no record in
   * the window: a topic with a record every few minutes has a value only part of the time, so
   * its alerts read the last value over the rate window (a busy topic's last value is its value
   * now, so a blip ends with the blip).
   */
  readonly sparse?: true;
}
export interface FlowSignalDef extends SignalBase {
  readonly scope: 'flow';
  readonly expr: (flow: Flow, ctx: QueryContext) => string;
}
export interface ClusterSignalDef extends SignalBase {
  readonly scope: 'cluster';
  readonly expr: (ctx: QueryContext) => string;
}
export type SignalDef = FlowSignalDef | ClusterSignalDef;

/**
 * The window the rebalance count covers. The rebalance warning holds for as long (defaults.ts),
 * so that a burst of maintenance that ends within the window (a rolling restart, connector
 * updates) can never fire it: only a pace that lasts does.
 */
export const REBALANCE_WINDOW = '15m';

/** Matchers on the group labels: one bundle's rules never read another Connect cluster's series. */
const inGroup = (ctx: QueryContext): Record<string, Matcher> => Object.fromEntries(Object.entries(ctx.group).map(([l, value]) => [l, eq(value)]));
const mirror = (flow: Flow, ctx: QueryContext) => ({ ...inGroup(ctx), target: eq(flow.target), topic: remoteTopicMatchers(flow) });
const sourceTask = (flow: Flow, ctx: QueryContext) => ({ ...inGroup(ctx), connector: eq(connectorLabel(flow.connectors.source)) });
// Windowed stats are NaN when a partition saw no record in the window; `>= 0` drops those
// instead of letting one idle partition turn the aggregate into NaN.
const notNaN = (selector: string) => `${selector} >= 0`;

/**
 * A worker counts as reachable once its exporter has answered every scrape of the startup
 * grace: a restarted worker serves metrics before it has rejoined its group and restarted its
 * connectors and tasks, and their state is not known until then.
 */
function reachable(ctx: QueryContext): string {
  return `min_over_time(${metricSelector('up', inGroup(ctx))}[${ctx.startupGrace}]) == 1`;
}

/**
 * Connector and task states come from the one worker that runs each of them. When Prometheus
 * cannot scrape that worker (a scrape timeout, a restarting exporter, the worker itself gone),
 * or the worker has only just come back, the state is unknown, not "stopped": a state last
 * reported (within `window`) by a worker that is not reachable counts as still true, unless a
 * worker now reports the same connector or task. A dead worker's work moves to the others after
 * scheduled.rebalance.max.delay.ms and is reported there; a scrape failure changes nothing.
 */
function unknownOnUnreachable(
  ctx: QueryContext,
  key: 'connectorStatus' | 'taskStatus',
  matchers: Record<string, Matcher>,
  window: Duration,
  ids: string,
): string {
  return `((last_over_time(${metricSelector(key, { ...inGroup(ctx), ...matchers })}[${window}]) unless on (instance) (${reachable(ctx)})) unless on (${ids}) ${metricSelector(key, { ...inGroup(ctx), ...matchers })})`;
}

const TASKS_EXPECTED_RECORD = 'mm2_flow_connector:tasks_expected:count';

/** Tasks of `c` a worker reports now in any state, or whose state is unknown: the tasks that exist. */
function tasksKnown(c: Connector, ctx: QueryContext, status?: string): string {
  const conn = { connector: eq(connectorLabel(c)) };
  const reported = metricSelector('taskStatus', { ...inGroup(ctx), ...conn, ...(status ? { status: eq(status) } : {}) });
  return `count(count by (task) (${reported} or ${unknownOnUnreachable(ctx, 'taskStatus', conn, ctx.statusHold, 'connector, task')}))`;
}

/**
 * The tasks each connector is expected to run: what Kafka started, never forgotten while a task
 * is missing. Kafka starts min(tasks.max, partitions) source tasks, always one heartbeat task
 * and min(tasks.max, consumer groups) checkpoint tasks (none without a group), so tasks.max is
 * not the count. For the connectors whose count is stable, the most tasks ever known at once,
 * held by re-reading the series' own last value (a task that vanishes stays expected until it is
 * back; at most tasks.max, so lowering the model's tasksMax lowers it); for the checkpoint
 * connector, whose count follows the consumer groups, the tasks reported within the task memory.
 * No series while none was ever known: tasksNotRunning then expects tasks.max (or none).
 */
function tasksExpected(flow: Flow, ctx: QueryContext): string {
  return connectorsOf(flow)
    .map((c) => {
      const self = recorded(TASKS_EXPECTED_RECORD, { ...inGroup(ctx), flow: eq(flow.id), connector: eq(connectorLabel(c)) });
      const expected =
        CONNECTOR_ROLES[c.kind].taskCount === 'stable'
          ? `clamp_max(max(${tasksKnown(c, ctx)} or max_over_time(${self}[${ctx.statusHold}])), ${c.tasksMax})`
          : `count(count by (task) (last_over_time(${metricSelector('taskStatus', { ...inGroup(ctx), connector: eq(connectorLabel(c)) })}[${ctx.taskMemory}])))`;
      return `label_replace(${expected}, "connector", ${labelReplacement(connectorLabel(c))}, "", "")`;
    })
    .join(' or ');
}

/** What tasksNotRunning expects of a connector none of whose tasks was ever known: tasks.max for a stable count, none for the checkpoint connector. */
export function tasksExpectedUnknown(c: Connector): number {
  return CONNECTOR_ROLES[c.kind].taskCount === 'stable' ? c.tasksMax : 0;
}

/**
 * "How many of the connector's tasks are not running", per connector: the expected count
 * (tasksExpected) less the tasks a worker reports RUNNING now or whose state is unknown (see
 * unknownOnUnreachable). Failed, paused, restarting, unassigned and vanished tasks count.
 */
function tasksNotRunning(flow: Flow, ctx: QueryContext): string {
  return connectorsOf(flow)
    .map((c) => {
      const expected = recorded(TASKS_EXPECTED_RECORD, { ...inGroup(ctx), flow: eq(flow.id), connector: eq(connectorLabel(c)) });
      const runningOrUnknown = tasksKnown(c, ctx, 'running');
      return `label_replace(clamp_min((max(${expected}) or vector(${tasksExpectedUnknown(c)})) - (${runningOrUnknown} or vector(0)), 0), "connector", ${labelReplacement(connectorLabel(c))}, "", "")`;
    })
    .join(' or ');
}

/** The connector runs, as reported now, or as last reported by a worker that is not reachable (unknown). */
function connectorRunning(connector: Pick<Connector, 'name'>, ctx: QueryContext): string {
  const conn = { connector: eq(connectorLabel(connector)) };
  const running = metricSelector('connectorStatus', { ...inGroup(ctx), ...conn, status: eq('running') });
  const unknownRunning = unknownOnUnreachable(ctx, 'connectorStatus', { ...conn, status: eq('running') }, ctx.statusHold, 'connector');
  // The unknown part drops the running series of a connector a reachable worker reports in another state.
  return `(${running} or (${unknownRunning} unless on (connector) ${metricSelector('connectorStatus', { ...inGroup(ctx), ...conn })}))`;
}

function connectorsNotRunning(flow: Flow, ctx: QueryContext): string {
  return connectorsOf(flow)
    .map(
      (c) => `label_replace(clamp_min(1 - (count(${connectorRunning(c, ctx)}) or vector(0)), 0), "connector", ${labelReplacement(connectorLabel(c))}, "", "")`,
    )
    .join(' or ');
}

/**
 * The source cluster's heartbeat emitter (connect/<source>-heartbeats-at-source.json) can emit:
 * its connector RUNNING, and its task reported by one reachable worker at every scrape of the
 * heartbeat window but one (a late or failed scrape does not close it), in any state. A failed
 * task keeps it open: sends into an unreachable source cluster time out and fail the task, the
 * very outage the heartbeats are there to show. Closed while the emitter is paused, stopped or
 * deleted, or its task is unknown or has just moved (it has not had a window to emit yet).
 */
function heartbeatEmitterCanEmit(flow: Flow, ctx: QueryContext): string {
  const emitter = { name: heartbeatEmitterName(flow) };
  const scrapes = Math.max(2, durationSeconds(ctx.shortWindow) / durationSeconds(ctx.scrapeInterval) - 1);
  const task = metricSelector('taskStatus', { ...inGroup(ctx), connector: eq(connectorLabel(emitter)) });
  return `count(${connectorRunning(emitter, ctx)}) and on () (sum by (instance) (count_over_time(${task}[${ctx.shortWindow}])) >= ${scrapes})`;
}

/** 1 while the source cluster's heartbeat emitter, seen within the status hold, does not run: its connector or its task is not RUNNING. */
function heartbeatEmitterNotRunning(flow: Flow, ctx: QueryContext): string {
  const emitter = { name: heartbeatEmitterName(flow) };
  const conn = { connector: eq(connectorLabel(emitter)) };
  const connectorDown = `clamp_min(1 - (count(${connectorRunning(emitter, ctx)}) or vector(0)), 0)`;
  const taskRunning = `${metricSelector('taskStatus', { ...inGroup(ctx), ...conn, status: eq('running') })} or ${unknownOnUnreachable(ctx, 'taskStatus', conn, ctx.statusHold, 'connector, task')}`;
  const taskDown = `clamp_min(1 - (count(${taskRunning}) or vector(0)), 0)`;
  const seen = `count(last_over_time(${metricSelector('connectorStatus', { ...inGroup(ctx), ...conn })}[${ctx.statusHold}]))`;
  return `clamp_max(${connectorDown} + ${taskDown}, 1) and on () ${seen}`;
}

/** How much a counter of the flow's Connect producers (found by their client ids) grew over the rate window. */
function producerIncrease(key: 'producerRecordErrorTotal' | 'producerBufferExhaustedTotal'): FlowSignalDef['expr'] {
  return (f, ctx) => `sum(increase(${metricSelector(key, { ...inGroup(ctx), client_id: re(producerClientIdRegex(connectorsOf(f))) })}[${ctx.rateWindow}]))`;
}

/** A flow signal's recorded series; signals that build on another one read it (rules of a group run in order). */
function recordedOf(def: FlowSignalDef, flow: Flow, ctx: QueryContext): string {
  return recorded(def.record, { ...inGroup(ctx), flow: eq(flow.id) });
}

const replicationLag = {
  scope: 'flow',
  title: 'Replication lag (records)',
  meaning: "Sum over source partitions of the replication consumer's offset lag: records present on the source that MM2 has not read yet.",
  unit: 'records',
  direction: 'above',
  record: 'mm2_flow:replication_lag_records:sum',
  by: [],
  runbook: 'replication-lag',
  expr: (f, ctx) => `sum(${metricSelector('consumerRecordsLag', { ...inGroup(ctx), client_id: re(replicationConsumerClientIdRegex(f)) })})`,
} satisfies FlowSignalDef;

const activeRecords = {
  scope: 'flow',
  title: 'In-flight records (source tasks)',
  meaning:
    "Records the source connector's tasks polled from the source but the target has not acked yet. High means the target or the producer is slow; " +
    'it is not the replication lag (see replicationLag).',
  unit: 'records',
  direction: 'above',
  record: 'mm2_flow:source_record_active_count:sum',
  by: [],
  runbook: 'in-flight-records',
  expr: (f, ctx) => `sum(${metricSelector('sourceRecordActiveCount', sourceTask(f, ctx))})`,
} satisfies FlowSignalDef;

const replicatedRecordsRate = {
  scope: 'flow',
  title: 'Replicated records per second',
  meaning: 'Records acked by the target per second, from the per-partition record counters (resets after a worker restart are handled by rate()).',
  unit: 'records/s',
  direction: 'below',
  record: 'mm2_flow:replicated_records:rate',
  by: [],
  runbook: 'throughput',
  expr: (f, ctx) => `sum(rate(${metricSelector('mirrorRecordCount', mirror(f, ctx))}[${ctx.rateWindow}]))`,
} satisfies FlowSignalDef;

export const SIGNAL_DEFS = {
  replicationLatencyAvg: {
    scope: 'flow',
    title: 'Replication latency (average)',
    meaning:
      "Average over the flow's partitions of the windowed mean time from a record's timestamp on the source to the target's ack. " +
      'It includes any backlog age (it is end-to-end age, not MM2 processing time). Idle partitions are left out (their window is empty).',
    unit: 'ms',
    direction: 'above',
    record: 'mm2_flow:replication_latency_ms:avg',
    sparse: true,
    by: [],
    runbook: 'replication-latency',
    expr: (f, ctx) => `avg(${notNaN(metricSelector('replicationLatencyMsAvg', mirror(f, ctx)))})`,
  },
  replicationLatencyMax: {
    scope: 'flow',
    title: 'Replication latency (worst partition, per topic)',
    meaning:
      'Per topic, the highest windowed max latency of any of its partitions: one stuck partition shows here even when the average looks fine. ' +
      'Idle partitions are left out.',
    unit: 'ms',
    direction: 'above',
    record: 'mm2_flow_topic:replication_latency_ms:max',
    sparse: true,
    by: ['topic'],
    runbook: 'replication-latency',
    expr: (f, ctx) => `max by (topic) (${notNaN(metricSelector('replicationLatencyMsMax', mirror(f, ctx)))})`,
  },
  recordAgeAvg: {
    scope: 'flow',
    title: 'Record age at read (average)',
    meaning:
      'Average over partitions of the windowed mean age of records when MM2 read them from the source: how far behind the source MM2 is reading. Idle partitions are left out.',
    unit: 'ms',
    direction: 'above',
    record: 'mm2_flow:record_age_ms:avg',
    sparse: true,
    by: [],
    runbook: 'record-age',
    expr: (f, ctx) => `avg(${notNaN(metricSelector('recordAgeMsAvg', mirror(f, ctx)))})`,
  },
  recordAgeMax: {
    scope: 'flow',
    title: 'Record age at read (worst partition, per topic)',
    meaning: 'Per topic, the highest windowed max age of records when MM2 read them from the source. Idle partitions are left out.',
    unit: 'ms',
    direction: 'above',
    record: 'mm2_flow_topic:record_age_ms:max',
    sparse: true,
    by: ['topic'],
    runbook: 'record-age',
    expr: (f, ctx) => `max by (topic) (${notNaN(metricSelector('recordAgeMsMax', mirror(f, ctx)))})`,
  },
  activeRecords,
  replicationLag,

  replicationLagGrowth: {
    scope: 'flow',
    title: 'Replication lag growth',
    meaning: 'Slope of the replication lag over 10 minutes, in records per minute (deriv() is per second; this multiplies by 60).',
    unit: 'records/min',
    direction: 'above',
    record: 'mm2_flow:replication_lag_records:deriv10m_per_min',
    by: [],
    runbook: 'replication-lag',
    expr: (f, ctx) => `deriv(${recordedOf(replicationLag, f, ctx)}[10m]) * 60`,
  },
  replicationRatio: {
    scope: 'flow',
    title: 'Replication ratio (written / polled)',
    meaning:
      'Records the source tasks wrote to the target divided by records they polled from the source, over the rate window, in percent. ' +
      'Windowed rates, so a current outage shows now. When nothing was polled in the window while records wait (in flight or in the backlog), ' +
      'nothing gets through: 0 %, so that an outage that also stops polling never reads as 0/0 and resolves the alert. No value while the flow is idle.',
    unit: 'percent',
    direction: 'below',
    record: 'mm2_flow:replication_ratio:percent',
    by: [],
    runbook: 'replication-ratio',
    expr: (f, ctx) =>
      `(100 * sum(rate(${metricSelector('sourceRecordWriteTotal', sourceTask(f, ctx))}[${ctx.rateWindow}])) / ` +
      `(sum(rate(${metricSelector('sourceRecordPollTotal', sourceTask(f, ctx))}[${ctx.rateWindow}])) > 0)) ` +
      `or on () (0 * ((${recordedOf(activeRecords, f, ctx)} > 0) or on () (${recordedOf(replicationLag, f, ctx)} > 0)))`,
  },
  replicatedRecordsRate,

  replicatedBytesRate: {
    scope: 'flow',
    title: 'Replicated bytes per second',
    meaning: 'Bytes of record values replicated per second (keys and headers are not counted by MM2).',
    unit: 'bytes/s',
    direction: 'below',
    record: 'mm2_flow:replicated_bytes:rate',
    by: [],
    runbook: 'throughput',
    expr: (f, ctx) => `sum(rate(${metricSelector('mirrorByteCount', mirror(f, ctx))}[${ctx.rateWindow}]))`,
  },
  replicationStalled: {
    scope: 'flow',
    title: 'Replication stalled with a backlog',
    meaning:
      'The replication lag, reported only while no partition of the flow replicates anything: the source has data and MM2 is not moving it. ' +
      "It reads the Kafka client's own record rate (a gauge that decays to 0 within about a minute of the last record) rather than " +
      'rate() over the rate window, which would keep the flow "moving" for a whole window after it stopped.',
    unit: 'records',
    direction: 'above',
    record: 'mm2_flow:replication_stalled_lag_records:sum',
    by: [],
    runbook: 'replication-stalled',
    expr: (f, ctx) => `${recordedOf(replicationLag, f, ctx)} unless on () (sum(${metricSelector('mirrorRecordRate', mirror(f, ctx))}) > 0)`,
  },
  failedTasks: {
    scope: 'flow',
    title: 'Failed tasks',
    meaning: "Tasks of the flow's connectors whose state is FAILED, one series per failed task (connector and task id, what the restart API needs).",
    unit: 'tasks',
    direction: 'above',
    record: 'mm2_flow_task:failed_tasks:count',
    by: ['connector', 'task'],
    runbook: 'task-failed',
    tierConnectors: { critical: RECORD_CONNECTOR_KINDS, warning: AUXILIARY_CONNECTOR_KINDS },
    expr: (f, ctx) =>
      `(count by (connector, task) (${metricSelector('taskStatus', {
        ...inGroup(ctx),
        connector: oneOf(connectorsOf(f).map(connectorLabel)),
        status: eq('failed'),
      })}))`,
  },
  tasksExpected: {
    scope: 'flow',
    title: 'Tasks expected',
    meaning:
      'Per connector, the tasks Kafka started and that should run. Source and heartbeat connectors: the most tasks known at once, held until they are back ' +
      '(a vanished task stays expected; at most tasks.max); the checkpoint connector, whose task count follows the consumer groups (none without a group): ' +
      'the tasks reported within the task memory.',
    unit: 'tasks',
    direction: 'below',
    record: TASKS_EXPECTED_RECORD,
    by: ['connector'],
    runbook: 'tasks-not-running',
    expr: tasksExpected,
  },
  tasksNotRunning: {
    scope: 'flow',
    title: 'Tasks not running',
    meaning:
      'Per connector, the tasks expected (tasksExpected; tasks.max for a source or heartbeat connector none of whose tasks was ever seen) that no worker reports RUNNING now: ' +
      'failed, paused, restarting, unassigned or vanished tasks count; tasks last reported by a worker that cannot be scraped, or has only just restarted, are unknown and do not.',
    unit: 'tasks',
    direction: 'above',
    record: 'mm2_flow_connector:tasks_not_running:count',
    by: ['connector'],
    runbook: 'tasks-not-running',
    tierConnectors: { critical: RECORD_CONNECTOR_KINDS, warning: AUXILIARY_CONNECTOR_KINDS },
    expr: tasksNotRunning,
  },
  connectorsNotRunning: {
    scope: 'flow',
    title: 'Connector not running',
    meaning:
      '1 per connector that no worker reports RUNNING (failed, paused, unassigned, or deleted). A connector last reported RUNNING by a worker that cannot be scraped, ' +
      'or has only just restarted, is unknown, not stopped, for the status hold (the exporter-unreachable alert covers that worker).',
    unit: 'connectors',
    direction: 'above',
    record: 'mm2_flow_connector:not_running:bool',
    by: ['connector'],
    runbook: 'connector-not-running',
    tierConnectors: { critical: RECORD_CONNECTOR_KINDS, warning: AUXILIARY_CONNECTOR_KINDS },
    expr: connectorsNotRunning,
  },
  producerErrors: {
    scope: 'flow',
    title: 'Producer send errors',
    meaning:
      "Records the flow's Connect producers failed to write to the target after retries, over the rate window, in whole errors: increase() (which ignores counter resets) " +
      'extrapolates to the window and reads 10 errors as about 10.5, so its value is rounded down.',
    unit: 'errors',
    direction: 'above',
    record: 'mm2_flow:producer_record_errors:increase',
    by: [],
    runbook: 'producer-errors',
    expr: (f, ctx) => `floor(${producerIncrease('producerRecordErrorTotal')(f, ctx)})`,
  },
  producerBufferExhausted: {
    scope: 'flow',
    title: 'Producer buffer exhausted',
    meaning: "Times the flow's producers found buffer.memory full over the rate window: the target cannot absorb the flow's throughput.",
    unit: 'events',
    direction: 'above',
    record: 'mm2_flow:producer_buffer_exhausted:increase',
    by: [],
    runbook: 'producer-buffer-exhausted',
    expr: producerIncrease('producerBufferExhaustedTotal'),
  },
  heartbeatsEmitted: {
    scope: 'flow',
    title: 'Heartbeats emitted',
    meaning:
      "Heartbeat records the flow's heartbeat connector wrote over the rate window. Zero while the connector runs means its task is stuck; " +
      'zero too when the connector is gone (paused, failed or deleted), whose write counter then has no series at all.',
    unit: 'records',
    direction: 'below',
    record: 'mm2_flow:heartbeats_written:increase',
    by: [],
    runbook: 'heartbeats',
    expr: (f, ctx) =>
      `sum(increase(${metricSelector('sourceRecordWriteTotal', { ...inGroup(ctx), connector: eq(connectorLabel(f.connectors.heartbeat)) })}[${ctx.rateWindow}])) or on () vector(0)`,
  },
  heartbeatEmitterNotRunning: {
    scope: 'flow',
    title: 'Heartbeat emitter not running',
    meaning:
      "1 while the source cluster's heartbeat emitter (the connector <source>-heartbeats-at-source of connect/) or its task is not RUNNING: " +
      'paused, stopped, failed, unassigned or deleted. Its heartbeats stop. While its connector does not run, heartbeatsReplicated has no value and missing ' +
      'heartbeats are no downtime; a failed task keeps them counting (sends into an unreachable source cluster fail it). No series for an emitter no worker ' +
      'reported within the status hold (never deployed).',
    unit: 'connectors',
    direction: 'above',
    record: 'mm2_flow:heartbeat_emitter_not_running:bool',
    by: [],
    runbook: 'heartbeat-emitter',
    expr: heartbeatEmitterNotRunning,
  },
  heartbeatsReplicated: {
    scope: 'flow',
    title: 'Heartbeats replicated end to end',
    meaning:
      "Records of the source cluster's heartbeats topic replicated to <source>.heartbeats on the target over the shortest rate window, while the heartbeat emitter can emit. " +
      'They cross the whole flow (source cluster, MirrorSourceConnector, target), so they stop when the source cluster is unreachable while every connector ' +
      'still reports RUNNING: tasks retry, rates decay to 0 and the consumer lag freezes at its last value, so no other alert sees it. It fires one window (4 scrape intervals) ' +
      'plus its `for` after the last heartbeat. Needs the heartbeat connector emitting into the source cluster (connect/<source>-heartbeats-at-source.json). No value while that ' +
      'emitter is paused, stopped, deleted or never deployed, or while its task is unknown or has just moved: missing heartbeats then say nothing about the flow ' +
      '(heartbeatEmitterNotRunning warns). A failed emitter task keeps the value: sends into an unreachable source cluster fail it, and the two cannot be told apart.',
    unit: 'records',
    direction: 'below',
    record: 'mm2_flow:heartbeats_replicated:increase',
    by: [],
    runbook: 'heartbeats-replicated',
    expr: (f, ctx) =>
      `sum(increase(${metricSelector('mirrorRecordCount', { ...inGroup(ctx), target: eq(f.target), topic: eq(remoteHeartbeatsTopic(f)) })}[${ctx.shortWindow}])) ` +
      `and on () (${heartbeatEmitterCanEmit(f, ctx)})`,
  },
  replicationSeriesMissing: {
    scope: 'flow',
    title: 'Replication metrics missing (exporter blind)',
    meaning:
      '1 while the source connector runs but no MirrorSourceConnector series of the flow exists: an exporter rule that no longer matches (after a Kafka or ' +
      'jmx_exporter upgrade) or a connector that replicates no topic. Latency, age and lag alerts cannot fire while it lasts.',
    unit: 'connectors',
    direction: 'above',
    record: 'mm2_flow:replication_series_missing:bool',
    by: [],
    runbook: 'exporter-blind',
    expr: (f, ctx) =>
      `(clamp_max(count(${metricSelector('connectorStatus', { ...inGroup(ctx), connector: eq(connectorLabel(f.connectors.source)), status: eq('running') })}), 1) ` +
      `unless on () count(${metricSelector('mirrorRecordCount', mirror(f, ctx))})) or on () vector(0)`,
  },
  checkpointLatencyMax: {
    scope: 'flow',
    title: 'Checkpoint latency (max)',
    meaning: 'Worst windowed time to replicate consumer group offsets to the target, which failover of consumers depends on. Idle groups are left out.',
    unit: 'ms',
    direction: 'above',
    record: 'mm2_flow:checkpoint_latency_ms:max',
    by: [],
    runbook: 'checkpoint-latency',
    expr: (f, ctx) => `max(${notNaN(metricSelector('checkpointLatencyMsMax', { ...inGroup(ctx), source: eq(f.source), target: eq(f.target) }))})`,
  },
  workerExporterUnreachable: {
    scope: 'cluster',
    title: 'Worker exporter unreachable',
    meaning:
      '1 per worker whose JMX exporter Prometheus cannot scrape. The worker may be down or only its exporter or the scrape may fail (a timeout on a large MBean set): ' +
      'Prometheus cannot tell them apart. Its connectors and tasks keep their last reported state as unknown; if the worker is really gone, Connect moves its work ' +
      'after scheduled.rebalance.max.delay.ms and the other workers report it.',
    unit: 'workers',
    direction: 'above',
    record: 'mm2_cluster_instance:exporter_unreachable:bool',
    by: ['instance'],
    runbook: 'worker-exporter-unreachable',
    expr: (ctx) => `1 - ${metricSelector('up', inGroup(ctx))}`,
  },
  workersUp: {
    scope: 'cluster',
    title: 'Connect workers up',
    meaning: 'Workers whose exporter answered the last scrape. Zero means the whole Connect cluster (or its monitoring) is unreachable.',
    unit: 'workers',
    direction: 'below',
    record: 'mm2_cluster:workers_up:count',
    by: [],
    runbook: 'connect-cluster-down',
    expr: (ctx) => `count(${metricSelector('up', inGroup(ctx))} == 1) or vector(0)`,
  },
  rebalanceRate: {
    scope: 'cluster',
    title: `Rebalances in the last ${REBALANCE_WINDOW}`,
    meaning:
      `Rebalances completed over the last ${REBALANCE_WINDOW}, as seen by the worker that saw the most (every worker takes part in each rebalance): ` +
      'the pace now, which falls back to 0 once the cluster is calm again.',
    unit: 'rebalances',
    direction: 'above',
    record: `mm2_cluster:rebalances:increase${REBALANCE_WINDOW}`,
    by: [],
    runbook: 'rebalance-storm',
    expr: (ctx) => `max(increase(${metricSelector('rebalancesTotal', inGroup(ctx))}[${REBALANCE_WINDOW}]))`,
  },
} as const satisfies Record<string, SignalDef>;

export type SignalId = keyof typeof SIGNAL_DEFS;
export const SIGNAL_IDS = Object.keys(SIGNAL_DEFS) as SignalId[];

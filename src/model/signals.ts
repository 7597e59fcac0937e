import { eq, oneOf, re, recorded, sel, type Matcher } from '../promql/selector.js';
import type { Duration } from './duration.js';
import {
  connectorsOf,
  producerClientIdRegex,
  remoteTopicRegex,
  replicationConsumerClientIdRegex,
  type Flow,
} from './topology.js';

/**
 * A signal is one monitored quantity. Its query, unit and direction are declared here;
 * its thresholds live in defaults.ts (and a user's overrides). Dashboards, alerts and the
 * audit report all read the same resolved signal.
 */
export type Unit =
  | 'ms'
  | 'records'
  | 'records/min'
  | 'records/s'
  | 'bytes/s'
  | 'percent'
  | 'tasks'
  | 'connectors'
  | 'workers'
  | 'errors'
  | 'events'
  | 'rebalances/h';

/** Which side of a threshold is bad. `above`: value >= threshold is bad; `below`: value < threshold is bad. */
export type Direction = 'above' | 'below';
export type Severity = 'warning' | 'critical';
export const SEVERITIES: readonly Severity[] = ['warning', 'critical'];

export interface Tier {
  readonly threshold: number;
  readonly for: Duration;
}
export type Tiers = Partial<Readonly<Record<Severity, Tier>>>;

/** What a signal's query may use besides the flow. */
export interface ExprContext {
  readonly job: string;
  readonly rateWindow: Duration;
  readonly workerCount: number;
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
}
export interface FlowSignalDef extends SignalBase {
  readonly scope: 'flow';
  readonly expr: (flow: Flow, ctx: ExprContext) => string;
}
export interface ClusterSignalDef extends SignalBase {
  readonly scope: 'cluster';
  readonly expr: (ctx: ExprContext) => string;
}
export type SignalDef = FlowSignalDef | ClusterSignalDef;

const job = (ctx: ExprContext): Matcher => eq(ctx.job);
const mirror = (flow: Flow, ctx: ExprContext) => ({ job: job(ctx), target: eq(flow.target), topic: re(remoteTopicRegex(flow)) });
const sourceTask = (flow: Flow, ctx: ExprContext) => ({ job: job(ctx), connector: eq(flow.connectors.source.name) });
// Windowed stats are NaN when a partition saw no record in the window; `>= 0` drops those
// instead of letting one idle partition turn the aggregate into NaN.
const notNaN = (selector: string) => `${selector} >= 0`;

/**
 * "How many of the connector's tasks are not running": tasks.max minus the distinct tasks
 * reported running. Counting distinct task ids absorbs the overlap of a rebalance, when the
 * old and the new worker both report the same task for one scrape.
 */
function tasksNotRunning(flow: Flow, ctx: ExprContext): string {
  return connectorsOf(flow)
    .map((c) => {
      const running = `count(count by (task) (${sel('taskStatus', { job: job(ctx), connector: eq(c.name), status: eq('running') })}))`;
      return `label_replace(clamp_min(${c.tasksMax} - (${running} or vector(0)), 0), "connector", "${c.name}", "", "")`;
    })
    .join(' or ');
}

function connectorsNotRunning(flow: Flow, ctx: ExprContext): string {
  return connectorsOf(flow)
    .map((c) => {
      const running = `count(${sel('connectorStatus', { job: job(ctx), connector: eq(c.name), status: eq('running') })})`;
      return `label_replace(clamp_min(1 - (${running} or vector(0)), 0), "connector", "${c.name}", "", "")`;
    })
    .join(' or ');
}

/** A flow signal's recorded series; signals that build on another one read it (rules of a group run in order). */
function recordedOf(def: FlowSignalDef, flow: Flow): string {
  return recorded(def.record, { flow: eq(flow.id) });
}

const replicationLag = {
  scope: 'flow',
  title: 'Replication lag (records)',
  meaning:
    'Sum over source partitions of the replication consumer\'s offset lag: records present on the source that MM2 has not read yet.',
  unit: 'records',
  direction: 'above',
  record: 'mm2_flow:replication_lag_records:sum',
  by: [],
  runbook: 'replication-lag',
  expr: (f, ctx) =>
    `sum(${sel('consumerRecordsLag', { job: job(ctx), client_id: re(replicationConsumerClientIdRegex(f)) })})`,
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
  expr: (f, ctx) => `sum(rate(${sel('mirrorRecordCount', mirror(f, ctx))}[${ctx.rateWindow}]))`,
} satisfies FlowSignalDef;

export const SIGNAL_DEFS = {
  replicationLatencyAvg: {
    scope: 'flow',
    title: 'Replication latency (average)',
    meaning:
      'Average over the flow\'s partitions of the windowed mean time from a record\'s timestamp on the source to the target\'s ack. ' +
      'It includes any backlog age (it is end-to-end age, not MM2 processing time). Idle partitions are left out (their window is empty).',
    unit: 'ms',
    direction: 'above',
    record: 'mm2_flow:replication_latency_ms:avg',
    by: [],
    runbook: 'replication-latency',
    expr: (f, ctx) => `avg(${notNaN(sel('replicationLatencyMsAvg', mirror(f, ctx)))})`,
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
    by: ['topic'],
    runbook: 'replication-latency',
    expr: (f, ctx) => `max by (topic) (${notNaN(sel('replicationLatencyMsMax', mirror(f, ctx)))})`,
  },
  recordAgeAvg: {
    scope: 'flow',
    title: 'Record age at read (average)',
    meaning:
      'Average over partitions of the windowed mean age of records when MM2 read them from the source: how far behind the source MM2 is reading.',
    unit: 'ms',
    direction: 'above',
    record: 'mm2_flow:record_age_ms:avg',
    by: [],
    runbook: 'record-age',
    expr: (f, ctx) => `avg(${notNaN(sel('recordAgeMsAvg', mirror(f, ctx)))})`,
  },
  recordAgeMax: {
    scope: 'flow',
    title: 'Record age at read (worst partition, per topic)',
    meaning: 'Per topic, the highest windowed max age of records when MM2 read them from the source.',
    unit: 'ms',
    direction: 'above',
    record: 'mm2_flow_topic:record_age_ms:max',
    by: ['topic'],
    runbook: 'record-age',
    expr: (f, ctx) => `max by (topic) (${notNaN(sel('recordAgeMsMax', mirror(f, ctx)))})`,
  },
  activeRecords: {
    scope: 'flow',
    title: 'In-flight records (source tasks)',
    meaning:
      'Records the source connector\'s tasks polled from the source but the target has not acked yet. High means the target or the producer is slow; ' +
      'it is not the replication lag (see replicationLag).',
    unit: 'records',
    direction: 'above',
    record: 'mm2_flow:source_record_active_count:sum',
    by: [],
    runbook: 'in-flight-records',
    expr: (f, ctx) => `sum(${sel('sourceRecordActiveCount', sourceTask(f, ctx))})`,
  },
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
    expr: (f, ctx) => `deriv(${recordedOf(replicationLag, f)}[10m]) * 60`,
  },
  replicationRatio: {
    scope: 'flow',
    title: 'Replication ratio (written / polled)',
    meaning:
      'Records the source tasks wrote to the target divided by records they polled from the source, over the rate window, in percent. ' +
      'Windowed rates, so a current outage shows now; no value while the flow is idle.',
    unit: 'percent',
    direction: 'below',
    record: 'mm2_flow:replication_ratio:percent',
    by: [],
    runbook: 'replication-ratio',
    expr: (f, ctx) =>
      `100 * sum(rate(${sel('sourceRecordWriteTotal', sourceTask(f, ctx))}[${ctx.rateWindow}])) / ` +
      `sum(rate(${sel('sourceRecordPollTotal', sourceTask(f, ctx))}[${ctx.rateWindow}]))`,
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
    expr: (f, ctx) => `sum(rate(${sel('mirrorByteCount', mirror(f, ctx))}[${ctx.rateWindow}]))`,
  },
  replicationStalled: {
    scope: 'flow',
    title: 'Replication stalled with a backlog',
    meaning:
      'The replication lag, reported only while no partition of the flow replicates anything: the source has data and MM2 is not moving it. ' +
      'It reads the Kafka client\'s own record rate (a gauge that decays to 0 within about a minute of the last record) rather than ' +
      'rate() over the rate window, which would keep the flow "moving" for a whole window after it stopped.',
    unit: 'records',
    direction: 'above',
    record: 'mm2_flow:replication_stalled_lag_records:sum',
    by: [],
    runbook: 'replication-stalled',
    expr: (f, ctx) =>
      `${recordedOf(replicationLag, f)} unless on () (sum(${sel('mirrorRecordRate', mirror(f, ctx))}) > 0)`,
  },
  failedTasks: {
    scope: 'flow',
    title: 'Failed tasks',
    meaning: 'Tasks of the flow\'s connectors whose state is FAILED, per connector.',
    unit: 'tasks',
    direction: 'above',
    record: 'mm2_flow_connector:failed_tasks:count',
    by: ['connector'],
    runbook: 'task-failed',
    expr: (f, ctx) =>
      `count by (connector) (count by (connector, task) (${sel('taskStatus', {
        job: job(ctx),
        connector: oneOf(connectorsOf(f).map((c) => c.name)),
        status: eq('failed'),
      })}))`,
  },
  tasksNotRunning: {
    scope: 'flow',
    title: 'Tasks not running',
    meaning: 'Per connector, tasks.max minus the distinct tasks in RUNNING state: failed, paused, unassigned or missing tasks all count.',
    unit: 'tasks',
    direction: 'above',
    record: 'mm2_flow_connector:tasks_not_running:count',
    by: ['connector'],
    runbook: 'tasks-not-running',
    expr: tasksNotRunning,
  },
  connectorsNotRunning: {
    scope: 'flow',
    title: 'Connector not running',
    meaning: '1 per connector that no worker reports RUNNING (failed, paused, unassigned, or deleted).',
    unit: 'connectors',
    direction: 'above',
    record: 'mm2_flow_connector:not_running:bool',
    by: ['connector'],
    runbook: 'connector-not-running',
    expr: connectorsNotRunning,
  },
  producerErrors: {
    scope: 'flow',
    title: 'Producer send errors',
    meaning: 'Records the flow\'s Connect producers failed to write to the target after retries, over the rate window (increase() ignores counter resets).',
    unit: 'errors',
    direction: 'above',
    record: 'mm2_flow:producer_record_errors:increase',
    by: [],
    runbook: 'producer-errors',
    expr: (f, ctx) =>
      `sum(increase(${sel('producerRecordErrorTotal', { job: job(ctx), client_id: re(producerClientIdRegex(connectorsOf(f))) })}[${ctx.rateWindow}]))`,
  },
  producerBufferExhausted: {
    scope: 'flow',
    title: 'Producer buffer exhausted',
    meaning: 'Times the flow\'s producers found buffer.memory full over the rate window: the target cannot absorb the flow\'s throughput.',
    unit: 'events',
    direction: 'above',
    record: 'mm2_flow:producer_buffer_exhausted:increase',
    by: [],
    runbook: 'producer-buffer-exhausted',
    expr: (f, ctx) =>
      `sum(increase(${sel('producerBufferExhaustedTotal', { job: job(ctx), client_id: re(producerClientIdRegex(connectorsOf(f))) })}[${ctx.rateWindow}]))`,
  },
  heartbeatsEmitted: {
    scope: 'flow',
    title: 'Heartbeats emitted',
    meaning: 'Heartbeat records the heartbeat connector wrote over the rate window. Zero while the connector runs means its task is stuck.',
    unit: 'records',
    direction: 'below',
    record: 'mm2_flow:heartbeats_written:increase',
    by: [],
    runbook: 'heartbeats',
    expr: (f, ctx) =>
      `sum(increase(${sel('sourceRecordWriteTotal', { job: job(ctx), connector: eq(f.connectors.heartbeat.name) })}[${ctx.rateWindow}]))`,
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
    expr: (f, ctx) =>
      `max(${notNaN(sel('checkpointLatencyMsMax', { job: job(ctx), source: eq(f.source), target: eq(f.target) }))})`,
  },
  workersDown: {
    scope: 'cluster',
    title: 'Connect workers down',
    meaning: 'Workers of the model whose exporter Prometheus could not scrape (or that are missing from service discovery).',
    unit: 'workers',
    direction: 'above',
    record: 'mm2_cluster:workers_down:count',
    by: [],
    runbook: 'worker-down',
    expr: (ctx) => `${ctx.workerCount} - (count(${sel('up', { job: job(ctx) })} == 1) or vector(0))`,
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
    expr: (ctx) => `count(${sel('up', { job: job(ctx) })} == 1) or vector(0)`,
  },
  rebalanceRate: {
    scope: 'cluster',
    title: 'Rebalances per hour',
    meaning: 'Rebalances completed in the last hour, as seen by the worker that saw the most (every worker takes part in each rebalance).',
    unit: 'rebalances/h',
    direction: 'above',
    record: 'mm2_cluster:rebalances:increase1h',
    by: [],
    runbook: 'rebalance-storm',
    expr: (ctx) => `max(increase(${sel('rebalancesTotal', { job: job(ctx) })}[1h]))`,
  },
} as const satisfies Record<string, SignalDef>;

export type SignalId = keyof typeof SIGNAL_DEFS;
export const SIGNAL_IDS = Object.keys(SIGNAL_DEFS) as SignalId[];

/** The recorded series of a signal, for one flow (flow-scoped) or the cluster. */
export function recordedSelector(id: SignalId, flow?: Flow): string {
  const def: SignalDef = SIGNAL_DEFS[id];
  if (def.scope === 'flow') {
    if (!flow) throw new Error(`signal ${id} is per flow: a flow is needed`);
    return recorded(def.record, { flow: eq(flow.id) });
  }
  return recorded(def.record);
}

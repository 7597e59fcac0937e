import type { GuideAlertName } from './provenance.js';
import type { Severity, SignalId } from './signals.js';

/**
 * What became of each of the guide's alerts: the tiers of the bundle that replace it and, in
 * one line each, why its name, expression and severity changed. Thresholds and `for` are
 * explained by the tiers' own provenance; `sla_impact` by the bundle's SLI.
 */
export interface GuideAlertFate {
  /** The tiers whose alerts replace the guide's alert. */
  readonly becomes: readonly { readonly signal: SignalId; readonly severity: Severity }[];
  /** Tiers the bundle adds around it (e.g. a warning below the guide's critical). */
  readonly adds?: readonly { readonly signal: SignalId; readonly severity: Severity }[];
  readonly expression: string;
  /** Only when the bundle's severity differs from the guide's for one of the tiers. */
  readonly severity?: string;
}

/** Every alert of the guide and what it became: none is dropped. */
export const GUIDE_ALERT_FATES: Readonly<Record<GuideAlertName, GuideAlertFate>> = {
  MM2ReplicationLatencyCritical: {
    becomes: [{ signal: 'replicationLatencyAvg', severity: 'critical' }],
    adds: [{ signal: 'replicationLatencyAvg', severity: 'warning' }],
    expression:
      'per flow, the windowed replication_latency_ms_avg of live partitions: the guide averaged the last-value gauge replication_latency_ms of every partition of every flow, which an idle partition holds frozen at its last value',
  },
  MM2LagIncreasing: {
    becomes: [{ signal: 'replicationLagGrowth', severity: 'warning' }],
    expression:
      "slope of the true replication lag (consumer records-lag) per minute: the guide's deriv() is per second though its description says records/min, and it read in-flight records, which measure what the tasks hold, not the backlog left on the source",
  },
  MM2LagCritical: {
    becomes: [
      { signal: 'activeRecords', severity: 'critical' },
      { signal: 'replicationLag', severity: 'critical' },
    ],
    adds: [
      { signal: 'activeRecords', severity: 'warning' },
      { signal: 'replicationLag', severity: 'warning' },
    ],
    expression:
      "split in two: the guide's quantity (in-flight records, kept per flow as activeRecords) and the lag it meant (the replication consumer's offset lag, replicationLag)",
  },
  MM2TaskFailed: {
    becomes: [
      { signal: 'failedTasks', severity: 'critical' },
      { signal: 'failedTasks', severity: 'warning' },
    ],
    expression:
      'per flow and connector, selected by the connector names of the model: the guide\'s connector=~".*mirror.*" matches none of its own connector names (nemo-to-applicatif-*), so its alert could never fire',
    severity:
      "critical for the source connector's tasks, which carry the records; a warning for the checkpoint and heartbeat connectors' tasks, whose failure stops offset translation or heartbeats while the records keep replicating",
  },
  MM2ConnectorNotRunning: {
    becomes: [
      { signal: 'connectorsNotRunning', severity: 'critical' },
      { signal: 'connectorsNotRunning', severity: 'warning' },
    ],
    adds: [
      { signal: 'tasksNotRunning', severity: 'critical' },
      { signal: 'tasksNotRunning', severity: 'warning' },
    ],
    expression:
      'one series per connector of the model, 1 while no worker reports it RUNNING: a count below 3 cannot say which connector stopped, is wrong with several flows, and its ".*mirror.*" regex matches none of the guide\'s connector names; tasks missing from a running connector get their own alerts',
    severity:
      'critical for the source connector, which carries the records; a warning for the checkpoint and heartbeat connectors, as the guide rates its heartbeat connector missing (MM2HeartbeatMissing)',
  },
  MM2ProducerErrors: {
    becomes: [{ signal: 'producerErrors', severity: 'warning' }],
    adds: [{ signal: 'producerErrors', severity: 'critical' }],
    expression:
      "errors counted over the rate window (increase) per flow, by the producers' client ids of the model: the guide's rate per second was compared with 0 while its §6.2 table counts errors, and Connect's producer client ids (connector-producer-<connector>-<task>) do not contain \"mirror\"",
  },
  MM2HeartbeatMissing: {
    becomes: [
      { signal: 'heartbeatsEmitted', severity: 'warning' },
      { signal: 'connectorsNotRunning', severity: 'warning' },
    ],
    adds: [
      { signal: 'heartbeatsReplicated', severity: 'critical' },
      { signal: 'heartbeatEmitterNotRunning', severity: 'warning' },
    ],
    expression:
      "heartbeat records written over the rate window, which also catches a RUNNING connector whose task is stuck; the connector's state is watched with the other connectors. absent() over every heartbeat connector stayed silent while any one of them ran. " +
      "What the guide's alert was for, a flow that no longer delivers, is heartbeatsReplicated: heartbeats emitted into the source cluster (`connect/<source>-heartbeats-at-source.json`) must keep arriving in `<source>.heartbeats` on the target, which an unreachable source cluster stops while every connector reports RUNNING; " +
      'that emitter has its own warning, and its missing heartbeats count only while it can emit',
  },
};

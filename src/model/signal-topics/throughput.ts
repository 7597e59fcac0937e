import { metricSelector } from '../../promql/selector.js';
import { decision, fromGuide, guideRow } from '../provenance.js';
import { ALL_STATUS, END_OFFSETS, ESCALATE_KAFKA, PRODUCER_TUNING, RESTART_FAILED, STATUS, TARGET_HEALTH, TASKS_MAX } from './advice.js';
import { activeRecords, replicationLag } from './lag.js';
import { mirror, recordedOf, sourceTask } from './queries.js';
import { WARN_HOLD } from './reasons.js';
import type { SignalTopic } from './topic.js';

/** What gets through: records and bytes replicated, the written/polled ratio, a flow that stalls with a backlog. */
export const throughput = {
  signals: {
    replicationRatio: {
      def: {
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
      thresholds: {
        slaRole: 'Records written to the target over records read from the source: below 100 % records are read but not delivered.',
        onBreach: 'Records are read but not written: look at producer errors and the target. No value while the flow is idle.',
        warning: { threshold: 99, for: '10m', from: { threshold: fromGuide(guideRow('replicationRatio', 'warning')), for: decision(WARN_HOLD) } },
        critical: {
          threshold: 95,
          for: '1m',
          from: {
            threshold: fromGuide(guideRow('replicationRatio', 'critical')),
            for: decision(
              'short: the rate window already smooths the ratio, and a total stop of writes takes part of that window to pull it below the threshold; this `for` comes on top of it',
            ),
          },
        },
      },
      panel: { row: 'throughput', number: 3, kind: 'timeseries' },
    },
    replicatedRecordsRate: {
      def: {
        scope: 'flow',
        title: 'Replicated records per second',
        meaning: 'Records acked by the target per second, from the per-partition record counters (resets after a worker restart are handled by rate()).',
        unit: 'records/s',
        direction: 'below',
        record: 'mm2_flow:replicated_records:rate',
        by: [],
        runbook: 'throughput',
        expr: (f, ctx) => `sum(rate(${metricSelector('mirrorRecordCount', mirror(f, ctx))}[${ctx.rateWindow}]))`,
      },
      thresholds: {
        slaRole: 'Throughput in records: context for every other signal, no threshold (a normal rate depends on the producers upstream).',
        onBreach: 'No alert: read it with the lag and the stall signal.',
      },
      panel: { row: 'throughput', number: 1, kind: 'timeseries' },
    },
    replicatedBytesRate: {
      def: {
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
      thresholds: {
        slaRole: 'Throughput in bytes: context for capacity, no threshold.',
        onBreach: 'No alert.',
      },
      panel: { row: 'throughput', number: 2, kind: 'timeseries' },
    },
    replicationStalled: {
      def: {
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
      thresholds: {
        slaRole: 'A backlog that no partition moves is an outage of the flow, even with every connector RUNNING.',
        onBreach:
          "Nothing replicates although the source has data: check the source cluster's reachability, the tasks' logs and the target; restart the source connector's tasks if they hang.",
        critical: {
          threshold: 1,
          for: '1m',
          from: {
            threshold: decision('any backlog at all: the signal exists only while nothing replicates'),
            for: decision(
              'short: the record-rate gauge already takes up to a minute to decay to zero after the last record, and this `for` comes on top of it',
            ),
          },
        },
      },
      panel: { row: 'health', number: 8, kind: 'stat', now: { of: 'max', legend: 'stalled backlog' }, note: '0 means not stalled.' },
    },
  },
  advice: {
    'replication-ratio': {
      confirm: [
        'The ratio compares records written to the target with records polled from the source over the rate window; below 100 % the tasks poll more than they write. Look at producer errors and in-flight records.',
        STATUS,
        TARGET_HEALTH,
      ],
      fix: [
        'Producer errors alongside: see the producer errors section. Many in-flight records alongside: the target is slow, see the in-flight records section.',
        'A short dip during a rebalance or a task restart recovers by itself within the rate window.',
        PRODUCER_TUNING,
      ],
      escalate: [
        'The ratio stays low with no producer error and a healthy target: records may be dropped by a transformation or filter in the connector config; the owner of the connector configuration.',
      ],
    },
    throughput: {
      confirm: [
        "Compare the flow's replicated records and bytes per second with the source's write rate on the same topics. A drop on both sides is the producers on the source, not MM2.",
        STATUS,
      ],
      fix: ['A drop here with lag rising is MM2 being slow: follow the replication lag section.', TASKS_MAX],
      escalate: ["The source's producers stopped writing: the owners of the source applications."],
    },
    'replication-stalled': {
      confirm: [
        'Nothing of the flow is being replicated while the source has records to replicate. This alert counts against the SLO.',
        STATUS,
        ALL_STATUS,
        END_OFFSETS,
        'If every task is `RUNNING` and nothing moves, a task may be stuck (blocked on the target, or in a retry loop): the worker log shows retries, `TimeoutException` or authorisation errors.',
      ],
      fix: [
        RESTART_FAILED,
        'Tasks `RUNNING` but stuck: restart the connector with its tasks, `curl -s -X POST "$CONNECT/connectors/<connector>/restart?includeTasks=true"`.',
        'Authentication or ACL errors in the trace: the MM2 principal lost a right on the source (read, describe) or on the target (write, create); credentials rotate without the worker knowing until it reconnects.',
      ],
      escalate: [
        'Not moving 10 minutes after a restart of the connector and its tasks: page the Kafka platform team; the SLO budget is being spent.',
        ESCALATE_KAFKA,
      ],
    },
  },
} as const satisfies SignalTopic;

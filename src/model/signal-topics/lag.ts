import { metricSelector, re } from '../../promql/selector.js';
import { adapted, decision, fromGuide, guideAlert, guideRow } from '../provenance.js';
import type { FlowSignalDef } from '../signal-def.js';
import { replicationConsumerClientIdRegex } from '../topology.js';
import { CONSUMER_TUNING, END_OFFSETS, ESCALATE_KAFKA, PRODUCER_TUNING, STATUS, TARGET_HEALTH, TASKS_MAX } from './advice.js';
import { inGroup, recordedOf, sourceTask } from './queries.js';
import { LIKE_LATENCY_CRITICAL, REBALANCE_GAP } from './reasons.js';
import type { SignalTopic } from './topic.js';

export const activeRecords = {
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

export const replicationLag = {
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

/** The backlog on the source and the records in flight. */
export const lag = {
  signals: {
    activeRecords: {
      def: activeRecords,
      thresholds: {
        slaRole: 'Records read from the source but not yet acked by the target: a high count means the target or the producer cannot keep up.',
        onBreach: 'The target or the producer is slow: look at producer errors, buffer exhaustion and the target brokers. It is not the lag (replicationLag).',
        warning: {
          threshold: 1000,
          for: '5m',
          from: {
            threshold: fromGuide(guideRow('activeRecords', 'warning')),
            for: decision('shorter than the latency warnings: in-flight records pile up before latency shows it'),
          },
        },
        critical: {
          threshold: 10000,
          for: '2m',
          from: {
            threshold: fromGuide(guideRow('activeRecords', 'critical')),
            for: adapted(
              guideAlert('MM2LagCritical', 'for'),
              `the count swings with every batch the producer has not acked yet, and ${REBALANCE_GAP}; this \`for\` clears that gap`,
            ),
          },
        },
      },
      panel: { row: 'lag', number: 3, kind: 'timeseries' },
    },
    replicationLag: {
      def: replicationLag,
      thresholds: {
        slaRole: 'Records on the source that MM2 has not read: the backlog that would be lost to consumers failing over to the target now.',
        onBreach:
          'A backlog builds on the source. If it grows, replication is slower than production (tasks missing, target slow); if it is flat and nothing replicates, see replicationStalled.',
        warning: {
          threshold: 10000,
          for: '5m',
          from: {
            threshold: adapted(
              guideRow('activeRecords', 'critical'),
              'the guide\'s lag threshold, applied to the true lag it meant (its "Active Records (Lag)" are in-flight records); a warning, since a backlog of that size drains within a few poll cycles',
            ),
            for: decision('a backlog that drains within a few minutes after a burst or a rebalance warns nobody'),
          },
        },
        critical: {
          threshold: 100000,
          for: '2m',
          from: {
            threshold: decision(
              'an order of magnitude above the warning: many full poll cycles of every source task behind (the guide sets max.poll.records to 1000)',
            ),
            for: decision(LIKE_LATENCY_CRITICAL),
          },
        },
      },
      panel: { row: 'lag', number: 1, kind: 'timeseries' },
    },
    replicationLagGrowth: {
      def: {
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
      thresholds: {
        slaRole: 'A lag that keeps growing ends in an outage of the flow even when every connector runs.',
        onBreach: 'Replication is slower than production: check throughput per task, missing tasks and the target, before the lag alerts fire.',
        warning: {
          threshold: 500,
          for: '5m',
          from: {
            threshold: adapted(
              guideAlert('MM2LagIncreasing', 'expr'),
              "the guide's deriv() is per second while its description says records/min; here the true lag's slope, really per minute",
            ),
            for: adapted(
              guideAlert('MM2LagIncreasing', 'for'),
              "the slope's window already smooths bursts; this `for` on top of it so that a burst the flow absorbs warns nobody",
            ),
          },
        },
      },
      panel: { row: 'lag', number: 2, kind: 'timeseries', title: 'Replication lag growth (records per minute)' },
    },
  },
  advice: {
    'in-flight-records': {
      confirm: [
        "In-flight records are polled from the source and not yet acked by the target: a high count points at the producer side. Look at producer errors, buffer exhaustion and the target's health.",
        TARGET_HEALTH,
        'Per task, `source-record-active-count` on the Detailed metrics dashboard shows whether one task (one worker) holds most of them.',
      ],
      fix: [
        'One task holding most: restart it (`curl -s -X POST $CONNECT/connectors/<connector>/tasks/<task>/restart`); its worker may be short of heap or CPU, so check the JVM panels first.',
        PRODUCER_TUNING,
        'Connect commits source offsets every `offset.flush.interval.ms` (the guide: 10 s, with `offset.flush.timeout.ms=5000`); flush timeouts in the worker log mean the producer cannot drain its records within that time.',
      ],
      escalate: ["The target is slow for every flow, not only this one: the target cluster's owners.", ESCALATE_KAFKA],
    },
    'replication-lag': {
      confirm: [
        "The lag is the replication consumer's `records-lag`: records on the source MM2 has not read. Its growth alert fires on the trend before the level crosses a threshold.",
        "Tell a burst from a slowdown: the source's write rate on its own dashboards against the flow's replicated records per second here. A burst that ends drains by itself.",
        END_OFFSETS,
        STATUS,
      ],
      fix: ['Restart failed or missing tasks first: their partitions accumulate lag while they are down.', CONSUMER_TUNING, PRODUCER_TUNING, TASKS_MAX],
      escalate: [
        "The lag grows for longer than the source topics' retention allows (records would be deleted before MM2 reads them): that is data loss on the target; tell the owners of the flow's consumers and the Kafka platform team now.",
        ESCALATE_KAFKA,
      ],
    },
  },
} as const satisfies SignalTopic;

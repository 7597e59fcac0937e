import { metricSelector } from '../../promql/selector.js';
import { adapted, decision, fromGuide, guideAlert, guideQuery, guideRow } from '../provenance.js';
import { CONSUMER_TUNING, ESCALATE_KAFKA, PRODUCER_TUNING, STATUS, TARGET_HEALTH, TASKS_MAX } from './advice.js';
import { mirror, notNaN } from './queries.js';
import { LIKE_LATENCY_CRITICAL, WARN_HOLD } from './reasons.js';
import type { SignalTopic } from './topic.js';

/** Replication latency and record age: how late the target is, and how late MM2 reads. */
export const latency = {
  signals: {
    replicationLatencyAvg: {
      def: {
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
      thresholds: {
        slaRole: 'How late the target is on average: the SLA is about data reaching the target, and latency is the first sign it will not.',
        onBreach:
          'The flow delivers, late. Look at the worst partitions (replicationLatencyMax), the lag and the in-flight records to tell a slow target from a backlog on the source.',
        warning: {
          threshold: 100,
          for: '10m',
          from: {
            threshold: adapted(
              guideRow('latencyAvg', 'warning'),
              'the guide left the values between its warning band and its critical threshold undefined; the warning band runs up to the critical threshold, since a band without an owner is an alert nobody gets',
            ),
            for: decision(WARN_HOLD),
          },
        },
        critical: {
          threshold: 1000,
          for: '2m',
          from: { threshold: fromGuide(guideRow('latencyAvg', 'critical')), for: fromGuide(guideAlert('MM2ReplicationLatencyCritical', 'for')) },
        },
      },
      panel: { row: 'latency', number: 1, kind: 'timeseries' },
    },
    replicationLatencyMax: {
      def: {
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
      thresholds: {
        slaRole: 'One stuck partition delays its records while the average looks fine: per topic, the worst partition.',
        onBreach:
          'Some partitions of the topic named in the alert are late. Check their leader on the target, the task that owns them, and the producer errors.',
        warning: {
          threshold: 500,
          for: '10m',
          from: {
            threshold: adapted(
              guideRow('latencyMax', 'warning'),
              "the band between the guide's warning band and its critical threshold was undefined; the warning runs up to the critical threshold, and per topic so that one stuck partition shows",
            ),
            for: decision(WARN_HOLD),
          },
        },
        critical: {
          threshold: 5000,
          for: '2m',
          from: { threshold: fromGuide(guideRow('latencyMax', 'critical')), for: decision(LIKE_LATENCY_CRITICAL) },
        },
      },
      panel: { row: 'latency', number: 2, kind: 'timeseries', worstTopics: 'Replication latency' },
    },
    recordAgeAvg: {
      def: {
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
      thresholds: {
        slaRole: 'How far behind the source MM2 reads: a growing age means records wait on the source before replication even starts.',
        onBreach: 'MM2 reads late: check the lag, the source cluster, and whether all source tasks run.',
        warning: { threshold: 1000, for: '10m', from: { threshold: fromGuide(guideRow('recordAgeAvg', 'warning')), for: decision(WARN_HOLD) } },
        critical: { threshold: 5000, for: '2m', from: { threshold: fromGuide(guideRow('recordAgeAvg', 'critical')), for: decision(LIKE_LATENCY_CRITICAL) } },
      },
      panel: { row: 'latency', number: 3, kind: 'timeseries' },
    },
    recordAgeMax: {
      def: {
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
      thresholds: {
        slaRole: 'The oldest record read, per topic: one partition MM2 reads late shows here first.',
        onBreach: 'Some partitions of the topic are read late: check the task that owns them and the lag per partition on the detailed dashboard.',
        warning: {
          threshold: 5000,
          for: '10m',
          from: { threshold: decision("where the average's critical threshold starts: the guide gives the maximum only one limit"), for: decision(WARN_HOLD) },
        },
        critical: { threshold: 30000, for: '2m', from: { threshold: fromGuide(guideQuery('recordAgeMax')), for: decision(LIKE_LATENCY_CRITICAL) } },
      },
      panel: { row: 'latency', number: 4, kind: 'timeseries', worstTopics: 'Record age at read' },
    },
  },
  advice: {
    'replication-latency': {
      confirm: [
        'Open the MM2 / Replication dashboard for the flow: latency (average and worst partition), lag, in-flight records and producer errors side by side. ' +
          'Latency with a growing lag means MM2 cannot keep up with the source; latency with a flat lag and many in-flight records means the target acks slowly.',
        'The MM2 / Detailed metrics dashboard lists the worst partitions; their `replication-latency-ms-max` comes from `kafka.connect.mirror:type=MirrorSourceConnector,target=..,topic=..,partition=..`.',
        TARGET_HEALTH,
        STATUS,
      ],
      fix: [
        'If some source tasks are not running, the others cannot replicate their partitions: fix that first (restart the failed tasks, as in the failed tasks section).',
        'If one topic or a few partitions are late: their leaders on the target are slow or moving; wait for the target to settle, or move leadership (`kafka-leader-election.sh --election-type preferred`).',
        PRODUCER_TUNING,
        TASKS_MAX,
      ],
      escalate: [
        "The critical tier holds for more than 15 minutes after the target is healthy and every task runs: the flow cannot keep up with the source's write rate; it needs capacity (tasks, workers) or a tuning change, which is a change, not a night-time fix.",
        ESCALATE_KAFKA,
      ],
    },
    'record-age': {
      confirm: [
        'The record age is measured when MM2 reads: it grows when the tasks read late, before any write to the target. Look at the lag on the same dashboard: both growing means MM2 reads more slowly than the source is written.',
        STATUS,
        "Check the source cluster for slow fetches (its brokers' fetch latency and request queue) and for a topic that suddenly receives much more than usual.",
      ],
      fix: ['Tasks not running leave partitions unread: restart them first.', CONSUMER_TUNING, TASKS_MAX],
      escalate: [
        'The age keeps growing with every task running and a healthy source: the flow needs more capacity; open a change with the numbers from the dashboard.',
        ESCALATE_KAFKA,
      ],
    },
  },
} as const satisfies SignalTopic;

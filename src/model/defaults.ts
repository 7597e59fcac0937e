/**
 * The default configuration: the tuning guide's environment (one flow nemo -> applicatif, three
 * Connect workers with a JMX exporter on :7072) and its SLA threshold table (section 6.2),
 * completed where the tuning guide left gaps. A user's override file is merged over this object.
 *
 * Thresholds read "bad when value >= threshold" for signals whose direction is `above`,
 * and "bad when value < threshold" for `below`: the same comparison Grafana uses for its
 * threshold steps, so a panel turns the colour at exactly the value where the alert fires.
 */
import type { ConfigInput } from './config.js';
import { adapted, type DeclaredSignalThresholds, type DeclaredTier, decision, fromGuide, guideAlert, guideQuery, guideRow } from './provenance.js';
import { REBALANCE_WINDOW, type Severity, type SignalId } from './signals.js';

// Reasons shared by several tiers: one sentence, one place.
const WARN_HOLD = 'held long enough that a burst of a few minutes (a rebalance, a producer retry storm) warns nobody; the guide has no warning alert on it';
const REBALANCE_GAP =
  "a worker restart leaves its tasks unassigned for up to the guide's session.timeout.ms (30 s) plus scheduled.rebalance.max.delay.ms (60 s)";
const NO_RECORDS =
  'a warning for the checkpoint and heartbeat connectors, which carry no records (offsets and heartbeats): the flow keeps replicating while they are down, and their alerts say what stops';
const LIKE_LATENCY_CRITICAL =
  "as the guide's critical latency alert (§7 MM2ReplicationLatencyCritical): long enough to clear a rebalance gap, short enough to page while it matters";

/**
 * Every threshold of the defaults with its provenance: the guide's value (section and row),
 * ours adapted from the guide, or ours where the guide says nothing, each with its reason.
 * The audit report (alerts/THRESHOLDS.md) and alerts/thresholds.json print these.
 */
export const DEFAULT_THRESHOLDS = {
  replicationLatencyAvg: {
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
  replicationLatencyMax: {
    slaRole: 'One stuck partition delays its records while the average looks fine: per topic, the worst partition.',
    onBreach: 'Some partitions of the topic named in the alert are late. Check their leader on the target, the task that owns them, and the producer errors.',
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
  recordAgeAvg: {
    slaRole: 'How far behind the source MM2 reads: a growing age means records wait on the source before replication even starts.',
    onBreach: 'MM2 reads late: check the lag, the source cluster, and whether all source tasks run.',
    warning: { threshold: 1000, for: '10m', from: { threshold: fromGuide(guideRow('recordAgeAvg', 'warning')), for: decision(WARN_HOLD) } },
    critical: { threshold: 5000, for: '2m', from: { threshold: fromGuide(guideRow('recordAgeAvg', 'critical')), for: decision(LIKE_LATENCY_CRITICAL) } },
  },
  recordAgeMax: {
    slaRole: 'The oldest record read, per topic: one partition MM2 reads late shows here first.',
    onBreach: 'Some partitions of the topic are read late: check the task that owns them and the lag per partition on the detailed dashboard.',
    warning: {
      threshold: 5000,
      for: '10m',
      from: { threshold: decision("where the average's critical threshold starts: the guide gives the maximum only one limit"), for: decision(WARN_HOLD) },
    },
    critical: { threshold: 30000, for: '2m', from: { threshold: fromGuide(guideQuery('recordAgeMax')), for: decision(LIKE_LATENCY_CRITICAL) } },
  },
  activeRecords: {
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
  replicationLag: {
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
  replicationLagGrowth: {
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
  replicationRatio: {
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
  replicatedRecordsRate: {
    slaRole: 'Throughput in records: context for every other signal, no threshold (a normal rate depends on the producers upstream).',
    onBreach: 'No alert: read it with the lag and the stall signal.',
  },
  replicatedBytesRate: {
    slaRole: 'Throughput in bytes: context for capacity, no threshold.',
    onBreach: 'No alert.',
  },
  replicationStalled: {
    slaRole: 'A backlog that no partition moves is an outage of the flow, even with every connector RUNNING.',
    onBreach:
      "Nothing replicates although the source has data: check the source cluster's reachability, the tasks' logs and the target; restart the source connector's tasks if they hang.",
    critical: {
      threshold: 1,
      for: '1m',
      from: {
        threshold: decision('any backlog at all: the signal exists only while nothing replicates'),
        for: decision('short: the record-rate gauge already takes up to a minute to decay to zero after the last record, and this `for` comes on top of it'),
      },
    },
  },
  failedTasks: {
    slaRole:
      "A failed source task replicates none of its partitions until someone restarts it: an outage of part of the flow. A failed checkpoint or heartbeat task stops the offsets' translation or the heartbeats, not the records.",
    onBreach: 'Restart the failed task through the Connect REST API after reading its trace (GET /connectors/<connector>/status).',
    warning: {
      threshold: 1,
      for: '1m',
      from: {
        threshold: adapted(guideRow('failedTasks', 'critical'), NO_RECORDS),
        for: fromGuide(guideAlert('MM2TaskFailed', 'for')),
      },
    },
    critical: {
      threshold: 1,
      for: '1m',
      from: { threshold: fromGuide(guideRow('failedTasks', 'critical')), for: fromGuide(guideAlert('MM2TaskFailed', 'for')) },
    },
  },
  tasksExpected: {
    slaRole:
      'What the task alerts compare with: the tasks Kafka started. A source task that vanishes stays expected until it is back, so it keeps paging and counting against the SLO instead of being forgotten.',
    onBreach:
      'No alert: read it with the tasks not running. A deliberate change of tasks.max needs the same change of the model (flows[].connectors.<kind>.tasksMax).',
  },
  tasksNotRunning: {
    slaRole:
      'A source task missing leaves its share of the partitions unreplicated, as long as it is missing; a checkpoint or heartbeat task missing stops offsets or heartbeats. Shorter gaps are normal during rebalances.',
    onBreach:
      'Tasks are unassigned, paused or missing: check the workers and the rebalances. Failed tasks page on their own (failedTasks). A source task missing is downtime: it counts against the SLO until it runs again.',
    warning: {
      threshold: 1,
      for: '3m',
      from: {
        threshold: decision(`any missing task; ${NO_RECORDS}`),
        for: decision(`${REBALANCE_GAP}; this \`for\` clears that gap with a margin`),
      },
    },
    critical: {
      threshold: 1,
      for: '2m',
      from: {
        threshold: decision("any missing source task: with the guide's 6 source tasks, each one holds a sixth of the partitions, which stop replicating"),
        for: decision(
          `${REBALANCE_GAP}, and a restarted worker's tasks are unknown for the startup grace (connect.startupGrace); this \`for\` clears that gap, as the connector alert's does`,
        ),
      },
    },
  },
  connectorsNotRunning: {
    slaRole:
      'A source connector that no worker runs replicates nothing once its tasks stop with it; a checkpoint connector stops offset translation, a heartbeat connector its heartbeats.',
    onBreach: "Check the connector's state and trace in the Connect REST API, and whether workers are up; resume or restart it.",
    warning: {
      threshold: 1,
      for: '2m',
      from: {
        threshold: adapted(guideAlert('MM2HeartbeatMissing', 'expr'), `the guide warns when its heartbeat connector does not run; ${NO_RECORDS}`),
        for: fromGuide(guideAlert('MM2HeartbeatMissing', 'for')),
      },
    },
    critical: {
      threshold: 1,
      for: '2m',
      from: {
        threshold: adapted(
          guideAlert('MM2ConnectorNotRunning', 'expr'),
          'one series per connector instead of a count of running connectors compared with three: the alert names the connector; critical for the source connector only, which carries the records',
        ),
        for: adapted(guideAlert('MM2ConnectorNotRunning', 'for'), `${REBALANCE_GAP}, and the connectors with them; this \`for\` clears that gap`),
      },
    },
  },
  producerErrors: {
    slaRole: 'Records MM2 failed to write to the target after retries: data the target did not receive on the first attempt.',
    onBreach: "Read the producer errors in the workers' logs (authorisation, record too large, target unavailable); check the target cluster.",
    warning: {
      threshold: 1,
      for: '2m',
      from: { threshold: fromGuide(guideRow('producerErrors', 'warning')), for: fromGuide(guideAlert('MM2ProducerErrors', 'for')) },
    },
    critical: {
      threshold: 11,
      for: '2m',
      from: {
        threshold: adapted(
          guideRow('producerErrors', 'critical'),
          'the guide\'s "more than" 10, on a whole number of errors, in the comparison every threshold of the bundle makes (at or above): the next whole error; the signal counts whole errors, so exactly the guide\'s 10 stay in its warning band',
        ),
        for: decision("as the guide's producer-errors warning (§7 MM2ProducerErrors): the count is already summed over the rate window"),
      },
    },
  },
  producerBufferExhausted: {
    slaRole: "The producer's buffer is full: the target cannot absorb the flow's throughput and MM2 is throttled.",
    onBreach: "The target is slower than the flow: check the target brokers, the producer's buffer.memory and batch settings.",
    warning: {
      threshold: 1,
      for: '5m',
      from: {
        threshold: fromGuide(guideQuery('bufferExhausted')),
        for: decision('a single exhaustion during a burst is absorbed by the producer; exhaustion that lasts minutes is a capacity problem'),
      },
    },
  },
  heartbeatsEmitted: {
    slaRole:
      "The flow's heartbeat connector writes into the target cluster (the workers' own), so its heartbeats show the connector alive, not the flow end to end (heartbeatsReplicated does that); they carry no business data and its outage is not downtime.",
    onBreach:
      'The heartbeat connector writes nothing: its task is stuck, or the connector is paused, failed or deleted (see its connector alert); restart or redeploy it. Business data may still flow (check the lag).',
    warning: {
      threshold: 1,
      for: '2m',
      from: {
        threshold: adapted(
          guideAlert('MM2HeartbeatMissing', 'expr'),
          "heartbeat records written rather than the connector's state: it also catches a stuck task of a RUNNING connector",
        ),
        for: fromGuide(guideAlert('MM2HeartbeatMissing', 'for')),
      },
    },
  },
  heartbeatEmitterNotRunning: {
    slaRole:
      "The source cluster's heartbeat emitter carries no business data, but without it heartbeatsReplicated, the one signal that sees an unreachable source cluster while every connector runs, is blind. Its outage is not downtime: missing heartbeats count only while it can emit.",
    onBreach:
      'Resume, restart or redeploy the emitter (connect/<source>-heartbeats-at-source.json); until it emits again an unreachable source cluster would show only as a stalled backlog or falling throughput.',
    warning: {
      threshold: 1,
      for: '2m',
      from: {
        threshold: adapted(
          guideAlert('MM2HeartbeatMissing', 'expr'),
          'the guide warns when a heartbeat connector does not run; this one is the emitter into the source cluster, whose state decides whether missing heartbeats count as downtime',
        ),
        for: fromGuide(guideAlert('MM2HeartbeatMissing', 'for')),
      },
    },
  },
  heartbeatsReplicated: {
    slaRole:
      'Heartbeats written into the source cluster and replicated to the target cross the whole flow: they stop when nothing crosses it, even with every connector RUNNING (an unreachable source cluster), which no other signal sees. Without the heartbeat connector of connect/ there is no series, and no alert.',
    onBreach:
      "Nothing crosses the flow: check that the source cluster is reachable from the workers, the source connector's tasks and their logs, and the recommended heartbeat connector in connect/.",
    critical: {
      threshold: 1,
      for: '1m',
      from: {
        threshold: decision('not one heartbeat replicated over the window while the guide emits one every 5 s'),
        for: decision('short, like the stall alert: the window already spans several heartbeat intervals'),
      },
    },
  },
  replicationSeriesMissing: {
    slaRole:
      'The source connector runs but none of its replication series exists: the latency, age and lag alerts cannot fire and their panels go empty, so a late or stopped flow would go unseen by them. The monitoring is blind, not the flow: not downtime.',
    onBreach: "The exporter rules match nothing (a Kafka upgrade changed the MBean names?): compare the worker's /metrics with scrape/jmx-exporter.yaml.",
    warning: {
      threshold: 1,
      for: '5m',
      from: {
        threshold: decision('no series at all while the connector runs: the monitoring is blind, not the flow'),
        for: decision('longer than a task restart, after which the series come back'),
      },
    },
  },
  checkpointLatencyMax: {
    slaRole: 'Consumer group offsets reach the target late: consumers failing over would replay more records.',
    onBreach: "Offset sync is late: check the checkpoint connector's task and the target. Replication itself is not affected.",
    warning: {
      threshold: 60000,
      for: '10m',
      from: {
        threshold: decision(
          "the checkpoint connector syncs offsets every 10 s in the guide's configuration; several sync intervals behind, failover replays data",
        ),
        for: decision(WARN_HOLD),
      },
    },
  },
  workerExporterUnreachable: {
    slaRole:
      "One worker's exporter cannot be scraped: the worker is down (its work moves to the others) or only its monitoring is blind; high availability is degraded or unknown, not yet an outage. Meanwhile the SLI keeps the state it last reported for its connectors and tasks (connect.statusHold), so a stop on that worker is not counted.",
    onBreach:
      'Check the worker named by the alert: is its JVM running, does its exporter port answer? Its connectors and tasks are reported by the other workers once moved.',
    warning: {
      threshold: 1,
      for: '2m',
      from: {
        threshold: decision(
          'one unreachable exporter: a scrape timeout is not a stopped connector, so it gets its own alert instead of counting as not running',
        ),
        for: decision(`${REBALANCE_GAP}; a quick restart of one worker warns nobody`),
      },
    },
  },
  workersUp: {
    slaRole: 'No worker reachable: every flow is down, or its monitoring is.',
    onBreach: 'The whole Connect cluster (or the path from Prometheus to it) is down: check the workers, the network and the scrape targets.',
    critical: {
      threshold: 1,
      for: '1m',
      from: {
        threshold: decision('no worker answers at all: the whole cluster, or the way to it, is down'),
        for: decision('long enough that one or two lost scrapes never page'),
      },
    },
  },
  rebalanceRate: {
    slaRole: 'Every rebalance pauses tasks; a rebalance storm is a slow outage.',
    onBreach: 'Workers keep joining and leaving now: check their logs for session timeouts, GC pauses and restarts, and whoever keeps changing connectors.',
    warning: {
      threshold: 10,
      for: REBALANCE_WINDOW,
      from: {
        threshold: decision(
          'a rebalance every 90 s on average over the whole window: a careful rolling restart of three workers makes about six, a connector update one or two',
        ),
        for: decision(
          'as long as the window the count covers: a burst of maintenance that ends within the window falls out of it before the alert fires, so only a pace that lasts warns',
        ),
      },
    },
  },
} as const satisfies Record<SignalId, DeclaredSignalThresholds>;

type ThresholdValues<T extends Record<SignalId, DeclaredSignalThresholds>> = {
  [K in keyof T]: { [S in Severity & keyof T[K]]: { threshold: number; for: string } };
};

/** The values of the declared thresholds, in the shape of the configuration (provenance stays in DEFAULT_THRESHOLDS). */
function thresholdValues<T extends Record<SignalId, DeclaredSignalThresholds>>(declared: T): ThresholdValues<T> {
  const values = (tier: DeclaredTier) => ({ threshold: tier.threshold, for: tier.for });
  return Object.fromEntries(
    Object.entries(declared).map(([id, d]: [string, DeclaredSignalThresholds]) => [
      id,
      { ...(d.warning ? { warning: values(d.warning) } : {}), ...(d.critical ? { critical: values(d.critical) } : {}) },
    ]),
  ) as ThresholdValues<T>;
}

export const DEFAULT_CONFIG = {
  sla: {
    // "SLA < 1h de downtime annuel": objective, budgets and burn rates are derived from it (error-budget.ts).
    maxDowntimePerYear: '1h',
    sloPeriod: '30d',
  },
  prometheus: {
    job: 'mm2-connect',
    cluster: 'mm2-connect-cluster',
    scrapeInterval: '15s',
    scrapeTimeout: '10s',
    evaluationInterval: '15s',
    // Window of rate()/increase() in signals: at least 4 scrape intervals (checked at load).
    rateWindow: '5m',
    // Where alerts/RUNBOOK.md is served: each alert's runbook_url is this URL and the alert's anchor.
    runbookBaseUrl: 'https://runbooks.example.com/mm2/RUNBOOK.md',
    // Where the Prometheus server finds the files of alerts/ and the file_sd target list.
    ruleFilesDir: '/etc/prometheus/rules/mm2',
    fileSdPath: '/etc/prometheus/file_sd/mm2-connect.json',
    // Kept through every rule so that several Connect clusters can share one Prometheus.
    groupLabels: ['cluster', 'job'],
    targetLabels: {},
    // Without an `alerting:` block no alert ever reaches Alertmanager; the compose service name.
    alertmanagers: ['alertmanager:9093'],
  },
  exporter: {
    port: 7072,
  },
  connect: {
    // A state last reported by a worker Prometheus cannot scrape stays "unknown" this long before a
    // connector with no other report counts as not running: a scrape timeout is not a stopped
    // connector, and a really dead worker's work is reported by another worker after
    // scheduled.rebalance.max.delay.ms (60 s in the tuning guide) plus the session timeout (30 s).
    statusHold: '1h',
    // A checkpoint task some worker reported within this window is expected to run: Kafka starts
    // min(tasks.max, groups) checkpoint tasks, so the count follows the consumer groups. Source and
    // heartbeat tasks are expected until they are back (signals.ts, tasksExpected).
    taskMemory: '10m',
    // A restarted worker serves metrics at once, then starts Connect, rejoins its group and gets its
    // connectors and tasks back: seconds to a minute. Until this has passed their last state is
    // unknown, so a careful rolling restart is no outage.
    startupGrace: '2m',
  },
  workers: [{ host: 'connect-worker-1' }, { host: 'connect-worker-2' }, { host: 'connect-worker-3' }],
  flows: [
    {
      source: 'nemo',
      target: 'applicatif',
      connectors: {
        source: { tasksMax: 6 },
        checkpoint: { tasksMax: 1 },
        heartbeat: { tasksMax: 1 },
      },
    },
  ],
  thresholds: thresholdValues(DEFAULT_THRESHOLDS),
  output: {
    dir: '.',
  },
} as const satisfies ConfigInput;

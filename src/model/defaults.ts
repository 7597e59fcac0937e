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

export const DEFAULT_CONFIG = {
  sla: {
    // "SLA < 1h de downtime annuel": objective, budgets and burn rates are derived from it (sla.ts).
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
    runbookBaseUrl: 'https://runbooks.example.com/mm2',
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
    // A task some worker reported within this window is expected to run: Kafka starts
    // min(tasks.max, partitions) source and min(tasks.max, groups) checkpoint tasks, so tasks.max
    // is not the expected count. A reconfiguration to fewer tasks shows as tasks not running this long.
    taskMemory: '10m',
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
  thresholds: {
    // Tuning guide: ok < 100, warning 100-500, critical > 1000; 500-1000 was undefined. The warning band
    // is extended up to the critical threshold: a flow averaging 700 ms is no longer "ok", and
    // a band without an owner is an alert nobody gets.
    replicationLatencyAvg: { warning: { threshold: 100, for: '10m' }, critical: { threshold: 1000, for: '2m' } },
    // Tuning guide: ok < 500, warning 500-2000, critical > 5000; 2000-5000 was undefined. Same decision:
    // warning from 500 up to critical at 5000, per topic so that one stuck partition shows.
    replicationLatencyMax: { warning: { threshold: 500, for: '10m' }, critical: { threshold: 5000, for: '2m' } },
    // Tuning guide: ok < 1000, warning 1000-5000, critical > 5000.
    recordAgeAvg: { warning: { threshold: 1000, for: '10m' }, critical: { threshold: 5000, for: '2m' } },
    // Tuning guide section 6.1: "age max - seuil max 30000 ms"; warning where the average's critical starts.
    recordAgeMax: { warning: { threshold: 5000, for: '10m' }, critical: { threshold: 30000, for: '2m' } },
    // Tuning guide: ok < 1000, warning 1000-10000, critical > 10000 ("active records", in-flight, not lag).
    activeRecords: { warning: { threshold: 1000, for: '5m' }, critical: { threshold: 10000, for: '2m' } },
    // Not in the tuning guide, which had no true lag. Ten times the in-flight thresholds: at the tuning guide's
    // max.poll.records=1000 and 6 tasks, 100k records is a backlog MM2 cannot drain in one poll cycle.
    // Critical holds for 2m, not 5m: every critical alert pages within two minutes of the fault.
    replicationLag: { warning: { threshold: 10000, for: '5m' }, critical: { threshold: 100000, for: '2m' } },
    // Tuning guide: "lag growth > 500" with deriv() per second labelled per minute; here really per minute.
    replicationLagGrowth: { warning: { threshold: 500, for: '5m' } },
    // Tuning guide: ok > 99 %, warning 95-99 %, critical < 95 %; computed on windowed rates, not totals.
    // The 5m rate window already smooths the ratio, and a total stop of writes takes 30 s to pull it
    // below 95 %: 1m more keeps the page within two minutes of the fault, like every critical tier.
    replicationRatio: { warning: { threshold: 99, for: '10m' }, critical: { threshold: 95, for: '1m' } },
    replicatedRecordsRate: {},
    replicatedBytesRate: {},
    // A backlog that no partition moves is an outage of the flow. The record-rate gauge takes up
    // to a minute to decay to 0, so 1m here pages about two minutes after replication stopped.
    replicationStalled: { critical: { threshold: 1, for: '1m' } },
    // Tuning guide: failed tasks 0 ok, > 0 critical.
    failedTasks: { critical: { threshold: 1, for: '1m' } },
    // A worker loss leaves tasks unassigned for up to scheduled.rebalance.max.delay.ms (60 s) plus
    // the session timeout (30 s), so a short gap is normal; one task of six missing for longer
    // leaves a sixth of the partitions unreplicated. 3m clears that gap. Warning, not critical:
    // failed tasks page (failedTasks), and a missing task's partitions show as lag (replicationLag).
    tasksNotRunning: { warning: { threshold: 1, for: '3m' } },
    // A worker restart leaves its connectors unassigned for up to 90 s (same delays as above):
    // 2m clears that gap and still pages within two minutes of a real failure.
    connectorsNotRunning: { critical: { threshold: 1, for: '2m' } },
    // Tuning guide: 0 ok, 1-10 warning, > 10 critical (errors over the rate window).
    producerErrors: { warning: { threshold: 1, for: '2m' }, critical: { threshold: 10, for: '2m' } },
    producerBufferExhausted: { warning: { threshold: 1, for: '5m' } },
    // The tuning guide emits a heartbeat every 5 s: none written in a whole rate window means a stuck task.
    heartbeatsEmitted: { warning: { threshold: 1, for: '2m' } },
    // Heartbeats cross the flow every 5 s (tuning guide): none replicated over 4 scrape intervals (1 min)
    // means the flow is down even if every connector runs (an unreachable source cluster). Critical:
    // data stops. 1m more pages about two minutes after the last heartbeat.
    heartbeatsReplicated: { critical: { threshold: 1, for: '1m' } },
    // The source connector runs and not one MM2 series exists: every latency and lag alert is blind.
    replicationSeriesMissing: { warning: { threshold: 1, for: '5m' } },
    // The checkpoint connector syncs offsets every 10 s; a minute behind makes failover replay data.
    checkpointLatencyMax: { warning: { threshold: 60000, for: '10m' } },
    // One worker's exporter unreachable: the worker is down (HA degraded, its work moves to the
    // others) or only its monitoring is blind; not an outage either way. 2m clears a restart.
    workerExporterUnreachable: { warning: { threshold: 1, for: '2m' } },
    // No worker answers: the Connect cluster or its monitoring is down.
    workersUp: { critical: { threshold: 1, for: '1m' } },
    // A rolling restart of 3 workers makes about 6 rebalances; more than 10 an hour is a storm.
    rebalanceRate: { warning: { threshold: 10, for: '15m' } },
  },
  output: {
    dir: '.',
  },
} as const satisfies ConfigInput;

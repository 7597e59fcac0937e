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
import type { DeclaredSignalThresholds, DeclaredTier } from './provenance.js';
import { SIGNAL_ENTRIES, type SignalEntries } from './signal-topics/index.js';
import type { Severity, SignalId } from './signals.js';

/**
 * Every threshold of the defaults with its provenance: the guide's value (section and row),
 * ours adapted from the guide, or ours where the guide says nothing, each with its reason.
 * Declared beside each signal in its topic module (signal-topics/). The audit report
 * (alerts/THRESHOLDS.md) and alerts/thresholds.json print these.
 */
export const DEFAULT_THRESHOLDS = Object.fromEntries(Object.entries(SIGNAL_ENTRIES).map(([id, e]) => [id, e.thresholds])) as {
  readonly [K in SignalId]: SignalEntries[K]['thresholds'];
};

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
    // heartbeat tasks are expected until they are back (signal-topics/tasks.ts, tasksExpected).
    taskMemory: '10m',
    // A restarted worker serves metrics at once, then starts Connect, rejoins its group and gets its
    // connectors and tasks back: seconds, or up to scheduled.rebalance.max.delay.ms (60 s in the
    // guide) when Connect holds them for it. Until this has passed since its exporter answered again
    // or its JVM started (a restart quicker than a scrape never shows in `up`), their last state is
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

import { metricSelector } from '../../promql/selector.js';
import { decision } from '../provenance.js';
import { inGroup } from './queries.js';
import { REBALANCE_GAP } from './reasons.js';
import type { SignalTopic } from './topic.js';

/**
 * The window the rebalance count covers. The rebalance warning holds for as long (below),
 * so that a burst of maintenance that ends within the window (a rolling restart, connector
 * updates) can never fire it: only a pace that lasts does.
 */
export const REBALANCE_WINDOW = '15m';

/** The Connect workers: reachable exporters, the cluster up, rebalances. */
export const workers = {
  signals: {
    workerExporterUnreachable: {
      def: {
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
      thresholds: {
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
    },
    workersUp: {
      def: {
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
      thresholds: {
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
      panel: {
        row: 'health',
        number: 4,
        kind: 'stat',
        note: ({ workers }) =>
          `For the whole Connect cluster, not per flow: ${workers.length} workers in the model, fewer is the exporter-unreachable warning.`,
        // Orange as soon as one worker is missing (MM2WorkerExporterUnreachableWarning), red when none answers.
        steps: (tiers, { workers }) => [
          { value: null, color: 'red' },
          ...(tiers.critical ? [{ value: tiers.critical.threshold, color: 'orange' }] : []),
          { value: workers.length, color: 'green' },
        ],
      },
    },
    rebalanceRate: {
      def: {
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
      thresholds: {
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
      panel: { row: 'health', number: 7, kind: 'stat', note: 'For the whole Connect cluster, not per flow.' },
    },
  },
  advice: {
    'worker-exporter-unreachable': {
      confirm: [
        "Prometheus could not scrape this worker's JMX exporter (see the `instance` label): the worker is down, or only its exporter, or the scrape timed out. Prometheus cannot tell them apart; Connect can. " +
          'Ask it which workers run tasks: `curl -s "$CONNECT/connectors?expand=status" | jq -r \'.[].status.tasks[].worker_id\' | sort -u`.',
        "Prometheus' targets page (`/targets`, job of the alert) gives the last scrape error: `connection refused` (worker or agent down), `context deadline exceeded` (a scrape slower than its timeout).",
        'On the host: the service state, the last lines of the worker log, and whether the JVM ran out of heap (`java.lang.OutOfMemoryError`) or was killed by the kernel (`dmesg`).',
      ],
      fix: [
        'Worker down: start it again. Its tasks move to the other workers after `scheduled.rebalance.max.delay.ms` (the guide: 60 s) and come back at the next rebalance.',
        "Worker up, exporter not answering: the javaagent's port is blocked or taken; check `KAFKA_OPTS` on the worker and the firewall between Prometheus and the worker.",
        "Scrape timing out: raise the job's `scrape_timeout` (scrape/) or narrow the exporter's `includeObjectNames`; many topics and partitions make a large MBean set.",
        'Out of memory: the guide sizes the heap at 4 GB (`KAFKA_HEAP_OPTS="-Xms4G -Xmx4G"`) on a host shared with a broker; more tasks per worker need more.',
      ],
      escalate: ['The worker will not start, or a second worker goes down: the team that runs Connect; with one worker left the cluster has no redundancy.'],
    },
    'connect-cluster-down': {
      confirm: [
        "No worker answers: either the whole Connect cluster is down, or Prometheus cannot reach it (network, service discovery, the exporters' TLS). Try the REST API from another host: `curl -s $CONNECT/`.",
        "Prometheus' targets page (`/targets`, job of the alert) gives each target's last scrape error.",
      ],
      fix: [
        "Workers down: start them; the connectors and their tasks come back from the Connect internal topics on the target (the guide's `mm2-connect-configs`, `-offsets`, `-status`, RF 3).",
        'Workers up but not scraped: fix the path between Prometheus and the exporters; replication itself may be fine, check it on the target (end offsets of a replicated topic).',
      ],
      escalate: ['Immediately, in parallel with the fix: every flow is counted unavailable, and the SLO budget of a year is one hour.'],
    },
    'rebalance-storm': {
      confirm: [
        "Each rebalance stops the tasks it moves. Many per hour means workers keep leaving and rejoining the group: look at the workers' uptime and GC pauses (JVM panels of the Detailed metrics dashboard) and at the worker logs.",
        'Frequent config changes also trigger rebalances: `curl -s $CONNECT/connectors` during the storm, and the audit log of whoever deploys connectors.',
      ],
      fix: [
        "Long GC pauses make a worker miss its heartbeats: the guide's G1 settings (`MaxGCPauseMillis=200`) and a heap that is not too full.",
        "The guide's group settings: `session.timeout.ms=30000`, `heartbeat.interval.ms=10000` (under a third of the session timeout), `rebalance.timeout.ms=60000`, `scheduled.rebalance.max.delay.ms=60000`.",
        'A deployment loop re-PUTting connector configs: stop it.',
      ],
      escalate: ['The storm continues with healthy JVMs and no config change: the team that runs Connect (network, group coordinator on the target cluster).'],
    },
  },
} as const satisfies SignalTopic;

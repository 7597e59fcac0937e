import { eq, labelReplacement, metricSelector, oneOf, recorded } from '../../promql/selector.js';
import { adapted, decision, fromGuide, guideAlert, guideRow } from '../provenance.js';
import type { QueryContext } from '../signal-def.js';
import { AUXILIARY_CONNECTOR_KINDS, CONNECTOR_ROLES, type Connector, connectorLabel, connectorsOf, type Flow, RECORD_CONNECTOR_KINDS } from '../topology.js';
import { RESTART_FAILED, RESUME, STATUS, WORKER_LOG } from './advice.js';
import { connectorRunning, inGroup, unknownOnUnreachable } from './queries.js';
import { NO_RECORDS, REBALANCE_GAP } from './reasons.js';
import type { SignalTopic } from './topic.js';

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

function connectorsNotRunning(flow: Flow, ctx: QueryContext): string {
  return connectorsOf(flow)
    .map(
      (c) => `label_replace(clamp_min(1 - (count(${connectorRunning(c, ctx)}) or vector(0)), 0), "connector", ${labelReplacement(connectorLabel(c))}, "", "")`,
    )
    .join(' or ');
}

/** Connectors and tasks: failed, expected, not running. */
export const tasks = {
  signals: {
    failedTasks: {
      def: {
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
      thresholds: {
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
      panel: { row: 'health', number: 3, kind: 'stat', now: { of: 'count', legend: 'failed tasks' } },
    },
    tasksExpected: {
      def: {
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
      thresholds: {
        slaRole:
          'What the task alerts compare with: the tasks Kafka started. A source task that vanishes stays expected until it is back, so it keeps paging and counting against the SLO instead of being forgotten.',
        onBreach:
          'No alert: read it with the tasks not running. A deliberate change of tasks.max needs the same change of the model (flows[].connectors.<kind>.tasksMax).',
      },
    },
    tasksNotRunning: {
      def: {
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
      thresholds: {
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
      panel: {
        row: 'health',
        number: 2,
        kind: 'stat',
        title: 'Tasks not running',
        note: ({ flows }) =>
          `At most tasks.max per connector: ${flows
            .map(
              (f) =>
                `${f.id}: ${connectorsOf(f)
                  .map((c) => `${c.name} ${c.tasksMax}`)
                  .join(', ')}`,
            )
            .filter((line, i, all) => all.indexOf(line) === i)
            .join('; ')}.`,
      },
    },
    connectorsNotRunning: {
      def: {
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
      thresholds: {
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
      panel: { row: 'health', number: 1, kind: 'stat', title: 'Connectors not running' },
    },
  },
  advice: {
    'task-failed': {
      confirm: [STATUS, WORKER_LOG, 'Connect does not restart a failed task by itself: a task stays `FAILED` until someone restarts it.'],
      fix: [
        RESTART_FAILED,
        "The task fails again at once: read the new `trace`. Common causes are a topic or partition the MM2 principal cannot read, a record larger than the target's `max.message.bytes` " +
          "(raise it on the target topic, or `producer.override.max.request.size`), or the target's internal topics missing.",
        "With `errors.tolerance=none` (the guide's default) one bad record fails the task: the guide's commented dead letter queue settings would route it aside, but that is a data decision, not on-call's.",
        'After an outage of the target cluster, source tasks whose sends timed out stay `FAILED` once the target is back: restart them when the target answers again; the flow does not heal by itself.',
      ],
      escalate: [
        "A task fails again after two restarts: the cause is in the data, the rights or the target; the Kafka platform team with the trace, paged for the source connector's tasks (the SLO counts every minute of them), in working hours for the checkpoint and heartbeat connectors'.",
      ],
    },
    'tasks-not-running': {
      confirm: [
        STATUS,
        'Tasks missing from the status entirely are unassigned or gone: after a worker left, Connect waits `scheduled.rebalance.max.delay.ms` (the guide sets 60 s) before giving its tasks to others; ' +
          "a task the status lists but no worker runs has vanished. The alert expects the most tasks the connector ever ran at once (at most the model's `tasksMax`; the checkpoint connector: those seen within `connect.taskMemory`), so a vanished task stays in the count until it is back.",
        'MM2 starts no more source tasks than partitions to replicate, and no more checkpoint tasks than consumer groups to sync: a flow with few partitions or groups runs fewer tasks than `tasks.max` for good.',
      ],
      fix: [
        RESTART_FAILED,
        RESUME,
        'A task that vanished: restart the connector with its tasks, `curl -s -X POST "$CONNECT/connectors/<connector>/restart?includeTasks=true"`.',
        "Fewer tasks by design (few partitions, a lower `tasks.max` deployed on purpose): set the model's `tasksMax` to what runs and deploy the rules, so that the alert measures a real gap.",
      ],
      escalate: [
        "Tasks stay unassigned for more than a few minutes with every worker up: the Connect cluster's group is unhealthy (see the rebalance section); the team that runs Connect. A source task missing counts against the SLO until it runs.",
      ],
    },
    'connector-not-running': {
      confirm: [
        STATUS,
        'A connector missing from `curl -s $CONNECT/connectors` was deleted; `PAUSED` was paused through the REST API; `FAILED` failed to start (its `trace` says why); `UNASSIGNED` waits for a worker.',
      ],
      fix: [
        'Failed: `curl -s -X POST "$CONNECT/connectors/<connector>/restart?includeTasks=true&onlyFailed=true"`.',
        RESUME,
        "Deleted: deploy it again from its configuration in version control (the guide's section 5 script PUTs each connector's JSON to `$CONNECT/connectors/<connector>/config`).",
      ],
      escalate: [
        'The connector will not start (configuration rejected, bootstrap servers unreachable, credentials refused): the Kafka platform team; for the source connector now, the SLO counting every minute of it.',
      ],
    },
  },
} as const satisfies SignalTopic;

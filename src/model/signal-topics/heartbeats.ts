import { durationSeconds } from '../../conventions/duration.js';
import { eq, metricSelector } from '../../promql/selector.js';
import { adapted, decision, fromGuide, guideAlert } from '../provenance.js';
import type { QueryContext } from '../signal-def.js';
import { connectorLabel, type Flow, heartbeatEmitterName, remoteHeartbeatsTopic } from '../topology.js';
import { ESCALATE_KAFKA, RESTART_FAILED, RESUME, STATUS } from './advice.js';
import { connectorRunning, inGroup, unknownOnUnreachable } from './queries.js';
import type { SignalTopic } from './topic.js';

/**
 * The source cluster's heartbeat emitter (connect/<source>-heartbeats-at-source.json) can emit:
 * its connector RUNNING, and its task reported by one reachable worker at every scrape of the
 * heartbeat window but one (a late or failed scrape does not close it), in any state. A failed
 * task keeps it open: sends into an unreachable source cluster time out and fail the task, the
 * very outage the heartbeats are there to show. Closed while the emitter is paused, stopped or
 * deleted, or its task is unknown or has just moved (it has not had a window to emit yet).
 */
function heartbeatEmitterCanEmit(flow: Flow, ctx: QueryContext): string {
  const emitter = { name: heartbeatEmitterName(flow) };
  const scrapes = Math.max(2, durationSeconds(ctx.shortWindow) / durationSeconds(ctx.scrapeInterval) - 1);
  const task = metricSelector('taskStatus', { ...inGroup(ctx), connector: eq(connectorLabel(emitter)) });
  return `count(${connectorRunning(emitter, ctx)}) and on () (sum by (instance) (count_over_time(${task}[${ctx.shortWindow}])) >= ${scrapes})`;
}

/** 1 while the source cluster's heartbeat emitter, seen within the status hold, does not run: its connector or its task is not RUNNING. */
function heartbeatEmitterNotRunning(flow: Flow, ctx: QueryContext): string {
  const emitter = { name: heartbeatEmitterName(flow) };
  const conn = { connector: eq(connectorLabel(emitter)) };
  const connectorDown = `clamp_min(1 - (count(${connectorRunning(emitter, ctx)}) or vector(0)), 0)`;
  const taskRunning = `${metricSelector('taskStatus', { ...inGroup(ctx), ...conn, status: eq('running') })} or ${unknownOnUnreachable(ctx, 'taskStatus', conn, ctx.statusHold, 'connector, task')}`;
  const taskDown = `clamp_min(1 - (count(${taskRunning}) or vector(0)), 0)`;
  const seen = `count(last_over_time(${metricSelector('connectorStatus', { ...inGroup(ctx), ...conn })}[${ctx.statusHold}]))`;
  return `clamp_max(${connectorDown} + ${taskDown}, 1) and on () ${seen}`;
}

/** Heartbeats: the heartbeat connector alive, the source cluster's emitter running, heartbeats crossing the flow end to end. */
export const heartbeats = {
  signals: {
    heartbeatsEmitted: {
      def: {
        scope: 'flow',
        title: 'Heartbeats emitted',
        meaning:
          "Heartbeat records the flow's heartbeat connector wrote over the rate window. Zero while the connector runs means its task is stuck; " +
          'zero too when the connector is gone (paused, failed or deleted), whose write counter then has no series at all.',
        unit: 'records',
        direction: 'below',
        record: 'mm2_flow:heartbeats_written:increase',
        by: [],
        runbook: 'heartbeats',
        expr: (f, ctx) =>
          `sum(increase(${metricSelector('sourceRecordWriteTotal', { ...inGroup(ctx), connector: eq(connectorLabel(f.connectors.heartbeat)) })}[${ctx.rateWindow}])) or on () vector(0)`,
      },
      thresholds: {
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
      panel: { row: 'health', number: 5, kind: 'stat', title: 'Heartbeats emitted (rate window)' },
    },
    heartbeatEmitterNotRunning: {
      def: {
        scope: 'flow',
        title: 'Heartbeat emitter not running',
        meaning:
          "1 while the source cluster's heartbeat emitter (the connector <source>-heartbeats-at-source of connect/) or its task is not RUNNING: " +
          'paused, stopped, failed, unassigned or deleted. Its heartbeats stop. While its connector does not run, heartbeatsReplicated has no value and missing ' +
          'heartbeats are no downtime; a failed task keeps them counting (sends into an unreachable source cluster fail it). No series for an emitter no worker ' +
          'reported within the status hold (never deployed).',
        unit: 'connectors',
        direction: 'above',
        record: 'mm2_flow:heartbeat_emitter_not_running:bool',
        by: [],
        runbook: 'heartbeat-emitter',
        expr: heartbeatEmitterNotRunning,
      },
      thresholds: {
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
    },
    heartbeatsReplicated: {
      def: {
        scope: 'flow',
        title: 'Heartbeats replicated end to end',
        meaning:
          "Records of the source cluster's heartbeats topic replicated to <source>.heartbeats on the target over the shortest rate window, while the heartbeat emitter can emit. " +
          'They cross the whole flow (source cluster, MirrorSourceConnector, target), so they stop when the source cluster is unreachable while every connector ' +
          'still reports RUNNING: tasks retry, rates decay to 0 and the consumer lag freezes at its last value, so no other alert sees it. It fires one window (4 scrape intervals) ' +
          'plus its `for` after the last heartbeat. Needs the heartbeat connector emitting into the source cluster (connect/<source>-heartbeats-at-source.json). No value while that ' +
          'emitter is paused, stopped, deleted or never deployed, or while its task is unknown or has just moved: missing heartbeats then say nothing about the flow ' +
          '(heartbeatEmitterNotRunning warns). A failed emitter task keeps the value: sends into an unreachable source cluster fail it, and the two cannot be told apart.',
        unit: 'records',
        direction: 'below',
        record: 'mm2_flow:heartbeats_replicated:increase',
        by: [],
        runbook: 'heartbeats-replicated',
        expr: (f, ctx) =>
          `sum(increase(${metricSelector('mirrorRecordCount', { ...inGroup(ctx), target: eq(f.target), topic: eq(remoteHeartbeatsTopic(f)) })}[${ctx.shortWindow}])) ` +
          `and on () (${heartbeatEmitterCanEmit(f, ctx)})`,
      },
      thresholds: {
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
    },
  },
  advice: {
    heartbeats: {
      confirm: [
        'The heartbeat connector writes a record every `emit.heartbeats.interval.seconds` (the guide: 5 s); none written means its task is stuck or not running.',
        STATUS,
        'Read the heartbeats on the target: `kafka-console-consumer.sh --bootstrap-server $TARGET --consumer.config $CLIENT_CONFIG --topic heartbeats --max-messages 3` (in Connect mode the heartbeat connector writes to the cluster its worker points at).',
      ],
      fix: ["Restart the heartbeat connector's task: `curl -s -X POST $CONNECT/connectors/<connector>/tasks/0/restart`.", RESUME],
      escalate: [
        'Heartbeats missing while the source connector replicates fine: the heartbeat connector alone is broken; not urgent, a ticket for the team that runs Connect.',
      ],
    },
    'heartbeats-replicated': {
      confirm: [
        "The heartbeats the source cluster's heartbeat emitter writes (`<source>-heartbeats-at-source`, from connect/) no longer reach `<source>.heartbeats` on the target, while the emitter's connector runs. " +
          'Every connector may still report `RUNNING`: an unreachable source cluster shows only here. Missing heartbeats count against the SLO.',
        "Is the emitter writing? `curl -s $CONNECT/connectors/<source>-heartbeats-at-source/status | jq`, then read the source's own topic: " +
          '`kafka-console-consumer.sh --bootstrap-server $SOURCE --consumer.config $CLIENT_CONFIG --topic heartbeats --max-messages 3`. ' +
          'Its task `FAILED` with a `TimeoutException` in `trace` means its sends into the source cluster timed out: the source cluster is unreachable from the workers, not the emitter broken.',
        'Records there but none on the target: `kafka-console-consumer.sh --bootstrap-server $TARGET --consumer.config $CLIENT_CONFIG --topic <source alias>.heartbeats --max-messages 3`. ' +
          'MirrorSourceConnector replicates heartbeats topics whatever its `topics` and `topics.exclude` say, so nothing new there means the source connector does not replicate, whatever its status says: ' +
          'the worker log shows `TimeoutException`, `DisconnectException` or authentication errors towards `$SOURCE`.',
        STATUS,
      ],
      fix: [
        'Source cluster unreachable (network, listeners, DNS, certificates, SASL credentials): restore the path from the workers to `$SOURCE`; the source tasks resume by themselves once they reconnect, ' +
          'the emitter\'s task if it failed needs `curl -s -X POST "$CONNECT/connectors/<source>-heartbeats-at-source/restart?includeTasks=true&onlyFailed=true"`.',
        "The source connector's tasks run but replicate nothing from `$SOURCE`: restart them; its `heartbeats` topic cannot be filtered out by configuration.",
        RESTART_FAILED,
      ],
      escalate: [
        'The source cluster is unreachable from the workers and not because of them: the Kafka platform team or the network team, now. The SLO counts every minute of it.',
        ESCALATE_KAFKA,
      ],
    },
    'heartbeat-emitter': {
      confirm: [
        "The source cluster's heartbeat emitter (`<source>-heartbeats-at-source`, a MirrorHeartbeatConnector of connect/ whose producer writes into the source cluster) is paused, failed, unassigned or deleted: " +
          '`curl -s $CONNECT/connectors/<source>-heartbeats-at-source/status | jq`. It carries no business data: the flow may replicate fine, and this is no downtime.',
        'While it does not emit, the heartbeats replicated end to end say nothing, and MM2HeartbeatsReplicatedCritical is off: an unreachable source cluster would show only as a stalled backlog or throughput falling to 0 on the MM2 / Replication dashboard.',
      ],
      fix: [
        'Paused: find out who paused it, then `curl -s -X PUT $CONNECT/connectors/<source>-heartbeats-at-source/resume`.',
        'Failed: read `trace` in its status, then `curl -s -X POST "$CONNECT/connectors/<source>-heartbeats-at-source/restart?includeTasks=true&onlyFailed=true"`. ' +
          'A task failed on `TimeoutException` while the source cluster is reachable again only needs that restart.',
        'Deleted: PUT its configuration from connect/ again, `${SOURCE}` placeholders substituted (the workers need `connector.client.config.override.policy=All` for its producer override).',
      ],
      escalate: ['It will not stay running: the team that runs Connect, in working hours; meanwhile the flow has no end-to-end liveness signal.'],
    },
  },
} as const satisfies SignalTopic;

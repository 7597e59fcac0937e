import type { SIGNAL_DEFS, SignalId } from './signals.js';

/**
 * What on-call does about each kind of alert: how to confirm it on the cluster, how to fix
 * it, when to hand it on. RUNBOOK.md renders one section per alert of the bundle from this
 * and from the alert rule itself (meaning, PromQL, thresholds), so only the advice lives here.
 *
 * Content is keyed by the signals' `runbook` topic: signals diagnosed the same way (average
 * and worst-partition latency) share it. The record is total over the topics the signals
 * declare, so a new signal with a new topic does not compile until its advice is written
 * here; an alert whose signal has no topic at all fails the build (src/runbook/).
 *
 * Written from the MM2 tuning guide (sections 2, 4 and 5: worker, connector and producer/
 * consumer settings, deployment through the REST API) and Kafka's Connect and MirrorMaker
 * documentation. Commands use the placeholders the runbook's introduction defines:
 * `$CONNECT` (any worker's REST listener), `$SOURCE` / `$TARGET` (bootstrap servers),
 * `$CLIENT_CONFIG` (the client properties file for the clusters' SASL_SSL listeners),
 * `<connector>` and `<task>` (from the alert's labels, or the flow table).
 */
export interface RunbookAdvice {
  /** How to see the problem with your own eyes: REST calls, metrics, Kafka CLI. Markdown paragraphs. */
  readonly confirm: readonly string[];
  /** What to do, most likely cause first. */
  readonly fix: readonly string[];
  /** When the problem is no longer on-call's to fix alone, and whom it goes to. */
  readonly escalate: readonly string[];
}

/** The runbook topic of the SLO burn-rate alerts (they have no signal of their own). */
export const SLO_RUNBOOK_TOPIC = 'slo-burn-rate';
/** The runbook topic of the Watchdog, the always-firing alert of the alerting pipeline itself. */
export const WATCHDOG_RUNBOOK_TOPIC = 'watchdog';
export type RunbookTopic = (typeof SIGNAL_DEFS)[SignalId]['runbook'] | typeof SLO_RUNBOOK_TOPIC | typeof WATCHDOG_RUNBOOK_TOPIC;

const STATUS =
  'Ask Connect what it thinks of the connector and its tasks: `curl -s $CONNECT/connectors/<connector>/status | jq`. ' +
  'Every task should be `RUNNING`; a `FAILED` one carries the Java stack trace of its failure in `trace`, and `worker_id` says where it ran.';
const ALL_STATUS =
  'For every connector at once: `curl -s "$CONNECT/connectors?expand=status" | jq \'map_values({connector: .status.connector.state, tasks: [.status.tasks[] | .state]})\'`.';
const WORKER_LOG =
  'Read the log of the worker named in `worker_id` around the time the alert started (Connect logs a task\'s failure with its connector and task id: `grep "<connector>-<task>"`).';
const RESTART_FAILED =
  'Restart what failed, and only that: `curl -s -X POST "$CONNECT/connectors/<connector>/restart?includeTasks=true&onlyFailed=true"` ' +
  '(Kafka 3.0 and later); for one task, `curl -s -X POST $CONNECT/connectors/<connector>/tasks/<task>/restart`. ' +
  'A restarted task resumes from the offsets Connect committed: nothing is lost, a few records may be written twice.';
const RESUME = 'A `PAUSED` connector was paused by someone: find out who before you resume it (`curl -s -X PUT $CONNECT/connectors/<connector>/resume`).';
const END_OFFSETS =
  'Compare end offsets on both sides for a partition you suspect: `kafka-get-offsets.sh --bootstrap-server $SOURCE --command-config $CLIENT_CONFIG --topic <topic>` ' +
  "and the same on `$TARGET` for `<source alias>.<topic>`. The target's offsets differ from the source's (MM2 does not preserve offsets); what matters is that they move.";
const TARGET_HEALTH =
  'Check the target cluster for what slows writes: `kafka-topics.sh --bootstrap-server $TARGET --command-config $CLIENT_CONFIG --describe --under-replicated-partitions` ' +
  "and `--under-min-isr-partitions` (with `acks=all`, a partition under its min ISR refuses writes), and the brokers' request latency on their own dashboards.";
const TASKS_MAX =
  "More parallelism: raise the source connector's `tasks.max` (the guide runs 6 on 3 workers). Get the config, change that one key, put it back: " +
  '`curl -s $CONNECT/connectors/<connector>/config | jq \'."tasks.max" = "9"\' | curl -s -X PUT -H "Content-Type: application/json" --data @- $CONNECT/connectors/<connector>/config`. ' +
  'MM2 starts no more tasks than there are partitions to replicate, and each worker needs heap for the extra consumers and producers (the guide sizes a worker at 4 GB). ' +
  "Change the model's `tasksMax` too, so the task alerts expect the new count.";
const PRODUCER_TUNING =
  "Producer side (connector config, `producer.override.*`): the guide's baseline is `batch.size=65536`, `linger.ms=5`, `compression.type=lz4`, " +
  '`buffer.memory=67108864` with `acks=all` and idempotence. Larger batches and a little more linger raise throughput to a distant or busy target; ' +
  'the guide keeps `max.in.flight.requests.per.connection=1`, and with idempotence on, up to 5 keeps ordering and hides more round-trip time.';
const CONSUMER_TUNING =
  'Consumer side (`consumer.override.*`): the guide reads with `fetch.max.bytes=52428800` and `max.poll.records=1000`; when the record age grows but the ' +
  'target is healthy, the tasks read too little per poll: raise `max.poll.records` and `fetch.min.bytes`/`fetch.max.wait.ms` together rather than one alone.';
const ESCALATE_KAFKA =
  'The source or target cluster itself is unhealthy (offline partitions, under-min-ISR partitions, brokers down, ACL or certificate errors in the task trace): hand it to the Kafka platform team with the partitions and the error.';

export const RUNBOOK_ADVICE: Readonly<Record<RunbookTopic, RunbookAdvice>> = {
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
  'producer-errors': {
    confirm: [
      "The flow's producers gave up on records after all their retries (the guide sets `retries=2147483647`, so `delivery.timeout.ms` is the limit). The task usually fails right after: check its status.",
      STATUS,
      TARGET_HEALTH,
      'The worker log names the exception: `RecordTooLargeException`, `TopicAuthorizationException`, `NotEnoughReplicasException` each point at a different owner.',
    ],
    fix: [
      'Record too large: raise `max.message.bytes` on the target topic (MM2 syncs topic configs from the source only when `sync.topic.configs.enabled` is on) or `producer.override.max.request.size`.',
      "Not enough replicas: the target partition is under its min ISR; it recovers when the target's brokers do.",
      RESTART_FAILED,
    ],
    escalate: ["Authorisation or replica errors: the target cluster's owners. Errors on one topic only: its owner, with the exception.", ESCALATE_KAFKA],
  },
  'producer-buffer-exhausted': {
    confirm: [
      "The producers' `buffer.memory` (the guide: 64 MB) filled up: records arrive faster than the target acks them. Look at the in-flight records and the target's produce latency.",
      TARGET_HEALTH,
    ],
    fix: [
      PRODUCER_TUNING,
      'A bigger `buffer.memory` only absorbs bursts: if the target is slow for good, more buffer only delays the same backpressure and costs heap.',
    ],
    escalate: ["It repeats every day at peak: a capacity change (target brokers, tasks); open it with the dashboard's numbers."],
  },
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
  'exporter-blind': {
    confirm: [
      'The source connector runs but Prometheus has no MirrorSourceConnector series of the flow: latency, age and lag alerts cannot fire while it lasts. ' +
        'Either the JMX exporter rules no longer match the MBeans (after a Kafka or jmx_exporter upgrade), or the connector replicates no topic.',
      'Read the exporter of a worker that runs a source task: `curl -s http://<worker>:<exporter port>/metrics | grep -c kafka_connect_mirror` ' +
        "(the port is the javaagent's, e.g. 7072). Zero with tasks running means the rules do not match.",
      'List the MBeans the worker really has: `kafka.connect.mirror:type=MirrorSourceConnector,target=..,topic=..,partition=..` (Kafka 4.x adds `source`); compare their shape with the patterns of scrape/jmx-exporter.yaml.',
      'Does the connector replicate anything? `curl -s $CONNECT/connectors/<connector>/config | jq \'.topics, ."topics.exclude"\'` against the topics of `$SOURCE`.',
    ],
    fix: [
      'Rules that no longer match: rebuild the bundle with the version of this project that knows the MBean shape, roll scrape/jmx-exporter.yaml out to every worker and restart them one at a time (the agent reads its rules at start).',
      "No topic to replicate: correct the connector's `topics` include list (`PUT $CONNECT/connectors/<connector>/config`), or remove the flow from the model if it is meant to be idle.",
    ],
    escalate: [
      "The metrics stay missing after the exporter rules are rolled out: the maintainers of this monitoring bundle, with a sample of the worker's MBean names.",
    ],
  },
  'checkpoint-latency': {
    confirm: [
      "Checkpoints carry the consumer groups' offsets to the target (every `emit.checkpoints.interval.seconds`, the guide: 10 s); late checkpoints mean consumers failing over to the target would restart further back.",
      STATUS,
      'Read the checkpoints on the target: `kafka-console-consumer.sh --bootstrap-server $TARGET --consumer.config $CLIENT_CONFIG --topic <source alias>.checkpoints.internal --max-messages 5`; ' +
        'with `sync.group.offsets.enabled`, `kafka-consumer-groups.sh --bootstrap-server $TARGET --command-config $CLIENT_CONFIG --describe --group <group>` shows the translated offsets.',
    ],
    fix: [
      'The checkpoint connector depends on the offset syncs the source connector writes: if replication itself is late, fix that first.',
      "Many groups (the guide syncs `groups=.*`): narrow `groups`/`groups.exclude` to the groups that really fail over, or raise the checkpoint connector's `tasks.max`.",
    ],
    escalate: ['Checkpoints stop during a planned failover: tell the owners of the consumers before they switch to the target.'],
  },
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
  [SLO_RUNBOOK_TOPIC]: {
    confirm: [
      'The cause\'s own alert may still be pending: find it among `ALERTS{flow="<flow>"}` (pending and firing) in Prometheus, or in the "alerts firing" panel of the MM2 / Replication dashboard once it fires.',
      'The SLO panels of that dashboard show the budget left, the burn rate over each window and the unavailability, evaluation by evaluation: an outage that comes and goes shows as a comb.',
    ],
    fix: [
      'Fix the cause, with its own section of this runbook. A page resolves once its short window has been free of downtime for its keep_firing_for; the ticket once its short windows are clean.',
    ],
    escalate: [
      'An outage that comes and goes with no cause that holds long enough to alert on its own: the team that runs Connect, with the unavailability panel.',
    ],
  },
  [WATCHDOG_RUNBOOK_TOPIC]: {
    confirm: [
      "This alert fires all the time by design; it is routed to its own receiver (`mm2-watchdog` in alertmanager.yaml), a dead man's switch service that raises the alarm when it stops arriving. " +
        'If that service alarms, find where the chain broke, from Prometheus onward.',
      'Prometheus up and evaluating the rules: its `/rules` page lists the `mm2-watchdog` group with a recent last evaluation; `ALERTS{alertname="MM2Watchdog"}` returns one series.',
      'Prometheus reaches Alertmanager: its `/status` page lists the Alertmanager, and `prometheus_notifications_errors_total` or `prometheus_notifications_dropped_total` do not grow.',
      'Alertmanager holds the alert and delivers it: `amtool alert query alertname=MM2Watchdog --alertmanager.url=<alertmanager>` and `alertmanager_notifications_failed_total{integration=...}`.',
    ],
    fix: [
      'Prometheus down or the rule files not loaded (a failed reload after a rule change is logged, `prometheus_config_last_reload_successful` is 0): restart it or fix the rule files (`promtool check rules alerts/*.rules.yaml`).',
      "Alertmanager unreachable or not delivering: restart it, or fix the receiver (URL, credentials, the dead man's switch service's token).",
    ],
    escalate: [
      'Until the Watchdog arrives again no alert of this bundle reaches anyone: tell the on-call of the flows now, and hand Prometheus or Alertmanager to the team that runs the monitoring platform.',
    ],
  },
};

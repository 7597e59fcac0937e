/**
 * Runbook paragraphs the advice of several topics shares. Commands use the placeholders the
 * runbook's introduction defines: `$CONNECT` (any worker's REST listener), `$SOURCE` /
 * `$TARGET` (bootstrap servers), `$CLIENT_CONFIG` (the client properties file for the clusters'
 * SASL_SSL listeners), `<connector>` and `<task>` (from the alert's labels, or the flow table).
 */

export const STATUS =
  'Ask Connect what it thinks of the connector and its tasks: `curl -s $CONNECT/connectors/<connector>/status | jq`. ' +
  'Every task should be `RUNNING`; a `FAILED` one carries the Java stack trace of its failure in `trace`, and `worker_id` says where it ran.';
export const ALL_STATUS =
  'For every connector at once: `curl -s "$CONNECT/connectors?expand=status" | jq \'map_values({connector: .status.connector.state, tasks: [.status.tasks[] | .state]})\'`.';
export const WORKER_LOG =
  'Read the log of the worker named in `worker_id` around the time the alert started (Connect logs a task\'s failure with its connector and task id: `grep "<connector>-<task>"`).';
export const RESTART_FAILED =
  'Restart what failed, and only that: `curl -s -X POST "$CONNECT/connectors/<connector>/restart?includeTasks=true&onlyFailed=true"` ' +
  '(Kafka 3.0 and later); for one task, `curl -s -X POST $CONNECT/connectors/<connector>/tasks/<task>/restart`. ' +
  'A restarted task resumes from the offsets Connect committed: nothing is lost, a few records may be written twice.';
export const RESUME =
  'A `PAUSED` connector was paused by someone: find out who before you resume it (`curl -s -X PUT $CONNECT/connectors/<connector>/resume`).';
export const END_OFFSETS =
  'Compare end offsets on both sides for a partition you suspect: `kafka-get-offsets.sh --bootstrap-server $SOURCE --command-config $CLIENT_CONFIG --topic <topic>` ' +
  "and the same on `$TARGET` for `<source alias>.<topic>`. The target's offsets differ from the source's (MM2 does not preserve offsets); what matters is that they move.";
export const TARGET_HEALTH =
  'Check the target cluster for what slows writes: `kafka-topics.sh --bootstrap-server $TARGET --command-config $CLIENT_CONFIG --describe --under-replicated-partitions` ' +
  "and `--under-min-isr-partitions` (with `acks=all`, a partition under its min ISR refuses writes), and the brokers' request latency on their own dashboards.";
export const TASKS_MAX =
  "More parallelism: raise the source connector's `tasks.max` (the guide runs 6 on 3 workers). Get the config, change that one key, put it back: " +
  '`curl -s $CONNECT/connectors/<connector>/config | jq \'."tasks.max" = "9"\' | curl -s -X PUT -H "Content-Type: application/json" --data @- $CONNECT/connectors/<connector>/config`. ' +
  'MM2 starts no more tasks than there are partitions to replicate, and each worker needs heap for the extra consumers and producers (the guide sizes a worker at 4 GB). ' +
  "Change the model's `tasksMax` too, so the task alerts expect the new count.";
export const PRODUCER_TUNING =
  "Producer side (connector config, `producer.override.*`): the guide's baseline is `batch.size=65536`, `linger.ms=5`, `compression.type=lz4`, " +
  '`buffer.memory=67108864` with `acks=all` and idempotence. Larger batches and a little more linger raise throughput to a distant or busy target; ' +
  'the guide keeps `max.in.flight.requests.per.connection=1`, and with idempotence on, up to 5 keeps ordering and hides more round-trip time.';
export const CONSUMER_TUNING =
  'Consumer side (`consumer.override.*`): the guide reads with `fetch.max.bytes=52428800` and `max.poll.records=1000`; when the record age grows but the ' +
  'target is healthy, the tasks read too little per poll: raise `max.poll.records` and `fetch.min.bytes`/`fetch.max.wait.ms` together rather than one alone.';
export const ESCALATE_KAFKA =
  'The source or target cluster itself is unhealthy (offline partitions, under-min-ISR partitions, brokers down, ACL or certificate errors in the task trace): hand it to the Kafka platform team with the partitions and the error.';

import { eq, metricSelector } from '../../promql/selector.js';
import { decision } from '../provenance.js';
import { STATUS } from './advice.js';
import { inGroup, notNaN } from './queries.js';
import { WARN_HOLD } from './reasons.js';
import type { SignalTopic } from './topic.js';

/** Checkpoints: consumer group offsets carried to the target. */
export const checkpoints = {
  signals: {
    checkpointLatencyMax: {
      def: {
        scope: 'flow',
        title: 'Checkpoint latency (max)',
        meaning: 'Worst windowed time to replicate consumer group offsets to the target, which failover of consumers depends on. Idle groups are left out.',
        unit: 'ms',
        direction: 'above',
        record: 'mm2_flow:checkpoint_latency_ms:max',
        by: [],
        runbook: 'checkpoint-latency',
        expr: (f, ctx) => `max(${notNaN(metricSelector('checkpointLatencyMsMax', { ...inGroup(ctx), source: eq(f.source), target: eq(f.target) }))})`,
      },
      thresholds: {
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
      panel: { row: 'health', number: 6, kind: 'stat' },
    },
  },
  advice: {
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
  },
} as const satisfies SignalTopic;

import { metricSelector, re } from '../../promql/selector.js';
import { adapted, decision, fromGuide, guideAlert, guideQuery, guideRow } from '../provenance.js';
import type { FlowSignalDef } from '../signal-def.js';
import { connectorsOf, producerClientIdRegex } from '../topology.js';
import { ESCALATE_KAFKA, PRODUCER_TUNING, RESTART_FAILED, STATUS, TARGET_HEALTH } from './advice.js';
import { inGroup } from './queries.js';
import type { SignalTopic } from './topic.js';

/** How much a counter of the flow's Connect producers (found by their client ids) grew over the rate window. */
function producerIncrease(key: 'producerRecordErrorTotal' | 'producerBufferExhaustedTotal'): FlowSignalDef['expr'] {
  return (f, ctx) => `sum(increase(${metricSelector(key, { ...inGroup(ctx), client_id: re(producerClientIdRegex(connectorsOf(f))) })}[${ctx.rateWindow}]))`;
}

/** The Connect producers that write to the target: send errors and a full buffer. */
export const producer = {
  signals: {
    producerErrors: {
      def: {
        scope: 'flow',
        title: 'Producer send errors',
        meaning:
          "Records the flow's Connect producers failed to write to the target after retries, over the rate window, in whole errors: increase() (which ignores counter resets) " +
          'extrapolates to the window and reads 10 errors as about 10.5, so its value is rounded down.',
        unit: 'errors',
        direction: 'above',
        record: 'mm2_flow:producer_record_errors:increase',
        by: [],
        runbook: 'producer-errors',
        expr: (f, ctx) => `floor(${producerIncrease('producerRecordErrorTotal')(f, ctx)})`,
      },
      thresholds: {
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
      panel: { row: 'throughput', number: 4, kind: 'timeseries', title: 'Producer send errors (rate window)' },
    },
    producerBufferExhausted: {
      def: {
        scope: 'flow',
        title: 'Producer buffer exhausted',
        meaning: "Times the flow's producers found buffer.memory full over the rate window: the target cannot absorb the flow's throughput.",
        unit: 'events',
        direction: 'above',
        record: 'mm2_flow:producer_buffer_exhausted:increase',
        by: [],
        runbook: 'producer-buffer-exhausted',
        expr: producerIncrease('producerBufferExhaustedTotal'),
      },
      thresholds: {
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
      panel: { row: 'throughput', number: 5, kind: 'timeseries', title: 'Producer buffer exhausted (rate window)' },
    },
  },
  advice: {
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
  },
} as const satisfies SignalTopic;

import * as units from '@grafana/grafana-foundation-sdk/units';
import type { Row } from '../layout.js';
import { metricHelp as help, query, timeseriesPanel } from '../panels.js';
import { TOP_SERIES, type DetailedQueries } from './queries.js';

/** The Kafka clients of the chosen connectors: the producers writing to the target, the consumers reading the source. */

export function producerRow(q: DetailedQueries): Row {
  const legend = '{{client_id}}';
  return {
    number: 3,
    title: 'Producers (writes to the target)',
    panels: (id) => [
      timeseriesPanel({
        id: id(1),
        title: 'Producer buffer in use',
        description: `Share of buffer.memory holding records not yet sent: 1 - available / total. ${help('producerBufferAvailableBytes')} Near 100% the producer blocks and then drops sends (buffer exhausted).`,
        unit: units.PercentUnit,
      }).withTarget(query(q.producer.bufferInUse, legend)),
      timeseriesPanel({ id: id(2), title: 'Batch size (avg)', description: help('producerBatchSizeAvg'), unit: units.BytesSI })
        .withTarget(query(q.producer.batchSize, legend)),
      timeseriesPanel({ id: id(3), title: 'Record queue time (avg)', description: help('producerRecordQueueTimeAvg'), unit: units.Milliseconds })
        .withTarget(query(q.producer.queueTime, legend)),
      timeseriesPanel({ id: id(4), title: 'Produce request latency (avg)', description: help('producerRequestLatencyAvg'), unit: units.Milliseconds })
        .withTarget(query(q.producer.requestLatency, legend)),
      timeseriesPanel({ id: id(5), title: 'Records sent per second', description: help('producerRecordSendTotal'), unit: units.RecordsPerSecond })
        .withTarget(query(q.producer.sendRate, legend)),
      timeseriesPanel({
        id: id(6),
        title: 'Retries, errors and buffer exhaustion per second',
        description: `${help('producerRecordRetryTotal')} ${help('producerRecordErrorTotal')} ${help('producerBufferExhaustedTotal')}`,
        unit: units.Short,
      })
        .withTarget(query(q.producer.retryRate, `{{client_id}} retries`, 'A'))
        .withTarget(query(q.producer.errorRate, `{{client_id}} errors`, 'B'))
        .withTarget(query(q.producer.bufferExhaustedRate, `{{client_id}} buffer exhausted`, 'C')),
    ],
  };
}

export function consumerRow(q: DetailedQueries): Row {
  return {
    number: 4,
    title: 'Replication consumer (reads the source)',
    panels: (id) => [
      timeseriesPanel({ id: id(1), title: `Fetch lag, top ${TOP_SERIES} source partitions`, description: help('consumerRecordsLag'), unit: units.Short })
        .withTarget(query(q.consumer.worstLag, '{{topic}}/{{partition}} ({{client_id}})')),
      timeseriesPanel({ id: id(2), title: 'Records read from the source per second', description: help('consumerRecordsConsumedTotal'), unit: units.RecordsPerSecond })
        .withTarget(query(q.consumer.readRate, '{{client_id}}')),
    ],
  };
}

import * as units from '@grafana/grafana-foundation-sdk/units';
import type { Row } from '../layout.js';
import { metricHelp as help, metricPanel, query, timeseriesPanel } from '../panels.js';
import { type DetailedQueries, TOP_SERIES } from './queries.js';

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
      metricPanel({ id: id(2), title: 'Batch size (avg)', metric: 'producerBatchSizeAvg', unit: units.BytesSI }, q.producer.batchSize, legend),
      metricPanel(
        { id: id(3), title: 'Record queue time (avg)', metric: 'producerRecordQueueTimeAvg', unit: units.Milliseconds },
        q.producer.queueTime,
        legend,
      ),
      metricPanel(
        { id: id(4), title: 'Produce request latency (avg)', metric: 'producerRequestLatencyAvg', unit: units.Milliseconds },
        q.producer.requestLatency,
        legend,
      ),
      metricPanel(
        { id: id(5), title: 'Records sent per second', metric: 'producerRecordSendTotal', unit: units.RecordsPerSecond },
        q.producer.sendRate,
        legend,
      ),
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
      metricPanel(
        { id: id(1), title: `Fetch lag, top ${TOP_SERIES} source partitions`, metric: 'consumerRecordsLag', unit: units.Short },
        q.consumer.worstLag,
        '{{topic}}/{{partition}} ({{client_id}})',
      ),
      metricPanel(
        { id: id(2), title: 'Records read from the source per second', metric: 'consumerRecordsConsumedTotal', unit: units.RecordsPerSecond },
        q.consumer.readRate,
        '{{client_id}}',
      ),
    ],
  };
}

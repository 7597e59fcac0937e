import * as units from '@grafana/grafana-foundation-sdk/units';
import { type Model, signal } from '../../../model/model.js';
import type { Row } from '../layout.js';
import { metricHelp as help, query, signalScale, timeseriesPanel } from '../panels.js';
import { type DetailedQueries, TOP_SERIES } from './queries.js';

/** The worst partitions and consumer groups: where a flow's average hides one stuck partition. */

export function partitionRow(model: Model, q: DetailedQueries): Row {
  const legend = '{{flow}} {{topic}}/{{partition}}';
  return {
    number: 1,
    title: `Per partition (top ${TOP_SERIES})`,
    panels: (id) => [
      timeseriesPanel({
        id: id(1),
        title: `Replication latency max, top ${TOP_SERIES} partitions`,
        description: `${help('replicationLatencyMsMax')} Colours: the per-topic worst-partition alert thresholds.`,
        ...signalScale(signal(model, 'replicationLatencyMax')),
      }).withTarget(query(q.worstPartitions('replicationLatencyMsMax'), legend)),
      timeseriesPanel({
        id: id(2),
        title: `Record age at read max, top ${TOP_SERIES} partitions`,
        description: `${help('recordAgeMsMax')} Colours: the per-topic worst-partition alert thresholds.`,
        ...signalScale(signal(model, 'recordAgeMax')),
      }).withTarget(query(q.worstPartitions('recordAgeMsMax'), legend)),
      timeseriesPanel({
        id: id(3),
        title: `Replication latency avg, top ${TOP_SERIES} partitions`,
        description: help('replicationLatencyMsAvg'),
        unit: units.Milliseconds,
      }).withTarget(query(q.worstPartitions('replicationLatencyMsAvg'), legend)),
      timeseriesPanel({
        id: id(4),
        title: `Last record latency, top ${TOP_SERIES} partitions`,
        description: `${help('replicationLatencyMs')} A high flat line on an idle partition is an old value, not a current delay.`,
        unit: units.Milliseconds,
      }).withTarget(query(q.worstPartitions('replicationLatencyMs'), legend)),
    ],
  };
}

export function checkpointRow(model: Model, q: DetailedQueries): Row {
  return {
    number: 5,
    title: 'Checkpoints (consumer group offsets)',
    panels: (id) => [
      timeseriesPanel({
        id: id(1),
        title: `Checkpoint latency max, top ${TOP_SERIES} groups`,
        description: help('checkpointLatencyMsMax'),
        ...signalScale(signal(model, 'checkpointLatencyMax')),
      }).withTarget(query(q.worstCheckpointLatency, '{{flow}} {{group}}')),
    ],
  };
}

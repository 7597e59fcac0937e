import { FLOW_LABEL } from '../../conventions/labels.js';
import { ALL_TOPICS, RANKED_AMONG, type RankedMirrorGauge, TOP_RANKED, TOP_SERIES_RECORDS } from '../../conventions/names.js';
import type { MetricKey } from '../../metrics/names.js';
import { groupMatchers, type Model } from '../../model/model.js';
import { type Flow, remoteTopicMatchers, replicationConsumerClientIdRegex } from '../../model/topology.js';
import type { Matcher } from '../../promql/matcher.js';
import { eq, metricSelector, re } from '../../promql/selector.js';
import type { RecordingRule } from './recording.js';

/**
 * The drill-down dashboard's "worst partitions" panels, recorded: per flow, at every evaluation,
 * the TOP_RANKED worst series of each per-partition metric, so that a 6 h panel reads a few
 * dozen series instead of every partition at every step (bench/: 20 s at 10k partitions, two
 * minutes at 50k, before these rules).
 *
 * The panels still rank: the top N of the chosen flows is the top N of the union of each flow's
 * top N, so the recorded series answer exactly what the raw query answered. The per-partition
 * MirrorSourceConnector metrics are also filtered by the dashboard's `$topic`; a per-flow top N
 * answers only for all topics. Those rules carry `RANKED_AMONG` = `ALL_TOPICS`, the value the
 * `$topic` variable takes for "All" (not a legal Kafka topic name: it has spaces), so that the
 * panel reads the recorded series when every topic is chosen and the raw series of the chosen
 * topics otherwise, each branch selecting nothing in the other case (see dashboards/detailed/queries.ts).
 * The names (TOP_RANKED, RANKED_AMONG, ALL_TOPICS, TOP_SERIES_RECORDS) are in conventions/names.ts.
 */
const topk = (expr: string) => `topk(${TOP_RANKED}, ${expr})`;

/**
 * Each flow's part of the MirrorSourceConnector metrics (they carry no flow label): its target
 * alias and remote topics. `>= 0` drops the NaN of a partition with no record in the window.
 */
export function mirrorSelection(model: Model, flow: Flow, key: MetricKey, extra: Record<string, Matcher | Matcher[]> = {}): string {
  return `${metricSelector(key, { ...groupMatchers(model), target: eq(flow.target), ...extra, topic: [...(extra.topic ? [extra.topic].flat() : []), ...remoteTopicMatchers(flow)] })} >= 0`;
}

export function topPartitionRecordingRules(model: Model): RecordingRule[] {
  const group = groupMatchers(model);
  const labels = (flow: Flow, extra: Record<string, string> = {}) => ({ ...model.groupLabels, [FLOW_LABEL]: flow.id, ...extra });
  return model.flows.flatMap((f) => [
    ...(Object.entries(TOP_SERIES_RECORDS.mirror) as [RankedMirrorGauge, string][]).map(([key, record]) => ({
      record,
      expr: topk(mirrorSelection(model, f, key)),
      labels: labels(f, { [RANKED_AMONG]: ALL_TOPICS }),
    })),
    {
      record: TOP_SERIES_RECORDS.consumerLag,
      expr: topk(metricSelector('consumerRecordsLag', { ...group, client_id: re(replicationConsumerClientIdRegex(f)) })),
      labels: labels(f),
    },
    {
      record: TOP_SERIES_RECORDS.checkpointLatencyMax,
      expr: topk(`max by (group) (${metricSelector('checkpointLatencyMsMax', { ...group, source: eq(f.source), target: eq(f.target) })} >= 0)`),
      labels: labels(f),
    },
  ]);
}

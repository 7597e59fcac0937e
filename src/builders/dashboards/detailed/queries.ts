import { VAR } from '../../../conventions/dashboards.js';
import { FLOW_LABEL } from '../../../conventions/labels.js';
import { RANKED_AMONG, type RankedMirrorGauge, TOP_RANKED, TOP_SERIES_RECORDS } from '../../../conventions/names.js';
import type { MetricKey } from '../../../metrics/names.js';
import type { Model } from '../../../model/model.js';
import { REBALANCE_WINDOW } from '../../../model/signals.js';
import { type Flow, producerClientIdPattern, remoteTopicMatchers, replicationConsumerClientIdPattern } from '../../../model/topology.js';
import { eq, metricSelector, quote, re, recorded } from '../../../promql/selector.js';
import { clusterMatcher, FLOW_GATE, flowMatcher, variableRef } from '../variables.js';

/**
 * Every query of the drill-down dashboard, named for what it shows; the row modules lay them
 * out. MM2's own metrics carry no flow label: each flow's part is selected with the names the
 * model derives for it (topology.ts), and the dashboard variables narrow them.
 */

/** How many series the per-partition panels keep at each instant: the worst ones, not thousands of lines. */
export const TOP_SERIES = TOP_RANKED;

const RATE = '$__rate_interval';

const topk = (expr: string) => `topk(${TOP_SERIES}, ${expr})`;

/**
 * The worst series of every flow, then the worst of those. MM2's per-partition and checkpoint
 * metrics carry neither a flow nor a connector label: each flow's part is selected with the names
 * the model derives for it (target alias, source alias), labelled with its flow, and kept only for
 * the flows chosen in $flow. Each flow keeps its own top N before label_replace: relabelling every
 * partition at every step is what made these panels take minutes at 50k partitions (bench/).
 */
function topPerFlow(model: Model, part: (flow: Flow) => string): string {
  const union = model.flows.map((f) => `label_replace(${topk(part(f))}, ${quote(FLOW_LABEL)}, ${quote(f.id)}, "", "")`).join(' or ');
  return topk(`(${union}) and on (${FLOW_LABEL}) group by (${FLOW_LABEL}) (${FLOW_GATE})`);
}

type ProducerMetric = {
  [K in MetricKey]: K extends `producer${string}` ? K : never;
}[MetricKey];

export function detailedQueries(model: Model) {
  const chosenConnectors = variableRef(VAR.connector);
  const task = { ...clusterMatcher, connector: re(chosenConnectors) };
  const producer = { ...clusterMatcher, client_id: re(producerClientIdPattern(chosenConnectors)) };
  const consumer = { ...clusterMatcher, client_id: re(replicationConsumerClientIdPattern(chosenConnectors)) };
  const worker = { ...clusterMatcher, instance: re(variableRef(VAR.instance)) };
  const heap = { ...worker, area: eq('heap') };

  // Per flow: its target alias, and the remote topics chosen in $topic (which lists only the chosen flows' topics).
  // `>= 0` drops the NaN of a partition with no record in the window. No `max by (topic, partition)`:
  // one worker exports a partition at a time (its task's metrics close when the task moves), and
  // grouping every partition at every step is several times slower than topk alone at 50k partitions.
  const mirror = (key: RankedMirrorGauge) => (f: Flow) =>
    `${metricSelector(key, { ...clusterMatcher, target: eq(f.target), topic: [re(variableRef(VAR.topic)), ...remoteTopicMatchers(f)] })} >= 0`;
  const byClient = (key: ProducerMetric) => `sum by (client_id) (${metricSelector(key, producer)})`;
  const producerRate = (key: ProducerMetric) => `sum by (client_id) (rate(${metricSelector(key, producer)}[${RATE}]))`;
  const perTask = (agg: 'sum' | 'max', key: 'sourceRecordActiveCount' | 'pollBatchAvgTimeMs') => `${agg} by (connector, task) (${metricSelector(key, task)})`;
  const taskRate = (key: 'sourceRecordPollTotal' | 'sourceRecordWriteTotal') => `sum by (connector, task) (rate(${metricSelector(key, task)}[${RATE}]))`;

  return {
    /**
     * The worst partitions of a MirrorSourceConnector gauge. With "All" topics ($topic is then
     * ALL_TOPICS, which no topic matches), the recorded top N of each flow (alerts/top-partitions.ts)
     * answers and the raw branch reads nothing; with chosen topics, the raw branch reads only their
     * partitions and the recorded one nothing.
     */
    worstPartitions: (key: RankedMirrorGauge) =>
      topk(`${recorded(TOP_SERIES_RECORDS.mirror[key], { ...flowMatcher, [RANKED_AMONG]: re(variableRef(VAR.topic)) })} or ${topPerFlow(model, mirror(key))}`),
    sourceTask: {
      pollRate: taskRate('sourceRecordPollTotal'),
      writeRate: taskRate('sourceRecordWriteTotal'),
      inFlight: perTask('sum', 'sourceRecordActiveCount'),
      pollBatchTime: perTask('max', 'pollBatchAvgTimeMs'),
    },
    producer: {
      bufferInUse: `1 - ${byClient('producerBufferAvailableBytes')} / ${byClient('producerBufferTotalBytes')}`,
      batchSize: `max by (client_id) (${metricSelector('producerBatchSizeAvg', producer)})`,
      queueTime: `max by (client_id) (${metricSelector('producerRecordQueueTimeAvg', producer)})`,
      requestLatency: `max by (client_id) (${metricSelector('producerRequestLatencyAvg', producer)})`,
      sendRate: producerRate('producerRecordSendTotal'),
      retryRate: producerRate('producerRecordRetryTotal'),
      errorRate: producerRate('producerRecordErrorTotal'),
      bufferExhaustedRate: producerRate('producerBufferExhaustedTotal'),
    },
    consumer: {
      // Each flow's top N, recorded (alerts/top-partitions.ts): a flow's replication consumers are its
      // source connector's, so choosing connectors keeps or drops a flow's ranking whole.
      worstLag: topk(recorded(TOP_SERIES_RECORDS.consumerLag, { ...flowMatcher, client_id: consumer.client_id })),
      readRate: `sum by (client_id) (rate(${metricSelector('consumerRecordsConsumedTotal', consumer)}[${RATE}]))`,
    },
    worstCheckpointLatency: topk(recorded(TOP_SERIES_RECORDS.checkpointLatencyMax, flowMatcher)),
    worker: {
      tasks: `sum by (instance) (${metricSelector('workerTaskCount', worker)})`,
      runningTasks: `sum by (instance, connector) (${metricSelector('workerConnectorRunningTaskCount', { ...worker, connector: re(chosenConnectors) })})`,
      rebalancesRecent: `sum by (instance) (increase(${metricSelector('rebalancesTotal', worker)}[${REBALANCE_WINDOW}]))`,
      rebalanceTime: `max by (instance) (${metricSelector('rebalanceAvgTimeMs', worker)})`,
      up: metricSelector('up', worker),
    },
    jvm: {
      heapUsed: `sum by (instance) (${metricSelector('jvmMemoryUsedBytes', heap)})`,
      heapMax: `sum by (instance) (${metricSelector('jvmMemoryMaxBytes', heap)})`,
      heapShare: `sum by (instance) (${metricSelector('jvmMemoryUsedBytes', heap)}) / sum by (instance) (${metricSelector('jvmMemoryMaxBytes', heap)})`,
      gcTime: `sum by (instance, gc) (rate(${metricSelector('jvmGcCollectionSecondsSum', worker)}[${RATE}]))`,
      gcRuns: `sum by (instance, gc) (rate(${metricSelector('jvmGcCollectionSecondsCount', worker)}[${RATE}]))`,
    },
  };
}

export type DetailedQueries = ReturnType<typeof detailedQueries>;

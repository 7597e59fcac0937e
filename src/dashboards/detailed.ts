import * as units from '@grafana/grafana-foundation-sdk/units';
import { RANKED_AMONG, TOP_RANKED, TOP_SERIES_RECORDS, type RankedMirrorGauge } from '../conventions/names.js';
import { METRICS, type MetricKey } from '../metrics/names.js';
import { FLOW_LABEL } from '../conventions/labels.js';
import type { Model } from '../model/model.js';
import { signal } from '../model/model.js';
import { remoteTopicMatchers, type Flow } from '../model/topology.js';
import { eq, quote, re, recorded, metricSelector } from '../promql/selector.js';
import { buildDashboard, dashboardShell } from './identity.js';
import { withRows, type Row } from './layout.js';
import { grafanaUnit } from '../conventions/units.js';
import { query, thresholdSteps, timeseriesPanel } from './panels.js';
import { clusterMatcher, clusterVariable, connectorVariable, datasourceVariable, FLOW_GATE, flowMatcher, flowVariable, instanceVariable, topicVariable, variableRef } from './variables.js';
import { VAR } from '../conventions/dashboards.js';

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

type MirrorGauge = RankedMirrorGauge;

type ProducerMetric = {
  [K in MetricKey]: K extends `producer${string}` ? K : never;
}[MetricKey];

function help(key: MetricKey): string {
  return METRICS[key].help;
}

function partitionRow(model: Model): Row {
  const job = eq(model.queryContext.job);
  // Per flow: its target alias, and the remote topics chosen in $topic (which lists only the chosen flows' topics).
  // `>= 0` drops the NaN of a partition with no record in the window. No `max by (topic, partition)`:
  // one worker exports a partition at a time (its task's metrics close when the task moves), and
  // grouping every partition at every step is several times slower than topk alone at 50k partitions.
  const mirror = (key: MirrorGauge) => (f: Flow) => `${metricSelector(key, { job, ...clusterMatcher, target: eq(f.target), topic: [re(variableRef(VAR.topic)), ...remoteTopicMatchers(f)] })} >= 0`;
  // With "All" topics ($topic is then ALL_TOPICS, which no topic matches), the recorded top N of
  // each flow (alerts/top-partitions.ts) answers and the raw branch reads nothing; with chosen
  // topics, the raw branch reads only their partitions and the recorded one nothing.
  const ranked = (key: MirrorGauge) =>
    topk(`${recorded(TOP_SERIES_RECORDS.mirror[key], { ...flowMatcher, [RANKED_AMONG]: re(variableRef(VAR.topic)) })} or ${topPerFlow(model, mirror(key))}`);
  const legend = '{{flow}} {{topic}}/{{partition}}';
  const latency = signal(model, 'replicationLatencyMax');
  const age = signal(model, 'recordAgeMax');
  return {
    number: 1,
    title: `Per partition (top ${TOP_SERIES})`,
    panels: (id) => [
      timeseriesPanel({
        id: id(1),
        title: `Replication latency max, top ${TOP_SERIES} partitions`,
        description: `${help('replicationLatencyMsMax')} Colours: the per-topic worst-partition alert thresholds.`,
        unit: grafanaUnit(latency.def.unit),
        steps: thresholdSteps(latency.def.direction, latency.tiers),
      }).withTarget(query(ranked('replicationLatencyMsMax'), legend)),
      timeseriesPanel({
        id: id(2),
        title: `Record age at read max, top ${TOP_SERIES} partitions`,
        description: `${help('recordAgeMsMax')} Colours: the per-topic worst-partition alert thresholds.`,
        unit: grafanaUnit(age.def.unit),
        steps: thresholdSteps(age.def.direction, age.tiers),
      }).withTarget(query(ranked('recordAgeMsMax'), legend)),
      timeseriesPanel({
        id: id(3),
        title: `Replication latency avg, top ${TOP_SERIES} partitions`,
        description: help('replicationLatencyMsAvg'),
        unit: units.Milliseconds,
      }).withTarget(query(ranked('replicationLatencyMsAvg'), legend)),
      timeseriesPanel({
        id: id(4),
        title: `Last record latency, top ${TOP_SERIES} partitions`,
        description: `${help('replicationLatencyMs')} A high flat line on an idle partition is an old value, not a current delay.`,
        unit: units.Milliseconds,
      }).withTarget(query(ranked('replicationLatencyMs'), legend)),
    ],
  };
}

function sourceTaskRow(model: Model): Row {
  const task = { job: eq(model.queryContext.job), ...clusterMatcher, connector: re(variableRef(VAR.connector)) };
  const legend = '{{connector}} task {{task}}';
  const active = signal(model, 'activeRecords');
  return {
    number: 2,
    title: 'Source tasks',
    panels: (id) => [
      timeseriesPanel({ id: id(1), title: 'Records polled from the source per second, per task', description: help('sourceRecordPollTotal'), unit: units.RecordsPerSecond })
        .withTarget(query(`sum by (connector, task) (rate(${metricSelector('sourceRecordPollTotal', task)}[${RATE}]))`, legend)),
      timeseriesPanel({ id: id(2), title: 'Records written to the target per second, per task', description: help('sourceRecordWriteTotal'), unit: units.RecordsPerSecond })
        .withTarget(query(`sum by (connector, task) (rate(${metricSelector('sourceRecordWriteTotal', task)}[${RATE}]))`, legend)),
      timeseriesPanel({
        id: id(3),
        title: 'In-flight records, per task',
        description: `${help('sourceRecordActiveCount')} The alert applies to the flow's sum (${active.def.title}).`,
        unit: units.Short,
      }).withTarget(query(`sum by (connector, task) (${metricSelector('sourceRecordActiveCount', task)})`, legend)),
      timeseriesPanel({ id: id(4), title: 'Poll batch time (avg), per task', description: help('pollBatchAvgTimeMs'), unit: units.Milliseconds })
        .withTarget(query(`max by (connector, task) (${metricSelector('pollBatchAvgTimeMs', task)})`, legend)),
    ],
  };
}

function producerRow(model: Model): Row {
  // Connect names each task's producer "connector-producer-<connector>-<task>".
  const producer = { job: eq(model.queryContext.job), ...clusterMatcher, client_id: re(`connector-producer-${variableRef(VAR.connector)}-[0-9]+`) };
  const legend = '{{client_id}}';
  const byClient = (key: ProducerMetric) => `sum by (client_id) (${metricSelector(key, producer)})`;
  const perSecond = (key: ProducerMetric) => `sum by (client_id) (rate(${metricSelector(key, producer)}[${RATE}]))`;
  return {
    number: 3,
    title: 'Producers (writes to the target)',
    panels: (id) => [
      timeseriesPanel({
        id: id(1),
        title: 'Producer buffer in use',
        description: `Share of buffer.memory holding records not yet sent: 1 - available / total. ${help('producerBufferAvailableBytes')} Near 100% the producer blocks and then drops sends (buffer exhausted).`,
        unit: units.PercentUnit,
      }).withTarget(query(`1 - ${byClient('producerBufferAvailableBytes')} / ${byClient('producerBufferTotalBytes')}`, legend)),
      timeseriesPanel({ id: id(2), title: 'Batch size (avg)', description: help('producerBatchSizeAvg'), unit: units.BytesSI })
        .withTarget(query(`max by (client_id) (${metricSelector('producerBatchSizeAvg', producer)})`, legend)),
      timeseriesPanel({ id: id(3), title: 'Record queue time (avg)', description: help('producerRecordQueueTimeAvg'), unit: units.Milliseconds })
        .withTarget(query(`max by (client_id) (${metricSelector('producerRecordQueueTimeAvg', producer)})`, legend)),
      timeseriesPanel({ id: id(4), title: 'Produce request latency (avg)', description: help('producerRequestLatencyAvg'), unit: units.Milliseconds })
        .withTarget(query(`max by (client_id) (${metricSelector('producerRequestLatencyAvg', producer)})`, legend)),
      timeseriesPanel({ id: id(5), title: 'Records sent per second', description: help('producerRecordSendTotal'), unit: units.RecordsPerSecond })
        .withTarget(query(perSecond('producerRecordSendTotal'), legend)),
      timeseriesPanel({
        id: id(6),
        title: 'Retries, errors and buffer exhaustion per second',
        description: `${help('producerRecordRetryTotal')} ${help('producerRecordErrorTotal')} ${help('producerBufferExhaustedTotal')}`,
        unit: units.Short,
      })
        .withTarget(query(perSecond('producerRecordRetryTotal'), `{{client_id}} retries`, 'A'))
        .withTarget(query(perSecond('producerRecordErrorTotal'), `{{client_id}} errors`, 'B'))
        .withTarget(query(perSecond('producerBufferExhaustedTotal'), `{{client_id}} buffer exhausted`, 'C')),
    ],
  };
}

function consumerRow(model: Model): Row {
  // MM2 names its replication consumers "<source>-><target>|<connector>-<task>|replication-consumer".
  const consumer = { job: eq(model.queryContext.job), ...clusterMatcher, client_id: re(`.*\\|${variableRef(VAR.connector)}-[0-9]+\\|replication-consumer`) };
  return {
    number: 4,
    title: 'Replication consumer (reads the source)',
    panels: (id) => [
      timeseriesPanel({ id: id(1), title: `Fetch lag, top ${TOP_SERIES} source partitions`, description: help('consumerRecordsLag'), unit: units.Short })
        // Each flow's top N, recorded (alerts/top-partitions.ts): a flow's replication consumers are its
        // source connector's, so choosing connectors keeps or drops a flow's ranking whole.
        .withTarget(query(topk(recorded(TOP_SERIES_RECORDS.consumerLag, { ...flowMatcher, client_id: consumer.client_id })), '{{topic}}/{{partition}} ({{client_id}})')),
      timeseriesPanel({ id: id(2), title: 'Records read from the source per second', description: help('consumerRecordsConsumedTotal'), unit: units.RecordsPerSecond })
        .withTarget(query(`sum by (client_id) (rate(${metricSelector('consumerRecordsConsumedTotal', consumer)}[${RATE}]))`, '{{client_id}}')),
    ],
  };
}

function checkpointRow(model: Model): Row {
  const cp = signal(model, 'checkpointLatencyMax');
  return {
    number: 5,
    title: 'Checkpoints (consumer group offsets)',
    panels: (id) => [
      timeseriesPanel({
        id: id(1),
        title: `Checkpoint latency max, top ${TOP_SERIES} groups`,
        description: help('checkpointLatencyMsMax'),
        unit: grafanaUnit(cp.def.unit),
        steps: thresholdSteps(cp.def.direction, cp.tiers),
      }).withTarget(query(topk(recorded(TOP_SERIES_RECORDS.checkpointLatencyMax, flowMatcher)), '{{flow}} {{group}}')),
    ],
  };
}

function workerRow(model: Model): Row {
  const worker = { job: eq(model.queryContext.job), ...clusterMatcher, instance: re(variableRef(VAR.instance)) };
  const rebalances = signal(model, 'rebalanceRate');
  return {
    number: 6,
    title: 'Connect workers',
    panels: (id) => [
      timeseriesPanel({ id: id(1), title: 'Tasks per worker', description: help('workerTaskCount'), unit: units.Short })
        .withTarget(query(`sum by (instance) (${metricSelector('workerTaskCount', worker)})`, '{{instance}}')),
      timeseriesPanel({ id: id(2), title: 'Running tasks per connector and worker', description: help('workerConnectorRunningTaskCount'), unit: units.Short })
        .withTarget(query(`sum by (instance, connector) (${metricSelector('workerConnectorRunningTaskCount', { ...worker, connector: re(variableRef(VAR.connector)) })})`, '{{instance}} {{connector}}')),
      timeseriesPanel({
        id: id(3),
        title: 'Rebalances in the last hour, per worker',
        description: `${help('rebalancesTotal')} The alert applies to the worker that saw the most.`,
        unit: grafanaUnit(rebalances.def.unit),
        steps: thresholdSteps(rebalances.def.direction, rebalances.tiers),
      }).withTarget(query(`sum by (instance) (increase(${metricSelector('rebalancesTotal', worker)}[1h]))`, '{{instance}}')),
      timeseriesPanel({ id: id(4), title: 'Rebalance duration (avg)', description: help('rebalanceAvgTimeMs'), unit: units.Milliseconds })
        .withTarget(query(`max by (instance) (${metricSelector('rebalanceAvgTimeMs', worker)})`, '{{instance}}')),
      timeseriesPanel({ id: id(5), title: 'Exporter scrape up', description: help('up'), unit: units.Short })
        .withTarget(query(metricSelector('up', worker), '{{instance}}')),
    ],
  };
}

function jvmRow(model: Model): Row {
  const worker = { job: eq(model.queryContext.job), ...clusterMatcher, instance: re(variableRef(VAR.instance)) };
  const heap = { ...worker, area: eq('heap') };
  return {
    number: 7,
    title: 'JVM of the workers',
    panels: (id) => [
      timeseriesPanel({ id: id(1), title: 'Heap used', description: help('jvmMemoryUsedBytes'), unit: units.BytesIEC })
        .withTarget(query(`sum by (instance) (${metricSelector('jvmMemoryUsedBytes', heap)})`, '{{instance}} used', 'A'))
        .withTarget(query(`sum by (instance) (${metricSelector('jvmMemoryMaxBytes', heap)})`, '{{instance}} max', 'B')),
      timeseriesPanel({ id: id(2), title: 'Heap used / max', description: `${help('jvmMemoryUsedBytes')} Divided by ${help('jvmMemoryMaxBytes')}`, unit: units.PercentUnit })
        .withTarget(query(`sum by (instance) (${metricSelector('jvmMemoryUsedBytes', heap)}) / sum by (instance) (${metricSelector('jvmMemoryMaxBytes', heap)})`, '{{instance}}')),
      timeseriesPanel({
        id: id(3),
        title: 'Time spent in GC',
        description: `${help('jvmGcCollectionSecondsSum')} Shown as the fraction of wall-clock time (seconds of GC per second).`,
        unit: units.PercentUnit,
      }).withTarget(query(`sum by (instance, gc) (rate(${metricSelector('jvmGcCollectionSecondsSum', worker)}[${RATE}]))`, '{{instance}} {{gc}}')),
      timeseriesPanel({ id: id(4), title: 'GC runs per second', description: help('jvmGcCollectionSecondsCount'), unit: units.Short })
        .withTarget(query(`sum by (instance, gc) (rate(${metricSelector('jvmGcCollectionSecondsCount', worker)}[${RATE}]))`, '{{instance}} {{gc}}')),
    ],
  };
}

export function buildDetailedDashboard(model: Model): object {
  const builder = dashboardShell(
    'detailed',
    'MirrorMaker 2 drill-down: per task, partition, producer, consumer group and worker. Open it from the replication dashboard to keep the chosen flow.',
  )
    .withVariable(datasourceVariable())
    .withVariable(clusterVariable())
    .withVariable(flowVariable())
    .withVariable(connectorVariable())
    .withVariable(topicVariable())
    .withVariable(instanceVariable(model));
  withRows(builder, [partitionRow(model), sourceTaskRow(model), producerRow(model), consumerRow(model), checkpointRow(model), workerRow(model), jvmRow(model)]);
  return buildDashboard(builder);
}

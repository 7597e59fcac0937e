// Synthetic exporter output for N replicated partitions, as OpenMetrics text for
// `promtool tsdb create-blocks-from openmetrics`. Series carry the names and labels of the
// label contract (src/metrics/names.ts, checked against the exporter rules by `npm run check`)
// and the target labels Prometheus adds; only the metrics the bundle's queries read are
// generated, since the others would cost backfill time and change nothing a query touches.
import { open } from 'node:fs/promises';
import { TARGET_LABELS } from '../../src/conventions/labels.js';
import { emulateExporter } from '../../src/emulation/exporter.js';
import { modelReadings } from '../../src/emulation/mbean-instances.js';
import type { ExporterConfig } from '../../src/metrics/jmx-exporter.js';
import { METRICS, type MetricDef, type MetricKey, NOT_FROM_MBEAN_RULES } from '../../src/metrics/names.js';
import type { Model } from '../../src/model/model.js';
import {
  type Connector,
  connectorsOf,
  consumerTopicTag,
  type Flow,
  producerClientId,
  remoteTopicName,
  replicationConsumerClientId,
  type Worker,
} from '../../src/model/topology.js';

type Labels = Readonly<Record<string, string | number>>;

const quote = (v: string | number) => JSON.stringify(String(v));

function prefix(name: string, labels: Labels): string {
  const body = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${quote(labels[k] ?? '')}`)
    .join(',');
  return `${name}{${body}} `;
}

/** A replicated partition: its topic on both clusters, the source task that copies it and that task's worker. */
interface Partition {
  readonly k: number;
  readonly topic: string;
  readonly remote: string;
  readonly partition: number;
  readonly task: number;
  readonly worker: number;
}

interface Task {
  readonly connector: Connector;
  readonly task: number;
  readonly worker: number;
}

interface Group {
  readonly index: number;
  readonly group: string;
  readonly topic: string;
}

export interface SyntheticCluster {
  readonly flow: Flow;
  readonly workers: readonly Worker[];
  readonly parts: readonly Partition[];
  readonly tasks: readonly Task[];
  readonly groups: readonly Group[];
  readonly partitionsPerTopic: number;
}

/** One synthetic series: its OpenMetrics line prefix and how its value moves. */
export interface SyntheticSeries {
  readonly name: string;
  /** Its own label names (without the target labels), sorted, comma-separated. */
  readonly labelNames: string;
  /** `name{labels} `, ready for a value and a timestamp. */
  readonly prefix: string;
  /** The worker whose exporter serves it (index into the model's workers). */
  readonly worker: number;
  /** `name{labels} ` without the target labels: the line as the worker's exporter serves it, ready for a value. */
  readonly served: string;
  readonly base: number;
  /** Increase per second (counters only; 0 for gauges). */
  readonly rate: number;
}

/** Steady values of the per-worker series that do not stay at 1 (as up and the worker counts do). */
const PER_WORKER_VALUES: Partial<Record<MetricKey, number>> = { scrapeDurationSeconds: 0.05, rebalancesTotal: 3, workerTaskStartupFailureTotal: 0 };

/**
 * The cluster behind the series: `partitions` partitions in topics of `partitionsPerTopic`,
 * spread over the source tasks of the first flow like Connect spreads them, tasks over workers
 * round-robin; one consumer group per `topicsPerGroup` topics, checkpointed on all partitions of
 * its first topic.
 */
export function syntheticCluster(
  model: Model,
  { partitions, partitionsPerTopic = 50, topicsPerGroup = 5 }: { partitions: number; partitionsPerTopic?: number; topicsPerGroup?: number },
): SyntheticCluster {
  const flow = model.flows[0];
  if (!flow) throw new Error('the benchmark needs a model with at least one flow');
  const workers = model.workers;
  const tasksMax = flow.connectors.source.tasksMax;
  const topics = Math.ceil(partitions / partitionsPerTopic);
  const parts: Partition[] = [];
  for (let k = 0; k < partitions; k++) {
    const topic = `topic-${String(Math.floor(k / partitionsPerTopic)).padStart(5, '0')}`;
    const task = k % tasksMax;
    parts.push({ k, topic, remote: remoteTopicName(flow, topic), partition: k % partitionsPerTopic, task, worker: task % workers.length });
  }
  const tasks: Task[] = [];
  let i = 0;
  for (const c of connectorsOf(flow)) for (let t = 0; t < c.tasksMax; t++) tasks.push({ connector: c, task: t, worker: i++ % workers.length });
  const groups: Group[] = [];
  for (let g = 0; g * topicsPerGroup < topics; g++)
    groups.push({ index: g, group: `group-${g}`, topic: parts[g * topicsPerGroup * partitionsPerTopic]!.topic });
  return { flow, workers, parts, tasks, groups, partitionsPerTopic };
}

/** One series per label set the exporter would produce for the metric, with how its value moves. */
export function seriesOf(model: Model, cluster: SyntheticCluster, key: MetricKey): SyntheticSeries[] {
  const def: MetricDef = METRICS[key];
  const { flow, workers, parts, tasks, groups, partitionsPerTopic } = cluster;
  const target = (w: number): Record<string, string> => ({ job: model.prometheus.job, instance: workers[w]!.instance, cluster: model.prometheus.cluster });
  const counter = def.type === 'counter';
  const out: SyntheticSeries[] = [];
  const add = (w: number, labels: Labels, base: number, rate: number) => {
    for (const l of TARGET_LABELS) if (!(l in target(w))) throw new Error(`target label ${l} unknown to the benchmark`);
    out.push({
      name: def.name,
      labelNames: Object.keys(labels).sort().join(','),
      prefix: prefix(def.name, { ...labels, ...target(w) }),
      worker: w,
      served: Object.keys(labels).length > 0 ? prefix(def.name, labels) : `${def.name} `,
      base,
      rate: counter ? rate : 0,
    });
  };
  const sig = def.labels.filter((l) => l !== 'source').join(',');
  switch (sig) {
    case 'target,topic,partition': // MirrorSourceConnector, Kafka 3.7 shape (no source tag)
      // Gauges differ by a hair per partition: top-N panels then rank them the same way every time (no ties).
      for (const p of parts) add(p.worker, { target: flow.target, topic: p.remote, partition: p.partition }, 20 + (p.k % 40) + p.k / 100_000, 40 + (p.k % 7));
      break;
    case 'target,group,topic,partition': {
      const checkpointTask = tasks.find((t) => t.connector.kind === 'checkpoint');
      if (!checkpointTask) throw new Error(`${def.name}: the flow has no checkpoint task`);
      for (const g of groups)
        for (let p = 0; p < partitionsPerTopic; p++)
          add(
            checkpointTask.worker,
            { source: flow.source, target: flow.target, group: g.group, topic: remoteTopicName(flow, g.topic), partition: p },
            12 + g.index / 1000,
            0,
          );
      break;
    }
    case 'client_id,topic,partition':
      for (const p of parts)
        add(
          p.worker,
          { client_id: replicationConsumerClientId(flow, p.task), topic: consumerTopicTag(p.topic), partition: p.partition },
          3 + (p.k % 9) + p.k / 100_000,
          0,
        );
      break;
    case 'connector,task':
      for (const t of tasks) add(t.worker, { connector: t.connector.name, task: t.task }, 50, 300);
      break;
    case 'connector,task,status':
      for (const t of tasks) add(t.worker, { connector: t.connector.name, task: t.task, status: 'running' }, 1, 0);
      break;
    case 'connector,status':
      for (const [n, c] of connectorsOf(flow).entries()) add(n % workers.length, { connector: c.name, status: 'running' }, 1, 0);
      break;
    case 'connector': // per worker, for the connectors it runs tasks of
      for (const t of new Map(tasks.map((t) => [`${t.worker}\t${t.connector.name}`, t])).values()) add(t.worker, { connector: t.connector.name }, 2, 0);
      break;
    case 'client_id':
      if (def.name.startsWith('kafka_consumer_')) {
        for (const t of tasks) if (t.connector.kind === 'source') add(t.worker, { client_id: replicationConsumerClientId(flow, t.task) }, 10, 300);
      } else {
        for (const t of tasks) add(t.worker, { client_id: producerClientId(t.connector, t.task) }, 0, 0);
      }
      break;
    case 'area':
      for (const w of workers.keys()) for (const area of ['heap', 'nonheap']) add(w, { area }, area === 'heap' ? 2_000_000_000 : 150_000_000, 0);
      break;
    case 'gc':
      for (const w of workers.keys()) for (const gc of ['G1 Young Generation', 'G1 Old Generation']) add(w, { gc }, 0, 0.01);
      break;
    case '': // per worker: up, worker counts, rebalances (a steady cluster: no rebalance, no failed start)
      for (const w of workers.keys()) add(w, {}, PER_WORKER_VALUES[key] ?? 1, 0);
      break;
    default:
      throw new Error(`the benchmark does not know how to spread ${def.name} {${sig}}: add it to seriesOf`);
  }
  // Duplicates would mean two label sets collapsed: the spread above is wrong.
  const seen = new Set(out.map((s) => s.prefix));
  if (seen.size !== out.length) throw new Error(`${def.name}: duplicate series in the synthetic spread`);
  return out;
}

/**
 * Fails unless every synthetic series has a name and label names that the generated exporter
 * configuration produces, per the exporter emulator, from the model's MBeans (Kafka 3.7 shape).
 */
export function assertShapedLikeExporter(model: Model, exporterConfig: ExporterConfig, series: readonly SyntheticSeries[]): void {
  const produced = new Set(emulateExporter(exporterConfig, modelReadings(model, '3.7')).map((s) => `${s.name}{${Object.keys(s.labels).sort().join(',')}}`));
  const builtin = new Set(NOT_FROM_MBEAN_RULES.map((k) => METRICS[k].name));
  const wrong = [...new Set(series.filter((s) => !builtin.has(s.name)).map((s) => `${s.name}{${s.labelNames}}`))].filter((k) => !produced.has(k));
  if (wrong.length) throw new Error(`synthetic series the exporter would not produce: ${wrong.join(', ')}`);
}

/**
 * Writes the samples of `series` in [fromSec, toSec) every `stepSec` as OpenMetrics text (no
 * metadata lines: promtool does not need them), series by series. Counters count from `originSec`,
 * so that files of consecutive windows continue each other.
 */
export async function writeOpenMetrics(
  file: string,
  series: readonly Pick<SyntheticSeries, 'prefix' | 'base' | 'rate'>[],
  { fromSec, toSec, stepSec, originSec }: { fromSec: number; toSec: number; stepSec: number; originSec: number },
): Promise<number> {
  const fh = await open(file, 'w');
  let buf = '';
  let samples = 0;
  try {
    for (const s of series) {
      for (let t = fromSec; t < toSec; t += stepSec) {
        const v = s.rate === 0 ? s.base : Math.floor(s.base + s.rate * (t - originSec));
        buf += `${s.prefix}${v} ${t}\n`;
        samples++;
      }
      if (buf.length > 4 << 20) {
        await fh.write(buf);
        buf = '';
      }
    }
    buf += '# EOF\n';
    await fh.write(buf);
  } finally {
    await fh.close();
  }
  return samples;
}

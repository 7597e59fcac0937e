import type { MBeanReading } from '../../src/emulation/exporter.js';
import { type CatalogMBean, MBEAN_CATALOG } from '../../src/metrics/mbean-catalog.js';
import type { Model } from '../../src/model/model.js';
import {
  type Connector,
  connectorsOf,
  connectWorkerClientId,
  consumerTopicTag,
  type Flow,
  jmxSanitize,
  producerClientId,
  remoteHeartbeatsTopic,
  remoteTopicName,
  replicationConsumerClientId,
} from '../../src/model/topology.js';

/**
 * The MBeans an MM2-on-Connect cluster registers, worker by worker, with values that move like
 * the real ones: counters grow with the time since start, latencies sit in the tens of ms,
 * tasks are spread over the workers round-robin as Connect assigns them (two source tasks per
 * worker for the tuning guide's 6 tasks and 3 workers, checkpoint and heartbeat tasks on different
 * workers). The MBean shapes and attribute lists come from the catalog; the exporter rules,
 * applied by the emulator, turn the readings into series.
 *
 * Faults change the cluster the way Connect would: a failed task keeps its status MBean
 * (status "failed") and loses its task, partition, consumer and producer metrics; a stalled
 * flow stops writing while its source keeps growing (lag grows, windowed stats go NaN).
 */

export interface ClusterShape {
  /** Source topics replicated by every flow (besides the heartbeats topic). */
  readonly topics: readonly string[];
  readonly partitionsPerTopic: number;
  /** Consumer groups whose offsets the checkpoint connector syncs, each on one source topic. */
  readonly groups: readonly { readonly group: string; readonly topic: string }[];
}

export const DEFAULT_SHAPE: ClusterShape = {
  topics: ['orders', 'payments', 'customer.events'],
  partitionsPerTopic: 4,
  groups: [
    { group: 'billing', topic: 'orders' },
    { group: 'audit', topic: 'payments' },
  ],
};

interface Task {
  readonly flow: Flow;
  readonly connector: Connector;
  readonly task: number;
  readonly worker: number;
}

interface Partition {
  readonly flow: Flow;
  /** Topic name on the source cluster. */
  readonly topic: string;
  /** Name on the target (what MirrorSourceConnector metrics carry). */
  readonly remoteTopic: string;
  readonly partition: number;
  /** Index of the source task that replicates it. */
  readonly task: number;
  /** Records per second produced on the source and replicated while healthy. */
  readonly rate: number;
  /** A small per-partition offset so that series differ. */
  readonly seed: number;
}

const BYTES_PER_RECORD = 850;
const CONNECTOR_CLASS = {
  source: 'org.apache.kafka.connect.mirror.MirrorSourceConnector',
  checkpoint: 'org.apache.kafka.connect.mirror.MirrorCheckpointConnector',
  heartbeat: 'org.apache.kafka.connect.mirror.MirrorHeartbeatConnector',
} as const;

export class SimulatedConnectCluster {
  private readonly start: number;
  private readonly tasks: Task[] = [];
  private readonly connectorWorker = new Map<string, number>();
  private readonly partitions: Partition[] = [];
  private readonly failed = new Set<string>();
  private readonly stalledAt = new Map<string, number>();

  constructor(
    private readonly model: Model,
    private readonly shape: ClusterShape = DEFAULT_SHAPE,
    private readonly now: () => number = Date.now,
  ) {
    this.start = now();
    const workers = model.workers.length;
    // Connect's assignors spread connectors and tasks round-robin over the workers.
    let c = 0;
    let t = 0;
    for (const flow of model.flows) {
      for (const connector of connectorsOf(flow)) {
        this.connectorWorker.set(connector.name, c++ % workers);
        for (let task = 0; task < connector.tasksMax; task++) this.tasks.push({ flow, connector, task, worker: t++ % workers });
      }
      const topics = [
        ...shape.topics.map((name) => ({ name, remote: remoteTopicName(flow, name), partitions: shape.partitionsPerTopic })),
        // MM2 also replicates the source's heartbeats topic, whatever the topic filter.
        { name: 'heartbeats', remote: remoteHeartbeatsTopic(flow), partitions: 1 },
      ];
      let k = 0;
      for (const topic of topics) {
        for (let p = 0; p < topic.partitions; p++, k++) {
          this.partitions.push({
            flow,
            topic: topic.name,
            remoteTopic: topic.remote,
            partition: p,
            task: k % flow.connectors.source.tasksMax,
            rate: topic.name === 'heartbeats' ? 1 : 40 + 7 * (k % 5),
            seed: k,
          });
        }
      }
    }
  }

  /** Seconds since the cluster started, the clock of every counter. */
  private elapsed(): number {
    return (this.now() - this.start) / 1000;
  }

  failTask(connector: string, task: number): void {
    if (!this.tasks.some((t) => t.connector.name === connector && t.task === task)) throw new Error(`no task ${connector}-${task}`);
    this.failed.add(`${connector}/${task}`);
  }

  /** The flow stops writing to the target (e.g. the target refuses writes) while its source keeps receiving records. */
  stallReplication(flowId: string): void {
    this.stalledAt.set(flowId, this.elapsed());
  }

  /** Worker (index into model.workers) hosting a task: fault injection picks tasks on workers it keeps up. */
  workerOf(connector: string, task: number): number {
    const t = this.tasks.find((x) => x.connector.name === connector && x.task === task);
    if (!t) throw new Error(`no task ${connector}-${task}`);
    return t.worker;
  }

  private isRunning(t: Task): boolean {
    return !this.failed.has(`${t.connector.name}/${t.task}`);
  }

  /** Seconds of replication done so far: the clock stops when the flow stalls. */
  private replicatedFor(flow: Flow): number {
    return Math.min(this.elapsed(), this.stalledAt.get(flow.id) ?? Infinity);
  }

  private stalled(flow: Flow): boolean {
    return this.stalledAt.has(flow.id);
  }

  private records(p: Partition): number {
    return 100_000 + p.seed * 1000 + Math.floor(p.rate * this.replicatedFor(p.flow));
  }

  private latency(p: Partition): number {
    return 22 + 4 * (p.seed % 5) + 3 * Math.sin(this.elapsed() / 7 + p.seed);
  }

  private age(p: Partition): number {
    return 9 + 2 * (p.seed % 3) + Math.sin(this.elapsed() / 5 + p.seed);
  }

  private lag(p: Partition): number {
    const base = 2 + (p.seed % 5);
    const since = this.stalledAt.get(p.flow.id);
    return since === undefined ? base : base + Math.floor(p.rate * (this.elapsed() - since));
  }

  private partitionsOf(t: Task): Partition[] {
    return t.connector.kind === 'source' ? this.partitions.filter((p) => p.flow === t.flow && p.task === t.task) : [];
  }

  /** Records the task wrote to the target: partition counters for source tasks, one per second for heartbeats. */
  private written(t: Task): number {
    if (t.connector.kind === 'source') return this.partitionsOf(t).reduce((sum, p) => sum + this.records(p), 0);
    const perSecond = t.connector.kind === 'heartbeat' ? 1 : 0.5;
    return 1000 + Math.floor(perSecond * this.elapsed());
  }

  private inFlight(t: Task): number {
    return t.connector.kind === 'source' ? 40 + 10 * t.task : 0;
  }

  /** Every MBean instance on a worker, with the values of its attributes (undefined: use the generic default). */
  private instances(worker: number): { entry: CatalogMBean; props: Record<string, string>; value: (attr: string) => number | string | undefined }[] {
    const out: ReturnType<SimulatedConnectCluster['instances']> = [];
    const onWorker = this.tasks.filter((t) => t.worker === worker);
    const running = onWorker.filter((t) => this.isRunning(t));
    const host = this.model.workers[worker]!.host;
    for (const entry of MBEAN_CATALOG) {
      const key = `${entry.domain}:${entry.typeValue}:${entry.keyProperties.join(',')}`;
      const add = (props: Record<string, string>, value: (attr: string) => number | string | undefined) => out.push({ entry, props, value });
      switch (key) {
        case 'kafka.connect.mirror:MirrorSourceConnector:type,target,topic,partition':
          for (const t of running)
            for (const p of this.partitionsOf(t)) {
              const nan = this.stalled(p.flow);
              const lat = this.latency(p);
              const age = this.age(p);
              add({ target: p.flow.target, topic: p.remoteTopic, partition: String(p.partition) }, (a) => {
                switch (a) {
                  case 'record-count':
                    return this.records(p);
                  case 'byte-count':
                    return this.records(p) * BYTES_PER_RECORD;
                  case 'record-rate':
                    return nan ? 0 : p.rate;
                  case 'byte-rate':
                    return nan ? 0 : p.rate * BYTES_PER_RECORD;
                  case 'replication-latency-ms':
                    return lat;
                  case 'replication-latency-ms-max':
                    return nan ? NaN : lat * 1.6;
                  case 'replication-latency-ms-min':
                    return nan ? NaN : lat * 0.6;
                  case 'replication-latency-ms-avg':
                    return nan ? NaN : lat;
                  case 'record-age-ms':
                    return age;
                  case 'record-age-ms-max':
                    return nan ? NaN : age * 1.8;
                  case 'record-age-ms-min':
                    return nan ? NaN : age * 0.5;
                  case 'record-age-ms-avg':
                    return nan ? NaN : age;
                  default:
                    return undefined;
                }
              });
            }
          break;
        case 'kafka.connect.mirror:MirrorCheckpointConnector:type,source,target,group,topic,partition':
          for (const t of running.filter((x) => x.connector.kind === 'checkpoint'))
            for (const g of this.shape.groups)
              for (let p = 0; p < this.shape.partitionsPerTopic; p++) {
                // Kafka shares one sensor per task: every group and partition shows the same value.
                const latency = 8 + Math.sin(this.elapsed() / 9);
                add({ source: t.flow.source, target: t.flow.target, group: g.group, topic: remoteTopicName(t.flow, g.topic), partition: String(p) }, (a) =>
                  a === 'checkpoint-latency-ms-max' ? latency * 1.5 : a === 'checkpoint-latency-ms-min' ? latency * 0.5 : latency,
                );
              }
          break;
        case 'kafka.connect:connect-worker-metrics:type':
          add({}, (a) => {
            if (a === 'connector-count') return [...this.connectorWorker.values()].filter((w) => w === worker).length;
            if (a === 'task-count') return running.length;
            if (a.startsWith('task-startup-') || a.startsWith('connector-startup-')) {
              if (a.endsWith('success-percentage')) return 1;
              if (a.endsWith('failure-percentage') || a.endsWith('failure-total')) return 0;
              return a.startsWith('task-') ? onWorker.length : 1;
            }
            return undefined;
          });
          break;
        case 'kafka.connect:connect-worker-metrics:type,connector':
          for (const name of [...new Set(onWorker.map((t) => t.connector.name))]) {
            const mine = onWorker.filter((t) => t.connector.name === name);
            const ok = mine.filter((t) => this.isRunning(t)).length;
            add({ connector: jmxSanitize(name) }, (a) => {
              switch (a) {
                case 'connector-total-task-count':
                  return mine.length;
                case 'connector-running-task-count':
                  return ok;
                case 'connector-failed-task-count':
                  return mine.length - ok;
                default:
                  return 0;
              }
            });
          }
          break;
        case 'kafka.connect:connect-worker-rebalance-metrics:type':
          add({}, (a) => {
            switch (a) {
              case 'connect-protocol':
                return 'sessioned';
              case 'leader-name':
                return `http://${this.model.workers[0]!.host}:8083/`;
              case 'epoch':
              case 'completed-rebalances-total':
                return 3;
              case 'rebalancing':
                return 0;
              case 'rebalance-max-time-ms':
                return 180;
              case 'rebalance-avg-time-ms':
                return 95;
              case 'time-since-last-rebalance-ms':
                return 600_000 + 1000 * this.elapsed();
              default:
                return undefined;
            }
          });
          break;
        case 'kafka.connect:connector-metrics:type,connector':
          for (const flow of this.model.flows)
            for (const connector of connectorsOf(flow)) {
              if (this.connectorWorker.get(connector.name) !== worker) continue;
              add({ connector: jmxSanitize(connector.name) }, (a) => {
                switch (a) {
                  case 'status':
                    return 'running';
                  case 'connector-type':
                    return 'source';
                  case 'connector-class':
                    return CONNECTOR_CLASS[connector.kind];
                  case 'connector-version':
                    return '3.7.1';
                  default:
                    return undefined;
                }
              });
            }
          break;
        case 'kafka.connect:connector-task-metrics:type,connector,task':
          for (const t of onWorker) {
            const up = this.isRunning(t);
            add({ connector: jmxSanitize(t.connector.name), task: String(t.task) }, (a) => {
              switch (a) {
                case 'status':
                  return up ? 'running' : 'failed';
                case 'running-ratio':
                  return up ? 1 : 0;
                case 'offset-commit-success-percentage':
                  return 1;
                case 'offset-commit-max-time-ms':
                  return 6;
                case 'offset-commit-avg-time-ms':
                  return 2;
                case 'batch-size-max':
                  return 500;
                case 'batch-size-avg':
                  return 120;
                default:
                  return 0;
              }
            });
          }
          break;
        case 'kafka.connect:source-task-metrics:type,connector,task':
          for (const t of running) {
            const stalled = this.stalled(t.flow);
            const written = this.written(t);
            const active = this.inFlight(t);
            const rate = t.connector.kind === 'source' ? this.partitionsOf(t).reduce((s, p) => s + p.rate, 0) : 1;
            add({ connector: jmxSanitize(t.connector.name), task: String(t.task) }, (a) => {
              switch (a) {
                case 'source-record-poll-total':
                  return written + active;
                case 'source-record-write-total':
                  return written;
                case 'source-record-poll-rate':
                case 'source-record-write-rate':
                  return stalled ? 0 : rate;
                case 'poll-batch-max-time-ms':
                  return 18;
                case 'poll-batch-avg-time-ms':
                  return 6;
                case 'source-record-active-count':
                case 'source-record-active-count-avg':
                  return active;
                case 'source-record-active-count-max':
                  return active * 2;
                default:
                  return undefined;
              }
            });
          }
          break;
        case 'kafka.connect:task-error-metrics:type,connector,task':
          for (const t of running) add({ connector: jmxSanitize(t.connector.name), task: String(t.task) }, () => 0);
          break;
        case 'kafka.connect:connect-coordinator-metrics:type,client-id':
          add({ 'client-id': jmxSanitize(connectWorkerClientId(host)) }, (a) =>
            a === 'assigned-tasks'
              ? onWorker.length
              : a === 'assigned-connectors'
                ? [...this.connectorWorker.values()].filter((w) => w === worker).length
                : undefined,
          );
          break;
        case 'kafka.producer:producer-metrics:type,client-id':
          for (const t of running) {
            const sent = this.written(t);
            add({ 'client-id': jmxSanitize(producerClientId(t.connector, t.task)) }, (a) => {
              switch (a) {
                case 'record-send-total':
                  return sent;
                case 'record-error-total':
                case 'record-retry-total':
                case 'buffer-exhausted-total':
                  return 0;
                case 'buffer-total-bytes':
                  return 33_554_432;
                case 'buffer-available-bytes':
                  return 33_554_432 - 120_000;
                case 'batch-size-avg':
                  return 15_800;
                case 'batch-size-max':
                  return 16_384;
                case 'record-queue-time-avg':
                  return 2.5;
                case 'record-queue-time-max':
                  return 9;
                case 'request-latency-avg':
                  return 4.2;
                case 'request-latency-max':
                  return 21;
                default:
                  return undefined;
              }
            });
          }
          break;
        case 'kafka.producer:producer-topic-metrics:type,client-id,topic':
          for (const t of running) {
            const topics =
              t.connector.kind === 'source'
                ? [...new Set(this.partitionsOf(t).map((p) => p.remoteTopic))]
                : t.connector.kind === 'heartbeat'
                  ? ['heartbeats']
                  : [`${t.flow.source}.checkpoints.internal`];
            for (const topic of topics) add({ 'client-id': jmxSanitize(producerClientId(t.connector, t.task)), topic }, () => undefined);
          }
          break;
        case 'kafka.consumer:consumer-fetch-manager-metrics:type,client-id':
          for (const t of running.filter((x) => x.connector.kind === 'source')) {
            const parts = this.partitionsOf(t);
            add({ 'client-id': jmxSanitize(replicationConsumerClientId(t.flow, t.task)) }, (a) =>
              a === 'records-lag-max'
                ? Math.max(...parts.map((p) => this.lag(p)))
                : a === 'records-consumed-total'
                  ? parts.reduce((s, p) => s + this.records(p), 0)
                  : undefined,
            );
          }
          break;
        case 'kafka.consumer:consumer-fetch-manager-metrics:type,client-id,topic':
          for (const t of running.filter((x) => x.connector.kind === 'source'))
            for (const topic of [...new Set(this.partitionsOf(t).map((p) => p.topic))])
              add({ 'client-id': jmxSanitize(replicationConsumerClientId(t.flow, t.task)), topic: consumerTopicTag(topic) }, () => undefined);
          break;
        case 'kafka.consumer:consumer-fetch-manager-metrics:type,client-id,topic,partition':
          for (const t of running.filter((x) => x.connector.kind === 'source'))
            for (const p of this.partitionsOf(t)) {
              const lag = this.lag(p);
              add(
                { 'client-id': jmxSanitize(replicationConsumerClientId(t.flow, t.task)), topic: consumerTopicTag(p.topic), partition: String(p.partition) },
                (a) => (a.startsWith('records-lag') ? lag : a === 'preferred-read-replica' ? -1 : undefined),
              );
            }
          break;
        default:
          throw new Error(`the simulated cluster does not know where ${key} lives: add it to SimulatedConnectCluster`);
      }
    }
    return out;
  }

  /** What the JMX exporter on a worker reads: every attribute of every MBean there. */
  readings(worker: number): MBeanReading[] {
    const t = this.elapsed();
    return this.instances(worker).flatMap(({ entry, props, value }) =>
      entry.attributes.map((attr) => {
        const properties = entry.keyProperties.map((k) => [k, k === 'type' ? entry.typeValue : props[k]] as const);
        const missing = properties.find(([, v]) => v === undefined);
        if (missing) throw new Error(`${entry.typeValue}: no value for property ${missing[0]}`);
        // Attributes without a simulated value: counters tick, gauges sit at a small constant.
        const v = value(attr.name) ?? (attr.kind === 'counter' ? Math.floor(t) : attr.kind === 'string' ? 'unknown' : 1);
        return { domain: entry.domain, properties: properties as [string, string][], attribute: attr.name, value: v };
      }),
    );
  }
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { freePort, type PrometheusServer, startPrometheus } from '../../bench/lib/prometheus.js';
import { bootstrapPlaceholder, connectorFilePath, heartbeatEmitterName, heartbeatEmitters } from '../../src/builders/connect/connectors.js';
import { buildBundle } from '../../src/bundle/bundle.js';
import { ALERT_FILES, SCRAPE_FILES } from '../../src/documents/paths.js';
import { METRICS } from '../../src/metrics/names.js';
import { REPORTER_CLASS } from '../../src/metrics/strimzi-reporter.js';
import { DEFAULT_CONFIG } from '../../src/model/defaults.js';
import { loadModel } from '../../src/model/load.js';
import type { Model } from '../../src/model/model.js';
import { type Connector, connectorsOf, type Flow, remoteTopicName } from '../../src/model/topology.js';
import type { GeneratedFile } from '../../src/reader/read.js';
import { prometheusSetup } from '../e2e/prometheus-setup.js';
import { type AlertmanagerServer, startAlertmanager } from './alertmanager.js';
import { type ConnectorStatus, ConnectRest } from './connect-rest.js';
import { ConnectWorker } from './connect-worker.js';
import { scrape } from './exposition-parse.js';
import type { Scope } from './faults.js';
import { isolatedReporter, JAVA_SOURCES, JavaProcess, type KafkaVersion, kafkaClasspath, type ReporterLoading, reporterOnClasspath } from './java-process.js';
import { KafkaBroker } from './kafka-broker.js';
import { loggingFlags } from './logging.js';
import { WebhookSink } from './webhook.js';

/**
 * The real MM2 stack on 127.0.0.1, from the generated bundle: the Kafka clusters of the model's
 * flows, Connect workers with the JMX exporter agent running the generated exporter
 * configuration, every flow's three connectors and the heartbeat emitters deployed from the
 * generated connect/*.json, business traffic on every source cluster, and (optionally)
 * Prometheus with the generated scrape config and rule files and Alertmanager with the
 * generated routing, its receivers' webhooks pointed at a sink inside the test.
 *
 * The model is the defaults with only what a deployment must change: the workers' addresses
 * (127.0.0.1 and the test's ports), where the rule files are mounted, and the flows when a
 * suite runs more than the default one. Every interval, threshold and `for` is the model's own,
 * so measured detection times are the promise's.
 *
 * The Connect cluster is attached to the first flow's target, as in the tuning guide: its
 * internal topics and its group live there.
 */

/** The business traffic a source cluster carries: several topics, many partitions, one with a dot; a consumer group; records per second. */
export interface ClusterTraffic {
  readonly topics: Readonly<Record<string, number>>;
  readonly group: string;
  readonly rate: number;
}

export const TRAFFIC: Readonly<Record<string, ClusterTraffic>> = {
  nemo: { topics: { orders: 12, payments: 12, 'audit.events': 6 }, group: 'billing', rate: 200 },
  // The reverse flow's: lighter, the two flows share the 2 cores.
  applicatif: { topics: { refunds: 6, 'ledger.entries': 3 }, group: 'settlement', rate: 50 },
};

/**
 * The reverse of the tuning guide's flow, run by the same Connect cluster: `applicatif`'s records
 * mirrored into `nemo`. Fewer source tasks than the guide's flow: the two flows share 2 cores.
 */
export const REVERSE_FLOW = { source: 'applicatif', target: 'nemo', connectors: { source: { tasksMax: 2 } } } as const;

/**
 * What the suite changes in the generated connector configurations: the single-node clusters
 * cannot hold 3 replicas, and shorter refresh intervals let a new topic or group show in
 * seconds rather than a minute. The guide's producer buffer (64 MiB per task) is kept.
 */
const SINGLE_NODE_OVERLAY: Readonly<Record<string, string>> = {
  'replication.factor': '1',
  'offset-syncs.topic.replication.factor': '1',
  'checkpoints.topic.replication.factor': '1',
  'heartbeats.topic.replication.factor': '1',
  'refresh.topics.interval.seconds': '10',
  'refresh.groups.interval.seconds': '10',
};

export interface StackOptions {
  readonly version: KafkaVersion;
  readonly workers: number;
  readonly dir: string;
  /** Prometheus, Alertmanager and the webhook sink. */
  readonly monitoring: boolean;
  /** Extra JVM flags of the Connect workers (the benchmark's heap and JIT). */
  readonly workerJvmArgs?: readonly string[];
  /** Flows run beside the default one, as an override file's `flows` entries (e.g. REVERSE_FLOW). */
  readonly extraFlows?: readonly unknown[];
  /** Settings of the override file besides the stack's addresses (flows, connector names, connect): the first flow's clusters are started. */
  readonly override?: Readonly<Record<string, unknown>>;
  /** Extra JVM flags of the two brokers (the benchmark's heap). */
  readonly brokerJvmArgs?: readonly string[];
  /** False: the workers run without the JMX exporter agent. */
  readonly agent?: boolean;
  /** The workers also run the Strimzi Metrics Reporter: its worker properties, for the listener port each worker gets. */
  readonly reporter?: (listenerPort: number) => Readonly<Record<string, string>>;
  /**
   * How the reporter is loaded: in a class loader of its own (the default beside the agent), or
   * from the workers' class path as a deployment without the agent loads it.
   */
  readonly reporterLoading?: 'isolated' | 'classpath';
  /** Settings added to a connector's generated configuration when deployed (the reporter's, from the bundle built for it). */
  readonly connectorSettings?: (name: string) => Readonly<Record<string, string>>;
}

/** How the stack's workers load the Strimzi Metrics Reporter, and the generated settings rewritten to name the class they load. */
export class ReporterInStack {
  constructor(readonly loading: ReporterLoading) {}

  /** The generated settings as the stack runs them: the class it loads, and the listener on 127.0.0.1 (`http://:port` listens on every interface). */
  settings(generated: Readonly<Record<string, string>>): Record<string, string> {
    return Object.fromEntries(
      Object.entries(generated).map(([k, v]) => [k, v === REPORTER_CLASS ? this.loading.className : v.replace(/^http:\/\/:(\d+)$/, 'http://127.0.0.1:$1')]),
    );
  }
}

/** The override file's settings the stack runs, besides its addresses: the options' override, with the extra flows after its own (or the default) flows. */
export function stackOverride(options: Pick<StackOptions, 'override' | 'extraFlows'>): Record<string, unknown> {
  if (!options.extraFlows) return { ...options.override };
  const flows = (options.override?.['flows'] as readonly unknown[] | undefined) ?? DEFAULT_CONFIG.flows;
  return { ...options.override, flows: [...flows, ...options.extraFlows] };
}

export class RealStack {
  readonly rest: ConnectRest;
  /** The traffic JVM of each source cluster: `send` changes its rate or throttles the cluster's consumers. */
  readonly traffic = new Map<string, JavaProcess>();
  /** Connectors deployed and not deleted since: the ones expected to run. */
  readonly deployed = new Set<string>();
  prometheus: PrometheusServer | undefined;
  alertmanager: AlertmanagerServer | undefined;
  webhook: WebhookSink | undefined;

  private constructor(
    readonly options: StackOptions,
    readonly model: Model,
    readonly files: readonly GeneratedFile[],
    readonly clusters: ReadonlyMap<string, KafkaBroker>,
    readonly workers: readonly ConnectWorker[],
    private readonly alertmanagerPort: number,
    /** Where the workers run the Strimzi Metrics Reporter. */
    readonly reporter?: ReporterInStack,
  ) {
    this.rest = new ConnectRest(() => this.workers.filter((w) => w.running).map((w) => w.restUrl));
  }

  /** The first flow: the tuning guide's `nemo -> applicatif`. */
  get flow(): Flow {
    return this.model.flows[0]!;
  }

  flowById(id: string): Flow {
    const f = this.model.flows.find((x) => x.id === id);
    if (!f) throw new Error(`the model has no flow ${id}`);
    return f;
  }

  cluster(alias: string): KafkaBroker {
    const c = this.clusters.get(alias);
    if (!c) throw new Error(`the stack has no Kafka cluster ${alias}`);
    return c;
  }

  /** The first flow's source cluster. */
  get source(): KafkaBroker {
    return this.cluster(this.flow.source);
  }

  /** The first flow's target: the Kafka cluster the Connect workers are attached to. */
  get target(): KafkaBroker {
    return this.cluster(this.flow.target);
  }

  get workerCluster(): KafkaBroker {
    return this.target;
  }

  trafficOf(alias: string): JavaProcess {
    const t = this.traffic.get(alias);
    if (!t) throw new Error(`no traffic runs on ${alias}`);
    return t;
  }

  file(path: string): string {
    const f = this.files.find((x) => x.path === path);
    if (!f) throw new Error(`the bundle has no ${path}`);
    return f.content;
  }

  /** Builds the bundle for the stack's ports and writes what each component reads. */
  static async create(options: StackOptions): Promise<RealStack> {
    const { dir } = options;
    mkdirSync(dir, { recursive: true });
    const workerPorts = [];
    for (let i = 0; i < options.workers; i++)
      workerPorts.push({
        rest: await freePort(),
        exporter: await freePort(),
        jmx: await freePort(),
        ...(options.reporter ? { reporter: await freePort() } : {}),
      });
    const alertmanagerPort = await freePort();
    const model = loadModel(
      {
        ...stackOverride(options),
        workers: workerPorts.map((p) => ({ host: '127.0.0.1', port: p.exporter })),
        prometheus: {
          ruleFilesDir: join(dir, 'rules'),
          fileSdPath: join(dir, 'file_sd', 'mm2-connect.json'),
          alertmanagers: [`127.0.0.1:${alertmanagerPort}`],
        },
      },
      'real-stack override',
    );
    const files = [...buildBundle(model)].map(([path, content]) => ({ path, content }));
    const clusters = new Map<string, KafkaBroker>();
    for (const alias of model.flows.flatMap((f) => [f.source, f.target]))
      if (!clusters.has(alias))
        clusters.set(alias, new KafkaBroker(alias, options.version, await freePort(), await freePort(), join(dir, alias), options.brokerJvmArgs));
    const exporterConfig = join(dir, 'jmx-exporter.yaml');
    writeFileSync(exporterConfig, files.find((f) => f.path === SCRAPE_FILES.exporter)!.content);
    // Beside the agent, the reporter runs in a class loader of its own (java/IsolatedMetricsReporter.java).
    const reporter = options.reporter
      ? new ReporterInStack(
          (options.reporterLoading ?? ((options.agent ?? true) ? 'isolated' : 'classpath')) === 'isolated'
            ? await isolatedReporter(options.version, join(dir, 'reporter-classes'))
            : reporterOnClasspath(REPORTER_CLASS),
        )
      : undefined;
    const attached = clusters.get(model.flows[0]!.target)!;
    const workers = workerPorts.map(
      (ports, i) =>
        new ConnectWorker(i, options.version, ports, attached.bootstrap, exporterConfig, join(dir, `worker-${i + 1}`), options.workerJvmArgs, {
          agent: options.agent ?? true,
          ...(reporter && ports.reporter !== undefined
            ? { reporter: { properties: reporter.settings(options.reporter!(ports.reporter)), loading: reporter.loading } }
            : {}),
        }),
    );
    return new RealStack(options, model, files, clusters, workers, alertmanagerPort, reporter);
  }

  async startKafka(): Promise<void> {
    const clusters = [...this.clusters.values()];
    await Promise.all(clusters.map((c) => c.format()));
    await Promise.all(clusters.map((c) => c.start()));
  }

  /**
   * Starts every worker and waits until each is in the group with its share of the tasks
   * running. The first starts alone: it creates the internal topics the others then find.
   */
  async startWorkers(): Promise<void> {
    const [first, ...others] = this.workers;
    await first!.start();
    await Promise.all(others.map((w) => w.start()));
    await Promise.all(this.workers.map((w) => this.waitJoined(w, 5 * 60_000)));
  }

  /** Starts one worker (after a stop or a crash) and waits until it is back in the group with its tasks running. */
  async startWorker(w: ConnectWorker, timeoutMs = 5 * 60_000): Promise<void> {
    await w.start();
    await this.waitJoined(w, timeoutMs);
  }

  /**
   * Waits until a started worker has joined the group and runs what it was assigned: every
   * deployed connector and task RUNNING (as the cluster reports it), this worker holding its
   * share of them (at least one when there is work for every live worker), and its own JVM
   * running exactly the connectors and tasks the cluster says it holds, out of any rebalance.
   * A worker whose REST API answers has not joined yet; a status naming it may be from before
   * a crash: the live JVM's own counts (connect-worker-metrics, served by its exporter) settle it.
   */
  async waitJoined(w: ConnectWorker, timeoutMs: number): Promise<void> {
    const value = (served: { name: string; value: number }[], key: 'rebalancing' | 'workerTaskCount' | 'workerConnectorCount') =>
      served.find((s) => s.name === METRICS[key].name)?.value;
    let why = 'not polled';
    try {
      await this.waitFor(`worker ${w.index + 1} in the group with its tasks running`, timeoutMs, async () => {
        why = 'its JVM is not running';
        if (!w.running) return false;
        const statuses = await this.rest.statuses();
        const notRunning = this.notRunning(statuses, [...this.deployed]);
        why = `not running: ${notRunning.join('; ')}`;
        if (notRunning.length > 0) return false;
        const units = [...this.deployed].flatMap((n) => [statuses.get(n)!.connector, ...statuses.get(n)!.tasks]);
        const held = (xs: readonly { worker_id: string }[]) => xs.filter((x) => x.worker_id === w.workerId).length;
        const connectors = held([...this.deployed].map((n) => statuses.get(n)!.connector));
        const tasks = held([...this.deployed].flatMap((n) => statuses.get(n)!.tasks));
        const live = this.workers.filter((x) => x.running).length;
        why = 'the cluster gives it no connector or task';
        if (units.length >= live && connectors + tasks === 0) return false;
        const served = await scrape(w.metricsUrl);
        why = `the cluster says it runs ${connectors} connectors and ${tasks} tasks; its JVM: ${value(served, 'workerConnectorCount')} and ${value(served, 'workerTaskCount')}, rebalancing ${value(served, 'rebalancing')}`;
        return value(served, 'rebalancing') === 0 && value(served, 'workerConnectorCount') === connectors && value(served, 'workerTaskCount') === tasks;
      });
    } catch (e) {
      throw new Error(`${(e as Error).message}\nat the last poll: ${why}`);
    }
  }

  /** Waits until every running worker is in the group with its tasks running (`waitJoined`). */
  async waitAllJoined(timeoutMs: number): Promise<void> {
    await Promise.all(this.workers.filter((w) => w.running).map((w) => this.waitJoined(w, timeoutMs)));
  }

  /** The flows' connectors and the recommended heartbeat emitter of each source cluster. */
  get connectorNames(): string[] {
    return [...this.model.flows.flatMap((f) => connectorsOf(f).map((c) => c.name)), ...heartbeatEmitters(this.model).map(heartbeatEmitterName)];
  }

  /** The connectors a scope covers: a connector, a flow's three and its source cluster's emitter, or all of them. */
  connectorsIn(scope: Scope): string[] {
    if (scope.flow === undefined) return this.connectorNames;
    if (scope.connector !== undefined) return [scope.connector];
    const flow = this.flowById(scope.flow);
    const emitter = heartbeatEmitters(this.model).find((f) => f.source === flow.source);
    return [...connectorsOf(flow).map((c) => c.name), ...(emitter ? [heartbeatEmitterName(emitter)] : [])];
  }

  /** The flow a connector (or heartbeat emitter) belongs to. */
  private flowOf(name: string): Flow {
    const f =
      this.model.flows.find((x) => connectorsOf(x).some((c) => c.name === name)) ?? heartbeatEmitters(this.model).find((x) => heartbeatEmitterName(x) === name);
    if (!f) throw new Error(`no flow has a connector ${name}`);
    return f;
  }

  /** The generated connector configuration with the clusters' addresses substituted, as a deployment would. */
  connectorConfig(c: Pick<Connector, 'name'>, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
    const generated = JSON.parse(this.file(connectorFilePath(c))) as { name: string; config: Record<string, string> };
    if (generated.name !== c.name) throw new Error(`${connectorFilePath(c)} names ${generated.name}, not ${c.name}`);
    const addresses = new Map([...this.clusters].map(([alias, broker]) => [bootstrapPlaceholder(alias), broker.bootstrap]));
    const config = Object.fromEntries(Object.entries(generated.config).map(([k, v]) => [k, addresses.get(v) ?? v]));
    const merged = { ...config, ...SINGLE_NODE_OVERLAY, ...this.options.connectorSettings?.(c.name), ...extra };
    return this.reporter ? this.reporter.settings(merged) : merged;
  }

  async deployConnectors(): Promise<void> {
    for (const name of this.connectorNames) await this.deployConnector(name);
  }

  async deployConnector(name: string): Promise<void> {
    await this.retry(`deploy ${name}`, () => this.rest.putConfig(name, this.connectorConfig({ name })));
    this.deployed.add(name);
  }

  async deleteConnector(name: string): Promise<void> {
    await this.retry(`delete ${name}`, () => this.rest.delete(name));
    this.deployed.delete(name);
  }

  /** Tasks Kafka starts: the source connector one per partition up to tasks.max, the checkpoint one per group up to tasks.max. */
  expectedTasks(name: string): number {
    const flow = this.flowOf(name);
    const c = connectorsOf(flow).find((x) => x.name === name);
    if (!c) return 1; // the heartbeat emitter
    const partitions = Object.values(trafficOf(flow.source).topics).reduce((a, b) => a + b, 0);
    if (c.kind === 'source') return Math.min(c.tasksMax, partitions);
    if (c.kind === 'checkpoint') return Math.min(c.tasksMax, 1);
    return c.tasksMax;
  }

  /** What keeps `names` from all running, one line each (none: every connector and task RUNNING). */
  private notRunning(statuses: ReadonlyMap<string, ConnectorStatus>, names: readonly string[]): string[] {
    return names.flatMap((n) => {
      const s = statuses.get(n);
      if (!s) return [`${n}: no status`];
      return [
        ...(s.connector.state === 'RUNNING' ? [] : [`${n}: ${s.connector.state}`]),
        ...(s.tasks.length === this.expectedTasks(n) ? [] : [`${n}: ${s.tasks.length} tasks of ${this.expectedTasks(n)}`]),
        ...s.tasks
          .filter((t) => t.state !== 'RUNNING')
          .map((t) => `${n}-${t.id}: ${t.state} on ${t.worker_id}${t.trace ? ` (${t.trace.split('\n')[0]})` : ''}`),
      ];
    });
  }

  private allRunning(statuses: ReadonlyMap<string, ConnectorStatus>, names: readonly string[]): boolean {
    return this.notRunning(statuses, names).length === 0;
  }

  /** Waits until every deployed connector of the scope (default: all) and all its tasks are RUNNING. */
  async waitAllRunning(timeoutMs: number, scope: Scope = {}): Promise<void> {
    const names = this.connectorsIn(scope).filter((n) => this.deployed.has(n));
    await this.waitRunning(names, timeoutMs, async () => {});
  }

  /**
   * Restarts what failed (connectors and tasks, `onlyFailed`) until every deployed connector and
   * task is RUNNING. After an outage of the workers' own Kafka cluster, sends and admin calls
   * that timed out fail some of them, a few only once the workers have rejoined their group: one
   * restart pass right after the cluster is back misses those. What still does not run half
   * way through (a status the outage left behind) is restarted whole, as an operator would.
   */
  async restartFailedUntilRunning(timeoutMs: number): Promise<void> {
    const names = [...this.deployed];
    const whole = Date.now() + timeoutMs / 2;
    const restarted = new Set<string>();
    await this.waitRunning(names, timeoutMs, async (statuses) => {
      for (const [name, s] of statuses) {
        if (!names.includes(name)) continue;
        if (s.connector.state === 'FAILED' || s.tasks.some((t) => t.state === 'FAILED')) await this.rest.restartFailed(name);
        else if (Date.now() > whole && !restarted.has(name) && !this.allRunning(statuses, [name])) {
          restarted.add(name);
          await this.rest.restart(name);
        }
      }
    });
  }

  /**
   * The repair after an outage of the workers' own Kafka cluster: restart what failed until
   * everything runs, then make sure every worker runs what the cluster's statuses say it runs.
   * A status written while the cluster was down can be lost, and a unit that keeps running
   * never writes another: the cluster then names a worker that does not run it, until the
   * unit restarts. If the workers do not agree with the statuses within `agreeMs`, every
   * connector is restarted with its tasks (as an operator would after such an outage), which
   * writes every status again.
   */
  async repairAfterWorkerClusterOutage(timeoutMs: number, agreeMs: number): Promise<void> {
    await this.restartFailedUntilRunning(timeoutMs);
    try {
      await this.waitAllJoined(agreeMs);
    } catch (e) {
      console.log(`after the workers' Kafka cluster outage, restarting every connector: ${(e as Error).message.split('\n').at(-1)}`);
      for (const name of this.deployed) await this.rest.restart(name);
      await this.waitAllRunning(timeoutMs);
      await this.waitAllJoined(timeoutMs);
    }
  }

  private async waitRunning(
    names: readonly string[],
    timeoutMs: number,
    meanwhile: (statuses: ReadonlyMap<string, ConnectorStatus>) => Promise<void>,
  ): Promise<void> {
    let last: ReadonlyMap<string, ConnectorStatus> = new Map();
    try {
      await this.waitFor(`every connector and task RUNNING (${names.join(', ')})`, timeoutMs, async () => {
        last = await this.rest.statuses();
        if (this.allRunning(last, names)) return true;
        await meanwhile(last);
        return false;
      });
    } catch (e) {
      const notRunning = this.notRunning(last, names);
      throw new Error(`${(e as Error).message}\nnot running at the last poll: ${notRunning.join('; ') || 'none'}`);
    }
  }

  /**
   * Business traffic on every flow's source cluster: the topics are created and the consumer
   * group reads at once; the records flow at the cluster's rate, or, `held`, from
   * `releaseTraffic()` on (a stack that starts without a backlog has no catch-up to wait out).
   */
  startTraffic(opts: { readonly held?: boolean } = {}): void {
    for (const alias of new Set(this.model.flows.map((f) => f.source))) {
      const t = trafficOf(alias);
      const topics = Object.entries(t.topics)
        .map(([name, p]) => `${name}:${p}`)
        .join(',');
      const dir = join(this.options.dir, `traffic-${alias}`);
      mkdirSync(dir, { recursive: true });
      this.traffic.set(
        alias,
        JavaProcess.start({
          name: `traffic on ${alias}`,
          classpath: kafkaClasspath(this.options.version),
          // JDK 11+ runs a single-file source directly.
          mainClass: join(JAVA_SOURCES, 'Traffic.java'),
          args: [this.cluster(alias).bootstrap, topics, opts.held ? '0' : String(t.rate), t.group],
          jvmArgs: ['-Xmx256m', ...loggingFlags(dir, 'traffic', 'WARN')],
          logFile: join(dir, 'traffic.log'),
        }),
      );
    }
  }

  /** Every source cluster's records at its rate. */
  releaseTraffic(): void {
    for (const [alias, t] of this.traffic) t.send(`rate ${trafficOf(alias).rate}`);
  }

  /** Waits until MM2 has created every flow's remote topics in its target cluster: it knows every business topic. */
  async waitRemoteTopics(timeoutMs: number): Promise<void> {
    await this.waitFor('every remote topic created in its target cluster', timeoutMs, async () => {
      for (const flow of this.model.flows) {
        const held = await this.cluster(flow.target).topicOffsets();
        if (!Object.keys(trafficOf(flow.source).topics).every((t) => held.has(remoteTopicName(flow, t)))) return false;
      }
      return true;
    });
  }

  /** Prometheus on the generated config and rules, Alertmanager on the generated routing, receivers to the sink. */
  async startMonitoring(): Promise<void> {
    const dir = this.options.dir;
    this.webhook = await WebhookSink.listen();
    const am = parse(this.file(ALERT_FILES.alertmanager)) as { receivers: { name: string; webhook_configs?: { url: string }[] }[] };
    for (const r of am.receivers) for (const w of r.webhook_configs ?? []) w.url = `http://127.0.0.1:${this.webhook.port}/${r.name}`;
    const amFile = join(dir, 'alertmanager.yml');
    writeFileSync(amFile, stringify(am));
    mkdirSync(join(dir, 'alertmanager-data'), { recursive: true });
    this.alertmanager = await startAlertmanager(this.alertmanagerPort, amFile, join(dir, 'alertmanager-data'), join(dir, 'alertmanager.log'));

    const setup = prometheusSetup(this.model, this.files, dir);
    for (const [path, content] of setup.files) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }
    this.prometheus = await startPrometheus({ configFile: setup.configFile, storageDir: join(dir, 'prometheus-data'), logFile: join(dir, 'prometheus.log') });
  }

  /**
   * Stops everything the stack started. `kill` (a suite's teardown, where nothing is judged any
   * more) skips the JVMs' clean shutdowns, which take seconds each.
   */
  async stop(how: 'clean' | 'kill' = 'clean'): Promise<void> {
    if (how === 'kill') {
      await Promise.all([
        ...[...this.traffic.values()].map((t) => t.kill()),
        ...this.workers.map((w) => w.kill()),
        ...[...this.clusters.values()].map((c) => c.kill()),
      ]);
    } else {
      await Promise.all([...this.traffic.values()].map((t) => t.stop(5_000)));
      await Promise.all(this.workers.map((w) => w.stop()));
      await Promise.all([...this.clusters.values()].map((c) => c.stop()));
    }
    await this.prometheus?.stop();
    await this.alertmanager?.stop();
    await this.webhook?.stop();
  }

  describe(): string {
    return [
      ...[...this.clusters.values()].map((c) => c.describe()),
      ...this.workers.map((w) => w.describe()),
      ...[...this.traffic.values()].map((t) => t.describe()),
    ].join('\n\n');
  }

  async waitFor(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        if (await probe()) return;
      } catch {
        // a component not answering yet
      }
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}:\n${this.describe()}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  private async retry(what: string, action: () => Promise<void>): Promise<void> {
    let last: unknown;
    for (let i = 0; i < 30; i++) {
      try {
        return await action();
      } catch (e) {
        last = e;
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
    throw new Error(`${what} failed: ${String(last)}`);
  }
}

function trafficOf(alias: string): ClusterTraffic {
  const t = TRAFFIC[alias];
  if (!t) throw new Error(`no business traffic is declared for cluster ${alias} (TRAFFIC in test/real-stack/stack.ts)`);
  return t;
}

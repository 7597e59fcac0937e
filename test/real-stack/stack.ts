import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { freePort, type PrometheusServer, startPrometheus } from '../../bench/lib/prometheus.js';
import { buildBundle } from '../../src/bundle/bundle.js';
import type { GeneratedFile } from '../../src/bundle/files.js';
import { ALERT_FILES, SCRAPE_FILES } from '../../src/bundle/paths.js';
import { bootstrapPlaceholder, connectorFilePath, heartbeatEmitterName } from '../../src/connect/connectors.js';
import { REPORTER_CLASS } from '../../src/metrics/strimzi-reporter.js';
import { loadModel } from '../../src/model/load.js';
import type { Model } from '../../src/model/model.js';
import { type Connector, connectorsOf, type Flow } from '../../src/model/topology.js';
import { prometheusSetup } from '../e2e/prometheus-setup.js';
import { type AlertmanagerServer, startAlertmanager } from './alertmanager.js';
import { ConnectRest } from './connect-rest.js';
import { ConnectWorker } from './connect-worker.js';
import { isolatedReporter, JAVA_SOURCES, JavaProcess, type KafkaVersion, kafkaClasspath, type ReporterLoading, reporterOnClasspath } from './java-process.js';
import { KafkaBroker } from './kafka-broker.js';
import { loggingFlags } from './logging.js';
import { WebhookSink } from './webhook.js';

/**
 * The real MM2 stack on 127.0.0.1, from the generated bundle: the source and target Kafka
 * clusters of the model's flow, Connect workers with the JMX exporter agent running the
 * generated exporter configuration, the flow's three connectors deployed from the generated
 * connect/*.json, business traffic, and (optionally) Prometheus with the generated scrape
 * config and rule files and Alertmanager with the generated routing, its receivers' webhooks
 * pointed at a sink inside the test.
 *
 * The model is the defaults with only what a deployment must change: the workers' addresses
 * (127.0.0.1 and the test's ports) and where the rule files are mounted. Every interval,
 * threshold and `for` is the model's own, so measured detection times are the promise's.
 */

/** Business topics on the source cluster: several topics, many partitions, one with a dot. */
export const BUSINESS_TOPICS: Readonly<Record<string, number>> = { orders: 12, payments: 12, 'audit.events': 6 };
export const CONSUMER_GROUP = 'billing';
export const TRAFFIC_RATE = 200;

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

export class RealStack {
  readonly rest: ConnectRest;
  traffic: JavaProcess | undefined;
  prometheus: PrometheusServer | undefined;
  alertmanager: AlertmanagerServer | undefined;
  webhook: WebhookSink | undefined;

  private constructor(
    readonly options: StackOptions,
    readonly model: Model,
    readonly files: readonly GeneratedFile[],
    readonly source: KafkaBroker,
    readonly target: KafkaBroker,
    readonly workers: readonly ConnectWorker[],
    private readonly alertmanagerPort: number,
    /** Where the workers run the Strimzi Metrics Reporter. */
    readonly reporter?: ReporterInStack,
  ) {
    this.rest = new ConnectRest(() => this.workers.filter((w) => w.running).map((w) => w.restUrl));
  }

  get flow(): Flow {
    return this.model.flows[0]!;
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
        ...options.override,
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
    const flow = model.flows[0]!;
    const source = new KafkaBroker(flow.source, options.version, await freePort(), await freePort(), join(dir, flow.source), options.brokerJvmArgs);
    const target = new KafkaBroker(flow.target, options.version, await freePort(), await freePort(), join(dir, flow.target), options.brokerJvmArgs);
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
    const workers = workerPorts.map(
      (ports, i) =>
        new ConnectWorker(i, options.version, ports, target.bootstrap, exporterConfig, join(dir, `worker-${i + 1}`), options.workerJvmArgs, {
          agent: options.agent ?? true,
          ...(reporter && ports.reporter !== undefined
            ? { reporter: { properties: reporter.settings(options.reporter!(ports.reporter)), loading: reporter.loading } }
            : {}),
        }),
    );
    return new RealStack(options, model, files, source, target, workers, alertmanagerPort, reporter);
  }

  async startKafka(): Promise<void> {
    await Promise.all([this.source.format(), this.target.format()]);
    await Promise.all([this.source.start(), this.target.start()]);
  }

  async startWorkers(): Promise<void> {
    // One at a time: the first creates the internal topics the others then find.
    for (const w of this.workers) await w.start();
  }

  /** Every connector the bundle ships: the flow's three and the recommended heartbeat emitter. */
  get connectorNames(): string[] {
    return [...connectorsOf(this.flow).map((c) => c.name), heartbeatEmitterName(this.flow)];
  }

  /** The generated connector configuration with the clusters' addresses substituted, as a deployment would. */
  connectorConfig(c: Pick<Connector, 'name'>, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
    const generated = JSON.parse(this.file(connectorFilePath(c))) as { name: string; config: Record<string, string> };
    if (generated.name !== c.name) throw new Error(`${connectorFilePath(c)} names ${generated.name}, not ${c.name}`);
    const addresses = new Map([
      [bootstrapPlaceholder(this.flow.source), this.source.bootstrap],
      [bootstrapPlaceholder(this.flow.target), this.target.bootstrap],
    ]);
    const config = Object.fromEntries(Object.entries(generated.config).map(([k, v]) => [k, addresses.get(v) ?? v]));
    const merged = { ...config, ...SINGLE_NODE_OVERLAY, ...this.options.connectorSettings?.(c.name), ...extra };
    return this.reporter ? this.reporter.settings(merged) : merged;
  }

  async deployConnectors(): Promise<void> {
    for (const name of this.connectorNames) await this.retry(`deploy ${name}`, () => this.rest.putConfig(name, this.connectorConfig({ name })));
  }

  /** Tasks Kafka starts: the source connector one per partition up to tasks.max, the checkpoint one per group up to tasks.max. */
  expectedTasks(name: string): number {
    const c = connectorsOf(this.flow).find((x) => x.name === name);
    if (!c) return 1; // the heartbeat emitter
    const partitions = Object.values(BUSINESS_TOPICS).reduce((a, b) => a + b, 0);
    if (c.kind === 'source') return Math.min(c.tasksMax, partitions);
    if (c.kind === 'checkpoint') return Math.min(c.tasksMax, 1);
    return c.tasksMax;
  }

  /** Waits until every connector of the flow and all its tasks are RUNNING. */
  async waitAllRunning(timeoutMs: number): Promise<void> {
    await this.waitFor('every connector and task RUNNING', timeoutMs, async () => {
      for (const name of this.connectorNames) {
        const s = await this.rest.status(name);
        if (s?.connector.state !== 'RUNNING') return false;
        if (s.tasks.length !== this.expectedTasks(name) || s.tasks.some((t) => t.state !== 'RUNNING')) return false;
      }
      return true;
    });
  }

  startTraffic(): void {
    const topics = Object.entries(BUSINESS_TOPICS)
      .map(([t, p]) => `${t}:${p}`)
      .join(',');
    const dir = join(this.options.dir, 'traffic');
    mkdirSync(dir, { recursive: true });
    this.traffic = JavaProcess.start({
      name: 'traffic',
      classpath: kafkaClasspath(this.options.version),
      // JDK 11+ runs a single-file source directly.
      mainClass: join(JAVA_SOURCES, 'Traffic.java'),
      args: [this.source.bootstrap, topics, String(TRAFFIC_RATE), CONSUMER_GROUP],
      jvmArgs: ['-Xmx256m', ...loggingFlags(dir, 'traffic', 'WARN')],
      logFile: join(dir, 'traffic.log'),
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

  async stop(): Promise<void> {
    await this.traffic?.stop(5_000);
    await Promise.all(this.workers.map((w) => w.stop()));
    await Promise.all([this.source.stop(), this.target.stop()]);
    await this.prometheus?.stop();
    await this.alertmanager?.stop();
    await this.webhook?.stop();
  }

  describe(): string {
    return [this.source.describe(), this.target.describe(), ...this.workers.map((w) => w.describe()), this.traffic?.describe() ?? ''].join('\n\n');
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

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exporterAgentJar, JavaProcess, type KafkaVersion, kafkaClasspath, type ReporterLoading } from './java-process.js';
import { loggingFlags } from './logging.js';

/**
 * One Kafka Connect distributed worker (its own JVM, as in production) with the real
 * Prometheus JMX exporter java agent loaded with the bundle's exporter configuration, and a
 * JMX port on 127.0.0.1 for the MBean recorder. Group and timing settings are the tuning
 * guide's (section 3): the alerts' `for` durations are reasoned on them, a worker loss in
 * particular (session.timeout.ms 30 s + scheduled.rebalance.max.delay.ms 60 s).
 */
export interface WorkerPorts {
  readonly rest: number;
  readonly exporter: number;
  readonly jmx: number;
  /** The Strimzi Metrics Reporter's listener, where the worker runs it. */
  readonly reporter?: number;
}

/**
 * What serves the worker's metrics besides JMX: the JMX exporter agent (the default), and the
 * Strimzi Metrics Reporter when its worker properties are given (its jars join the classpath).
 */
export interface WorkerCollectors {
  readonly agent: boolean;
  readonly reporter?: { readonly properties: Readonly<Record<string, string>>; readonly loading: ReporterLoading };
}

export const CONNECT_GROUP = 'mm2-connect-cluster';

export class ConnectWorker {
  private process: JavaProcess | undefined;
  private readonly configFile: string;

  constructor(
    readonly index: number,
    readonly version: KafkaVersion,
    readonly ports: WorkerPorts,
    targetBootstrap: string,
    private readonly exporterConfigFile: string,
    private readonly dir: string,
    /** Appended to the JVM flags (a later flag wins): the benchmark's heap and JIT. */
    private readonly extraJvmArgs: readonly string[] = [],
    private readonly collectors: WorkerCollectors = { agent: true },
  ) {
    mkdirSync(dir, { recursive: true });
    this.configFile = join(dir, 'worker.properties');
    const props: Record<string, string | number> = {
      'bootstrap.servers': targetBootstrap,
      'group.id': CONNECT_GROUP,
      listeners: `http://127.0.0.1:${ports.rest}`,
      'rest.advertised.host.name': '127.0.0.1',
      'rest.advertised.port': ports.rest,
      'config.storage.topic': 'mm2-connect-configs',
      'offset.storage.topic': 'mm2-connect-offsets',
      'status.storage.topic': 'mm2-connect-status',
      'config.storage.replication.factor': 1,
      'offset.storage.replication.factor': 1,
      'status.storage.replication.factor': 1,
      'offset.storage.partitions': 5,
      'status.storage.partitions': 1,
      'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
      'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
      'header.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
      // The MM2 jars are on the classpath; ServiceLoader finds them without scanning every jar.
      'plugin.discovery': 'service_load',
      'session.timeout.ms': 30000,
      'heartbeat.interval.ms': 10000,
      'rebalance.timeout.ms': 60000,
      'scheduled.rebalance.max.delay.ms': 60000,
      'offset.flush.interval.ms': 10000,
      'offset.flush.timeout.ms': 5000,
      // The failed-task fault overrides a producer setting per connector.
      'connector.client.config.override.policy': 'All',
      ...collectors.reporter?.properties,
    };
    writeFileSync(
      this.configFile,
      `${Object.entries(props)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n')}\n`,
    );
  }

  /** How the group and the status topic name this worker: its advertised REST host and port. */
  get workerId(): string {
    return `127.0.0.1:${this.ports.rest}`;
  }

  get restUrl(): string {
    return `http://127.0.0.1:${this.ports.rest}`;
  }

  get metricsUrl(): string {
    return `http://127.0.0.1:${this.ports.exporter}/metrics`;
  }

  /** The Strimzi Metrics Reporter's endpoint (the worker's listener serves every reporter of the JVM). */
  get reporterUrl(): string {
    if (this.ports.reporter === undefined) throw new Error(`worker ${this.index + 1} runs no Strimzi Metrics Reporter`);
    return `http://127.0.0.1:${this.ports.reporter}/metrics`;
  }

  get jmxAddress(): string {
    return `127.0.0.1:${this.ports.jmx}`;
  }

  get running(): boolean {
    return this.process?.running ?? false;
  }

  /** The worker JVM's process id, while it runs. */
  get pid(): number | undefined {
    return this.running ? this.process?.pid : undefined;
  }

  /**
   * Starts the JVM and returns once its REST API lists the MM2 plugins: the worker is up, not yet
   * in the group (RealStack.startWorker waits for that).
   */
  async start(): Promise<void> {
    this.process = JavaProcess.start({
      name: `Connect worker ${this.index + 1}`,
      classpath: [kafkaClasspath(this.version), ...(this.collectors.reporter ? [this.collectors.reporter.loading.classpath] : [])].join(':'),
      mainClass: 'org.apache.kafka.connect.cli.ConnectDistributed',
      args: [this.configFile],
      jvmArgs: [
        '-Xmx512m',
        ...(this.collectors.agent ? [`-javaagent:${exporterAgentJar()}=127.0.0.1:${this.ports.exporter}:${this.exporterConfigFile}`] : []),
        '-Dcom.sun.management.jmxremote',
        `-Dcom.sun.management.jmxremote.port=${this.ports.jmx}`,
        `-Dcom.sun.management.jmxremote.rmi.port=${this.ports.jmx}`,
        '-Dcom.sun.management.jmxremote.host=127.0.0.1',
        '-Djava.rmi.server.hostname=127.0.0.1',
        '-Dcom.sun.management.jmxremote.authenticate=false',
        '-Dcom.sun.management.jmxremote.ssl=false',
        ...loggingFlags(this.dir, 'worker', 'INFO'),
        ...(this.collectors.reporter?.loading.jvmArgs ?? []),
        ...this.extraJvmArgs,
      ],
      logFile: join(this.dir, 'worker.log'),
    });
    await this.process.waitUntil(`worker ${this.index + 1}'s REST API and MM2 plugins`, 120_000, async () => {
      const res = await fetch(`${this.restUrl}/connector-plugins`);
      return res.ok && (await res.text()).includes('MirrorSourceConnector');
    });
  }

  /** A clean stop: the worker leaves the group, its tasks are reassigned at once. */
  async stop(): Promise<void> {
    await this.process?.stop();
  }

  /** A crash: the group notices only after session.timeout.ms. */
  async kill(): Promise<void> {
    await this.process?.kill();
  }

  describe(): string {
    return this.process?.describe() ?? `worker ${this.index + 1}: not started`;
  }
}

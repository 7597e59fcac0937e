import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JAVA_SOURCES, JavaProcess, type KafkaVersion, kafkaClasspath, portOpen, runJava } from './java-process.js';
import { loggingFlags } from './logging.js';

/**
 * A single-node Kafka cluster in KRaft combined mode (broker and controller in one JVM) on
 * 127.0.0.1, named by its MM2 alias. Stopping and starting it again keeps its data, as
 * restarting a real cluster does.
 */
export class KafkaBroker {
  private process: JavaProcess | undefined;
  private readonly configFile: string;

  constructor(
    readonly alias: string,
    readonly version: KafkaVersion,
    readonly port: number,
    private readonly controllerPort: number,
    private readonly dir: string,
    /** Appended to the JVM flags (a later flag wins): the benchmark's heap for thousands of partitions. */
    private readonly extraJvmArgs: readonly string[] = [],
  ) {
    mkdirSync(dir, { recursive: true });
    this.configFile = join(dir, 'broker.properties');
  }

  get bootstrap(): string {
    return `127.0.0.1:${this.port}`;
  }

  async format(): Promise<void> {
    const props: Record<string, string | number> = {
      'process.roles': 'broker,controller',
      'node.id': 1,
      'controller.quorum.voters': `1@127.0.0.1:${this.controllerPort}`,
      listeners: `PLAINTEXT://127.0.0.1:${this.port},CONTROLLER://127.0.0.1:${this.controllerPort}`,
      'advertised.listeners': `PLAINTEXT://127.0.0.1:${this.port}`,
      'inter.broker.listener.name': 'PLAINTEXT',
      'controller.listener.names': 'CONTROLLER',
      'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      'log.dirs': join(this.dir, 'data'),
      'num.partitions': 1,
      'offsets.topic.replication.factor': 1,
      'offsets.topic.num.partitions': 5,
      'transaction.state.log.replication.factor': 1,
      'transaction.state.log.min.isr': 1,
      'group.initial.rebalance.delay.ms': 0,
      'auto.create.topics.enable': 'false',
    };
    writeFileSync(
      this.configFile,
      `${Object.entries(props)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n')}\n`,
    );
    // A fixed id per alias: any 22-character base64 UUID does, and a fixed one keeps runs alike.
    const clusterId = Buffer.from(`${this.alias}-cluster-id!!`.padEnd(16, '!').slice(0, 16)).toString('base64url').slice(0, 22);
    await runJava({
      name: `${this.alias} storage format`,
      classpath: kafkaClasspath(this.version),
      mainClass: 'kafka.tools.StorageTool',
      args: ['format', '-t', clusterId, '-c', this.configFile, '--ignore-formatted'],
      jvmArgs: ['-Xmx256m', ...loggingFlags(this.dir, 'format', 'WARN')],
      logFile: join(this.dir, 'format.log'),
    });
  }

  async start(): Promise<void> {
    this.process = JavaProcess.start({
      name: `Kafka broker ${this.alias}`,
      classpath: kafkaClasspath(this.version),
      mainClass: 'kafka.Kafka',
      args: [this.configFile],
      // Warnings only: the broker's INFO log is large and says nothing the tests read.
      jvmArgs: ['-Xmx512m', ...loggingFlags(this.dir, 'broker', 'WARN'), ...this.extraJvmArgs],
      logFile: join(this.dir, 'broker.log'),
    });
    await this.process.waitUntil(`broker ${this.alias} listening on ${this.port}`, 90_000, () => portOpen(this.port));
  }

  /** Every topic the cluster holds, with the records written to it (the sum of its end offsets), asked of the cluster. */
  async topicOffsets(): Promise<Map<string, number>> {
    const out = await runJava({
      name: `${this.alias} topic offsets`,
      classpath: kafkaClasspath(this.version),
      mainClass: join(JAVA_SOURCES, 'TopicOffsets.java'),
      args: [this.bootstrap],
      jvmArgs: ['-Xmx128m', ...loggingFlags(this.dir, 'topic-offsets', 'WARN')],
      logFile: join(this.dir, `topic-offsets-${Date.now()}.log`),
    });
    return new Map([...out.matchAll(/^(\S+)\s(\d+)$/gm)].map((m) => [m[1]!, Number(m[2])]));
  }

  async stop(): Promise<void> {
    await this.process?.stop();
  }

  async kill(): Promise<void> {
    await this.process?.kill();
  }

  describe(): string {
    return this.process?.describe() ?? `${this.alias}: not started`;
  }
}

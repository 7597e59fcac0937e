import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * One JVM of the real stack (broker, Connect worker, traffic, MBean dump), its output in a log
 * file that error messages quote. Killed with the test runner, so no JVM outlives a test.
 */

const HERE = fileURLToPath(new URL('.', import.meta.url));
export const JARS_DIR = join(HERE, 'jars');
export const JAVA_SOURCES = join(HERE, 'java');

/** The tuning guide's Kafka (Confluent 7.7.3 = Kafka 3.7) and the newest 4.x Maven Central serves with connect-mirror. */
export type KafkaVersion = '3.7.2' | '4.3.1';

/** The classpath folder of one Kafka version, or an error that says how to get it. */
export function kafkaClasspath(version: KafkaVersion): string {
  const dir = join(JARS_DIR, `kafka-${version}`);
  if (!existsSync(join(dir, '.complete'))) {
    throw new Error(`the Kafka ${version} jars are missing from ${dir}: run "npm run real-stack:jars" (test/real-stack/fetch-jars.sh, Maven), as .ci/run does`);
  }
  return `${dir}/*`;
}

/** The folder of the Strimzi Metrics Reporter and its Prometheus client libraries. */
export function metricsReporterJars(): string {
  const dir = join(JARS_DIR, 'strimzi-metrics-reporter-0.2.0');
  if (!existsSync(join(dir, '.complete')))
    throw new Error(`the Strimzi Metrics Reporter is missing from ${dir}: run "npm run real-stack:jars", as .ci/run does`);
  return dir;
}

/** How a worker loads the Strimzi Metrics Reporter: its class path, JVM flags and the class that metric.reporters names. */
export interface ReporterLoading {
  readonly classpath: string;
  readonly jvmArgs: readonly string[];
  readonly className: string;
}

/** The reporter's jars on the worker's class path, as a deployment without the JMX exporter agent has them. */
export function reporterOnClasspath(className: string): ReporterLoading {
  return { classpath: `${metricsReporterJars()}/*`, jvmArgs: [], className };
}

/**
 * The reporter in a class loader of its own (java/IsolatedMetricsReporter.java), for workers
 * that also run the JMX exporter agent: compiled into `dir` against the Kafka version's clients.
 */
export async function isolatedReporter(version: KafkaVersion, dir: string): Promise<ReporterLoading> {
  const clients = join(JARS_DIR, `kafka-${version}`, `kafka-clients-${version}.jar`);
  kafkaClasspath(version);
  mkdirSync(dir, { recursive: true });
  await runJava({
    name: 'compile IsolatedMetricsReporter',
    classpath: clients,
    mainClass: join(JAVA_SOURCES, 'Compile.java'),
    args: ['-d', dir, '-cp', clients, join(JAVA_SOURCES, 'IsolatedMetricsReporter.java')],
    jvmArgs: ['-Xmx256m'],
    logFile: join(dir, 'compile.log'),
  });
  return { classpath: dir, jvmArgs: [`-Dmm2.metrics.reporter.jars=${metricsReporterJars()}`], className: 'IsolatedMetricsReporter' };
}

export function exporterAgentJar(): string {
  const jar = join(JARS_DIR, 'agent', 'jmx_prometheus_javaagent-1.0.1.jar');
  if (!existsSync(jar)) throw new Error(`the JMX exporter agent is missing (${jar}): run "npm run real-stack:jars", as .ci/run does`);
  return jar;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function tailOf(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

export interface JavaOptions {
  readonly name: string;
  readonly classpath: string;
  readonly mainClass: string;
  readonly args?: readonly string[];
  readonly jvmArgs?: readonly string[];
  readonly logFile: string;
  readonly env?: Readonly<Record<string, string>>;
}

export class JavaProcess {
  private exitInfo: { code: number | null; signal: string | null } | undefined;
  readonly exited: Promise<{ code: number | null; signal: string | null }>;

  private constructor(
    readonly options: JavaOptions,
    private readonly child: ChildProcess,
  ) {
    running.add(child);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        running.delete(child);
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      }),
    );
  }

  static start(options: JavaOptions): JavaProcess {
    const log = createWriteStream(options.logFile, { flags: 'a' });
    const child = spawn(
      'java',
      [
        // Modest heaps: two brokers, three workers and the traffic share 2 cores and a few GiB.
        '-Xms64m',
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        '-Djava.net.preferIPv4Stack=true',
        // Nothing left in the system's /tmp: what a JVM writes to its temporary directory (the
        // Kafka clients' lz4 native library) goes beside its log, in the stack's directory,
        // which the suite and the demo remove, and no performance-data file is written.
        `-Djava.io.tmpdir=${dirname(options.logFile)}`,
        '-XX:-UsePerfData',
        ...(options.jvmArgs ?? []),
        '-cp',
        options.classpath,
        options.mainClass,
        ...(options.args ?? []),
      ],
      { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } },
    );
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    child.once('error', (e) => log.write(`spawn error: ${e.message}\n`));
    return new JavaProcess(options, child);
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Writes a line to the process' stdin (Traffic reads its rate from there). */
  send(line: string): void {
    this.child.stdin!.write(`${line}\n`);
  }

  /** A clean stop (SIGTERM: the JVM's shutdown hooks run), SIGKILL after `graceMs`. */
  async stop(graceMs = 20_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** What a crash or an OOM killer does: no shutdown hook, no leave-group. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  describe(): string {
    return `${this.options.name} (pid ${this.pid}, ${this.running ? 'running' : `exited ${JSON.stringify(this.exitInfo)}`}), log ${this.options.logFile}:\n${tailOf(this.options.logFile)}`;
  }

  /** Polls `probe` until it is true, failing early (with the log's tail) if the JVM exits. */
  async waitUntil(what: string, timeoutMs: number, probe: () => Promise<boolean> | boolean): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) throw new Error(`${this.options.name} exited while waiting for ${what}: ${this.describe()}`);
      try {
        if (await probe()) return;
      } catch {
        // not there yet
      }
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${this.describe()}`);
      await sleep(500);
    }
  }

  logContains(text: string): boolean {
    try {
      return readFileSync(this.options.logFile, 'utf8').includes(text);
    } catch {
      return false;
    }
  }
}

/** Runs a JVM to completion (the storage format tool, an MBean dump); rejects on a non-zero exit. */
export async function runJava(options: JavaOptions, timeoutMs = 120_000): Promise<string> {
  const p = JavaProcess.start(options);
  const timer = setTimeout(() => void p.kill(), timeoutMs);
  const { code, signal } = await p.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${options.name} failed (exit ${code}${signal ? `, ${signal}` : ''}): ${tailOf(options.logFile)}`);
  return readFileSync(options.logFile, 'utf8');
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.setTimeout(1000, () => {
      s.destroy();
      resolve(false);
    });
  });
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PrometheusServer, startPrometheus } from '../../bench/lib/prometheus.js';
import { connectorFilePath, workerReporterFilePath } from '../../src/builders/connect/connectors.js';
import { buildBundle } from '../../src/bundle/bundle.js';
import type { MBeanReading } from '../../src/emulation/exporter.js';
import { REPORTER_ARTIFACT } from '../../src/metrics/strimzi-reporter.js';
import { loadModel } from '../../src/model/load.js';
import type { Model } from '../../src/model/model.js';
import type { GeneratedFile } from '../../src/reader/read.js';
import { parseProperties } from '../../src/reader/read.js';
import { prometheusSetup } from '../e2e/prometheus-setup.js';
import type { ConnectWorker } from './connect-worker.js';
import { type ScrapedSample, scrape } from './exposition-parse.js';
import type { KafkaVersion } from './java-process.js';
import { recordMBeans } from './mbeans.js';
import { type RealStack, stackOverride } from './stack.js';

/**
 * The bundle built for the Strimzi Metrics Reporter as the collector, on the real stack: the
 * same override as the stack's own bundle, with `collector: strimzi-metrics-reporter` and the
 * workers at their reporter listeners. What the workers and connectors add for the reporter is
 * taken from it, as generated.
 */
export interface ReporterBundle {
  readonly model: Model;
  readonly files: readonly GeneratedFile[];
}

export function reporterBundle(override: Readonly<Record<string, unknown>>, listeners: readonly number[]): ReporterBundle {
  const model = loadModel(
    { ...override, collector: 'strimzi-metrics-reporter', workers: listeners.map((port) => ({ host: '127.0.0.1', port })) },
    'real-stack reporter override',
  );
  return { model, files: [...buildBundle(model)].map(([path, content]) => ({ path, content })) };
}

function file(files: readonly GeneratedFile[], path: string): string {
  const f = files.find((x) => x.path === path);
  if (!f) throw new Error(`the bundle has no ${path}`);
  return f.content;
}

/** The worker settings the reporter bundle generates for the worker listening on `port`. */
export function workerReporterSettings(bundle: ReporterBundle, port: number): Record<string, string> {
  const ports = [...new Set(bundle.model.workers.map((w) => w.port))].sort((a, b) => a - b);
  return parseProperties(file(bundle.files, workerReporterFilePath(port, ports)));
}

/** What the reporter bundle's configuration of a connector adds to the agent bundle's: the reporter's settings. */
export function connectorReporterSettings(agentFiles: readonly GeneratedFile[], bundle: ReporterBundle, name: string): Record<string, string> {
  const config = (files: readonly GeneratedFile[]) => (JSON.parse(file(files, connectorFilePath({ name }))) as { config: Record<string, string> }).config;
  const agent = config(agentFiles);
  return Object.fromEntries(Object.entries(config(bundle.files)).filter(([k, v]) => agent[k] !== v));
}

/** The MBean domains that hold what the reporter can serve: Connect's, MM2's and the clients'. */
const KAFKA_DOMAINS = ['kafka.connect:*', 'kafka.connect.mirror:*', 'kafka.producer:*', 'kafka.consumer:*'];

/**
 * What one worker's reporter served, beside the metrics the worker registered as JMX shows
 * them (read just before and after the scrape; JMX stays on beside the reporter on Kafka 3.x):
 * the reporter's emulation (src/emulation/strimzi-reporter.ts) is held against it offline.
 */
export interface ReporterRecording {
  readonly readings: readonly MBeanReading[];
  readonly served: readonly ScrapedSample[];
}

export async function recordReporter(worker: ConnectWorker, version: KafkaVersion, logDir: string): Promise<ReporterRecording> {
  const key = (r: MBeanReading) => JSON.stringify([r.domain, r.properties, r.attribute]);
  const before = await recordMBeans(worker.jmxAddress, version, KAFKA_DOMAINS, logDir);
  const served = await scrape(worker.reporterUrl);
  const after = new Set((await recordMBeans(worker.jmxAddress, version, KAFKA_DOMAINS, logDir)).map(key));
  return { readings: before.filter((r) => after.has(key(r))), served };
}

/** The recorded reporter fixture: what real workers' reporters served under the settings the bundle generates. */
export interface ReporterFixture {
  readonly kafkaVersion: KafkaVersion;
  readonly recordedWith: string;
  /** The reporter bundle's connect/ files the workers and connectors ran (path -> content). */
  readonly settings: Readonly<Record<string, string>>;
  readonly workers: readonly ReporterRecording[];
}

export const REPORTER_FIXTURE_DIR = fileURLToPath(new URL('../fixtures/strimzi-reporter/', import.meta.url));

export function reporterFixtureFile(version: KafkaVersion): string {
  return join(REPORTER_FIXTURE_DIR, `kafka-${version}.json`);
}

export function writeReporterFixture(version: KafkaVersion, bundle: ReporterBundle, recordings: readonly ReporterRecording[]): void {
  mkdirSync(REPORTER_FIXTURE_DIR, { recursive: true });
  const settings = Object.fromEntries(bundle.files.filter((f) => f.path.startsWith('connect/')).map((f) => [f.path, f.content]));
  // One reading or sample per line: a re-recording's diff reads line by line.
  const json = (x: unknown) =>
    JSON.stringify(x, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? (Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf') : v));
  const lines = (xs: readonly unknown[]) => `[\n${xs.map((x) => `      ${json(x)}`).join(',\n')}\n    ]`;
  const body = [
    '{',
    `  "kafkaVersion": ${JSON.stringify(version)},`,
    `  "recordedWith": ${JSON.stringify(REPORTER_ARTIFACT)},`,
    `  "settings": ${JSON.stringify(settings)},`,
    '  "workers": [',
    recordings.map((w) => `    {\n    "readings": ${lines(w.readings)},\n    "served": ${lines(w.served)}\n    }`).join(',\n'),
    '  ]',
    '}',
    '',
  ].join('\n');
  writeFileSync(reporterFixtureFile(version), body);
}

/**
 * A second Prometheus on the reporter bundle's scrape configuration and rule files, watching the
 * same workers through their reporters: what a deployment with `collector: strimzi-metrics-reporter`
 * runs. Its rules and data live under `dir`; it sends alerts nowhere (the routing is the agent
 * bundle's, proven on the first Prometheus).
 */
export async function startReporterPrometheus(bundle: ReporterBundle, dir: string): Promise<PrometheusServer> {
  const setup = prometheusSetup(bundle.model, bundle.files, dir);
  for (const [path, content] of setup.files) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return startPrometheus({ configFile: setup.configFile, storageDir: join(dir, 'prometheus-data'), logFile: join(dir, 'prometheus.log') });
}

/** The reporter bundle for the stack's workers: its own rule and file_sd paths under `dir`, no Alertmanager. */
export function stackReporterBundle(stack: RealStack, dir: string): ReporterBundle {
  const listeners = stack.workers.map((w) => w.ports.reporter).filter((p): p is number => p !== undefined);
  return reporterBundle(
    {
      ...stackOverride(stack.options),
      prometheus: { ruleFilesDir: join(dir, 'rules'), fileSdPath: join(dir, 'file_sd', 'mm2-connect.json'), alertmanagers: [] },
    },
    listeners,
  );
}

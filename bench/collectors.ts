// The collection side of the benchmark: the two collectors the bundle supports, on one real
// Connect worker replicating thousands of partitions, side by side in one run and one JVM: the
// JMX exporter agent with the bundle's generated configuration (and with the catch-all most
// deployments start from, and with one lever of the generated configuration undone each), and
// the Strimzi Metrics Reporter with the settings the bundle generates for it.
//
// The real-stack modules (test/real-stack/) start two single-node KRaft clusters and one Connect
// worker, all on 127.0.0.1, the worker with the agent on one port and the reporter on another
// (the reporter in a class loader of its own: the agent's client_java is not shaded, and the two
// would otherwise share one registry); the flow's MirrorSourceConnector (its generated
// configuration, with the reporter's settings from the bundle built for it) replicates topics of
// 50 partitions written by the real-stack traffic generator. Once every partition is replicated
// the traffic stops: the per-partition metrics stay registered, and the scrapes no longer share
// the 2 cores with the brokers serving thousands of partitions (with the traffic on, the same
// configuration's scrape time varied by 2x from one block of scrapes to the next).
//
// Per scale, round after round, every variant in turn: an agent variant rewrites the agent's
// configuration file (the agent reloads a file whose modification time changed at its next
// scrape), then, for any variant, warm-up scrapes (the reload, the rule cache, the JIT), then
// timed scrapes: the agent's own `jmx_scrape_duration_seconds` (reading MBeans and matching
// rules), the time of the whole scrape as a client sees it, the bytes and samples served and the
// agent's rule cache size (`jmx_scrape_cached_beans`). After the rounds, the agent's rule cache's
// heap: the worker's live heap after a full GC (`jcmd GC.class_histogram`) with the generated
// configuration's cache filled, less with an empty configuration's.
//
// Run alone with `npx tsx bench/collectors.ts [--partitions=1000,5000,10000,17000] [--rounds=3]
// [--scrapes=3] [--levers-up-to=5000]` (writes bench/collectors-results.json and re-renders
// bench/RESULTS.md), or as a step of `npm run bench`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { SCRAPE_FILES } from '../src/documents/paths.js';
import { REPORTER_ARTIFACT } from '../src/metrics/strimzi-reporter.js';
import { JAVA_SOURCES, JavaProcess, kafkaClasspath } from '../test/real-stack/java-process.js';
import { loggingFlags } from '../test/real-stack/logging.js';
import { connectorReporterSettings, type ReporterBundle, reporterBundle, workerReporterSettings } from '../test/real-stack/reporter.js';
import { RealStack } from '../test/real-stack/stack.js';
import { type RunInfo, runInfo, writeReport } from './lib/report.js';

const PARTITIONS_PER_TOPIC = 50;
const TOPIC_PREFIX = 'bench-t';
const WARMUP_SCRAPES = 2;
/** A scrape slower than this is reported as such: Prometheus would have given up long before. */
const SCRAPE_LIMIT_MS = 90_000;
/**
 * The worker JVM as Kafka runs a Connect worker by default: connect-distributed.sh's heap and
 * kafka-run-class.sh's collector flags. The suite's Java processes default to the serial collector
 * and C1 only (test/real-stack/java-process.ts), undone here.
 */
const CONNECT_JVM = [
  '-Xms256m',
  '-Xmx2g',
  '-XX:-UseSerialGC',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
  '-XX:TieredStopAtLevel=4',
];
/** Each broker holds every partition of its cluster: the suite's 512 MiB does not hold 17,000. */
const BROKER_JVM = ['-Xmx2g'];

export type CollectorId = 'jmx-exporter' | 'strimzi-metrics-reporter';

/** A configuration to compare, and why it is in the table. */
export interface Variant {
  readonly id: string;
  readonly what: string;
  readonly collector: CollectorId;
  /** The agent's configuration (agent variants). */
  readonly config?: Record<string, unknown>;
  /** One of the generated configuration's levers undone: measured at the smaller scales only. */
  readonly lever?: boolean;
  /** Measured once, after the rounds: its rule cache may take the heap the other variants need. */
  readonly last?: boolean;
}

interface ExporterConfigShape {
  includeObjectNames?: string[];
  rules: Record<string, unknown>[];
  [k: string]: unknown;
}

/** An agent configuration that reads nothing and caches nothing: the agent at rest. */
const EMPTY_AGENT: Record<string, unknown> = { includeObjectNames: ['mm2.bench:type=none'], rules: [{ pattern: 'a^', name: 'never', cache: true }] };

/**
 * The variants: the generated configuration, the catch-all, reading alone; the generated
 * configuration with one of its levers undone each, which says where the time goes; the reporter.
 */
export function variants(generated: ExporterConfigShape, before: ExporterConfigShape): Variant[] {
  const withoutCache = { ...generated, rules: generated.rules.map(({ cache: _cache, ...r }) => r) };
  const consumers = [
    ...new Set(
      (generated.includeObjectNames ?? []).map((p) =>
        p.startsWith('kafka.consumer:type=consumer-fetch-manager-metrics,') ? 'kafka.consumer:type=consumer-fetch-manager-metrics,*' : p,
      ),
    ),
  ];
  const rules = generated.rules.filter((r) => r['name'] !== '');
  if (rules.length !== generated.rules.length - 1)
    throw new Error('the generated configuration no longer has exactly one drop rule: update bench/collectors.ts');
  const agent = 'jmx-exporter' as const;
  return [
    { id: 'generated', collector: agent, what: 'scrape/jmx-exporter.yaml as generated', config: generated },
    {
      id: 'before',
      collector: agent,
      lever: true,
      what: 'the first configuration the project generated (bench/baseline/): 11 series per partition, no cache, lower-casing, every consumer read',
      config: before,
    },
    {
      id: 'catch-all',
      collector: agent,
      what: 'the agent\'s documented catch-all: `lowercaseOutputName`/`lowercaseOutputLabelNames` true and `rules: [{pattern: ".*"}]` (every MBean of the JVM, default names)',
      config: { lowercaseOutputName: true, lowercaseOutputLabelNames: true, rules: [{ pattern: '.*' }] },
    },
    { id: 'no-cache', collector: agent, lever: true, what: 'generated, without `cache: true` on its numeric rules', config: withoutCache },
    {
      id: 'all-consumers',
      collector: agent,
      lever: true,
      what: "generated, with the fetch metrics of every consumer of the worker included (not only the replication consumer's)",
      config: { ...generated, includeObjectNames: consumers },
    },
    {
      id: 'lowercase',
      collector: agent,
      lever: true,
      what: 'generated, with `lowercaseOutputName`/`lowercaseOutputLabelNames` true',
      config: { lowercaseOutputName: true, lowercaseOutputLabelNames: true, ...generated },
    },
    {
      id: 'no-drop',
      collector: agent,
      lever: true,
      what: 'generated, without its first rule (the one dropping, by an empty name, every attribute read that no rule exports): those attributes are tried against every cached rule, each try a cache entry',
      config: { ...generated, rules },
      last: true,
    },
    {
      id: 'read-only',
      collector: agent,
      what: 'the generated MBean set read, nothing exported (one cached rule matching nothing): the cost of reading the MBeans alone',
      config: { ...generated, rules: [{ pattern: 'a^', name: 'never', cache: true }] },
    },
    {
      id: 'reporter',
      collector: 'strimzi-metrics-reporter',
      what: `${REPORTER_ARTIFACT} with the settings the bundle generates for it (connect/ with collector strimzi-metrics-reporter): the label contract's metrics, before the scrape job renames them`,
    },
  ];
}

export interface ScrapeStats {
  /** The agent's own time per timed scrape (agent variants). */
  readonly agentSeconds: number[];
  readonly httpMs: number[];
  readonly bytes: number;
  readonly samples: number;
  /** The agent's rule cache after the last scrape (`jmx_scrape_cached_beans`; agent variants). */
  readonly cachedEntries?: number;
  /** A scrape took longer than SCRAPE_LIMIT_MS: no figures. */
  readonly timedOut?: boolean;
}

export type VariantResult = Omit<Variant, 'config'> & ScrapeStats & { readonly medianAgentSeconds: number; readonly medianHttpMs: number };

export interface CollectorScale {
  readonly partitions: number;
  /**
   * Partitions the agent and the reporter served MirrorSourceConnector series for, and
   * replication-consumer lag; and the reporter's lag series (0.2.0 keeps those of consumers closed
   * since, when a reconfiguration moved their partitions to another task).
   */
  readonly served: {
    readonly agentMirror: number;
    readonly agentLag: number;
    readonly reporterMirror: number;
    readonly reporterLag: number;
    readonly reporterLagSeries: number;
  };
  readonly variants: VariantResult[];
  /** The worker's live heap with the generated configuration's rule cache, less with an empty one. */
  readonly agentCacheHeapBytes: number;
}

export interface CollectorResults {
  readonly run: RunInfo;
  readonly kafka: string;
  readonly agent: string;
  readonly reporter: string;
  readonly scrapeTimeout: string;
  readonly scrapeInterval: string;
  readonly scrapeLimitSeconds: number;
  readonly tasks: number;
  readonly jvm: string;
  readonly rounds: number;
  readonly warmupScrapes: number;
  readonly scrapesPerRound: number;
  readonly scales: CollectorScale[];
}

const log = (msg: string) => process.stderr.write(`[bench collectors ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const median = (xs: readonly number[]) => (xs.length === 0 ? NaN : [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function scrape(url: string): Promise<{ body: string; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(SCRAPE_LIMIT_MS) });
  const body = await res.text();
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}: ${body.slice(0, 500)}`);
  return { body, ms: performance.now() - t0 };
}

function sampleValue(body: string, name: string): number | undefined {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(body);
  return m ? Number(m[1]) : undefined;
}

const sampleLines = (body: string) => body.split('\n').filter((l) => l && !l.startsWith('#'));

/** Distinct topic-partitions a metric is served for. */
function partitionsServed(body: string, metric: string): number {
  const seen = new Set<string>();
  for (const l of sampleLines(body)) {
    if (!l.startsWith(`${metric}{`)) continue;
    const topic = /topic="([^"]*)"/.exec(l)?.[1];
    const partition = /partition="([^"]*)"/.exec(l)?.[1];
    if (topic?.includes(TOPIC_PREFIX)) seen.add(`${topic}/${partition}`);
  }
  return seen.size;
}

/** Rewrites the agent's configuration file; the agent reloads it at its next scrape (it compares the file's modification time). */
let mtime = Math.floor(Date.now() / 1000);
function writeAgentConfig(file: string, config: Record<string, unknown>): void {
  writeFileSync(file, stringify(config));
  mtime += 10;
  utimesSync(file, mtime, mtime);
}

interface Endpoints {
  readonly agent: string;
  readonly reporter: string;
  readonly agentConfig: string;
}

/** One round of one variant: its configuration loaded (agent variants), warm-up scrapes, then timed scrapes. */
async function measureRound(at: Endpoints, v: Variant, scrapes: number): Promise<ScrapeStats> {
  const agent = v.collector === 'jmx-exporter';
  if (agent) writeAgentConfig(at.agentConfig, v.config!);
  const url = agent ? at.agent : at.reporter;
  try {
    for (let i = 0; i < WARMUP_SCRAPES; i++) await scrape(url);
  } catch (e) {
    // A scrape over the limit (the agent keeps collecting for the abandoned request: let it
    // finish before the next variant), or the agent's server dropping the connection meanwhile.
    if (!(e instanceof Error && (e.name === 'TimeoutError' || e.message === 'fetch failed'))) throw e;
    await sleep(SCRAPE_LIMIT_MS);
    return { agentSeconds: [], httpMs: [], bytes: 0, samples: 0, timedOut: true };
  }
  const agentSeconds: number[] = [];
  const httpMs: number[] = [];
  let last = '';
  for (let i = 0; i < scrapes; i++) {
    const { body, ms } = await scrape(url);
    if (agent) {
      const seconds = sampleValue(body, 'jmx_scrape_duration_seconds');
      if (seconds === undefined) throw new Error(`${v.id}: the agent served no jmx_scrape_duration_seconds`);
      if (sampleValue(body, 'jmx_scrape_error') !== 0) throw new Error(`${v.id}: jmx_scrape_error is not 0`);
      agentSeconds.push(seconds);
    }
    httpMs.push(ms);
    last = body;
  }
  return {
    agentSeconds,
    httpMs,
    bytes: Buffer.byteLength(last),
    samples: sampleLines(last).length,
    ...(agent ? { cachedEntries: sampleValue(last, 'jmx_scrape_cached_beans') ?? NaN } : {}),
  };
}

/** Every variant, round after round (the variants marked `last` once, after the rounds). */
async function measureVariants(at: Endpoints, vs: readonly Variant[], rounds: number, scrapes: number): Promise<Map<string, ScrapeStats>> {
  const stats = new Map<string, ScrapeStats>();
  const add = (v: Variant, s: ScrapeStats) => {
    const prev = stats.get(v.id);
    stats.set(
      v.id,
      prev === undefined
        ? s
        : { ...s, agentSeconds: [...prev.agentSeconds, ...s.agentSeconds], httpMs: [...prev.httpMs, ...s.httpMs], timedOut: prev.timedOut || s.timedOut },
    );
  };
  for (let r = 0; r < rounds; r++)
    for (const v of vs.filter((x) => !x.last)) {
      if (stats.get(v.id)?.timedOut) continue;
      add(v, await measureRound(at, v, scrapes));
    }
  for (const v of vs.filter((x) => x.last)) add(v, await measureRound(at, v, scrapes));
  return stats;
}

/** The worker's live heap in bytes: `jcmd GC.class_histogram` runs a full GC and totals what survives. */
function liveHeapBytes(pid: number): number {
  const r = spawnSync('jcmd', [String(pid), 'GC.class_histogram'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const total = /^Total\s+\d+\s+(\d+)/m.exec(r.stdout ?? '');
  if (r.status !== 0 || !total) throw new Error(`jcmd ${pid} GC.class_histogram failed: ${r.stderr || r.stdout}`);
  return Number(total[1]);
}

/** The agent's rule cache's heap: the live heap with the generated configuration's cache filled, less with an empty one (twice each, the smaller kept). */
async function agentCacheHeap(at: Endpoints, pid: number, generated: Record<string, unknown>): Promise<number> {
  const heapWith = async (config: Record<string, unknown>) => {
    writeAgentConfig(at.agentConfig, config);
    for (let i = 0; i < WARMUP_SCRAPES; i++) await scrape(at.agent);
    return Math.min(liveHeapBytes(pid), liveHeapBytes(pid));
  };
  const filled = await heapWith(generated);
  const empty = await heapWith(EMPTY_AGENT);
  return filled - empty;
}

async function waitForPartitions(stack: RealStack, partitions: number, at: Endpoints, generated: Record<string, unknown>, timeoutMs: number) {
  writeAgentConfig(at.agentConfig, generated);
  const deadline = Date.now() + timeoutMs;
  let last = { agentMirror: 0, agentLag: 0, reporterMirror: 0, reporterLag: 0, reporterLagSeries: 0 };
  for (;;) {
    try {
      const agent = (await scrape(at.agent)).body;
      const reporter = (await scrape(at.reporter)).body;
      last = {
        agentMirror: partitionsServed(agent, 'kafka_connect_mirror_source_connector_record_count_total'),
        agentLag: partitionsServed(agent, 'kafka_consumer_consumer_fetch_manager_metrics_records_lag'),
        reporterMirror: partitionsServed(reporter, 'kafka_connect_mirror_mirrorsourceconnector_record_count'),
        reporterLag: partitionsServed(reporter, 'kafka_consumer_consumer_fetch_manager_metrics_records_lag'),
        reporterLagSeries: sampleLines(reporter).filter(
          (l) => l.startsWith('kafka_consumer_consumer_fetch_manager_metrics_records_lag{') && l.includes(TOPIC_PREFIX),
        ).length,
      };
      if ([last.agentMirror, last.agentLag, last.reporterMirror, last.reporterLag].every((n) => n >= partitions)) return last;
    } catch {
      // the worker is busy starting tasks
    }
    if (Date.now() > deadline)
      throw new Error(`${partitions} partitions not replicated after ${timeoutMs / 1000} s (served: ${JSON.stringify(last)}):\n${stack.describe()}`);
    await sleep(5000);
  }
}

function startTraffic(stack: RealStack, topics: number, rate: number, dir: string): JavaProcess {
  const list = Array.from({ length: topics }, (_, i) => `${TOPIC_PREFIX}${String(i).padStart(3, '0')}:${PARTITIONS_PER_TOPIC}`).join(',');
  return JavaProcess.start({
    name: `traffic over ${topics} topics`,
    classpath: kafkaClasspath(stack.options.version),
    mainClass: join(JAVA_SOURCES, 'Traffic.java'),
    args: [stack.source.bootstrap, list, String(rate), 'bench-consumers'],
    jvmArgs: ['-Xmx256m', ...loggingFlags(dir, `traffic-${topics}`, 'WARN')],
    logFile: join(dir, `traffic-${topics}.log`),
  });
}

export async function measureCollectors(opts: {
  partitions: readonly number[];
  rounds: number;
  scrapes: number;
  leversUpTo: number;
}): Promise<Omit<CollectorResults, 'run'>> {
  const dir = mkdtempSync(join(tmpdir(), 'mm2-bench-collectors-'));
  let reporter: ReporterBundle | undefined;
  const stack = await RealStack.create({
    version: '3.7.2',
    workers: 1,
    dir,
    monitoring: false,
    workerJvmArgs: CONNECT_JVM,
    brokerJvmArgs: BROKER_JVM,
    reporter: (port) => {
      reporter = reporterBundle({}, [port]);
      return workerReporterSettings(reporter, port);
    },
  });
  const worker = stack.workers[0]!;
  const at: Endpoints = { agent: worker.metricsUrl, reporter: worker.reporterUrl, agentConfig: join(dir, 'jmx-exporter.yaml') };
  const generated = parse(stack.file(SCRAPE_FILES.exporter)) as ExporterConfigShape;
  const before = parse(readFileSync(new URL('./baseline/jmx-exporter.first.yaml', import.meta.url), 'utf8')) as ExporterConfigShape;
  const source = stack.flow.connectors.source;
  let traffic: JavaProcess | undefined;
  try {
    log('starting the source and target clusters and one Connect worker with the agent and the reporter');
    await stack.startKafka();
    await stack.startWorkers();
    const scales: CollectorScale[] = [];
    for (const partitions of [...opts.partitions].sort((a, b) => a - b)) {
      const topics = Math.ceil(partitions / PARTITIONS_PER_TOPIC);
      // Every partition gets a record within about a minute, so that its metrics exist.
      const rate = Math.max(50, Math.ceil((topics * PARTITIONS_PER_TOPIC) / 60));
      log(`${partitions} partitions: ${topics} topics of ${PARTITIONS_PER_TOPIC}, ${rate} records/s`);
      await traffic?.stop(10_000);
      traffic = startTraffic(stack, topics, rate, dir);
      if (scales.length === 0) {
        // The generated connector configuration (addresses substituted, single-node replication
        // factors) with what the bundle built for the reporter adds; topics picked up within 10 s.
        await stack.rest.putConfig(source.name, stack.connectorConfig(source, connectorReporterSettings(stack.files, reporter!, source.name)));
      }
      const served = await waitForPartitions(stack, topics * PARTITIONS_PER_TOPIC, at, generated, 30 * 60_000);
      await traffic.stop(10_000);
      traffic = undefined;
      await sleep(15_000);
      log(`  replicated and served: ${JSON.stringify(served)}; traffic stopped, scraping`);
      const vs = variants(generated, before).filter((v) => !v.lever || partitions <= opts.leversUpTo);
      const stats = await measureVariants(at, vs, opts.rounds, opts.scrapes);
      const results: VariantResult[] = [];
      for (const v of vs) {
        const s = stats.get(v.id)!;
        const agentSeconds = s.timedOut ? NaN : median(s.agentSeconds);
        const httpMs = s.timedOut ? NaN : median(s.httpMs);
        log(
          `  ${v.id}: ${s.timedOut ? `scrape over ${SCRAPE_LIMIT_MS / 1000} s` : `agent ${agentSeconds.toFixed(3)} s, end to end ${Math.round(httpMs)} ms, ${s.bytes} bytes, ${s.samples} samples, ${s.cachedEntries ?? '-'} cache entries`}`,
        );
        const { last: _last, config: _config, ...described } = v;
        results.push({ ...described, ...s, medianAgentSeconds: agentSeconds, medianHttpMs: httpMs });
      }
      const heap = await agentCacheHeap(at, worker.pid!, generated);
      log(`  the agent's rule cache: ${Math.round(heap / 2 ** 20)} MiB of live heap`);
      scales.push({ partitions: topics * PARTITIONS_PER_TOPIC, served, variants: results, agentCacheHeapBytes: heap });
    }
    return {
      kafka: stack.options.version,
      agent: 'jmx_prometheus_javaagent 1.0.1',
      reporter: REPORTER_ARTIFACT,
      scrapeTimeout: stack.model.prometheus.scrapeTimeout,
      scrapeInterval: stack.model.prometheus.scrapeInterval,
      scrapeLimitSeconds: SCRAPE_LIMIT_MS / 1000,
      tasks: source.tasksMax,
      jvm: CONNECT_JVM.join(' '),
      rounds: opts.rounds,
      warmupScrapes: WARMUP_SCRAPES,
      scrapesPerRound: opts.scrapes,
      scales,
    };
  } finally {
    await traffic?.stop(10_000);
    await stack.stop();
    if (process.env['MM2_KEEP_REAL_STACK'] === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
  const partitions = (args['partitions'] ?? '1000,5000,10000,17000').split(',').map(Number);
  const info = runInfo('bench/collectors.ts');
  measureCollectors({
    partitions,
    rounds: Number(args['rounds'] ?? 3),
    scrapes: Number(args['scrapes'] ?? 3),
    leversUpTo: Number(args['levers-up-to'] ?? 5000),
  })
    .then((r) => {
      const results: CollectorResults = { run: info, ...r };
      writeFileSync(new URL('./collectors-results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
      writeReport();
      log('wrote bench/collectors-results.json and bench/RESULTS.md');
    })
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    });
}

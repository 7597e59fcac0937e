// The exporter side of the benchmark: the real JMX exporter agent on a real Connect worker
// replicating thousands of partitions, scraped with the bundle's generated configuration and
// with a catch-all configuration, side by side in one run.
//
// The real-stack modules (test/real-stack/) start two single-node KRaft clusters and one Connect
// worker with jmx_prometheus_javaagent and the generated exporter configuration, all on
// 127.0.0.1; the flow's MirrorSourceConnector (its generated configuration) replicates topics of
// 50 partitions created by the real-stack traffic generator at a low rate. Once every partition
// is replicated the traffic stops: the per-partition MBeans stay registered, and the scrapes no
// longer share the 2 cores with the brokers serving thousands of partitions (with the traffic
// on, the same configuration's scrape time varied by 2x from one block of scrapes to the next).
// At each scale the agent's configuration file is rewritten in turn with each variant below,
// round after round; the agent reloads a configuration whose file changed at its next scrape,
// so every variant reads the same MBeans of the same JVM, interleaved with the others. Per
// variant and round: warm-up scrapes (the reload, the rule cache), then timed scrapes: the
// agent's own `jmx_scrape_duration_seconds` (collecting MBeans and matching rules), the HTTP time
// of the whole scrape, the bytes served and the agent's rule cache size (`jmx_scrape_cached_beans`,
// heap the worker keeps for the exporter).
//
// Run alone with `npx tsx bench/exporter.ts [--partitions=1000,5000] [--rounds=3] [--scrapes=3]`
// (writes bench/exporter-results.json), or as a step of `npm run bench`.
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { SCRAPE_FILES } from '../src/bundle/paths.js';
import { JAVA_SOURCES, JavaProcess, kafkaClasspath } from '../test/real-stack/java-process.js';
import { loggingFlags } from '../test/real-stack/logging.js';
import { RealStack } from '../test/real-stack/stack.js';

const PARTITIONS_PER_TOPIC = 50;
const TOPIC_PREFIX = 'bench-t';
/** Records per second over all partitions: enough for every metric to have values, little CPU. */
const TRAFFIC_RATE = 50;
const WARMUP_SCRAPES = 2;
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

/** An agent configuration to compare, and why it is in the table. */
export interface Variant {
  readonly id: string;
  readonly what: string;
  readonly config: Record<string, unknown>;
  /** Measured once, after the rounds: its rule cache may take the heap the other variants need. */
  readonly last?: boolean;
}

interface ExporterConfigShape {
  includeObjectNames?: string[];
  rules: Record<string, unknown>[];
  [k: string]: unknown;
}

/**
 * The variants: the generated configuration, the catch-all most deployments start from, and the
 * generated configuration with one of its levers undone each, which says where the time goes.
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
  if (rules.length !== generated.rules.length - 1) throw new Error('the generated configuration no longer has exactly one drop rule: update bench/exporter.ts');
  return [
    { id: 'generated', what: 'scrape/jmx-exporter.yaml as generated', config: generated },
    {
      id: 'before',
      what: 'the configuration generated before issue 13 (bench/baseline/): 11 series per partition, no cache, lower-casing, every consumer read',
      config: before,
    },
    {
      id: 'catch-all',
      what: 'the agent\'s documented catch-all: `lowercaseOutputName`/`lowercaseOutputLabelNames` true and `rules: [{pattern: ".*"}]` (every MBean of the JVM, default names)',
      config: { lowercaseOutputName: true, lowercaseOutputLabelNames: true, rules: [{ pattern: '.*' }] },
    },
    { id: 'no-cache', what: 'generated, without `cache: true` on its numeric rules', config: withoutCache },
    {
      id: 'all-consumers',
      what: "generated, with the fetch metrics of every consumer of the worker included (not only the replication consumer's)",
      config: { ...generated, includeObjectNames: consumers },
    },
    {
      id: 'lowercase',
      what: 'generated, with `lowercaseOutputName`/`lowercaseOutputLabelNames` true',
      config: { lowercaseOutputName: true, lowercaseOutputLabelNames: true, ...generated },
    },
    {
      id: 'no-drop',
      what: 'generated, without its first rule (the one dropping, by an empty name, every attribute read that no rule exports): those attributes are tried against every cached rule, each try a cache entry',
      config: { ...generated, rules },
      last: true,
    },
    {
      id: 'read-only',
      what: 'the generated MBean set read, nothing exported (one cached rule matching nothing): the cost of reading the MBeans alone',
      config: { ...generated, rules: [{ pattern: 'a^', name: 'never', cache: true }] },
    },
  ];
}

export interface ScrapeStats {
  readonly agentSeconds: number[];
  readonly httpMs: number[];
  readonly bytes: number;
  readonly samples: number;
  /** The agent's rule cache after the last scrape (`jmx_scrape_cached_beans`). */
  readonly cachedEntries: number;
  /** A scrape took longer than SCRAPE_LIMIT_MS: no figures. */
  readonly timedOut?: boolean;
}

export interface ScaleResult {
  readonly partitions: number;
  readonly mirrorPartitions: number;
  readonly lagPartitions: number;
  readonly variants: (Omit<Variant, 'config'> & ScrapeStats & { medianAgentSeconds: number; medianHttpMs: number })[];
}

export interface ExporterResults {
  readonly kafka: string;
  readonly agent: string;
  readonly scrapeTimeout: string;
  readonly scrapeInterval: string;
  readonly tasks: number;
  readonly jvm: string;
  readonly rounds: number;
  readonly scrapesPerRound: number;
  readonly scales: ScaleResult[];
}

const log = (msg: string) => process.stderr.write(`[bench exporter ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A scrape slower than this is reported as such: Prometheus would have given up long before. */
const SCRAPE_LIMIT_MS = 90_000;

async function scrape(url: string): Promise<{ body: string; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(SCRAPE_LIMIT_MS) });
  const body = await res.text();
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return { body, ms: performance.now() - t0 };
}

function sampleValue(body: string, name: string): number | undefined {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(body);
  return m ? Number(m[1]) : undefined;
}

const sampleLines = (body: string) => body.split('\n').filter((l) => l && !l.startsWith('#'));

/** Distinct topic-partitions a metric is served for, from the generated configuration's output. */
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

/** One round of one variant: its configuration loaded, warm-up scrapes, then timed scrapes. */
async function measureRound(url: string, file: string, v: Variant, scrapes: number): Promise<ScrapeStats> {
  writeAgentConfig(file, v.config);
  try {
    for (let i = 0; i < WARMUP_SCRAPES; i++) await scrape(url);
  } catch (e) {
    // A scrape over the limit (the agent keeps collecting for the abandoned request: let it
    // finish before the next variant), or the agent's server dropping the connection meanwhile.
    if (!(e instanceof Error && (e.name === 'TimeoutError' || e.message === 'fetch failed'))) throw e;
    await sleep(SCRAPE_LIMIT_MS);
    return { agentSeconds: [], httpMs: [], bytes: 0, samples: 0, cachedEntries: 0, timedOut: true };
  }
  const agentSeconds: number[] = [];
  const httpMs: number[] = [];
  let last = '';
  for (let i = 0; i < scrapes; i++) {
    const { body, ms } = await scrape(url);
    const agent = sampleValue(body, 'jmx_scrape_duration_seconds');
    if (agent === undefined) throw new Error(`${v.id}: the agent served no jmx_scrape_duration_seconds`);
    if (sampleValue(body, 'jmx_scrape_error') !== 0) throw new Error(`${v.id}: jmx_scrape_error is not 0`);
    agentSeconds.push(agent);
    httpMs.push(ms);
    last = body;
  }
  return {
    agentSeconds,
    httpMs,
    bytes: Buffer.byteLength(last),
    samples: sampleLines(last).length,
    cachedEntries: sampleValue(last, 'jmx_scrape_cached_beans') ?? NaN,
  };
}

/** Every variant, round after round (the variants marked `last` once, after the rounds). */
async function measureVariants(url: string, file: string, vs: readonly Variant[], rounds: number, scrapes: number): Promise<Map<string, ScrapeStats>> {
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
      add(v, await measureRound(url, file, v, scrapes));
    }
  for (const v of vs.filter((x) => x.last)) add(v, await measureRound(url, file, v, scrapes));
  return stats;
}

async function waitForPartitions(
  stack: RealStack,
  partitions: number,
  generated: Record<string, unknown>,
  file: string,
  timeoutMs: number,
): Promise<{ mirror: number; lag: number }> {
  writeAgentConfig(file, generated);
  const deadline = Date.now() + timeoutMs;
  let last = { mirror: 0, lag: 0 };
  for (;;) {
    try {
      const { body } = await scrape(stack.workers[0]!.metricsUrl);
      last = {
        mirror: partitionsServed(body, 'kafka_connect_mirror_source_connector_record_count_total'),
        lag: partitionsServed(body, 'kafka_consumer_consumer_fetch_manager_metrics_records_lag'),
      };
      if (last.mirror >= partitions && last.lag >= partitions) return last;
    } catch {
      // the worker is busy starting tasks
    }
    if (Date.now() > deadline)
      throw new Error(`${partitions} partitions not replicated after ${timeoutMs / 1000} s (served: ${JSON.stringify(last)}):\n${stack.describe()}`);
    await sleep(5000);
  }
}

function startTraffic(stack: RealStack, topics: number, dir: string): JavaProcess {
  const list = Array.from({ length: topics }, (_, i) => `${TOPIC_PREFIX}${String(i).padStart(3, '0')}:${PARTITIONS_PER_TOPIC}`).join(',');
  return JavaProcess.start({
    name: `traffic over ${topics} topics`,
    classpath: kafkaClasspath(stack.options.version),
    mainClass: join(JAVA_SOURCES, 'Traffic.java'),
    args: [stack.source.bootstrap, list, String(TRAFFIC_RATE), 'bench-consumers'],
    jvmArgs: ['-Xmx256m', ...loggingFlags(dir, `traffic-${topics}`, 'WARN')],
    logFile: join(dir, `traffic-${topics}.log`),
  });
}

export async function measureExporter(opts: { partitions: readonly number[]; rounds: number; scrapes: number }): Promise<ExporterResults> {
  const dir = mkdtempSync(join(tmpdir(), 'mm2-bench-exporter-'));
  const stack = await RealStack.create({ version: '3.7.2', workers: 1, dir, monitoring: false, workerJvmArgs: CONNECT_JVM });
  const file = join(dir, 'jmx-exporter.yaml');
  const generated = parse(stack.file(SCRAPE_FILES.exporter)) as ExporterConfigShape;
  const before = parse(readFileSync(new URL('./baseline/jmx-exporter.before-issue-13.yaml', import.meta.url), 'utf8')) as ExporterConfigShape;
  const source = stack.flow.connectors.source;
  let traffic: JavaProcess | undefined;
  try {
    log('starting the source and target clusters and one Connect worker with the agent');
    await stack.startKafka();
    await stack.startWorkers();
    const scales: ScaleResult[] = [];
    for (const partitions of [...opts.partitions].sort((a, b) => a - b)) {
      const topics = Math.ceil(partitions / PARTITIONS_PER_TOPIC);
      log(`${partitions} partitions: ${topics} topics of ${PARTITIONS_PER_TOPIC}, ${TRAFFIC_RATE} records/s`);
      await traffic?.stop(10_000);
      traffic = startTraffic(stack, topics, dir);
      if (scales.length === 0) {
        // The generated connector configuration (addresses substituted, single-node replication factors); topics picked up within 10 s.
        await stack.rest.putConfig(source.name, stack.connectorConfig(source));
      }
      const served = await waitForPartitions(stack, topics * PARTITIONS_PER_TOPIC, generated, file, 15 * 60_000);
      await traffic.stop(10_000);
      traffic = undefined;
      await sleep(15_000);
      log(
        `  replicated: ${served.mirror} partitions with MirrorSourceConnector series, ${served.lag} with replication-consumer lag; traffic stopped, scraping`,
      );
      const vs = variants(generated, before);
      const stats = await measureVariants(stack.workers[0]!.metricsUrl, file, vs, opts.rounds, opts.scrapes);
      const results: ScaleResult['variants'] = [];
      for (const v of vs) {
        const s = stats.get(v.id)!;
        const agentSeconds = s.timedOut ? NaN : median(s.agentSeconds);
        const httpMs = s.timedOut ? NaN : median(s.httpMs);
        log(
          `  ${v.id}: ${s.timedOut ? `scrape over ${SCRAPE_LIMIT_MS / 1000} s` : `agent ${agentSeconds.toFixed(3)} s, HTTP ${Math.round(httpMs)} ms, ${s.bytes} bytes, ${s.samples} samples, ${s.cachedEntries} cache entries`}`,
        );
        const { last: _last, config: _config, ...described } = v;
        results.push({ ...described, ...s, medianAgentSeconds: agentSeconds, medianHttpMs: httpMs });
      }
      scales.push({ partitions: topics * PARTITIONS_PER_TOPIC, mirrorPartitions: served.mirror, lagPartitions: served.lag, variants: results });
    }
    return {
      kafka: stack.options.version,
      agent: 'jmx_prometheus_javaagent 1.0.1',
      scrapeTimeout: stack.model.prometheus.scrapeTimeout,
      scrapeInterval: stack.model.prometheus.scrapeInterval,
      tasks: source.tasksMax,
      jvm: CONNECT_JVM.join(' '),
      rounds: opts.rounds,
      scrapesPerRound: opts.scrapes,
      scales,
    };
  } finally {
    await traffic?.stop(10_000);
    await stack.stop();
    if (process.env['MM2_KEEP_REAL_STACK'] === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

/** One variant's median time over another's, in the agent and end to end. */
function timeRatio(scale: ScaleResult, slower: string, faster: string): { agent: number; http: number } {
  const by = (id: string) => scale.variants.find((v) => v.id === id)!;
  return { agent: by(slower).medianAgentSeconds / by(faster).medianAgentSeconds, http: by(slower).medianHttpMs / by(faster).medianHttpMs };
}

/** Catch-all time over generated time: how much faster the generated configuration scrapes. */
export const speedup = (scale: ScaleResult) => timeRatio(scale, 'catch-all', 'generated');

/**
 * Catch-all time over read-only time: the most any configuration reading the MBeans the bundle
 * needs could gain over the catch-all, since it reads them at least.
 */
export const speedupCeiling = (scale: ScaleResult) => timeRatio(scale, 'catch-all', 'read-only');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
  const partitions = (args['partitions'] ?? '1000,5000').split(',').map(Number);
  measureExporter({ partitions, rounds: Number(args['rounds'] ?? 3), scrapes: Number(args['scrapes'] ?? 3) })
    .then((r) => {
      writeFileSync(new URL('./exporter-results.json', import.meta.url), `${JSON.stringify(r, null, 2)}\n`);
      for (const s of r.scales) {
        const x = speedup(s);
        const ceiling = speedupCeiling(s);
        log(
          `${s.partitions} partitions: generated vs catch-all ${x.agent.toFixed(1)}x in the agent, ${x.http.toFixed(1)}x end to end (ceiling from reading alone: ${ceiling.agent.toFixed(1)}x, ${ceiling.http.toFixed(1)}x)`,
        );
      }
    })
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    });
}

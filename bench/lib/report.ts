// bench/RESULTS.md, rendered from the JSON each step of the benchmark writes (bench/run.ts:
// results.json, bench/collectors.ts: collectors-results.json, bench/prometheus-cost.ts:
// prometheus-cost-results.json, bench/build-time.ts: build-time-results.json). Each step calls writeReport() once its JSON is written, so the
// report always holds the last run of every step, each with its own command line, date and machine.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import type { BuildTimeResults } from '../build-time.js';
import type { CollectorResults, CollectorScale, VariantResult } from '../collectors.js';
import type { PrometheusCostResults } from '../prometheus-cost.js';

const BENCH = new URL('../', import.meta.url);

/** Where and how a step ran: written at the top of its JSON and its section. */
export interface RunInfo {
  readonly command: string;
  readonly date: string;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryGiB: number;
    readonly node: string;
    readonly prometheus: string | undefined;
  };
}

export function prometheusVersion(): string | undefined {
  const r = spawnSync('prometheus', ['--version'], { encoding: 'utf8' });
  return (r.stdout || r.stderr || '').split('\n')[0] || undefined;
}

/** The step's command line as run (`npx tsx bench/<script> <args>`) and this machine. */
export function runInfo(script: string): RunInfo {
  return {
    command: `npx tsx ${script}${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}`,
    date: new Date().toISOString().slice(0, 10),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      prometheus: prometheusVersion(),
    },
  };
}

const describe = (r: RunInfo) =>
  `\`${r.command}\` on ${r.date}: ${r.machine.cpus} x ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, ${r.machine.prometheus ?? 'no prometheus'}`;

// ---- results.json (bench/run.ts): dashboards and build ----

/** Median and every run of a timed command, in ms. */
export interface Timing {
  readonly medianMs: number;
  readonly runsMs: number[];
}

export interface BuildTimings {
  readonly npmRunBuild: Timing;
  readonly compileThenBuild?: Timing;
  readonly compileOnly?: Timing;
  readonly generateOnly: Timing;
  readonly generateNoExternal?: Timing;
}

/** One series of a range query's answer. */
export interface RangeSeries {
  readonly metric: Readonly<Record<string, string>>;
  readonly values: readonly (readonly [time: number, value: string])[];
}

export type Difference =
  | { readonly labels: RangeSeries['metric']; readonly missing: string }
  | { readonly labels: RangeSeries['metric']; readonly time: number; readonly recorded: number; readonly raw: number | null };

/** A query's cost in one mode (NaN where it was not run). */
export interface ModeStats {
  readonly samples: number;
  readonly ms: number;
  readonly evalMs: number;
  readonly series: number;
}

export type Mode = 'recorded' | 'raw';

export interface PanelResult {
  readonly panel: string;
  readonly refId: string;
  readonly inlined: string[];
  readonly sameAnswer: boolean;
  readonly firstDifference?: Difference;
  readonly recorded: ModeStats;
  readonly raw: ModeStats;
}

export interface ModeTotals {
  readonly samples: number;
  readonly ms: number;
  readonly evalMs: number;
  readonly slowest: { readonly panel: string; readonly ms: number };
}

export interface DashboardResult {
  readonly file: string;
  readonly title: string;
  readonly variables: Record<string, string>;
  readonly queries: number;
  readonly queriesOnRecordedSignals: number;
  readonly emptyQueries: string[];
  readonly differingAnswers: string[];
  readonly recorded: ModeTotals;
  readonly raw: ModeTotals;
  readonly panels: PanelResult[];
}

export interface ScaleResult {
  readonly partitions: number;
  readonly sampleInterval: string;
  readonly rateWindow: string;
  readonly stepSeconds: number;
  readonly series: number;
  readonly samples: number;
  readonly metrics: string[];
  readonly notSynthesised: string[];
  readonly recordingRules: number;
  readonly backfillSeconds: { readonly openmetrics: number; readonly rules: number };
  readonly dashboards: DashboardResult[];
}

/** What bench/results.json holds. Numbers not measured are NaN in memory, null once written (JSON has no NaN): both render as "not run". */
export interface Results {
  run: RunInfo;
  repeats: number;
  build: BuildTimings;
  scales: ScaleResult[];
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
// `number | null`: the JSON files store NaN (not run) as null.
const ratio = (raw: number | null, rec: number | null) =>
  raw === null || !Number.isFinite(raw) ? 'not run' : rec !== null && rec > 0 ? `${round(raw / rec, raw / rec >= 10 ? 0 : 1)}x` : 'n/a';
const thousands = (n: number | null | undefined) => (n !== null && n !== undefined && Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'not run');
const mib = (bytes: number) => `${round(bytes / 2 ** 20)} MiB`;

function dashboardSections(results: Results): string[] {
  const lines = [
    '## Dashboards over 6 h: recording rules vs raw per-partition queries',
    '',
    `Measured by ${describe(results.run)}. Query times are medians of ${results.repeats} runs after one warm-up.`,
    '',
    "Each panel query of each dashboard, run as `query_range` over 6 h of backfilled data. *Recorded*: the queries as generated, reading the series the bundle's recording rules store. " +
      "*Raw*: the same queries with every recorded signal, and the drill-down's recorded top-15 series (alerts/top-partitions.ts), replaced by its recording rule's expression over the per-partition series (recursively; a range over it becomes a subquery at the evaluation interval): the raw drill-down is the one the dashboards first shipped. " +
      'Series recorded by rules that are not signals (SLO) are read as recorded in both columns: their 30-day windows have no raw form a dashboard could afford. ' +
      "Samples are Prometheus' `totalQueryableSamples` (query stats); times are wall-clock per query, summed over the dashboard.",
    '',
    '| Dashboard | Partitions | Sample interval | Queries (on recorded series) | Samples recorded | Samples raw | Samples raw/recorded | Time recorded (ms) | Time raw (ms) | Time raw/recorded | Slowest panel recorded (ms) | Slowest panel raw (ms) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of results.scales)
    for (const d of s.dashboards)
      lines.push(
        `| ${d.title} | ${thousands(s.partitions)} | ${s.sampleInterval} | ${d.queries} (${d.queriesOnRecordedSignals}) | ${thousands(d.recorded.samples)} | ${thousands(d.raw.samples)} | ${ratio(d.raw.samples, d.recorded.samples)} | ${thousands(d.recorded.ms)} | ${thousands(d.raw.ms)} | ${ratio(d.raw.ms, d.recorded.ms)} | ${thousands(d.recorded.slowest.ms)} (${d.recorded.slowest.panel}) | ${thousands(d.raw.slowest.ms)} (${d.raw.slowest.panel}) |`,
      );
  lines.push(
    '',
    '### Synthetic data',
    '',
    '| Partitions | Sample interval | Rate window | Query step | Series | Samples | Import (s) | Recording rules | Rule backfill (s) |',
    '|---|---|---|---|---|---|---|---|---|',
  );
  for (const s of results.scales)
    lines.push(
      `| ${thousands(s.partitions)} | ${s.sampleInterval} | ${s.rateWindow} | ${s.stepSeconds}s | ${thousands(s.series)} | ${thousands(s.samples)} | ${s.backfillSeconds.openmetrics} | ${s.recordingRules} | ${s.backfillSeconds.rules} |`,
    );
  const s0 = results.scales[0];
  lines.push(
    '',
    `Series: the metrics the bundle's rules and panels read (${s0 ? s0.metrics.length : 0}: ${s0 ? s0.metrics.map((m) => `\`${m}\``).join(', ') : ''}), with the labels of the label contract ` +
      "(src/metrics/names.ts) and the Kafka 3.7 MirrorSourceConnector shape (no `source` tag); 50 partitions per topic, the first flow's 6 source tasks spread round-robin over 3 workers, one consumer group checkpointed per 5 topics. " +
      "The sample interval is the tuning guide's 15 s at 1k partitions and coarser above so that the import stays within minutes on 2 cores; each scale's bundle is built with that scrape and evaluation interval (rate window at least 4 intervals), " +
      'so raw rate() windows hold fewer samples at the larger scales than they would at 15 s: the raw/recorded ratios there are lower bounds.',
  );
  const missing = [...new Set(results.scales.flatMap((s) => s.notSynthesised))];
  if (missing.length)
    lines.push('', `Read by queries but not synthesised (Prometheus' own series, not exporter output): ${missing.map((m) => `\`${m}\``).join(', ')}.`);
  const differing = results.scales.flatMap((s) =>
    s.dashboards.flatMap((d) => d.differingAnswers.map((q) => `${d.title} / ${q} at ${thousands(s.partitions)}`)),
  );
  lines.push(
    '',
    differing.length
      ? `Raw queries whose answer differs from the recorded one (the comparison is not like for like there): ${differing.join('; ')}.`
      : 'Every raw query returned the same series and values as its recorded form at every step after the first hour (where all windows are full): the two columns answer the same question.',
  );
  const empty = results.scales.flatMap((s) => s.dashboards.flatMap((d) => d.emptyQueries.map((q) => `${d.title} / ${q} at ${thousands(s.partitions)}`)));
  if (empty.length) lines.push('', `Queries that returned no series on the synthetic data (healthy cluster, no alert firing): ${empty.join('; ')}.`);
  lines.push('', 'Per-panel numbers are in bench/results.json.');
  return lines;
}

function buildSection(results: Results): string[] {
  const b = results.build;
  if (!Number.isFinite(b.npmRunBuild.medianMs ?? NaN)) return [];
  const ms = (x: Timing) => `${thousands(x.medianMs)} ms (median of ${x.runsMs.length}: ${x.runsMs.join(', ')})`;
  return [
    '## Build',
    '',
    `Measured by ${describe(results.run)}.`,
    '',
    '| What | Time |',
    '|---|---|',
    `| \`npm run build\` now (\`tsx src/bin.ts build\`: generation, every validation, atomic write) | ${ms(b.npmRunBuild)} |`,
    ...(b.compileThenBuild ? [`| the build as it was: \`tsc\`, then \`node dist/bin.js build\` | ${ms(b.compileThenBuild)} |`] : []),
    ...(b.compileOnly ? [`| \`tsc\` alone (\`npm run compile\`) | ${ms(b.compileOnly)} |`] : []),
    `| the compiled CLI alone (\`node dist/bin.js build\`) | ${ms(b.generateOnly)} |`,
    ...(b.generateNoExternal ? [`| the compiled CLI without promtool, amtool and pint (\`--no-external\`) | ${ms(b.generateNoExternal)} |`] : []),
  ];
}

// ---- build-time-results.json (bench/build-time.ts) ----

function buildTimeSection(r: BuildTimeResults): string[] {
  const ms = (x: BuildTimeResults['now']) => `${thousands(x.medianMs)} ms (median of ${x.runsMs.length}: ${x.runsMs.join(', ')})`;
  return [
    '## Build now and before the typed bundle',
    '',
    `Measured by ${describe(r.run)}. The two builds alternate in one run; the earlier one is a git worktree of its commit.`,
    '',
    '| `npm run build` at | Time |',
    '|---|---|',
    `| ${r.before.commit} (builders handed YAML to the next stage, which parsed it back) | ${ms(r.before)} |`,
    `| ${r.now.commit} (now: documents as values, rendered once) | ${ms(r.now)} |`,
    '',
    `Now over before: ${r.ratio.toFixed(2)}.`,
    '',
    `Generated files whose bytes differ between the two builds: ${r.differingFiles.length === 0 ? 'none' : r.differingFiles.map((f) => `\`${f}\``).join(', ')}.`,
  ];
}

// ---- collectors-results.json (bench/collectors.ts) ----

const byId = (s: CollectorScale, id: string): VariantResult | undefined => s.variants.find((v) => v.id === id);

/** One variant's median time over another's, end to end and (both agent variants) in the agent. */
export function timeRatio(scale: CollectorScale, slower: string, faster: string): { agent: number; http: number } {
  const a = byId(scale, slower);
  const b = byId(scale, faster);
  if (!a || !b) return { agent: NaN, http: NaN };
  return { agent: a.medianAgentSeconds / b.medianAgentSeconds, http: a.medianHttpMs / b.medianHttpMs };
}

function collectorsSection(e: CollectorResults): string[] {
  const out = [
    '## Collection on a real worker: the JMX exporter agent and the Strimzi Metrics Reporter',
    '',
    `Measured by ${describe(e.run)}.`,
    '',
    `One Kafka Connect worker (Kafka ${e.kafka}, JVM flags \`${e.jvm}\`: Kafka's defaults for a Connect worker) running the flow's MirrorSourceConnector (${e.tasks} tasks) over topics of 50 partitions, two single-node KRaft clusters (bench/collectors.ts, test/real-stack/), with both collectors in the same JVM: ${e.agent} on one port and ${e.reporter} on another (the reporter in a class loader of its own: the agent's client_java is not shaded). ` +
      'Once every partition is replicated the traffic stops, so that the scrapes do not share the 2 cores with the brokers; the per-partition metrics stay registered. ' +
      `The agent's configuration file is rewritten with each agent variant in turn (it reloads it at its next scrape); ${e.rounds} rounds of every variant interleaved on the same JVM, each variant with ${e.warmupScrapes} warm-up scrapes then ${e.scrapesPerRound} timed scrapes per round; medians over the rounds. ` +
      "*In the agent*: the agent's own `jmx_scrape_duration_seconds` (reading MBeans and matching rules; the reporter has no such figure); *end to end*: the whole scrape as a client sees it, exposition included; *bytes* and *samples* per scrape; *cache entries*: the agent's rule cache (`jmx_scrape_cached_beans`), heap the worker keeps between scrapes. " +
      `Prometheus' scrape timeout in the model: ${e.scrapeTimeout} (interval ${e.scrapeInterval}).`,
    '',
    '| Partitions | Collector | Configuration | In the agent (s) | End to end (ms) | Bytes per scrape | Samples | Cache entries | End to end vs generated agent |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of e.scales) {
    const gen = byId(s, 'generated');
    for (const v of s.variants)
      out.push(
        v.timedOut
          ? `| ${thousands(s.partitions)} | ${v.collector} | ${v.id} | over ${e.scrapeLimitSeconds} s | | | | | |`
          : `| ${thousands(s.partitions)} | ${v.collector} | ${v.id} | ${Number.isFinite(v.medianAgentSeconds ?? NaN) ? v.medianAgentSeconds.toFixed(3) : ''} | ${thousands(v.medianHttpMs)} | ${thousands(v.bytes)} | ${thousands(v.samples)} | ${v.cachedEntries === undefined || v.cachedEntries === null ? '' : thousands(v.cachedEntries)} | ${v.id === 'generated' ? '1x' : gen ? ratio(v.medianHttpMs, gen.medianHttpMs) : ''} |`,
      );
  }
  out.push('');
  for (const s of e.scales) {
    const r = timeRatio(s, 'generated', 'reporter');
    const x = timeRatio(s, 'catch-all', 'generated');
    const ceiling = timeRatio(s, 'catch-all', 'read-only');
    const heap = s.agentCacheHeapBytes;
    const stale = s.served.reporterLagSeries - s.served.reporterLag;
    out.push(
      `- ${thousands(s.partitions)} partitions: the reporter serves the label contract ${Number.isFinite(r.http) ? `${r.http.toFixed(1)}x faster end to end than the generated agent configuration` : '(not measured)'}; ` +
        `the generated agent configuration is ${x.http.toFixed(1)}x faster end to end than the catch-all (${x.agent.toFixed(1)}x in the agent), and reading the same MBeans while exporting nothing (\`read-only\`, the ceiling of any agent configuration) ${ceiling.http.toFixed(1)}x` +
        (heap !== undefined && heap !== null && Number.isFinite(heap)
          ? `; the agent's rule cache holds ${mib(heap)} of the worker's heap (live heap after a full GC with the generated configuration's cache, less with an empty one)`
          : '') +
        (stale > 0
          ? `; the reporter served ${thousands(s.served.reporterLagSeries)} lag series for ${thousands(s.served.reporterLag)} partitions, ${thousands(stale)} of consumers closed since (0.2.0 keeps them).`
          : '.'),
    );
  }
  out.push(
    '',
    'Configurations:',
    '',
    ...[...new Map(e.scales.flatMap((s) => s.variants).map((v) => [v.id, v])).values()].map((v) => `- \`${v.id}\` (${v.collector}): ${v.what}`),
  );
  const largest = e.scales.at(-1);
  if (largest) {
    const timeout = Number.parseFloat(e.scrapeTimeout) * (e.scrapeTimeout.endsWith('m') ? 60 : 1);
    const share = (id: string) => {
      const v = byId(largest, id);
      return v && Number.isFinite(v.medianHttpMs ?? NaN)
        ? `${(v.medianHttpMs / 1000).toFixed(2)} s, ${Math.round((v.medianHttpMs / 10 / timeout) * 1) / 1}% of the ${e.scrapeTimeout} scrape timeout`
        : 'not measured';
    };
    out.push(
      '',
      `At ${thousands(largest.partitions)} partitions on one worker, a scrape end to end: the generated agent configuration ${share('generated')}; the catch-all ${share('catch-all')}; the reporter ${share('reporter')}.`,
    );
  }
  return out;
}

// ---- prometheus-cost-results.json (bench/prometheus-cost.ts) ----

function prometheusSection(r: PrometheusCostResults): string[] {
  const out = [
    "## Prometheus' cost per replicated partition",
    '',
    `Measured by ${describe(r.run)}.`,
    '',
    `A real Prometheus running the bundle as generated (its scrape job, recording and alert rules) scrapes three simulated Connect workers serving the synthetic exporter output of each scale (the label contract's series, as the data of the dashboard benchmark, spread over the workers as Connect spreads the tasks) every ${r.scrapeInterval} for ${r.minutes} minutes, the SLO's outage series backfilled over its 30 days (bench/prometheus-cost.ts). ` +
      "From Prometheus' own metrics at the end of the run: the series in its head (`prometheus_tsdb_head_series`, recorded series included), the samples it appends per second (scraped and recorded, over the second half of the run), its resident memory (`process_resident_memory_bytes`) and Go heap in use; per replicated partition, and between the two scales (the cost of one more partition, the fixed part left out). " +
      `The head keeps filling until its 2-hour block is cut: these are the figures after ${r.minutes} minutes, a lower bound of a steady state. The simulated workers are served by Node on the same 2 cores, so the scrape times include their serving. Rule groups: Prometheus' own evaluation time (/api/v1/rules), median over the run; an evaluation that takes longer than its interval delays the next.`,
    '',
    '| Partitions | Series served | Head series | Samples/s | Resident memory | Go heap in use | Median scrape (s) |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const s of r.scales)
    out.push(
      `| ${thousands(s.partitions)} | ${thousands(s.servedSeries)} | ${thousands(s.headSeries)} | ${thousands(s.samplesPerSecond)} | ${mib(s.residentBytes)} | ${mib(s.heapInuseBytes)} | ${round(s.scrapeSeconds, 3)} |`,
    );
  out.push('', '| Per replicated partition | Head series | Samples/s | Resident memory (bytes) | Go heap in use (bytes) |', '|---|---|---|---|---|');
  for (const s of r.scales)
    out.push(
      `| at ${thousands(s.partitions)} | ${round(s.headSeries / s.partitions, 2)} | ${round(s.samplesPerSecond / s.partitions, 3)} | ${thousands(s.residentBytes / s.partitions)} | ${thousands(s.heapInuseBytes / s.partitions)} |`,
    );
  for (let i = 1; i < r.scales.length; i++) {
    const a = r.scales[i - 1]!;
    const b = r.scales[i]!;
    const d = b.partitions - a.partitions;
    out.push(
      `| one more, from ${thousands(a.partitions)} to ${thousands(b.partitions)} | ${round((b.headSeries - a.headSeries) / d, 2)} | ${round((b.samplesPerSecond - a.samplesPerSecond) / d, 3)} | ${thousands((b.residentBytes - a.residentBytes) / d)} | ${thousands((b.heapInuseBytes - a.heapInuseBytes) / d)} |`,
    );
  }
  out.push(
    '',
    '| Partitions | Group | Interval (s) | Rules | Evaluation (ms) | Evaluations | Evaluation time per minute (ms) |',
    '|---|---|---|---|---|---|---|',
  );
  for (const s of r.scales)
    for (const g of s.groups)
      out.push(
        `| ${thousands(s.partitions)} | ${g.group} | ${g.intervalSeconds} | ${g.rules} | ${round(g.medianSeconds * 1000)} | ${g.evaluations} | ${thousands(g.secondsPerMinute * 1000)} |`,
      );
  return out;
}

// ---- the report ----

function readJson<T>(file: string, valid: (x: Record<string, unknown>) => boolean): T | undefined {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(new URL(file, BENCH), 'utf8'));
  } catch {
    return undefined;
  }
  // Each step writes its own typed output; a file of another shape (an older run) is left out.
  return typeof json === 'object' && json !== null && !Array.isArray(json) && valid(json as Record<string, unknown>) ? (json as T) : undefined;
}

const hasRun = (x: Record<string, unknown>) => typeof x['run'] === 'object' && Array.isArray(x['scales']);

/** Re-renders bench/RESULTS.md from the steps' JSON files. */
export function writeReport(): void {
  const dashboards = readJson<Results>('results.json', hasRun);
  const collectors = readJson<CollectorResults>('collectors-results.json', hasRun);
  const prometheus = readJson<PrometheusCostResults>('prometheus-cost-results.json', hasRun);
  const buildTime = readJson<BuildTimeResults>('build-time-results.json', (x) => typeof x['run'] === 'object' && typeof x['ratio'] === 'number');
  const steps = [
    ...(collectors ? [collectors.run] : []),
    ...(prometheus ? [prometheus.run] : []),
    ...(dashboards ? [dashboards.run] : []),
    ...(buildTime ? [buildTime.run] : []),
  ];
  const lines = [
    '# Benchmark results',
    '',
    'Written by the scripts that measured them; each section names its command line, date and machine. Runs:',
    '',
    ...steps.map((r) => `- ${describe(r)}`),
    ...(collectors ? ['', ...collectorsSection(collectors)] : []),
    ...(prometheus ? ['', ...prometheusSection(prometheus)] : []),
    ...(dashboards ? ['', ...dashboardSections(dashboards), '', ...buildSection(dashboards)] : []),
    ...(buildTime ? ['', ...buildTimeSection(buildTime)] : []),
    '',
  ];
  writeFileSync(new URL('RESULTS.md', BENCH), lines.join('\n'));
}

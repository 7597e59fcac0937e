// The benchmark behind the README's numbers (`npm run bench`: bench/exporter.ts and
// bench/rule-eval.ts, whose results this script puts in the same report, then this script, all
// run from the sources with tsx):
//   1. `npm run build` wall time, beside the build as it was (tsc, then the compiled CLI), tsc
//      alone and the compiled CLI alone (with and without promtool, amtool and pint);
//   2. for 1k, 10k and 50k replicated partitions: 6 h of synthetic exporter output backfilled
//      with `promtool tsdb create-blocks-from openmetrics`, the bundle's recording rules
//      backfilled with `promtool tsdb create-blocks-from rules`, then every panel query of each
//      dashboard run over the 6 h against a real Prometheus on 127.0.0.1, as generated (reading
//      recorded series) and with each recorded signal replaced by its raw per-partition
//      expression; samples touched (query stats) and query time, side by side.
// Run alone with `npx tsx bench/run.ts [options]`. Writes bench/RESULTS.md and
// bench/results.json. Options: --report-only (re-render RESULTS.md
// from results.json and the steps' JSON files) --scales=1000,10000 --repeats=3
// --skip-build --raw-oncall-max=N (no raw column for the on-call dashboard above N partitions:
// it takes minutes per query at 50k; `npm run bench` passes 10000).
import { type SpawnOptions, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { buildBundle } from '../src/bundle/bundle.js';
import type { GeneratedFile } from '../src/bundle/files.js';
import { SCRAPE_FILES } from '../src/bundle/paths.js';
import { type PanelQuery, type Rule, readPanelQueries, readRules } from '../src/bundle/read.js';
import { TOP_SERIES_RECORDS } from '../src/conventions/names.js';
import type { ExporterConfig } from '../src/metrics/jmx-exporter.js';
import { METRICS, type MetricKey } from '../src/metrics/names.js';
import { durationSeconds, formatSeconds } from '../src/model/duration.js';
import { loadModel } from '../src/model/load.js';
import type { Model } from '../src/model/model.js';
import { type GrafanaSubstitution, substituteGrafanaVariables } from '../src/promql/grafana.js';
import { type ExporterResults, speedup, speedupCeiling } from './exporter.js';
import { inlineRecorded } from './lib/inline.js';
import { apiGet, type PrometheusServer, requireTool, startPrometheus } from './lib/prometheus.js';
import { assertShapedLikeExporter, seriesOf, syntheticCluster, writeOpenMetrics } from './lib/synthetic.js';
import { resolveVariables } from './lib/variables.js';
import type { RuleEvalResults } from './rule-eval.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');

// Sample interval per scale: the tuning guide's 15 s where the backfill stays within minutes on 2 cores,
// coarser above (the model is built with that scrape/evaluation interval, so rate windows
// and Grafana's $__rate_interval follow). promtool imports about 0.4 M samples/s per core.
interface Scale {
  readonly partitions: number;
  readonly interval: string;
}

const SCALES: readonly Scale[] = [
  { partitions: 1_000, interval: '15s' },
  { partitions: 10_000, interval: '1m' },
  { partitions: 50_000, interval: '2m' },
];
const RANGE_SECONDS = 6 * 3600;
// Grafana's step for a 6 h panel about 720 px wide is 30 s, never below the scrape interval.
const MAX_DATA_POINTS = 720;
// The longest window a signal reads (rebalances per hour): raw and recorded answers are compared after it.
const WINDOWS_FULL_AFTER = 3600;

const args: Partial<Record<string, string>> = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k = '', v = 'true'] = a.replace(/^--/, '').split('=');
    return [k, v];
  }),
);
const scalesArg = args.scales;
const scales = scalesArg ? SCALES.filter((s) => scalesArg.split(',').map(Number).includes(s.partitions)) : SCALES;
const REPEATS = Number(args.repeats ?? 3);
// The raw on-call dashboard takes minutes per run at 50k partitions (332 s in the first run): above this
// many partitions only the drill-down gets its raw comparison column.
const RAW_ONCALL_MAX = Number(args['raw-oncall-max'] ?? Infinity);

const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function run(cmd: string, argv: readonly string[], opts: SpawnOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d));
    child.stderr?.on('data', (d: Buffer) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${argv.join(' ')} exited ${code}:\n${out.slice(-3000)}`))));
  });
}

/** Median and every run of a timed command, in ms. */
interface Timing {
  readonly medianMs: number;
  readonly runsMs: number[];
}

interface BuildTimings {
  readonly npmRunBuild: Timing;
  readonly compileThenBuild?: Timing;
  readonly compileOnly?: Timing;
  readonly generateOnly: Timing;
  readonly generateNoExternal?: Timing;
}

function timeSync(cmd: string, argv: readonly string[], n: number): Timing {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd, argv, { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed:\n${r.stdout}${r.stderr}`);
    times.push(performance.now() - t0);
  }
  return { medianMs: Math.round(median(times)), runsMs: times.map(Math.round) };
}

function measureBuild(work: string): BuildTimings {
  const out = join(work, 'build-out');
  log('timing npm run build (5 runs), the build as it was (tsc, then the compiled CLI; 3 runs), tsc alone and the compiled CLI alone');
  return {
    npmRunBuild: timeSync('npm', ['run', '-s', 'build', '--', '--out', out], 5),
    // Also writes the dist/ that the timings of the compiled CLI below run.
    compileThenBuild: timeSync('sh', ['-c', `npm run -s compile && node dist/bin.js build --out ${out}`], 3),
    compileOnly: timeSync('npm', ['run', '-s', 'compile'], 3),
    generateOnly: timeSync(process.execPath, ['dist/bin.js', 'build', '--out', out], 5),
    generateNoExternal: timeSync(process.execPath, ['dist/bin.js', 'build', '--no-external', '--out', out], 5),
  };
}

type JsonObject = Readonly<Record<string, unknown>>;

const isObject = (x: unknown): x is JsonObject => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The exporter step's results as its JSON file holds them (a note may be added by hand). */
type ExporterStep = ExporterResults & { readonly note?: string };

/**
 * Results of the other steps of `npm run bench` (bench/exporter.ts, bench/rule-eval.ts), written
 * just before this script runs; undefined when the step has not run (or wrote something else).
 */
function readStep(file: 'exporter-results.json'): ExporterStep | undefined;
function readStep(file: 'rule-eval-results.json'): RuleEvalResults | undefined;
function readStep(file: string): ExporterStep | RuleEvalResults | undefined {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(join(HERE, file), 'utf8'));
  } catch {
    return undefined;
  }
  // Both steps write an object with a list of scales or groups; the rest is their own typed output.
  if (!isObject(json)) return undefined;
  if (file === 'exporter-results.json') return Array.isArray(json.scales) ? (json as unknown as ExporterStep) : undefined;
  return Array.isArray(json.groups) ? (json as unknown as RuleEvalResults) : undefined;
}

function modelFor(interval: string): Model {
  const seconds = durationSeconds(interval);
  return loadModel(
    {
      prometheus: {
        scrapeInterval: interval,
        evaluationInterval: interval,
        scrapeTimeout: seconds < 10 ? interval : '10s',
        rateWindow: formatSeconds(Math.max(300, 4 * seconds)),
      },
    },
    `bench ${interval}`,
  );
}

/** Recording rules in dependency order: level 0 reads only raw series, level n reads level < n. */
function levels(recording: readonly Rule[]): Rule[][] {
  const byName = new Map<string, Rule[]>();
  for (const r of recording) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  const memo = new Map<string, number>();
  const level = (name: string, stack: readonly string[] = []): number => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    if (stack.includes(name)) throw new Error(`recording rules read each other in a cycle: ${[...stack, name].join(' -> ')}`);
    let l = 0;
    for (const r of byName.get(name) ?? []) for (const dep of r.reads) if (byName.has(dep)) l = Math.max(l, level(dep, [...stack, name]) + 1);
    memo.set(name, l);
    return l;
  };
  const out: Rule[][] = [];
  for (const r of recording) {
    const l = level(r.name);
    out[l] ??= [];
    out[l].push(r);
  }
  return out;
}

async function backfillRaw(model: Model, scale: Scale, dataDir: string, work: string, start: number) {
  const files: GeneratedFile[] = [...buildBundle(model)].map(([path, content]) => ({ path, content }));
  const recording = readRules(files).filter((r) => r.kind === 'record');
  const recordedNames = new Set(recording.map((r) => r.name));
  // Which metrics the panels read does not depend on the variables' values: the model's samples do.
  const queries = readPanelQueries(files, model);
  const read = new Set([...recording, ...queries].flatMap((x) => [...x.reads]).filter((n) => !recordedNames.has(n)));
  const keyOf = new Map(Object.entries(METRICS).map(([k, d]) => [d.name, k as MetricKey]));
  const keys = [...read].flatMap((n) => keyOf.get(n) ?? []).sort();
  const notSynthesised = [...read].filter((n) => !keyOf.has(n)).sort();
  const cluster = syntheticCluster(model, { partitions: scale.partitions });
  const series = keys.flatMap((k) => seriesOf(model, cluster, k));
  const exporterFile = files.find((f) => f.path === SCRAPE_FILES.exporter);
  if (!exporterFile) throw new Error(`the bundle has no ${SCRAPE_FILES.exporter}`);
  // The bundle's own output, validated when it was built.
  assertShapedLikeExporter(model, parse(exporterFile.content) as ExporterConfig, series);
  const step = durationSeconds(model.prometheus.scrapeInterval);
  log(`${scale.partitions} partitions: ${series.length} series of ${keys.length} metrics every ${scale.interval} over 6 h`);
  // One file per 2 h block: promtool reads its input once per block it writes.
  const t0 = performance.now();
  let samples = 0;
  const importing: Promise<void>[] = [];
  for (let from = start; from < start + RANGE_SECONDS; from += 7200) {
    const file = join(work, `window-${from}.om`);
    samples += await writeOpenMetrics(file, series, { fromSec: from, toSec: from + 7200, stepSec: step, originSec: start });
    if (importing.length >= 2) await importing.shift();
    importing.push(run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '-q', file, dataDir]).then(() => rmSync(file)));
  }
  await Promise.all(importing);
  return {
    files,
    recording,
    queries,
    series: series.length,
    samples,
    metrics: keys.map((k) => METRICS[k].name),
    notSynthesised,
    seconds: (performance.now() - t0) / 1000,
  };
}

async function startOn(dataDir: string, work: string, model: Model): Promise<PrometheusServer> {
  const configFile = join(work, 'prometheus.yml');
  writeFileSync(
    configFile,
    stringify({ global: { scrape_interval: model.prometheus.scrapeInterval, evaluation_interval: model.prometheus.evaluationInterval } }),
  );
  return startPrometheus({
    configFile,
    storageDir: dataDir,
    logFile: join(work, 'prometheus.log'),
    // Blocks are in the past: keep them; let raw 50k-partition queries run to the end.
    args: ['--storage.tsdb.retention.time=30d', '--query.max-samples=2000000000', '--query.timeout=30m'],
    readyTimeoutMs: 300_000,
  });
}

async function backfillRules(model: Model, recording: readonly Rule[], dataDir: string, work: string, start: number, server: PrometheusServer) {
  const t0 = performance.now();
  for (const [i, rules] of levels(recording).entries()) {
    const file = join(work, `rules-${i}.yaml`);
    const group = {
      name: `level-${i}`,
      interval: model.prometheus.evaluationInterval,
      rules: rules.map((r) => ({ record: r.name, expr: r.expr, ...(Object.keys(r.labels).length ? { labels: r.labels } : {}) })),
    };
    writeFileSync(file, stringify({ groups: [group] }));
    const out = join(work, `rules-${i}`);
    log(`  recording rules level ${i}: ${rules.length} rules`);
    await run('promtool', [
      'tsdb',
      'create-blocks-from',
      'rules',
      `--url=${server.url}`,
      `--start=${start}`,
      `--end=${start + RANGE_SECONDS}`,
      `--output-dir=${out}`,
      `--eval-interval=${model.prometheus.evaluationInterval}`,
      '-q',
      file,
    ]);
    // The next level reads this one's series: restart Prometheus on the new blocks.
    await server.stop();
    for (const block of readdirSync(out)) renameSync(join(out, block), join(dataDir, block));
    server = await startOn(dataDir, work, model);
  }
  return { server, seconds: (performance.now() - t0) / 1000 };
}

/** One series of a range query's answer. */
interface RangeSeries {
  readonly metric: Readonly<Record<string, string>>;
  readonly values: readonly (readonly [time: number, value: string])[];
}

/** `data` of a range query with `stats=all`, as far as the benchmark reads it. */
interface QueryRangeData {
  readonly result: RangeSeries[];
  readonly stats: { readonly timings: { readonly evalTotalTime: number }; readonly samples: { readonly totalQueryableSamples: number } };
}

interface QueryRange {
  readonly start: number;
  readonly end: number;
  readonly step: number;
}

async function queryStats(url: string, expr: string, range: QueryRange) {
  const t0 = performance.now();
  const data = await apiGet<QueryRangeData>(url, 'query_range', { query: expr, ...range, stats: 'all' });
  return {
    ms: performance.now() - t0,
    evalMs: data.stats.timings.evalTotalTime * 1000,
    samples: data.stats.samples.totalQueryableSamples,
    series: data.result.length,
    result: data.result,
  };
}

/**
 * Where the raw form stops answering what the recorded form answers, if anywhere: every
 * recorded series must have a raw series with the same labels and values at every step. (Raw
 * answers may hold more series: non-flow matchers on recorded series are not applied to the
 * inlined expression.) Steps before `from` are skipped: at the start of the data, windows are
 * partly empty and Prometheus and promtool's rule importer extrapolate them differently.
 */
type Difference =
  | { readonly labels: RangeSeries['metric']; readonly missing: string }
  | { readonly labels: RangeSeries['metric']; readonly time: number; readonly recorded: number; readonly raw: number | null };

function firstDifference(recorded: readonly RangeSeries[], raw: readonly RangeSeries[], from: number): Difference | undefined {
  // A recorded series carries its record name; the expression it was computed from carries none.
  const key = (m: RangeSeries['metric']) =>
    JSON.stringify(
      Object.entries(m)
        .filter(([k]) => k !== '__name__')
        .sort(),
    );
  const byLabels = new Map(raw.map((s): [string, Map<number, number>] => [key(s.metric), new Map(s.values.map(([t, v]): [number, number] => [t, Number(v)]))]));
  for (const s of recorded) {
    const other = byLabels.get(key(s.metric));
    if (!other) return { labels: s.metric, missing: 'no raw series with these labels' };
    for (const [t, v] of s.values) {
      if (t <= from) continue;
      const a = Number(v);
      const b = other.get(t);
      const same = b !== undefined && (a === b || (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a)));
      if (!same) return { labels: s.metric, time: t, recorded: a, raw: b ?? null };
    }
  }
  return undefined;
}

/** A query's cost in one mode (NaN where it was not run). */
interface ModeStats {
  readonly samples: number;
  readonly ms: number;
  readonly evalMs: number;
  readonly series: number;
}

type Mode = 'recorded' | 'raw';

interface PanelResult {
  readonly panel: string;
  readonly refId: string;
  readonly inlined: string[];
  readonly sameAnswer: boolean;
  readonly firstDifference?: Difference;
  readonly recorded: ModeStats;
  readonly raw: ModeStats;
}

interface ModeTotals {
  readonly samples: number;
  readonly ms: number;
  readonly evalMs: number;
  readonly slowest: { readonly panel: string; readonly ms: number };
}

interface DashboardResult {
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

async function measureDashboards(
  server: PrometheusServer,
  model: Model,
  files: readonly GeneratedFile[],
  signalRules: ReadonlyMap<string, readonly Rule[]>,
  start: number,
  partitions: number,
) {
  const step = Math.max(durationSeconds(model.prometheus.scrapeInterval), RANGE_SECONDS / MAX_DATA_POINTS);
  const range = { start, end: start + RANGE_SECONDS, step };
  const dashboards: DashboardResult[] = [];
  for (const file of files.filter((f) => f.path.startsWith('dashboards/') && f.path.endsWith('.json'))) {
    const json: unknown = JSON.parse(file.content);
    if (!isObject(json) || !Array.isArray(json.panels)) continue;
    // Opened on its defaults ("All" everywhere), over 6 h.
    const substitution = (variables: Readonly<Record<string, string>>): GrafanaSubstitution => ({
      scrapeInterval: model.prometheus.scrapeInterval,
      range: formatSeconds(RANGE_SECONDS),
      variables,
    });
    const variables = await resolveVariables(server.url, json, range, (expr, vars) => substituteGrafanaVariables(expr, substitution(vars)));
    const qs = readPanelQueries([file], model, substitution(variables));
    const panels: PanelResult[] = [];
    const withRaw = !file.path.includes('replication') || partitions <= RAW_ONCALL_MAX;
    for (const q of qs) {
      const raw = inlineRecorded(q.expr, signalRules, model.prometheus.evaluationInterval);
      const notRun: ModeStats = { samples: NaN, ms: NaN, evalMs: NaN, series: NaN };
      const modes: Record<Mode, ModeStats> = { recorded: notRun, raw: notRun };
      const answers: Record<Mode, RangeSeries[]> = { recorded: [], raw: [] };
      const runModes: [Mode, string][] = withRaw
        ? [
            ['recorded', q.expr],
            ['raw', raw.expr],
          ]
        : [['recorded', q.expr]];
      for (const [mode, expr] of runModes) {
        answers[mode] = (await queryStats(server.url, expr, range)).result; // also warms the page cache and the postings
        const runs = [];
        for (let i = 0; i < REPEATS; i++) runs.push(await queryStats(server.url, expr, range));
        const firstRun = runs[0];
        if (!firstRun) throw new Error(`--repeats=${REPEATS}: at least one timed run is needed`);
        modes[mode] = {
          samples: firstRun.samples,
          ms: round(median(runs.map((r) => r.ms))),
          evalMs: round(median(runs.map((r) => r.evalMs))),
          series: firstRun.series,
        };
      }
      const difference = withRaw ? firstDifference(answers.recorded, answers.raw, start + WINDOWS_FULL_AFTER) : undefined;
      // Key order as written to results.json: raw before recorded (the raw placeholder came first).
      panels.push({
        panel: q.panel,
        refId: q.refId,
        inlined: raw.inlined,
        sameAnswer: difference === undefined,
        ...(difference && { firstDifference: difference }),
        raw: modes.raw,
        recorded: modes.recorded,
      });
    }
    const sum = (mode: Mode, k: keyof ModeStats) => round(panels.reduce((s, p) => s + p[mode][k], 0));
    // A panel's time is the sum of its queries' (Grafana runs them together, Prometheus one by one on 2 cores).
    const slowest = (mode: Mode) => {
      const byPanel = new Map<string, number>();
      for (const p of panels) byPanel.set(p.panel, (byPanel.get(p.panel) ?? 0) + p[mode].ms);
      const top = [...byPanel].sort((a, b) => b[1] - a[1])[0];
      if (!top) throw new Error(`${file.path}: no panel query to time`);
      const [panel, ms] = top;
      return { panel, ms: round(ms) };
    };
    const first: PanelQuery | undefined = qs[0];
    if (!first) throw new Error(`${file.path}: a dashboard with panels but no query`);
    dashboards.push({
      file: file.path,
      title: first.dashboard,
      variables: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, v.length > 200 ? `${v.slice(0, 200)}... (${v.length} chars)` : v])),
      queries: panels.length,
      queriesOnRecordedSignals: panels.filter((p) => p.inlined.length > 0).length,
      emptyQueries: panels.filter((p) => p.recorded.series === 0).map((p) => `${p.panel} (${p.refId})`),
      differingAnswers: panels.filter((p) => p.inlined.length > 0 && !p.sameAnswer).map((p) => `${p.panel} (${p.refId})`),
      recorded: { samples: sum('recorded', 'samples'), ms: sum('recorded', 'ms'), evalMs: sum('recorded', 'evalMs'), slowest: slowest('recorded') },
      raw: { samples: sum('raw', 'samples'), ms: sum('raw', 'ms'), evalMs: sum('raw', 'evalMs'), slowest: slowest('raw') },
      panels,
    });
  }
  return { step, dashboards };
}

interface ScaleResult {
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

async function runScale(scale: Scale, root: string, start: number): Promise<ScaleResult> {
  const work = join(root, `p${scale.partitions}`);
  const dataDir = join(work, 'data');
  mkdirSync(dataDir, { recursive: true });
  const model = modelFor(scale.interval);
  let server: PrometheusServer | undefined;
  try {
    const raw = await backfillRaw(model, scale, dataDir, work, start);
    log(`  ${raw.samples} samples imported in ${round(raw.seconds)} s`);
    server = await startOn(dataDir, work, model);
    const rules = await backfillRules(model, raw.recording, dataDir, work, start, server);
    server = rules.server;
    log(`  recorded series backfilled in ${round(rules.seconds)} s; querying ${raw.queries.length} panel queries, twice`);
    // Raw: every recorded signal, and the drill-down's recorded top-N series, replaced by what they record from.
    const signalRecords = new Set([
      ...model.signals.map((s) => s.def.record),
      ...Object.values(TOP_SERIES_RECORDS.mirror),
      TOP_SERIES_RECORDS.consumerLag,
      TOP_SERIES_RECORDS.checkpointLatencyMax,
    ]);
    const signalRules = new Map<string, Rule[]>();
    for (const r of raw.recording) if (signalRecords.has(r.name)) signalRules.set(r.name, [...(signalRules.get(r.name) ?? []), r]);
    const measured = await measureDashboards(server, model, raw.files, signalRules, start, scale.partitions);
    return {
      partitions: scale.partitions,
      sampleInterval: scale.interval,
      rateWindow: model.prometheus.rateWindow,
      stepSeconds: measured.step,
      series: raw.series,
      samples: raw.samples,
      metrics: raw.metrics,
      notSynthesised: raw.notSynthesised,
      recordingRules: raw.recording.length,
      backfillSeconds: { openmetrics: round(raw.seconds), rules: round(rules.seconds) },
      dashboards: measured.dashboards,
    };
  } finally {
    if (server) await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** What bench/results.json holds. Numbers not measured are NaN in memory, null once written (JSON has no NaN): both render as "not run". */
interface Results {
  date: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; prometheus: string | undefined };
  repeats: number;
  command?: string;
  build: BuildTimings;
  exporter: ExporterStep | undefined;
  ruleEvaluation: RuleEvalResults | undefined;
  scales: ScaleResult[];
}

// `number | null`: results.json stores NaN (not run) as null.
const ratio = (raw: number | null, rec: number | null) =>
  raw === null || !Number.isFinite(raw) ? 'not run' : rec !== null && rec > 0 ? `${round(raw / rec, raw / rec >= 10 ? 0 : 1)}x` : 'n/a';
const thousands = (n: number | null) => (n !== null && Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'not run');

function markdown(results: Results): string {
  const lines = [
    '# Benchmark results',
    '',
    `Measured by ${results.command ?? '`npm run bench` (bench/run.ts)'} on ${results.date}: ${results.machine.cpus} x ${results.machine.cpuModel}, ${results.machine.memoryGiB} GiB, Node ${results.machine.node}, ${results.machine.prometheus}. One run; query times are medians of ${results.repeats} runs after one warm-up.`,
    '',
    '## Dashboards over 6 h: recording rules vs raw per-partition queries',
    '',
    "Each panel query of each dashboard, run as `query_range` over 6 h of backfilled data. *Recorded*: the queries as generated, reading the series the bundle's recording rules store. " +
      "*Raw*: the same queries with every recorded signal, and the drill-down's recorded top-15 series (alerts/top-partitions.ts), replaced by its recording rule's expression over the per-partition series (recursively; a range over it becomes a subquery at the evaluation interval): the raw drill-down is the one issue 13 started from. " +
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
    '## Synthetic data',
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
  if (results.exporter) lines.push('', ...exporterSection(results.exporter));
  if (results.ruleEvaluation) lines.push('', ...ruleSection(results.ruleEvaluation));
  const b = results.build;
  const ms = (x: Timing) => `${thousands(x.medianMs)} ms (median of ${x.runsMs.length}: ${x.runsMs.join(', ')})`;
  lines.push(
    '',
    '## Build',
    '',
    '| What | Time |',
    '|---|---|',
    `| \`npm run build\` now (\`tsx src/bin.ts build\`: generation, every validation, atomic write) | ${ms(b.npmRunBuild)} |`,
    ...(b.compileThenBuild ? [`| the build as it was: \`tsc\`, then \`node dist/bin.js build\` | ${ms(b.compileThenBuild)} |`] : []),
    ...(b.compileOnly ? [`| \`tsc\` alone (\`npm run compile\`) | ${ms(b.compileOnly)} |`] : []),
    `| the compiled CLI alone (\`node dist/bin.js build\`) | ${ms(b.generateOnly)} |`,
    ...(b.generateNoExternal ? [`| the compiled CLI without promtool, amtool and pint (\`--no-external\`) | ${ms(b.generateNoExternal)} |`] : []),
    '',
    'Per-panel numbers are in bench/results.json.',
    '',
  );
  return lines.join('\n');
}

function exporterSection(e: ExporterStep): string[] {
  const out = [
    '## Exporter scrape on the real agent',
    '',
    `One Kafka Connect worker (Kafka ${e.kafka}, JVM flags \`${e.jvm}\`: Kafka's defaults for a Connect worker) with ${e.agent}, running the flow's MirrorSourceConnector (${e.tasks} tasks) over topics of 50 partitions, two single-node KRaft clusters (bench/exporter.ts, test/real-stack/). ` +
      'Once every partition is replicated the traffic stops, so that the scrapes do not share the 2 cores with the brokers; the per-partition MBeans stay registered. ' +
      `The agent's configuration file is rewritten with each variant in turn (the agent reloads it at its next scrape), ${e.rounds} rounds of every variant interleaved on the same JVM, ${e.scrapesPerRound} timed scrapes per round after warm-up; medians over the rounds. ` +
      `*Agent*: the agent's own \`jmx_scrape_duration_seconds\` (reading MBeans and matching rules); *HTTP*: the whole scrape as a client sees it (plus the text exposition); *cache entries*: the agent's rule cache (\`jmx_scrape_cached_beans\`), heap the worker keeps between scrapes. Prometheus' scrape timeout in the model: ${e.scrapeTimeout} (interval ${e.scrapeInterval}).`,
    '',
    '| Partitions | Configuration | Agent (s) | HTTP (ms) | Bytes per scrape | Samples | Cache entries | Agent time vs generated | HTTP time vs generated |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of e.scales) {
    const gen = s.variants.find((v) => v.id === 'generated');
    if (!gen) throw new Error(`exporter results at ${s.partitions} partitions: no generated variant`);
    for (const v of s.variants)
      out.push(
        v.timedOut
          ? `| ${thousands(s.partitions)} | ${v.id} | over 90 s | | | | | | |`
          : `| ${thousands(s.partitions)} | ${v.id} | ${v.medianAgentSeconds.toFixed(3)} | ${thousands(v.medianHttpMs)} | ${thousands(v.bytes)} | ${thousands(v.samples)} | ${thousands(v.cachedEntries)} | ${v.id === 'generated' ? '1x' : ratio(v.medianAgentSeconds, gen.medianAgentSeconds)} | ${v.id === 'generated' ? '1x' : ratio(v.medianHttpMs, gen.medianHttpMs)} |`,
      );
  }
  out.push('');
  for (const s of e.scales) {
    const x = speedup(s);
    const ceiling = speedupCeiling(s);
    out.push(
      `- ${thousands(s.partitions)} partitions: catch-all time over generated time, ${x.agent.toFixed(1)}x in the agent and ${x.http.toFixed(1)}x end to end; ` +
        `catch-all time over the time of reading the same MBeans and exporting nothing (\`read-only\`), ${ceiling.agent.toFixed(1)}x and ${ceiling.http.toFixed(1)}x: the most any configuration that reads them could gain over the catch-all.`,
    );
  }
  out.push('', 'Configurations:', '', ...(e.scales[0]?.variants ?? []).map((v) => `- \`${v.id}\`: ${v.what}`));
  if (e.note) out.push('', e.note);
  return out;
}

function ruleSection(r: RuleEvalResults): string[] {
  const out = [
    '## Rule evaluation',
    '',
    `The bundle's rule files evaluated by a real Prometheus over synthetic exporter output of ${thousands(r.partitions)} replicated partitions scraped every ${r.scrapeInterval}, the SLO's outage series backfilled over its 30-day period (bench/rule-eval.ts), for ${r.minutes} minutes. ` +
      "Each group's evaluation time is Prometheus' own (`prometheus_rule_group_last_duration_seconds`, read from /api/v1/rules), median over the run. " +
      'Baseline in the same Prometheus: the SLO recording rules as one group at the evaluation interval, as before issue 13, recorded under `bench_before_` names.',
    '',
    '| Group | Layout | Interval (s) | Rules | Evaluation (ms) | Evaluations | Evaluation time per minute (ms) |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const g of r.groups)
    out.push(
      `| ${g.group} | ${g.layout} | ${g.intervalSeconds} | ${g.rules} | ${round(g.medianSeconds * 1000)} | ${g.evaluations} | ${thousands(g.secondsPerMinute * 1000)} |`,
    );
  const before = r.groups.filter((g) => g.layout === 'before').reduce((a, g) => a + g.secondsPerMinute, 0);
  const after = r.groups.filter((g) => g.group.startsWith('mm2-slo-') && g.group !== 'mm2-slo-alerts').reduce((a, g) => a + g.secondsPerMinute, 0);
  out.push(
    '',
    `SLO recording rules: ${thousands(before * 1000)} ms of evaluation per minute before, ${thousands(after * 1000)} ms after (${ratio(before, after)} less).`,
  );
  return out;
}

async function main() {
  if (args['report-only']) {
    // Re-renders RESULTS.md from results.json with the current exporter and rule-evaluation steps' results.
    const json: unknown = JSON.parse(readFileSync(join(HERE, 'results.json'), 'utf8'));
    if (!isObject(json) || !Array.isArray(json.scales) || !isObject(json.machine) || !isObject(json.build))
      throw new Error('bench/results.json: expected the results of a run (machine, build, scales)');
    // Written by this script (the Results type) and only re-rendered here.
    const results = json as unknown as Results;
    results.command ??= args.command;
    results.exporter = readStep('exporter-results.json');
    results.ruleEvaluation = readStep('rule-eval-results.json');
    writeFileSync(join(HERE, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(HERE, 'RESULTS.md'), markdown(results));
    return;
  }
  requireTool('promtool');
  requireTool('prometheus');
  const root = mkdtempSync(join(tmpdir(), 'mm2-bench-'));
  try {
    const build: BuildTimings = args['skip-build']
      ? { npmRunBuild: { medianMs: NaN, runsMs: [] }, generateOnly: { medianMs: NaN, runsMs: [] } }
      : measureBuild(root);
    // 6 h aligned on 2 h blocks, ending at least an hour ago: Prometheus serves them from blocks only.
    const start = Math.floor((Date.now() / 1000 - 7 * 3600) / 86_400) * 86_400;
    const results: Results = {
      date: new Date().toISOString().slice(0, 10),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        prometheus:
          spawnSync('prometheus', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] ||
          spawnSync('prometheus', ['--version'], { encoding: 'utf8' }).stderr.split('\n')[0],
      },
      repeats: REPEATS,
      command: `\`npx tsx bench/run.ts ${process.argv.slice(2).join(' ')}\``,
      build,
      exporter: readStep('exporter-results.json'),
      ruleEvaluation: readStep('rule-eval-results.json'),
      scales: [],
    };
    // Written after every scale: the largest takes the longest, and the smaller ones stand on their own.
    for (const scale of scales) {
      results.scales.push(await runScale(scale, root, start));
      writeFileSync(join(HERE, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
      writeFileSync(join(HERE, 'RESULTS.md'), markdown(results));
      log(`wrote bench/RESULTS.md and bench/results.json (${results.scales.length} of ${scales.length} scales)`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});

// The dashboard and build steps of the benchmark behind the README's numbers (`npm run bench`:
// bench/collectors.ts, bench/prometheus-cost.ts, then this script, all run from the sources with
// tsx; each writes its JSON and re-renders bench/RESULTS.md):
//   1. `npm run build` wall time, beside the build as it was (tsc, then the compiled CLI), tsc
//      alone and the compiled CLI alone (with and without promtool, amtool and pint);
//   2. for 1k, 10k and 50k replicated partitions: 6 h of synthetic exporter output backfilled
//      with `promtool tsdb create-blocks-from openmetrics`, the bundle's recording rules
//      backfilled with `promtool tsdb create-blocks-from rules`, then every panel query of each
//      dashboard run over the 6 h against a real Prometheus on 127.0.0.1, as generated (reading
//      recorded series) and with each recorded signal replaced by its raw per-partition
//      expression; samples touched (query stats) and query time, side by side.
// Run alone with `npx tsx bench/run.ts [options]`. Writes bench/results.json and re-renders
// bench/RESULTS.md. Options: --report-only (re-render RESULTS.md from the steps' JSON files)
// --scales=1000,10000 --repeats=3
// --skip-build --raw-oncall-max=N (no raw column for the on-call dashboard above N partitions:
// it takes minutes per query at 50k; `npm run bench` passes 10000).
import { type SpawnOptions, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { buildBundle } from '../src/bundle/bundle.js';
import { durationSeconds, formatSeconds } from '../src/conventions/duration.js';
import { TOP_SERIES_RECORDS } from '../src/conventions/names.js';
import { SCRAPE_FILES } from '../src/documents/paths.js';
import type { ExporterConfig } from '../src/metrics/jmx-exporter.js';
import { METRICS, type MetricKey } from '../src/metrics/names.js';
import { loadModel } from '../src/model/load.js';
import type { Model } from '../src/model/model.js';
import { type GrafanaSubstitution, substituteGrafanaVariables } from '../src/promql/grafana.js';
import type { GeneratedFile } from '../src/reader/read.js';
import { type PanelQuery, type Rule, readPanelQueries, readRules } from '../src/reader/read.js';
import { inlineRecorded } from './lib/inline.js';
import { apiGet, type PrometheusServer, requireTool, startPrometheus } from './lib/prometheus.js';
import {
  type BuildTimings,
  type DashboardResult,
  type Difference,
  type Mode,
  type ModeStats,
  type PanelResult,
  type RangeSeries,
  type Results,
  runInfo,
  type ScaleResult,
  type Timing,
  writeReport,
} from './lib/report.js';
import { assertShapedLikeExporter, seriesOf, syntheticCluster, writeOpenMetrics } from './lib/synthetic.js';
import { resolveVariables } from './lib/variables.js';

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

async function main() {
  if (args['report-only']) {
    writeReport();
    return;
  }
  requireTool('promtool');
  requireTool('prometheus');
  const root = mkdtempSync(join(tmpdir(), 'mm2-bench-'));
  try {
    const run = runInfo('bench/run.ts');
    const build: BuildTimings = args['skip-build']
      ? { npmRunBuild: { medianMs: NaN, runsMs: [] }, generateOnly: { medianMs: NaN, runsMs: [] } }
      : measureBuild(root);
    // 6 h aligned on 2 h blocks, ending at least an hour ago: Prometheus serves them from blocks only.
    const start = Math.floor((Date.now() / 1000 - 7 * 3600) / 86_400) * 86_400;
    const results: Results = { run, repeats: REPEATS, build, scales: [] };
    // Written after every scale: the largest takes the longest, and the smaller ones stand on their own.
    for (const scale of scales) {
      results.scales.push(await runScale(scale, root, start));
      writeFileSync(join(HERE, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
      writeReport();
      log(`wrote bench/results.json and bench/RESULTS.md (${results.scales.length} of ${scales.length} scales)`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});

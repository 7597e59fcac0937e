// Prometheus' own cost per replicated partition: a real Prometheus (127.0.0.1) running the
// bundle as generated (its scrape job, recording and alert rules) scrapes three simulated Connect
// workers serving the synthetic exporter output of N replicated partitions (bench/lib/synthetic.ts:
// the label contract's series, spread over the workers as Connect spreads the tasks), every
// scrape interval of the model, for a few minutes. Read from Prometheus' own /metrics: the series
// in its head (`prometheus_tsdb_head_series`, the recording rules' series included), the samples
// it appends per second (scraped and recorded), its resident memory and Go heap in use; from
// /api/v1/rules: each rule group's evaluation time. The SLO's outage series is backfilled over its
// 30-day period first, so that the day-long windows read what they read in production.
//
// Run alone: `npx tsx bench/prometheus-cost.ts [--partitions=10000,50000] [--minutes=8]`
// (writes bench/prometheus-cost-results.json and re-renders bench/RESULTS.md), or as a step of
// `npm run bench`.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle } from '../src/bundle/bundle.js';
import { durationSeconds } from '../src/conventions/duration.js';
import { FLOW_LABEL } from '../src/conventions/labels.js';
import { SLO_SERIES } from '../src/conventions/names.js';
import { METRICS, type MetricKey } from '../src/metrics/names.js';
import { loadModel } from '../src/model/load.js';
import type { Model } from '../src/model/model.js';
import { readPanelQueries, readRules } from '../src/reader/read.js';
import { ExporterEndpoint } from '../test/e2e/exporter-server.js';
import { writePrometheusSetup } from '../test/e2e/prometheus-setup.js';
import { type PrometheusServer, startPrometheus } from './lib/prometheus.js';
import { type RunInfo, runInfo, writeReport } from './lib/report.js';
import { type SyntheticSeries, seriesOf, syntheticCluster, writeOpenMetrics } from './lib/synthetic.js';

interface RuleGroupApi {
  name: string;
  interval: number;
  evaluationTime: number;
  lastEvaluation: string;
  rules: unknown[];
}

export interface GroupCost {
  readonly group: string;
  readonly intervalSeconds: number;
  readonly rules: number;
  readonly medianSeconds: number;
  readonly evaluations: number;
  /** Seconds of evaluation per minute of wall-clock time: the group's share of Prometheus' rule engine. */
  readonly secondsPerMinute: number;
}

export interface PrometheusCostScale {
  readonly partitions: number;
  /** Series the simulated workers serve (the label contract's, as the exporter would). */
  readonly servedSeries: number;
  /** At the end of the run. */
  readonly headSeries: number;
  /** Samples appended per second (scraped and recorded), over the second half of the run. */
  readonly samplesPerSecond: number;
  readonly residentBytes: number;
  readonly heapInuseBytes: number;
  /** Median of Prometheus' scrape_duration_seconds over the workers and the run. */
  readonly scrapeSeconds: number;
  readonly groups: GroupCost[];
}

export interface PrometheusCostResults {
  readonly run: RunInfo;
  readonly scrapeInterval: string;
  readonly evaluationInterval: string;
  readonly minutes: number;
  readonly scales: PrometheusCostScale[];
}

const log = (msg: string) => process.stderr.write(`[bench prometheus ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${out.slice(-2000)}`))));
  });
}

/** One value of Prometheus' own /metrics (the first sample of the family). */
async function ownMetric(server: PrometheusServer, name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(text);
  if (!m) throw new Error(`Prometheus serves no ${name}`);
  return Number(m[1]);
}

/** The exposition of one worker at time `t`: its series' lines, counters counted from `origin`. */
function exposition(series: readonly SyntheticSeries[], t: number, origin: number): string {
  const lines = new Array<string>(series.length + 1);
  for (let i = 0; i < series.length; i++) {
    const s = series[i]!;
    lines[i] = `${s.served}${s.rate === 0 ? s.base : Math.floor(s.base + s.rate * (t - origin))}`;
  }
  lines[series.length] = '';
  return lines.join('\n');
}

/** The SLI's outage series (no outage) over the whole SLO period, as blocks in `dataDir`. */
async function backfillSli(model: Model, work: string, dataDir: string, now: number): Promise<void> {
  const period = durationSeconds(model.sla.sloPeriod);
  const file = join(work, 'sli.om');
  const series = model.flows.map((f) => ({
    prefix: `${SLO_SERIES.unavailable}{${Object.entries({ ...model.groupLabels, [FLOW_LABEL]: f.id })
      .sort()
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(',')}} `,
    base: 0,
    rate: 0,
  }));
  // Up to 15 minutes ago: the head takes over from there (the rules record the SLI again from the start).
  await writeOpenMetrics(file, series, {
    fromSec: now - period - 3600,
    toSec: now - 15 * 60,
    stepSec: durationSeconds(model.prometheus.scrapeInterval),
    originSec: now - period,
  });
  await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '-q', file, dataDir]);
  rmSync(file);
}

async function measureScale(partitions: number, minutes: number): Promise<PrometheusCostScale> {
  const work = mkdtempSync(join(tmpdir(), 'mm2-bench-prometheus-'));
  const endpoints = await Promise.all([0, 1, 2].map(() => ExporterEndpoint.listen()));
  let server: PrometheusServer | undefined;
  try {
    // The defaults (three workers, one flow, 15 s scrapes) with the simulated workers' addresses.
    const model = loadModel(
      {
        workers: endpoints.map((e) => ({ host: '127.0.0.1', port: e.port })),
        prometheus: { ruleFilesDir: join(work, 'rules'), fileSdPath: join(work, 'file_sd.json'), alertmanagers: [] },
      },
      'bench override',
    );
    const files = [...buildBundle(model)].map(([path, content]) => ({ path, content }));
    // What the rules and panels read, as the exporter serves it (Prometheus makes up and scrape_duration_seconds itself).
    const recording = readRules(files).filter((r) => r.kind === 'record');
    const recordedNames = new Set(recording.map((r) => r.name));
    const read = new Set([...recording, ...readPanelQueries(files, model)].flatMap((x) => [...x.reads]).filter((n) => !recordedNames.has(n)));
    const keys = (Object.keys(METRICS) as MetricKey[]).filter((k) => read.has(METRICS[k].name) && k !== 'up' && k !== 'scrapeDurationSeconds');
    const cluster = syntheticCluster(model, { partitions });
    const series = keys.flatMap((k) => seriesOf(model, cluster, k));
    const perWorker = endpoints.map((_, w) => series.filter((s) => s.worker === w));
    const origin = Math.floor(Date.now() / 1000);
    for (const [w, e] of endpoints.entries()) e.serve(() => exposition(perWorker[w]!, Math.floor(Date.now() / 1000), origin));

    const data = join(work, 'data');
    mkdirSync(data, { recursive: true });
    await backfillSli(model, work, data, origin);
    const setup = writePrometheusSetup(model, files, work);
    const period = durationSeconds(model.sla.sloPeriod);
    server = await startPrometheus({
      configFile: setup.configFile,
      storageDir: data,
      logFile: join(work, 'prometheus.log'),
      args: [`--storage.tsdb.retention.time=${Math.ceil(period / 86_400) + 5}d`],
      readyTimeoutMs: 300_000,
    });
    log(`${partitions} partitions: ${series.length} series served by ${endpoints.length} workers; scraping for ${minutes} min`);

    const started = Date.now();
    const half = started + (minutes * 60_000) / 2;
    const until = started + minutes * 60_000;
    const evaluations = new Map<string, { group: RuleGroupApi; times: Map<string, number> }>();
    const rss: { t: number; bytes: number }[] = [];
    let appendedAtHalf: { t: number; total: number } | undefined;
    while (Date.now() < until) {
      const { groups } = await server.api<{ groups: RuleGroupApi[] }>('rules');
      for (const g of groups) {
        const entry = evaluations.get(g.name) ?? { group: g, times: new Map() };
        if (!g.lastEvaluation.startsWith('0001')) entry.times.set(g.lastEvaluation, g.evaluationTime);
        evaluations.set(g.name, entry);
      }
      if (Date.now() >= half) {
        rss.push({ t: Date.now(), bytes: await ownMetric(server, 'process_resident_memory_bytes') });
        appendedAtHalf ??= { t: Date.now(), total: await ownMetric(server, 'prometheus_tsdb_head_samples_appended_total') };
      }
      await sleep(5000);
    }
    const appended = { t: Date.now(), total: await ownMetric(server, 'prometheus_tsdb_head_samples_appended_total') };
    const scrapes = await server.api<{ result: { value: [number, string] }[] }>('query', {
      query: `quantile_over_time(0.5, scrape_duration_seconds{job=${JSON.stringify(model.prometheus.job)}}[${Math.floor(minutes)}m])`,
    });
    const last = rss.at(-1)!;
    const groups: GroupCost[] = [...evaluations.values()].map(({ group, times }) => {
      // The first evaluation of each group loads the blocks' postings: left out when others exist.
      const all = [...times.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, t]) => t);
      const kept = all.length > 2 ? all.slice(1) : all;
      const m = kept.length ? median(kept) : NaN;
      return {
        group: group.name,
        intervalSeconds: group.interval,
        rules: group.rules.length,
        medianSeconds: m,
        evaluations: kept.length,
        secondsPerMinute: (m * 60) / group.interval,
      };
    });
    return {
      partitions,
      servedSeries: series.length,
      headSeries: await ownMetric(server, 'prometheus_tsdb_head_series'),
      samplesPerSecond: (appended.total - appendedAtHalf!.total) / ((appended.t - appendedAtHalf!.t) / 1000),
      residentBytes: last.bytes,
      heapInuseBytes: await ownMetric(server, 'go_memstats_heap_inuse_bytes'),
      scrapeSeconds: median(scrapes.result.map((r) => Number(r.value[1]))),
      groups,
    };
  } finally {
    await server?.stop();
    await Promise.all(endpoints.map((e) => e.stop()));
    rmSync(work, { recursive: true, force: true });
  }
}

export async function measurePrometheusCost(opts: { partitions: readonly number[]; minutes: number }): Promise<Omit<PrometheusCostResults, 'run'>> {
  const model = loadModel();
  const scales: PrometheusCostScale[] = [];
  for (const p of [...opts.partitions].sort((a, b) => a - b)) scales.push(await measureScale(p, opts.minutes));
  return { scrapeInterval: model.prometheus.scrapeInterval, evaluationInterval: model.prometheus.evaluationInterval, minutes: opts.minutes, scales };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
  const partitions = (args['partitions'] ?? '10000,50000').split(',').map(Number);
  const minutes = Number(args['minutes'] ?? 8);
  const info = runInfo('bench/prometheus-cost.ts');
  measurePrometheusCost({ partitions, minutes })
    .then((r) => {
      const results: PrometheusCostResults = { run: info, ...r };
      writeFileSync(new URL('./prometheus-cost-results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
      writeReport();
      for (const s of r.scales)
        log(
          `${s.partitions} partitions: ${s.headSeries} head series, ${Math.round(s.samplesPerSecond)} samples/s, ${Math.round(s.residentBytes / 2 ** 20)} MiB resident`,
        );
    })
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    });
}

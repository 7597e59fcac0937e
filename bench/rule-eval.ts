// Rule evaluation cost at scale: the bundle's rule groups evaluated by a real Prometheus
// (127.0.0.1) over synthetic exporter output of N replicated partitions, with the SLO's
// outage series backfilled over its whole 30-day period, so that the day-long windows read
// what they read in production. Reports each group's evaluation time as Prometheus measures it
// (`evaluationTime` of /api/v1/rules, the value of prometheus_rule_group_last_duration_seconds),
// median over the evaluations of the run.
//
// Baseline in the same run and the same Prometheus: the SLO recording rules as they were before
// the day-long windows got their own group (all in one group at the evaluation interval),
// loaded as a copy whose record names carry a `bench_before_` prefix so that both layouts
// record side by side without writing each other's series; the copy's windows read the real
// SLI series, with its 30 days of history, as the rules it copies do.
//
// The synthetic samples span the run (from before its start to after its end): promtool
// writes them as blocks, and Prometheus reads them at evaluation time like scraped data.
//
// Run alone: `npx tsx bench/rule-eval.ts [--partitions=10000] [--minutes=4]`, or as a step of
// `npm run bench`.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { buildBundle } from '../src/bundle/bundle.js';
import { ALERT_FILES, RULE_FILES } from '../src/bundle/paths.js';
import { readPanelQueries, readRules } from '../src/bundle/read.js';
import { FLOW_LABEL } from '../src/conventions/labels.js';
import { SLO_SERIES } from '../src/conventions/names.js';
import { METRICS, type MetricKey } from '../src/metrics/names.js';
import { durationSeconds } from '../src/model/duration.js';
import { loadModel } from '../src/model/load.js';
import type { Model } from '../src/model/model.js';
import { type PrometheusServer, startPrometheus } from './lib/prometheus.js';
import { seriesOf, syntheticCluster, writeOpenMetrics } from './lib/synthetic.js';

interface RuleGroupApi {
  name: string;
  file: string;
  interval: number;
  evaluationTime: number;
  lastEvaluation: string;
  rules: unknown[];
}

export interface GroupCost {
  readonly group: string;
  readonly layout: 'before' | 'after' | 'both';
  readonly intervalSeconds: number;
  readonly rules: number;
  readonly medianSeconds: number;
  readonly evaluations: number;
  /** Seconds of evaluation per minute of wall-clock time: the group's share of Prometheus' rule engine. */
  readonly secondsPerMinute: number;
}

export interface RuleEvalResults {
  readonly partitions: number;
  readonly scrapeInterval: string;
  readonly minutes: number;
  readonly groups: GroupCost[];
}

const log = (msg: string) => process.stderr.write(`[bench rules ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const BEFORE = 'bench_before_';

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

interface RuleDoc {
  groups: { name: string; interval?: string; rules: { record?: string; alert?: string; expr: string; labels?: Record<string, string> }[] }[];
}

/** The SLO recording rules in one group at the evaluation interval, as before issue 13, recorded under prefixed names. */
function beforeLayout(model: Model, sloFile: string): RuleDoc {
  const doc = parse(sloFile) as RuleDoc;
  const recording = doc.groups.filter((g) => g.rules.every((r) => r.record));
  const rules = recording.flatMap((g) => g.rules);
  // Its windows read the real SLI series (backfilled over the whole period), as the rules did; only what it records is renamed.
  const names = [...new Set(rules.map((r) => r.record!))].filter((n) => n !== SLO_SERIES.unavailable).sort((a, b) => b.length - a.length);
  const rename = (expr: string) =>
    names.reduce((e, n) => e.replace(new RegExp(`(?<![A-Za-z0-9_:])${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_:])`, 'g'), `${BEFORE}${n}`), expr);
  return {
    groups: [
      {
        name: `${BEFORE}mm2-slo-recording`,
        interval: model.prometheus.evaluationInterval,
        rules: rules.map((r) => ({ ...r, record: `${BEFORE}${r.record}`, expr: rename(r.expr) })),
      },
    ],
  };
}

export async function measureRuleEvaluation(opts: { partitions: number; minutes: number }): Promise<RuleEvalResults> {
  const work = mkdtempSync(join(tmpdir(), 'mm2-bench-rules-'));
  const data = join(work, 'data');
  mkdirSync(data, { recursive: true });
  const model = loadModel();
  const files = [...buildBundle(model)].map(([path, content]) => ({ path, content }));
  const step = durationSeconds(model.prometheus.scrapeInterval);
  let server: PrometheusServer | undefined;
  try {
    // The exporter's series the rules and panels read, at the scrape interval, around the run.
    const recording = readRules(files).filter((r) => r.kind === 'record');
    const recordedNames = new Set(recording.map((r) => r.name));
    const read = new Set([...recording, ...readPanelQueries(files, model)].flatMap((x) => [...x.reads]).filter((n) => !recordedNames.has(n)));
    const keys = (Object.keys(METRICS) as MetricKey[]).filter((k) => read.has(METRICS[k].name));
    const cluster = syntheticCluster(model, { partitions: opts.partitions });
    const series = keys.flatMap((k) => seriesOf(model, cluster, k));
    const now = Math.floor(Date.now() / 1000);
    const from = now - 15 * 60;
    const to = now + (opts.minutes + 5) * 60;
    const raw = join(work, 'raw.om');
    const samples = await writeOpenMetrics(raw, series, { fromSec: from, toSec: to, stepSec: step, originSec: from });
    // The SLI's outage series over the whole SLO period: the day-long windows read it.
    const period = durationSeconds(model.sla.sloPeriod);
    const sli = join(work, 'sli.om');
    const sliSeries = model.flows.map((f) => ({
      prefix: `${SLO_SERIES.unavailable}{${Object.entries({ ...model.groupLabels, [FLOW_LABEL]: f.id })
        .sort()
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}} `,
      base: 0,
      rate: 0,
    }));
    const sliSamples = await writeOpenMetrics(sli, sliSeries, { fromSec: now - period - 3600, toSec: from, stepSec: step, originSec: now - period });
    log(
      `${opts.partitions} partitions: ${series.length} series, ${samples} samples around the run; ${sliSamples} samples of the SLI over ${model.sla.sloPeriod}`,
    );
    await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '-q', raw, data]);
    await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '-q', sli, data]);
    rmSync(raw);
    rmSync(sli);

    const rulesDir = join(work, 'rules');
    mkdirSync(rulesDir);
    const ruleFiles: string[] = [];
    for (const path of RULE_FILES) {
      const file = join(rulesDir, path.split('/').at(-1)!);
      writeFileSync(file, files.find((f) => f.path === path)!.content);
      ruleFiles.push(file);
    }
    const before = join(rulesDir, 'before-slo.rules.yaml');
    writeFileSync(before, stringify(beforeLayout(model, files.find((f) => f.path === ALERT_FILES.slo)!.content)));
    ruleFiles.push(before);
    const config = join(work, 'prometheus.yml');
    writeFileSync(
      config,
      stringify({
        global: { scrape_interval: model.prometheus.scrapeInterval, evaluation_interval: model.prometheus.evaluationInterval },
        rule_files: ruleFiles,
      }),
    );
    server = await startPrometheus({
      configFile: config,
      storageDir: data,
      logFile: join(work, 'prometheus.log'),
      args: [`--storage.tsdb.retention.time=${Math.ceil(period / 86_400) + 5}d`],
      readyTimeoutMs: 300_000,
    });

    log(`evaluating the rules for ${opts.minutes} min`);
    const seen = new Map<string, { group: RuleGroupApi; times: Map<string, number> }>();
    const until = Date.now() + opts.minutes * 60_000;
    while (Date.now() < until) {
      const { groups } = await server.api<{ groups: RuleGroupApi[] }>('rules');
      for (const g of groups) {
        const entry = seen.get(g.name) ?? { group: g, times: new Map() };
        if (!g.lastEvaluation.startsWith('0001')) entry.times.set(g.lastEvaluation, g.evaluationTime);
        seen.set(g.name, entry);
      }
      await sleep(5000);
    }
    const groups: GroupCost[] = [...seen.values()].map(({ group, times }) => {
      // The first evaluation of each group loads the blocks' postings: left out when others exist.
      const all = [...times.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, t]) => t);
      const kept = all.length > 2 ? all.slice(1) : all;
      const m = kept.length ? median(kept) : NaN;
      return {
        group: group.name,
        layout: group.name.startsWith(BEFORE) ? 'before' : group.name.startsWith('mm2-slo') || group.name === 'mm2-top-partitions' ? 'after' : 'both',
        intervalSeconds: group.interval,
        rules: group.rules.length,
        medianSeconds: m,
        evaluations: kept.length,
        secondsPerMinute: (m * 60) / group.interval,
      };
    });
    return { partitions: opts.partitions, scrapeInterval: model.prometheus.scrapeInterval, minutes: opts.minutes, groups };
  } finally {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
  measureRuleEvaluation({ partitions: Number(args['partitions'] ?? 10_000), minutes: Number(args['minutes'] ?? 4) })
    .then((r) => {
      writeFileSync(new URL('./rule-eval-results.json', import.meta.url), `${JSON.stringify(r, null, 2)}\n`);
      for (const g of r.groups)
        log(
          `${g.group} (${g.layout}, every ${g.intervalSeconds} s, ${g.rules} rules): ${(g.medianSeconds * 1000).toFixed(1)} ms, ${(g.secondsPerMinute * 1000).toFixed(0)} ms per minute`,
        );
    })
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    });
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrometheusServer, startPrometheus } from '../../bench/lib/prometheus.js';
import { signalUsage } from '../../src/builders/report/signal-usage.js';
import { type Bundle, buildBundle } from '../../src/bundle/bundle.js';
import { durationSeconds } from '../../src/conventions/duration.js';
import { WATCHDOG_ALERT } from '../../src/conventions/names.js';
import { loadModel } from '../../src/model/load.js';
import type { Model } from '../../src/model/model.js';
import type { SignalId } from '../../src/model/signals.js';
import type { GeneratedFile } from '../../src/reader/read.js';
import { readPanelQueries, readQueries, readRules } from '../../src/reader/read.js';
import { ExporterEndpoint } from './exporter-server.js';
import { type ActiveAlert, activeAlerts, activeTargets, queryRange, rules, waitFor } from './prometheus-api.js';
import { thresholdsFiringAfter, writePrometheusSetup } from './prometheus-setup.js';
import { SimulatedConnectCluster } from './simulated-cluster.js';
import { serveSimulatedCluster } from './simulated-exporter.js';

/**
 * The whole bundle on a real Prometheus: the generated scrape config scrapes three simulated
 * Connect workers (their JMX exporter output computed by the exporter emulator from the
 * generated exporter rules), the generated rule files run in Prometheus' own rule engine, and
 * every dashboard query is asked of the result. Intervals are shortened through the model's
 * overrides, as a user would, so that the scenario takes seconds: scrape every 2 s (a scrape
 * timeout of 2 s survives a busy CI machine), evaluate every second, rate window 8 s (four
 * scrapes), every alert `for` 4 s.
 *
 * The tests of this file are one scenario and run in order: healthy cluster, then faults.
 */

const SCRAPE = '2s';
const EVALUATE = '1s';
const RATE_WINDOW = '8s';
const FOR = '4s';

function e2eOverride(ports: readonly number[], dir: string) {
  const thresholds = thresholdsFiringAfter(FOR);
  return {
    prometheus: {
      scrapeInterval: SCRAPE,
      scrapeTimeout: SCRAPE,
      evaluationInterval: EVALUATE,
      rateWindow: RATE_WINDOW,
      ruleFilesDir: join(dir, 'rules'),
      fileSdPath: join(dir, 'file_sd', 'mm2-connect.json'),
      // Loopback only: nothing listens there, Prometheus logs the failed sends.
      alertmanagers: [`127.0.0.1:${ports[0]! + 1}`],
    },
    workers: ports.map((port) => ({ host: '127.0.0.1', port })),
    thresholds,
  };
}

function filesOf(bundle: Bundle): GeneratedFile[] {
  return [...bundle].map(([path, content]) => ({ path, content }));
}

/** What each fault must raise, by signal: the alerts that read that signal's recorded series. */
const FAULTS: readonly { what: string; signal: SignalId }[] = [
  { what: 'a source task turned FAILED', signal: 'failedTasks' },
  { what: 'a worker stopped', signal: 'workerExporterUnreachable' },
  { what: 'replication stalled with a backlog', signal: 'replicationStalled' },
];

describe('the bundle on a real Prometheus scraping three simulated MM2 workers', () => {
  let dir: string;
  let exporters: ExporterEndpoint[] = [];
  let prometheus: PrometheusServer | undefined;
  let model: Model;
  let files: GeneratedFile[];
  let cluster: SimulatedConnectCluster;
  let startedAt: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mm2-e2e-'));
    exporters = await Promise.all([0, 1, 2].map(() => ExporterEndpoint.listen()));
    model = loadModel(
      e2eOverride(
        exporters.map((e) => e.port),
        dir,
      ),
      'e2e override',
    );
    files = filesOf(buildBundle(model));
    cluster = new SimulatedConnectCluster(model);
    serveSimulatedCluster(exporters, files, cluster);
    const setup = writePrometheusSetup(model, files, dir);
    startedAt = Date.now() / 1000;
    prometheus = await startPrometheus({ configFile: setup.configFile, storageDir: join(dir, 'data'), logFile: join(dir, 'prometheus.log') });
  });

  afterAll(async () => {
    await prometheus?.stop();
    await Promise.all(exporters.map((e) => e.stop()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const p = () => {
    if (!prometheus) throw new Error('prometheus did not start');
    return prometheus;
  };

  it('loads every generated rule file without error', async () => {
    const loaded = await rules(p());
    const inBundle = readRules(files);
    const names = new Set(loaded.groups.flatMap((g) => g.rules.map((r) => r.name)));
    for (const r of inBundle) expect(names.has(r.name), `${r.kind} ${r.name} of ${r.file} loaded`).toBe(true);
  });

  it('scrapes the three workers through the generated scrape config', async () => {
    await waitFor(
      `${model.workers.length} targets up`,
      30_000,
      async () => {
        const targets = await activeTargets(p());
        return targets.length === model.workers.length && targets.every((t) => t.health === 'up') ? targets : undefined;
      },
      async () => JSON.stringify(await activeTargets(p()), null, 2),
    );
    const instances = (await activeTargets(p())).map((t) => t.labels['instance']).sort();
    expect(instances).toEqual(model.workers.map((w) => w.instance).sort());
  });

  it('fires nothing while the cluster is healthy', async () => {
    // Let every rate window fill and the recorded series settle before judging.
    const settle = durationSeconds(model.prometheus.rateWindow) + 3 * durationSeconds(model.prometheus.evaluationInterval);
    await new Promise((r) => setTimeout(r, settle * 1000));
    const seen = new Map<string, ActiveAlert>();
    const watchUntil = Date.now() + (durationSeconds(FOR) + 3) * 1000;
    while (Date.now() < watchUntil) {
      for (const a of await activeAlerts(p())) seen.set(`${a.labels['alertname']} ${JSON.stringify(a.labels)}`, a);
      await new Promise((r) => setTimeout(r, 250));
    }
    // The watchdog always fires (a dead man's switch): everything else must be silent.
    expect([...seen.values()].filter((a) => a.labels['alertname'] === WATCHDOG_ALERT).map((a) => a.state)).toEqual(['firing']);
    for (const [k, a] of seen) if (a.labels['alertname'] === WATCHDOG_ALERT) seen.delete(k);
    expect([...seen.values()].map((a) => `${a.labels['alertname']} (${a.state}, value ${a.value}) ${JSON.stringify(a.labels)}`)).toEqual([]);
  });

  it('turns each injected fault into its alert, pending first, then firing', async () => {
    const usage = signalUsage(model, readQueries(files, model));
    const expected = FAULTS.map((f) => ({
      ...f,
      alerts: new Set(
        usage
          .get(f.signal)!
          .alerts.filter((a) => a.via.length === 0)
          .map((a) => a.name),
      ),
    }));
    for (const e of expected) expect(e.alerts.size, `the bundle has an alert on ${e.signal}`).toBeGreaterThan(0);

    const source = model.flows[0]!.connectors.source;
    // A task on a worker that stays up, and the worker that goes down.
    const doomed = model.workers.length - 1;
    const task = [...Array(source.tasksMax).keys()].find((t) => cluster.workerOf(source.name, t) !== doomed)!;
    cluster.failTask(source.name, task);
    await exporters[doomed]!.stop();
    cluster.stallReplication(model.flows[0]!.id);

    const firstSeen = new Map<string, { pending?: number; firing?: number }>();
    const reached = (names: Set<string>) => [...names].some((n) => firstSeen.get(n)?.firing !== undefined);
    await waitFor(
      `the alerts of ${expected.map((e) => e.signal).join(', ')} firing`,
      60_000,
      async () => {
        const now = Date.now();
        for (const a of await activeAlerts(p())) {
          const name = a.labels['alertname']!;
          const s = firstSeen.get(name) ?? {};
          if (a.state === 'pending') s.pending ??= now;
          if (a.state === 'firing') s.firing ??= now;
          firstSeen.set(name, s);
        }
        return expected.every((e) => reached(e.alerts)) ? true : undefined;
      },
      async () => `seen so far: ${JSON.stringify(Object.fromEntries(firstSeen))}`,
    );
    for (const e of expected) {
      const fired = [...e.alerts].filter((n) => firstSeen.get(n)?.firing !== undefined);
      for (const name of fired) {
        const s = firstSeen.get(name)!;
        expect(s.pending, `${name} (${e.what}) was pending before firing`).toBeDefined();
        expect(s.pending!, `${name} pending before firing`).toBeLessThan(s.firing!);
      }
    }
  });

  it('answers every panel query of the dashboards with data', async () => {
    const queries = readPanelQueries(files, model);
    const dashboards = new Set(queries.map((q) => q.file));
    expect([...dashboards].sort(), 'the two dashboards').toHaveLength(2);
    const end = Date.now() / 1000;
    const empty: string[] = [];
    for (const q of queries) {
      const result = await queryRange(p(), q.expr, startedAt, end, 1);
      if (!result.some((s) => s.values.length > 0)) empty.push(`${q.file}: panel "${q.panel}" query ${q.refId}: ${q.expr}`);
    }
    expect(empty).toEqual([]);
  });

  it('recorded every series its recording rules define during the scenario', async () => {
    const records = [
      ...new Set(
        readRules(files)
          .filter((r) => r.kind === 'record')
          .map((r) => r.name),
      ),
    ];
    expect(records.length).toBeGreaterThan(0);
    const end = Date.now() / 1000;
    const missing: string[] = [];
    for (const name of records) {
      const result = await queryRange(p(), `{__name__=${JSON.stringify(name)}}`, startedAt, end, 1);
      if (result.length === 0) missing.push(name);
    }
    expect(missing).toEqual([]);
  });
});

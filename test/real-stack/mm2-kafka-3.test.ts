import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { PrometheusServer } from '../../bench/lib/prometheus.js';
import { SCRAPE_FILES } from '../../src/bundle/paths.js';
import { readPanelQueries, readRules } from '../../src/bundle/read.js';
import { burnRateAlertName, SLO_SERIES, signalAlertName, WATCHDOG_ALERT } from '../../src/conventions/names.js';
import type { ExporterConfig } from '../../src/metrics/jmx-exporter.js';
import { durationSeconds } from '../../src/model/duration.js';
import { signal } from '../../src/model/model.js';
import type { Severity, SignalId } from '../../src/model/signals.js';
import { activeTargets, queryRange } from '../e2e/prometheus-api.js';
import { type AgentRecording, compareWithEmulator, recordAgent } from './agreement.js';
import { missingFromContract } from './contract.js';
import { scrape } from './exposition-parse.js';
import { AlertWatch, deliveries, type FaultReport, formatReports, routedReceiver, within } from './faults.js';
import { writeRecordedFixture } from './fixture.js';
import {
  connectorReporterSettings,
  type ReporterBundle,
  recordReporter,
  reporterBundle,
  stackReporterBundle,
  startReporterPrometheus,
  workerReporterSettings,
  writeReporterFixture,
} from './reporter.js';
import { RealStack, TRAFFIC_RATE } from './stack.js';

/**
 * The generated bundle on a real MirrorMaker 2: Kafka 3.7.2 clusters `nemo` and `applicatif`,
 * three Connect workers with the real JMX exporter agent, the three connectors, traffic, and
 * Prometheus + Alertmanager running the generated configuration with the model's own
 * intervals, thresholds and `for` durations. One scenario, in order: healthy, then real faults.
 *
 * MM2_REAL_STACK_HEALTHY_MINUTES shortens the healthy watch while developing (default 10, CI's).
 * MM2_RECORD_FIXTURES=1 rewrites the recorded fixtures (test/fixtures/real-agent/, test/fixtures/strimzi-reporter/).
 *
 * The workers also run the Strimzi Metrics Reporter with the settings the bundle generates for
 * `collector: strimzi-metrics-reporter` (in a class loader of its own, beside the agent), and a
 * second Prometheus runs that bundle's scrape job and rules on the same workers: the label
 * contract served through the reporter, the healthy watch and two faults are judged on it too.
 */

const HEALTHY_MINUTES = Number(process.env['MM2_REAL_STACK_HEALTHY_MINUTES'] ?? 10);
const MINUTE = 60_000;

interface FaultCase {
  readonly fault: string;
  /** The alerts that must fire and notify: a signal's tier, or `page` for the SLO's paging burn-rate tier. */
  readonly expected: readonly (readonly [SignalId, Severity] | 'page')[];
  /**
   * Seconds a real fault takes to reach the signal's threshold before `for` starts, on top of
   * a scrape and an evaluation: the part of detection the model cannot shorten.
   */
  readonly reachSeconds: number;
  readonly why: string;
  /** True when no critical alert may fire (the fault degrades, it does not stop the flow). */
  readonly noPage?: boolean;
}

describe('the bundle on a real MirrorMaker 2 (Kafka 3.7.2, 3 Connect workers, real JMX exporter agent)', () => {
  let stack: RealStack;
  let watch: AlertWatch;
  let reporter: ReporterBundle;
  let reporterPrometheus: PrometheusServer;
  let reporterWatch: AlertWatch;
  let amConfigFile: string;
  let startedAt: number;
  const reports: FaultReport[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'mm2-real-stack-'));

  beforeAll(async () => {
    stack = await RealStack.create({
      version: '3.7.2',
      workers: 3,
      dir,
      monitoring: true,
      reporter: (port) => workerReporterSettings(reporterBundle({}, [port]), port),
      connectorSettings: (name) => connectorReporterSettings(stack.files, reporter, name),
    });
    reporter = stackReporterBundle(stack, join(dir, 'reporter'));
    await stack.startKafka();
    stack.startTraffic();
    await stack.startWorkers();
    await stack.deployConnectors();
    await stack.waitAllRunning(4 * MINUTE);
    await stack.startMonitoring();
    reporterPrometheus = await startReporterPrometheus(reporter, join(dir, 'reporter'));
    amConfigFile = join(dir, 'alertmanager.yml');
    watch = new AlertWatch(stack.prometheus!);
    reporterWatch = new AlertWatch(reporterPrometheus);
    startedAt = Date.now() / 1000;
  }, 10 * MINUTE);

  afterAll(async () => {
    await watch?.stop();
    await reporterWatch?.stop();
    await reporterPrometheus?.stop();
    await stack?.stop();
    if (reports.length > 0) {
      const table = formatReports(reports);
      console.log(`\nTime to detect on the real stack (this machine, one run):\n${table}\n`);
      writeFileSync(join(tmpdir(), 'mm2-real-stack-report.md'), `${table}\n`);
    }
    if (process.env['MM2_KEEP_REAL_STACK'] === undefined) rmSync(dir, { recursive: true, force: true });
  }, 5 * MINUTE);

  const prometheus = () => stack.prometheus!;
  const exporterConfig = () => parse(stack.file(SCRAPE_FILES.exporter)) as ExporterConfig;
  const query = async (expr: string) =>
    (await prometheus().api<{ result: { metric: Record<string, string>; value: [number, string] }[] }>('query', { query: expr })).result;

  it('scrapes the three workers through the generated scrape config', async () => {
    const ok = await within(MINUTE, async () => {
      const t = await activeTargets(prometheus());
      return t.length === stack.workers.length && t.every((x) => x.health === 'up');
    });
    expect(ok, JSON.stringify(await activeTargets(prometheus()), null, 2)).toBe(true);
  });

  it(
    'produces every metric and label of the label contract from the real MBeans',
    async () => {
      // Every per-partition family registers on the worker running the partition's task: read all workers.
      // Checkpoint MBeans appear only once the first checkpoint of a group is emitted: give it time.
      let missing: string[] = [];
      await within(2 * MINUTE, async () => {
        const served = (await Promise.all(stack.workers.map((w) => scrape(w.metricsUrl)))).flat();
        missing = missingFromContract(served, { kafka4: false });
        return missing.length === 0;
      });
      expect(missing).toEqual([]);
    },
    3 * MINUTE,
  );

  it('the exporter emulator serves exactly what the real agent serves, worker by worker', async () => {
    const recordings: AgentRecording[] = [];
    for (const w of stack.workers) {
      const recording = await recordAgent(w.metricsUrl, w.jmxAddress, '3.7.2', exporterConfig(), dir);
      expect(recording.served.length, `worker ${w.index + 1} served MM2 series`).toBeGreaterThan(0);
      const d = compareWithEmulator(exporterConfig(), recording);
      expect(d, `worker ${w.index + 1}`).toEqual({ onlyAgent: [], onlyEmulator: [], values: [] });
      recordings.push(recording);
    }
    if (process.env['MM2_RECORD_FIXTURES'] === '1') writeRecordedFixture('3.7.2', stack.file(SCRAPE_FILES.exporter), recordings);
  });

  it(
    'the Strimzi Metrics Reporter on the same workers serves every metric and label of the label contract, renamed by its generated scrape job',
    async () => {
      let missing: string[] = [];
      await within(2 * MINUTE, async () => {
        const series = await reporterPrometheus.api<Record<string, string>[]>('series', {
          'match[]': `{job=${JSON.stringify(reporter.model.prometheus.job)},instance!=""}`,
        });
        const samples = series.map(({ __name__, job: _job, instance: _instance, cluster: _cluster, ...labels }) => ({ name: __name__!, labels, value: 1 }));
        missing = missingFromContract(samples, { kafka4: false });
        return missing.length === 0;
      });
      expect(missing).toEqual([]);
      if (process.env['MM2_RECORD_FIXTURES'] === '1') {
        const recordings = [];
        for (const w of stack.workers) recordings.push(await recordReporter(w, '3.7.2', dir));
        writeReporterFixture('3.7.2', reporter, recordings);
      }
    },
    3 * MINUTE,
  );

  it(
    `stays quiet for ${HEALTHY_MINUTES} minutes while healthy, through the agent and through the reporter: no alert fires, none is even pending`,
    async () => {
      // The stack started with a backlog (traffic ran before the connectors) and Prometheus just
      // started: wait for the catch-up to leave Kafka's sample windows and for every target's
      // first scrapes, then judge. The settling time is printed; it is not part of the judgement.
      const settling = Date.now();
      const settled = await within(6 * MINUTE, () => watch.current().length === 0 && reporterWatch.current().length === 0);
      console.log(`settled ${Math.round((Date.now() - settling) / 1000)} s after monitoring started${settled ? '' : ' (not quiet yet)'}`);
      const since = Date.now();
      const seen = new Set<string>();
      while (Date.now() - since < HEALTHY_MINUTES * MINUTE) {
        for (const a of watch.current()) seen.add(`${a.labels['alertname']} (${a.state}) ${JSON.stringify(a.labels)}`);
        for (const a of reporterWatch.current()) seen.add(`with the reporter: ${a.labels['alertname']} (${a.state}) ${JSON.stringify(a.labels)}`);
        await new Promise((r) => setTimeout(r, 2000));
      }
      expect([...seen]).toEqual([]);
      expect(stack.webhook!.delivered(since, 'firing').filter((d) => d.alertname !== WATCHDOG_ALERT)).toEqual([]);
    },
    (HEALTHY_MINUTES + 8) * MINUTE,
  );

  it('delivers the Watchdog to its own receiver', async () => {
    const watchdog = stack.webhook!.delivered(0, 'firing').filter((d) => d.alertname === WATCHDOG_ALERT);
    expect(watchdog.length).toBeGreaterThan(0);
    expect(watchdog.every((d) => d.receiver === routedReceiver(amConfigFile, d.labels))).toBe(true);
  });

  /**
   * Runs one fault: injects it, waits for the expected alerts to fire within the model's
   * promise and for their notifications, repairs, and waits until every alert that fired has
   * cleared. Fails with what was seen.
   */
  /**
   * With `reporterToo`, the same expected alerts must also fire within the promise, and clear, on
   * the Prometheus that reads the workers through the Strimzi Metrics Reporter.
   */
  async function play(c: FaultCase, inject: () => Promise<void>, repair: () => Promise<void>, reporterToo = false): Promise<FaultReport> {
    // Start from a quiet cluster: no alert of this fault still active from the previous one.
    const pageTier = stack.model.sla.burnRateTiers.find((t) => t.pages)!;
    const nameOf = (e: FaultCase['expected'][number]) => (e === 'page' ? burnRateAlertName(pageTier.name) : signalAlertName(e[0], e[1]));
    const forOf = (e: FaultCase['expected'][number]) => {
      if (e === 'page') return durationSeconds(pageTier.for);
      const tier = signal(stack.model, e[0]).tiers[e[1]];
      if (!tier) throw new Error(`${e[0]} has no ${e[1]} tier`);
      return durationSeconds(tier.for);
    };
    const names = c.expected.map(nameOf);
    await within(10 * MINUTE, () => watch.problemsNow().length === 0 && (!reporterToo || reporterWatch.problemsNow().length === 0));
    watch.times.clear();
    reporterWatch.times.clear();
    const since = Date.now();
    await inject();
    const promised: Record<string, number> = {};
    for (const e of c.expected) {
      promised[nameOf(e)] =
        forOf(e) + c.reachSeconds + durationSeconds(stack.model.prometheus.scrapeInterval) + durationSeconds(stack.model.prometheus.evaluationInterval);
    }
    const deadline = Math.max(...Object.values(promised)) * 1000 + MINUTE;
    const watches = reporterToo ? [watch, reporterWatch] : [watch];
    await within(deadline, () => watches.every((w) => names.every((n) => w.times.get(n)?.firing !== undefined)));
    const detectOn = (w: AlertWatch) => {
      const out: Record<string, number> = {};
      for (const n of names) {
        const t = w.times.get(n)?.firing;
        if (t !== undefined) out[n] = Math.round((t - since) / 1000);
      }
      return out;
    };
    const detect = detectOn(watch);
    const detectWithReporter = detectOn(reporterWatch);
    // group_wait (30 s) then delivery.
    await within(2 * MINUTE, () => Object.keys(deliveries(stack.webhook!, since, names)).length === names.length);
    const delivered = deliveries(stack.webhook!, since, names);
    const alsoFired = [...watch.times.entries()]
      .filter(([n, t]) => t.firing !== undefined && !names.includes(n))
      .map(([n]) => `${n} (${watch.severities.get(n)})`)
      .sort();
    const report: FaultReport = { fault: c.fault, expected: names, detectSeconds: detect, promisedSeconds: promised, delivered, alsoFired };
    reports.push(report);
    const reporterReport: FaultReport = {
      fault: `${c.fault} (Prometheus reading the Strimzi Metrics Reporter)`,
      expected: names,
      detectSeconds: detectWithReporter,
      promisedSeconds: promised,
      delivered: {},
      alsoFired: [],
    };
    if (reporterToo) reports.push(reporterReport);

    const repairedAt = Date.now();
    await repair();
    await stack.waitAllRunning(5 * MINUTE);
    const cleared = await within(15 * MINUTE, () => watch.problemsNow().length === 0);
    report.clearSeconds = Math.round((Date.now() - repairedAt) / 1000);
    const clearedWithReporter = !reporterToo || (await within(5 * MINUTE, () => reporterWatch.problemsNow().length === 0));
    reporterReport.clearSeconds = Math.round((Date.now() - repairedAt) / 1000);

    for (const n of names) {
      expect(detect[n], `${n} fired after: ${c.fault}\nseen: ${JSON.stringify(Object.fromEntries(watch.times))}`).toBeDefined();
      expect(detect[n]!, `${n} fired within the promised ${promised[n]} s (${c.why})`).toBeLessThanOrEqual(promised[n]!);
      const labels = watch.labels.get(n)!;
      expect(delivered[n]?.receiver, `${n}'s notification reached the receiver Alertmanager's routing picks`).toBe(routedReceiver(amConfigFile, labels));
    }
    if (c.noPage)
      expect(
        alsoFired.filter((a) => a.endsWith('(critical)')),
        `nothing pages on: ${c.fault}`,
      ).toEqual([]);
    expect(cleared, `every alert but the budget tickets cleared after the repair; still firing: ${watch.problemsNow().join(', ')}`).toBe(true);
    if (reporterToo) {
      for (const n of names) {
        expect(detectWithReporter[n], `${n} fired through the reporter after: ${c.fault}`).toBeDefined();
        expect(detectWithReporter[n]!, `${n} fired through the reporter within the promised ${promised[n]} s`).toBeLessThanOrEqual(promised[n]!);
      }
      expect(
        clearedWithReporter,
        `through the reporter too, every alert cleared after the repair; still firing: ${reporterWatch.problemsNow().join(', ')}`,
      ).toBe(true);
    }
    return report;
  }

  const scrapeS = () => durationSeconds(stack.model.prometheus.scrapeInterval);

  it(
    'SIGKILL of one worker: its exporter-unreachable warning fires (through the agent and through the reporter), its tasks move, nothing pages',
    async () => {
      const victim = stack.workers[stack.workers.length - 1]!;
      await play(
        {
          fault: 'SIGKILL of one worker',
          expected: [['workerExporterUnreachable', 'warning']],
          reachSeconds: scrapeS(),
          why: 'up turns 0 at the next scrape',
          noPage: true,
        },
        () => victim.kill(),
        () => victim.start(),
        true,
      );
    },
    30 * MINUTE,
  );

  it(
    'source connector paused, then resumed: the connector alert pages the flow and the SLO counts the outage',
    async () => {
      const source = stack.flow.connectors.source.name;
      const flow = stack.flow.id;
      const budgetBefore = Number((await query(`${SLO_SERIES.errorBudgetRemaining}{flow="${flow}"}`))[0]?.value[1] ?? NaN);
      let unavailableSeen = false;
      await play(
        {
          fault: 'source connector paused',
          expected: [['connectorsNotRunning', 'critical']],
          reachSeconds: scrapeS(),
          why: 'the status label changes at the next scrape',
        },
        async () => {
          await stack.rest.pause(source);
        },
        async () => {
          unavailableSeen = (await query(`max_over_time(${SLO_SERIES.unavailable}{flow="${flow}"}[10m])`))[0]?.value[1] === '1';
          await stack.rest.resume(source);
        },
      );
      expect(unavailableSeen, `${SLO_SERIES.unavailable} counted the paused flow as unavailable`).toBe(true);
      const ratio = Number((await query(`${SLO_SERIES.errorRatio('5m')}{flow="${flow}"}`))[0]?.value[1] ?? NaN);
      const budgetAfter = Number((await query(`${SLO_SERIES.errorBudgetRemaining}{flow="${flow}"}`))[0]?.value[1] ?? NaN);
      expect(budgetAfter, 'the error budget went down').toBeLessThan(Number.isNaN(budgetBefore) ? 1 : budgetBefore);
      expect(ratio >= 0, `the error ratio series exists (${ratio})`).toBe(true);
    },
    30 * MINUTE,
  );

  it(
    'a task fails (records too large for its producer): the failed-task alert pages (through the agent and through the reporter), restart repairs it',
    async () => {
      const c = stack.flow.connectors.source;
      await play(
        { fault: 'source tasks failed', expected: [['failedTasks', 'critical']], reachSeconds: scrapeS(), why: 'a task fails on its first record' },
        // Any record exceeds 64 bytes: the producer refuses it and Connect fails the task (errors.tolerance=none).
        () => stack.rest.putConfig(c.name, stack.connectorConfig(c, { 'producer.override.max.request.size': '64' })),
        async () => {
          await stack.rest.putConfig(c.name, stack.connectorConfig(c));
          await stack.rest.restartFailed(c.name);
        },
        true,
      );
    },
    30 * MINUTE,
  );

  it(
    'source traffic above what MM2 may read (source quota): lag alerts fire, then clear once it catches up',
    async () => {
      await play(
        {
          fault: 'replication slower than the producers',
          // The lag warning fires too, but the critical inhibits its notification (same signal and flow).
          expected: [
            ['replicationLag', 'critical'],
            ['replicationLagGrowth', 'warning'],
          ],
          reachSeconds: 240,
          why: 'at 1,000 records/s against a throttled reader the lag passed 100,000 records two to three minutes after the throttle on this machine; its growth shows within the first minute',
        },
        async () => {
          stack.traffic!.send('throttle-consumers 2000');
          stack.traffic!.send(`rate ${TRAFFIC_RATE * 5}`);
        },
        async () => {
          stack.traffic!.send('throttle-consumers off');
          stack.traffic!.send(`rate ${TRAFFIC_RATE}`);
        },
      );
    },
    40 * MINUTE,
  );

  it(
    'target cluster stopped, then restarted: the flow is unavailable and pages',
    async () => {
      // The workers' own group lives on the target cluster: without it the connectors lose their
      // assignment and report not running, which the SLI counts, so the page is the SLO's.
      await play(
        {
          fault: 'target cluster stopped',
          expected: ['page'],
          reachSeconds: 150,
          why: "the workers notice the lost target after the session timeout (30 s) and the SLI debounces; Kafka's sample windows decay over about a minute",
        },
        () => stack.target.stop(),
        async () => {
          await stack.target.start();
          // Sends that timed out while the target was down fail their tasks: restarting them is part of the repair.
          await within(2 * MINUTE, async () => {
            for (const name of stack.connectorNames) await stack.rest.restartFailed(name);
            return true;
          });
        },
      );
    },
    40 * MINUTE,
  );

  it(
    'whole Connect cluster stopped: the no-worker alert pages, restart recovers',
    async () => {
      await play(
        { fault: 'every Connect worker stopped', expected: [['workersUp', 'critical']], reachSeconds: scrapeS(), why: 'up turns 0 at the next scrape' },
        async () => {
          await Promise.all(stack.workers.map((w) => w.kill()));
        },
        () => stack.startWorkers(),
      );
    },
    30 * MINUTE,
  );

  it('answers every panel query of both dashboards with data', async () => {
    const queries = readPanelQueries(stack.files, stack.model);
    expect(new Set(queries.map((q) => q.file)).size).toBe(2);
    const end = Date.now() / 1000;
    const empty: string[] = [];
    for (const q of queries) {
      const result = await queryRange(prometheus(), q.expr, startedAt, end, 15);
      if (!result.some((s) => s.values.length > 0)) empty.push(`${q.file}: panel "${q.panel}" query ${q.refId}: ${q.expr}`);
    }
    expect(empty).toEqual([]);
  });

  it('recorded every series its recording rules define', async () => {
    const records = [
      ...new Set(
        readRules(stack.files)
          .filter((r) => r.kind === 'record')
          .map((r) => r.name),
      ),
    ];
    const end = Date.now() / 1000;
    const missing: string[] = [];
    for (const name of records) {
      const result = await queryRange(prometheus(), `{__name__=${JSON.stringify(name)}}`, startedAt, end, 15);
      if (result.length === 0) missing.push(name);
    }
    expect(missing).toEqual([]);
  });

  it(
    "delivered every fault's resolved notification",
    async () => {
      const expected = reports.flatMap((r) => r.expected);
      // Resolved notifications wait for the route's group_interval.
      await within(6 * MINUTE, () => expected.every((n) => stack.webhook!.delivered(0, 'resolved').some((d) => d.alertname === n)));
      const resolved = new Set(stack.webhook!.delivered(0, 'resolved').map((d) => d.alertname));
      expect(expected.filter((n) => !resolved.has(n))).toEqual([]);
    },
    8 * MINUTE,
  );
});

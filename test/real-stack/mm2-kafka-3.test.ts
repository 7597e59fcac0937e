import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, type ExpectStatic, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { PrometheusServer } from '../../bench/lib/prometheus.js';
import { heartbeatEmitterName } from '../../src/builders/connect/connectors.js';
import { durationSeconds } from '../../src/conventions/duration.js';
import { SLO_SERIES, WATCHDOG_ALERT } from '../../src/conventions/names.js';
import { SCRAPE_FILES } from '../../src/documents/paths.js';
import type { ExporterConfig } from '../../src/metrics/jmx-exporter.js';
import { signal } from '../../src/model/model.js';
import { SIGNAL_DEFS } from '../../src/model/signals.js';
import { type Flow, remoteTopicName } from '../../src/model/topology.js';
import { eq, metricSelector } from '../../src/promql/selector.js';
import { readPanelQueries, readRules } from '../../src/reader/read.js';
import { activeTargets, queryRange } from '../e2e/prometheus-api.js';
import { type AgentRecording, compareWithEmulator, recordAgent } from './agreement.js';
import { missingFromContract } from './contract.js';
import { scrape } from './exposition-parse.js';
import { FaultRunner } from './fault-runner.js';
import { AlertWatch, CLUSTER, describeAlert, formatReports, routedReceiver, watchHealthy, within } from './faults.js';
import { writeRecordedFixture } from './fixture.js';
import { rollingRestart } from './operations.js';
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
import { REVERSE_FLOW, RealStack, TRAFFIC } from './stack.js';

/**
 * The generated bundle on a real MirrorMaker 2: Kafka 3.7.2 clusters `nemo` and `applicatif`,
 * three Connect workers with the real JMX exporter agent running two flows, the tuning guide's
 * `nemo -> applicatif` and its reverse `applicatif -> nemo` (three connectors each and a
 * heartbeat emitter per source cluster), traffic on both clusters, and Prometheus +
 * Alertmanager running the generated configuration with the model's own intervals, thresholds
 * and `for` durations. Healthy first, then real faults: those that touch one flow side by side
 * with the other flow's (each judged on its own flow's alerts and the cluster-wide ones), then
 * those that touch the whole Connect cluster, alone.
 *
 * MM2_REAL_STACK_HEALTHY_MINUTES shortens the healthy watch while developing (default 5, CI's).
 * MM2_RECORD_FIXTURES=1 rewrites the recorded fixtures (test/fixtures/real-agent/, test/fixtures/strimzi-reporter/).
 *
 * The workers also run the Strimzi Metrics Reporter with the settings the bundle generates for
 * `collector: strimzi-metrics-reporter` (in a class loader of its own, beside the agent), and a
 * second Prometheus runs that bundle's scrape job and rules on the same workers: the label
 * contract served through the reporter, the healthy watch and two faults are judged on it too.
 */

const HEALTHY_MINUTES = Number(process.env['MM2_REAL_STACK_HEALTHY_MINUTES'] ?? 5);
const MINUTE = 60_000;

describe('the bundle on a real MirrorMaker 2 (Kafka 3.7.2, 3 Connect workers, real JMX exporter agent, flows both ways)', () => {
  let stack: RealStack;
  let watch: AlertWatch;
  let faults: FaultRunner;
  let reporter: ReporterBundle;
  let reporterPrometheus: PrometheusServer;
  let reporterWatch: AlertWatch;
  let amConfigFile: string;
  let startedAt: number;
  const dir = mkdtempSync(join(tmpdir(), 'mm2-real-stack-'));

  beforeAll(async () => {
    stack = await RealStack.create({
      version: '3.7.2',
      workers: 3,
      dir,
      monitoring: true,
      extraFlows: [REVERSE_FLOW],
      reporter: (port) => workerReporterSettings(reporterBundle({}, [port]), port),
      connectorSettings: (name) => connectorReporterSettings(stack.files, reporter, name),
    });
    reporter = stackReporterBundle(stack, join(dir, 'reporter'));
    await stack.startKafka();
    // Records flow only once MM2 knows every topic: no backlog to catch up, so nothing to wait out
    // before the healthy watch.
    stack.startTraffic({ held: true });
    await stack.startWorkers();
    await stack.deployConnectors();
    await stack.waitAllRunning(4 * MINUTE);
    await stack.waitRemoteTopics(2 * MINUTE);
    await stack.startMonitoring();
    reporterPrometheus = await startReporterPrometheus(reporter, join(dir, 'reporter'));
    stack.releaseTraffic();
    amConfigFile = join(dir, 'alertmanager.yml');
    watch = new AlertWatch(stack.prometheus!);
    reporterWatch = new AlertWatch(reporterPrometheus);
    faults = new FaultRunner(stack, watch, amConfigFile, reporterWatch);
    startedAt = Date.now() / 1000;
  }, 10 * MINUTE);

  afterAll(async () => {
    await watch?.stop();
    await reporterWatch?.stop();
    await reporterPrometheus?.stop();
    await stack?.stop('kill');
    if (faults?.reports.length) {
      const table = formatReports(faults.reports);
      console.log(`\nTime to detect on the real stack (this machine, one run):\n${table}\n`);
      writeFileSync(join(tmpdir(), 'mm2-real-stack-report.md'), `${table}\n`);
    }
    if (process.env['MM2_KEEP_REAL_STACK'] === undefined) rmSync(dir, { recursive: true, force: true });
  }, 5 * MINUTE);

  const prometheus = () => stack.prometheus!;
  const exporterConfig = () => parse(stack.file(SCRAPE_FILES.exporter)) as ExporterConfig;
  const query = async (expr: string) =>
    (await prometheus().api<{ result: { metric: Record<string, string>; value: [number, string] }[] }>('query', { query: expr })).result;
  const scrapeS = () => durationSeconds(stack.model.prometheus.scrapeInterval);
  /** Whether the SLI counted the flow unavailable at any evaluation of the last `seconds`. */
  const unavailableWithin = async (flow: Flow, seconds: number) =>
    (await query(`max_over_time(${SLO_SERIES.unavailable}{flow="${flow.id}"}[${Math.max(60, Math.round(seconds))}s])`))[0]?.value[1] === '1';
  const forward = () => stack.flow;
  const reverse = () => stack.model.flows[1]!;

  // What the healthy stack serves is read while the healthy watch settles and runs: reads only.

  it.concurrent('scrapes the three workers through the generated scrape config', async ({ expect }) => {
    const ok = await within(MINUTE, async () => {
      const t = await activeTargets(prometheus());
      return t.length === stack.workers.length && t.every((x) => x.health === 'up');
    });
    expect(ok, JSON.stringify(await activeTargets(prometheus()), null, 2)).toBe(true);
  });

  it.concurrent(
    'produces every metric and label of the label contract from the real MBeans',
    async ({ expect }) => {
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

  it.concurrent('the exporter emulator serves exactly what the real agent serves, worker by worker', async ({ expect }) => {
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

  it.concurrent(
    'the Strimzi Metrics Reporter on the same workers serves every metric and label of the label contract, renamed by its generated scrape job',
    async ({ expect }) => {
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

  it.concurrent(
    "each flow's records land in its target cluster under the flow's prefix, and nowhere else",
    async ({ expect }) => {
      for (const flow of stack.model.flows) {
        const remote = Object.keys(TRAFFIC[flow.source]!.topics).map((t) => remoteTopicName(flow, t));
        let inTarget = new Map<string, number>();
        await within(2 * MINUTE, async () => {
          inTarget = await stack.cluster(flow.target).topicOffsets();
          return remote.every((t) => (inTarget.get(t) ?? 0) > 0);
        });
        expect(
          remote.filter((t) => !((inTarget.get(t) ?? 0) > 0)),
          `${flow.id}: remote topics without records in ${flow.target}`,
        ).toEqual([]);
        const inSource = await stack.cluster(flow.source).topicOffsets();
        expect(
          remote.filter((t) => inSource.has(t)),
          `${flow.id}: remote topics in its source cluster ${flow.source}`,
        ).toEqual([]);
      }
    },
    5 * MINUTE,
  );

  it.concurrent(
    `stays quiet for ${HEALTHY_MINUTES} minutes while healthy, both flows, through the agent and through the reporter: no alert fires, none is even pending`,
    async ({ expect }) => {
      // Monitoring started with the stack: the watch begins once the rules have judged a minute of
      // scrapes of every target and nothing has been pending for as long (at once if that was
      // already so). The settling time is printed; it is not part of the judgement.
      const scrapeMs = durationSeconds(stack.model.prometheus.scrapeInterval) * 1000;
      const opts = { targets: stack.workers.length, judgedAfterMs: 4 * scrapeMs, settleMs: 6 * MINUTE, watchMs: HEALTHY_MINUTES * MINUTE };
      // The reporter's Prometheus sends to no Alertmanager: only what its rules hold is judged.
      const [h, r] = await Promise.all([
        watchHealthy(watch, stack.webhook!, prometheus(), opts),
        watchHealthy(reporterWatch, stack.webhook!, reporterPrometheus, opts),
      ]);
      for (const [via, x] of [
        ['the agent', h],
        ['the reporter', r],
      ] as const)
        console.log(
          `through ${via}: settled ${Math.round(x.settleMs / 1000)} s after this test began${x.settled ? '' : ' (not quiet yet)'}; active meanwhile: ${x.settling.join(', ') || 'none'}`,
        );
      expect(h.seen).toEqual([]);
      expect(r.seen, 'through the reporter').toEqual([]);
      expect(h.notified).toEqual([]);
    },
    (HEALTHY_MINUTES + 8) * MINUTE,
  );

  it('delivers the Watchdog to its own receiver', async () => {
    const watchdog = stack.webhook!.delivered(0, 'firing').filter((d) => d.alertname === WATCHDOG_ALERT);
    expect(watchdog.length).toBeGreaterThan(0);
    expect(watchdog.every((d) => d.receiver === routedReceiver(amConfigFile, d.labels))).toBe(true);
  });

  // Faults on one flow, side by side with the other flow's: the lag on the guide's flow (its
  // source cluster's consumers throttled) while the reverse flow's source connector is paused,
  // then its tasks fail.

  it.concurrent(
    'source traffic above what MM2 may read (source quota): lag alerts fire, then clear once it catches up',
    async ({ expect }) => {
      const flow = forward();
      const traffic = stack.trafficOf(flow.source);
      const rate = TRAFFIC[flow.source]!.rate;
      const critical = signal(stack.model, 'replicationLag').tiers.critical!.threshold;
      const lag = async () => {
        try {
          return Number((await query(`${SIGNAL_DEFS.replicationLag.record}{flow="${flow.id}"}`))[0]?.value[1] ?? 0);
        } catch {
          return 0; // Prometheus busy: next round
        }
      };
      // Once the backlog is past the critical threshold, the normal rate keeps it growing against
      // the throttled reader (both alerts stay true) without piling up a backlog that takes
      // minutes to drain after the repair.
      let repairing = false;
      let backlogCapped: Promise<void> = Promise.resolve();
      await faults.play(
        expect,
        {
          fault: 'replication slower than the producers',
          scope: { flow: flow.id },
          // The lag warning fires too, but the critical inhibits its notification (same signal and flow).
          expected: [
            ['replicationLag', 'critical'],
            ['replicationLagGrowth', 'warning'],
          ],
          reachSeconds: 240,
          why: 'at 1,000 records/s against a throttled reader the lag passed 100,000 records two to three minutes after the throttle on this machine; its growth shows within the first minute',
        },
        async () => {
          traffic.send('throttle-consumers 2000');
          traffic.send(`rate ${rate * 5}`);
          backlogCapped = (async () => {
            await within(10 * MINUTE, async () => repairing || (await lag()) >= 1.2 * critical);
            if (!repairing) traffic.send(`rate ${rate}`);
          })();
        },
        async () => {
          repairing = true;
          await backlogCapped;
          traffic.send('throttle-consumers off');
          traffic.send(`rate ${rate}`);
        },
      );
    },
    40 * MINUTE,
  );

  it.concurrent(
    "the flow's heartbeat connector deleted, then deployed again: its warning fires, nothing pages, no budget burns",
    async ({ expect }) => {
      const flow = forward();
      const hb = flow.connectors.heartbeat.name;
      let injectedAt = 0;
      let burnt = true;
      await faults.play(
        expect,
        {
          fault: 'heartbeat connector deleted',
          scope: { flow: flow.id },
          expected: [['connectorsNotRunning', 'warning']],
          reachSeconds: scrapeS(),
          why: "the connector's status series is gone at the next scrape; the rule holds what Kafka last reported",
          noPage: true,
        },
        async () => {
          injectedAt = Date.now();
          await stack.deleteConnector(hb);
        },
        async () => {
          burnt = await unavailableWithin(flow, (Date.now() - injectedAt) / 1000);
          await stack.deployConnector(hb);
        },
      );
      expect(burnt, 'the SLI counted the flow available while only its heartbeat connector was gone').toBe(false);
    },
    40 * MINUTE,
  );

  it.concurrent(
    'source connector paused, then resumed: the connector alert pages the flow and the SLO counts the outage',
    async ({ expect }) => {
      const flow = reverse();
      const source = flow.connectors.source.name;
      const budget = async () => Number((await query(`${SLO_SERIES.errorBudgetRemaining}{flow="${flow.id}"}`))[0]?.value[1] ?? NaN);
      let budgetBefore = NaN;
      let unavailableSeen = false;
      await faults.play(
        expect,
        {
          fault: 'source connector paused',
          scope: { flow: flow.id, connector: source },
          expected: [['connectorsNotRunning', 'critical']],
          reachSeconds: scrapeS(),
          why: 'the status label changes at the next scrape',
        },
        async () => {
          budgetBefore = await budget();
          await stack.rest.pause(source);
        },
        async () => {
          unavailableSeen = (await query(`max_over_time(${SLO_SERIES.unavailable}{flow="${flow.id}"}[10m])`))[0]?.value[1] === '1';
          await stack.rest.resume(source);
        },
      );
      expect(unavailableSeen, `${SLO_SERIES.unavailable} counted the paused flow as unavailable`).toBe(true);
      const ratio = Number((await query(`${SLO_SERIES.errorRatio('5m')}{flow="${flow.id}"}`))[0]?.value[1] ?? NaN);
      expect(await budget(), 'the error budget went down').toBeLessThan(Number.isNaN(budgetBefore) ? 1 : budgetBefore);
      expect(ratio >= 0, `the error ratio series exists (${ratio})`).toBe(true);
    },
    40 * MINUTE,
  );

  /**
   * The reverse flow's source tasks failed by a transformation that rejects every record, then the
   * configuration put back and the failed tasks restarted. MirrorMaker 2's records are bytes, not
   * structs: ExtractField throws on the first one and Connect fails the task (errors.tolerance=none),
   * before any record reaches the producer, so the flow's producer-error warning (which clears
   * only 5 minutes after the last error) has no part in it.
   */
  const failSourceTasks = (expect: ExpectStatic, fault: string, reporterToo: boolean) => {
    const flow = reverse();
    const c = flow.connectors.source;
    return faults.play(
      expect,
      {
        fault,
        scope: { flow: flow.id, connector: c.name },
        expected: [['failedTasks', 'critical']],
        reachSeconds: scrapeS(),
        why: 'a task fails on its first record',
        reporterToo,
      },
      () =>
        stack.rest.putConfig(
          c.name,
          stack.connectorConfig(c, {
            transforms: 'reject',
            'transforms.reject.type': 'org.apache.kafka.connect.transforms.ExtractField$Value',
            'transforms.reject.field': 'payload',
          }),
        ),
      async () => {
        await stack.rest.putConfig(c.name, stack.connectorConfig(c));
        await stack.rest.restartFailed(c.name);
      },
    );
  };

  it.concurrent(
    'a task fails (a transformation rejects its records): the failed-task alert pages (through the agent and through the reporter), restart repairs it',
    async ({ expect }) => {
      await failSourceTasks(expect, 'source tasks failed', true);
    },
    40 * MINUTE,
  );

  it.concurrent(
    'the same tasks fail again minutes after the first failure was resolved: the page leaves Alertmanager within group_wait of firing',
    async ({ expect }) => {
      // The first failure's alert group may still hold its resolved alert: the page must not wait
      // for that group's next interval (the runner bounds every page's notification by group_wait).
      await failSourceTasks(expect, 'source tasks failed again, soon after', false);
    },
    40 * MINUTE,
  );

  it.concurrent(
    "the flow's heartbeat connector and its source cluster's heartbeat emitter paused: their warnings fire, nothing pages, no budget burns",
    async ({ expect }) => {
      const flow = reverse();
      const hb = flow.connectors.heartbeat.name;
      const emitter = heartbeatEmitterName(flow);
      let injectedAt = 0;
      let burnt = true;
      await faults.play(
        expect,
        {
          fault: 'heartbeat connector and heartbeat emitter paused',
          scope: { flow: flow.id },
          expected: [
            ['connectorsNotRunning', 'warning'],
            ['heartbeatEmitterNotRunning', 'warning'],
          ],
          reachSeconds: scrapeS(),
          why: 'the status labels change at the next scrape',
          noPage: true,
        },
        async () => {
          injectedAt = Date.now();
          await stack.rest.pause(hb);
          await stack.rest.pause(emitter);
        },
        async () => {
          burnt = await unavailableWithin(flow, (Date.now() - injectedAt) / 1000);
          await stack.rest.resume(hb);
          await stack.rest.resume(emitter);
        },
      );
      expect(burnt, 'the SLI counted the flow available while only its heartbeat connector and emitter were paused').toBe(false);
    },
    40 * MINUTE,
  );

  // Faults on the whole Connect cluster: alone. The first, whose expected alert is no page, begins
  // while the flow faults' pages keep firing for their keep_firing_for: the next, which expects
  // the page, need not wait for them to end.

  it(
    'SIGKILL of one worker: its exporter-unreachable warning fires (through the agent and through the reporter), its tasks move, nothing pages',
    async () => {
      const victim = stack.workers[stack.workers.length - 1]!;
      await faults.play(
        expect,
        {
          fault: 'SIGKILL of one worker',
          scope: CLUSTER,
          expected: [['workerExporterUnreachable', 'warning']],
          reachSeconds: scrapeS(),
          why: 'up turns 0 at the next scrape',
          noPage: true,
          reporterToo: true,
        },
        () => victim.kill(),
        () => stack.startWorker(victim),
      );
    },
    30 * MINUTE,
  );

  it(
    "the workers' Kafka cluster stopped, then restarted: both flows are unavailable and page",
    async () => {
      // The workers' own group lives on that cluster: without it the connectors lose their
      // assignment and report not running, which the SLI counts, so the page is the SLO's, for
      // every flow the Connect cluster runs. No alert of the flow faults fires again meanwhile:
      // their resolved notifications leave during this fault.
      await faults.play(
        expect,
        {
          fault: "workers' Kafka cluster stopped",
          scope: CLUSTER,
          expected: ['page'],
          eachFlow: true,
          reachSeconds: 150,
          why: "the workers notice the lost cluster after the session timeout (30 s) and the SLI debounces; Kafka's sample windows decay over about a minute",
        },
        () => stack.workerCluster.stop(),
        async () => {
          await stack.workerCluster.start();
          // Sends and admin calls that timed out while the cluster was down fail tasks and
          // connectors, and statuses written meanwhile can be lost: restarting what failed until
          // everything runs, and every connector if the workers then disagree with the
          // statuses, is part of the repair.
          await stack.repairAfterWorkerClusterOutage(5 * MINUTE, 90_000);
        },
      );
    },
    40 * MINUTE,
  );

  it(
    'a careful rolling restart (each worker back in the group, its tasks running, before the next stops) fires nothing and costs no budget',
    async () => {
      // Between the two cluster-wide faults: the resolved notifications of the faults before
      // leave meanwhile, which the no-worker alert would inhibit. The page of the fault before
      // keeps firing for its keep_firing_for: not a new alert, and no new downtime. On these
      // workers a JVM is back within a scrape interval (`up` never drops) and Connect may hold
      // its tasks for scheduled.rebalance.max.delay.ms: the startup grace covers both. The
      // records of the tasks Connect holds really wait that long, and show as latency for
      // Kafka's sample window (a minute): shorter than the latency alerts' `for`, as long as
      // the next worker stops only once that lateness has shown and passed.
      let steps = 0;
      let injectedAt = 0;
      let quietAfter = false;
      let pendingLeft: string[] = [];
      const burnt: string[] = [];
      await faults.play(
        expect,
        {
          fault: 'careful rolling restart',
          scope: CLUSTER,
          expected: [],
          reachSeconds: 0,
          why: 'an operation, not a fault',
          firesNothing: true,
        },
        async () => {
          injectedAt = Date.now();
          // As an operator would: the next worker once Prometheus sees every task the cluster
          // runs, and the per-topic latency and record age are back under their warning
          // thresholds (the alerts' own expressions), both for two scrapes and a rule evaluation.
          const caughtUp = (id: 'replicationLatencyMax' | 'recordAgeMax') =>
            `last_over_time(${SIGNAL_DEFS[id].record}[5m]) >= ${signal(stack.model, id).tiers.warning!.threshold}`;
          const tasksSeen = async () => {
            const statuses = await stack.rest.statuses();
            const tasks = stack.connectorNames.reduce((n, name) => n + (statuses.get(name)?.tasks.length ?? 0), 0);
            const running = await query(`count(${metricSelector('taskStatus', { status: eq('running') })})`);
            return Number(running[0]?.value[1] ?? 0) === tasks;
          };
          const settled = async () => (await tasksSeen()) && (await query(`${caughtUp('replicationLatencyMax')} or ${caughtUp('recordAgeMax')}`)).length === 0;
          const settledForMs = 1000 * (2 * scrapeS() + durationSeconds(stack.model.prometheus.evaluationInterval));
          const done = await rollingRestart(stack, { settled, settledForMs });
          steps = done.length;
          const s = (from: number, to: number) => `${Math.round((to - from) / 1000)} s`;
          for (const d of done)
            console.log(
              `rolling restart, worker ${d.worker + 1}: back with its tasks after ${s(d.stoppedAt, d.rejoinedAt)}, settled after ${s(d.stoppedAt, d.settledAt)}`,
            );
          // Judged once nothing the restarts may have started is still pending: an alert of a
          // `for` up to 5 minutes pending now would fire within the wait. Longer ones are rates
          // over the last 10 to 15 minutes (the latency and age warnings are under their
          // thresholds already, `settled` says so; the rebalance warning counts the restarts'
          // rebalances and the faults' before them), which a restart this careful cannot hold
          // true for as long.
          quietAfter = await within(5 * MINUTE, () => watch.current().every((a) => a.state !== 'pending' || a.forSeconds * 1000 > 5 * MINUTE));
          pendingLeft = watch
            .current()
            .filter((a) => a.state === 'pending')
            .map((a) => `${describeAlert(a.labels)} (for ${a.forSeconds} s)`);
          console.log(
            `rolling restart: judged ${s(done.at(-1)!.settledAt, Date.now())} after the last worker settled; still pending: ${pendingLeft.join(', ') || 'none'}`,
          );
        },
        async () => {
          for (const f of stack.model.flows) if (await unavailableWithin(f, (Date.now() - injectedAt) / 1000)) burnt.push(f.id);
        },
      );
      expect(steps).toBe(stack.workers.length);
      expect(burnt, 'flows the SLI counted unavailable during the rolling restart').toEqual([]);
      expect(quietAfter, `nothing of a \`for\` up to 5 minutes still pending 5 minutes after the last restart; pending: ${pendingLeft.join(', ')}`).toBe(true);
    },
    30 * MINUTE,
  );

  it(
    'whole Connect cluster stopped: the no-worker alert pages, restart recovers',
    async () => {
      // The earlier faults' resolved notifications leave first: the no-worker alert inhibits
      // every flow's alerts (Alertmanager then sends no resolved notification for them).
      await faults.missingResolved(6 * MINUTE);
      await faults.play(
        expect,
        {
          fault: 'every Connect worker stopped',
          scope: CLUSTER,
          expected: [['workersUp', 'critical']],
          reachSeconds: scrapeS(),
          why: 'up turns 0 at the next scrape',
        },
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
      // Resolved notifications leave at the route's group_interval after the alert clears.
      expect(await faults.missingResolved(6 * MINUTE)).toEqual([]);
    },
    8 * MINUTE,
  );
});

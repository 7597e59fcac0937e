import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { freePort, type PrometheusServer, startPrometheus } from '../../bench/lib/prometheus.js';
import { buildBundle } from '../../src/bundle/bundle.js';
import type { GeneratedFile } from '../../src/bundle/files.js';
import { ALERT_FILES, SCRAPE_FILES } from '../../src/bundle/paths.js';
import { burnRateAlertName, SLO_SERIES, WATCHDOG_ALERT } from '../../src/conventions/names.js';
import { durationSeconds } from '../../src/model/duration.js';
import { loadModel } from '../../src/model/load.js';
import type { Model } from '../../src/model/model.js';
import { type AlertmanagerServer, startAlertmanager } from './alertmanager-server.js';
import { ExporterEndpoint } from './exporter-server.js';
import { activeAlerts, waitFor } from './prometheus-api.js';
import { thresholdsFiringAfter, writePrometheusSetup } from './prometheus-setup.js';
import { SimulatedConnectCluster } from './simulated-cluster.js';
import { serveSimulatedCluster } from './simulated-exporter.js';

/**
 * Two bundles in one Prometheus with one Alertmanager, as a team running a production and a DR
 * Connect cluster (the reverse flow) does (issue 10): each bundle reads and writes its own
 * cluster's series only, so a fault in one cluster fires one alert, for that cluster only, and
 * touches only that cluster's SLO. Short intervals as in bundle-on-prometheus.test.ts.
 */
const FOR = '4s';

interface Side {
  model: Model;
  files: GeneratedFile[];
  cluster: SimulatedConnectCluster;
  exporters: ExporterEndpoint[];
}

function override(name: string, job: string, flow: { source: string; target: string }, ports: readonly number[], dir: string, amPort: number) {
  const thresholds = thresholdsFiringAfter(FOR);
  return {
    prometheus: {
      job,
      cluster: name,
      scrapeInterval: '2s',
      scrapeTimeout: '2s',
      evaluationInterval: '1s',
      rateWindow: '8s',
      ruleFilesDir: join(dir, name, 'rules'),
      fileSdPath: join(dir, name, 'file_sd', 'targets.json'),
      alertmanagers: [`127.0.0.1:${amPort}`],
    },
    workers: ports.map((port) => ({ host: '127.0.0.1', port })),
    flows: [{ ...flow, connectors: { source: { tasksMax: 3 } } }],
    thresholds,
  };
}

describe('two Connect clusters (prod and DR, reverse flow) in one Prometheus and one Alertmanager', () => {
  let dir: string;
  let prometheus: PrometheusServer | undefined;
  let am: AlertmanagerServer | undefined;
  const sides: Side[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mm2-two-clusters-'));
    const amPort = await freePort();
    for (const [name, job, flow] of [
      ['paris', 'mm2-connect-paris', { source: 'nemo', target: 'applicatif' }],
      ['dr', 'mm2-connect-dr', { source: 'applicatif', target: 'nemo' }],
    ] as const) {
      const exporters = await Promise.all([0, 1, 2].map(() => ExporterEndpoint.listen()));
      const model = loadModel(
        override(
          name,
          job,
          flow,
          exporters.map((e) => e.port),
          dir,
          amPort,
        ),
        `${name} override`,
      );
      const files = [...buildBundle(model)].map(([path, content]) => ({ path, content }));
      const cluster = new SimulatedConnectCluster(model);
      serveSimulatedCluster(exporters, files, cluster);
      writePrometheusSetup(model, files, dir);
      sides.push({ model, files, cluster, exporters });
    }
    // One Prometheus: both bundles' rule files and scrape jobs, the first one's globals and alerting block.
    const configs = sides.map((s) => parse(s.files.find((f) => f.path === SCRAPE_FILES.prometheus)!.content) as Record<string, unknown[]>);
    const merged = {
      ...configs[0],
      rule_files: configs.flatMap((c) => c.rule_files!),
      scrape_configs: configs.flatMap((c) => c.scrape_configs!),
    };
    writeFileSync(join(dir, 'prometheus.yml'), stringify(merged));
    // One Alertmanager: the production bundle's configuration (routes are per flow; the DR flow falls to the default receiver).
    writeFileSync(join(dir, 'alertmanager.yaml'), sides[0]!.files.find((f) => f.path === ALERT_FILES.alertmanager)!.content);
    am = await startAlertmanagerOn(amPort);
    prometheus = await startPrometheus({ configFile: join(dir, 'prometheus.yml'), storageDir: join(dir, 'data'), logFile: join(dir, 'prometheus.log') });

    async function startAlertmanagerOn(port: number) {
      return startAlertmanager({ configFile: join(dir, 'alertmanager.yaml'), storageDir: join(dir, 'am'), logFile: join(dir, 'am.log'), port });
    }
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
    await am?.stop();
    await Promise.all(sides.flatMap((s) => s.exporters.map((e) => e.stop())));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const p = () => prometheus!;
  const notWatchdog = (labels: Record<string, string>) => labels['alertname'] !== WATCHDOG_ALERT;
  const query = async (q: string) => (await p().api<{ result: { metric: Record<string, string>; value: [number, string] }[] }>('query', { query: q })).result;

  it("keeps both clusters' series apart: one series per recorded signal, flow and cluster, and both healthy", async () => {
    const settle = durationSeconds(sides[0]!.model.prometheus.rateWindow) + 6;
    await new Promise((r) => setTimeout(r, settle * 1000));
    const dup = await query('count by (__name__, cluster, job, flow, connector, topic, partition, group, instance, task) ({__name__=~"mm2_.+"}) > 1');
    expect(dup.map((s) => JSON.stringify(s.metric))).toEqual([]);
    for (const s of sides) {
      const own = await query(`count(${SLO_SERIES.outage}{cluster="${s.model.groupLabels.cluster}", job="${s.model.groupLabels.job}"})`);
      expect(own[0]?.value[1], s.model.groupLabels.cluster).toBe('1');
    }
    const firing = (await activeAlerts(p())).filter((a) => notWatchdog(a.labels));
    expect(firing.map((a) => `${a.labels['alertname']} ${JSON.stringify(a.labels)}`)).toEqual([]);
  }, 60_000);

  it("a task failing in one cluster fires that cluster's alerts only (the failed task, the flow's page) and touches only its SLO", async () => {
    const [paris, dr] = sides as [Side, Side];
    const source = paris.model.flows[0]!.connectors.source;
    paris.cluster.failTask(source.name, 1);
    const own = paris.model.groupLabels;
    // Alertmanager: what a human sees, the failed task and the flow's page (the task's tasks-not-running page and the
    // budget ticket are inhibited by them).
    const expected = [
      ['MM2FailedTasksCritical', own.cluster, own.job, source.name, '1'],
      [burnRateAlertName('fast'), own.cluster, own.job, undefined, undefined],
    ];
    const shown = (a: { labels: Record<string, string> }) => [
      a.labels['alertname'],
      a.labels['cluster'],
      a.labels['job'],
      a.labels['connector'],
      a.labels['task'],
    ];
    const activeNow = async () => (await am!.alerts()).filter((a) => notWatchdog(a.labels) && a.status.state === 'active');
    await waitFor('the failed-task alert and the page in Alertmanager', 60_000, async () => {
      const names = (await activeNow()).map((a) => a.labels['alertname']);
      return expected.every(([n]) => names.includes(n!)) ? true : undefined;
    });
    await new Promise((r) => setTimeout(r, 5000));
    expect((await activeNow()).map(shown).sort()).toEqual(expected.sort());
    // Prometheus: nothing fires for the other cluster.
    const firing = (await activeAlerts(p())).filter((a) => notWatchdog(a.labels) && a.state === 'firing');
    expect(firing.filter((a) => a.labels['cluster'] !== own.cluster).map((a) => JSON.stringify(a.labels))).toEqual([]);
    // The SLI: the failed source task is downtime for paris's flow only.
    const outage = await query(`max by (cluster) (${SLO_SERIES.outage})`);
    expect(Object.fromEntries(outage.map((s) => [s.metric['cluster'], s.value[1]]))).toEqual({ [own.cluster]: '1', [dr.model.groupLabels.cluster]: '0' });
  }, 90_000);
});

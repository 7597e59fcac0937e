import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { AlertmanagerConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { freePort, type PrometheusServer, startPrometheus } from '../../bench/lib/prometheus.js';
import { KUBERNETES_DIR } from '../../src/builders/kubernetes/index.js';
import { type BuiltDeployment, buildDeployment } from '../../src/bundle/bundle.js';
import { durationSeconds } from '../../src/conventions/duration.js';
import { burnRateAlertName, SLO_SERIES, WATCHDOG_ALERT } from '../../src/conventions/names.js';
import { ALERT_FILES, isDashboardFile, isRuleFile } from '../../src/documents/paths.js';
import { loadDeployment } from '../../src/model/deployment.js';
import type { Model } from '../../src/model/model.js';
import type { GeneratedFile } from '../../src/reader/read.js';
import { readRuleGroups } from '../../src/reader/read.js';
import { type AlertmanagerServer, startAlertmanager } from './alertmanager-server.js';
import { ExporterEndpoint } from './exporter-server.js';
import { activeAlerts, waitFor } from './prometheus-api.js';
import { thresholdsFiringAfter, writePrometheusSetup } from './prometheus-setup.js';
import { SimulatedConnectCluster } from './simulated-cluster.js';
import { serveSimulatedCluster } from './simulated-exporter.js';

/**
 * Two Connect clusters, paris-prod and lyon-prod, each replicating nemo -> applicatif and back,
 * described in one override file and built into one bundle: one Prometheus loads both clusters'
 * rule files and scrape jobs as generated, one Alertmanager routes both, one dashboard set serves
 * both, and both clusters' Kubernetes manifests go into one namespace. Nothing collides: no file,
 * rule group or object name, no series; each cluster's fault is its own. Short intervals as in
 * bundle-on-prometheus.test.ts.
 */
const FOR = '4s';
const CLUSTERS = [
  { cluster: 'paris-prod', job: 'mm2-connect-paris' },
  { cluster: 'lyon-prod', job: 'mm2-connect-lyon' },
] as const;

interface Side {
  model: Model;
  cluster: SimulatedConnectCluster;
  exporters: ExporterEndpoint[];
}

function override(dir: string, amPort: number, ports: readonly (readonly number[])[]) {
  const flows = [
    { source: 'nemo', target: 'applicatif', connectors: { source: { tasksMax: 3 } } },
    { source: 'applicatif', target: 'nemo' },
  ];
  return {
    prometheus: {
      scrapeInterval: '2s',
      scrapeTimeout: '2s',
      evaluationInterval: '1s',
      rateWindow: '8s',
      ruleFilesDir: join(dir, 'rules'),
      alertmanagers: [`127.0.0.1:${amPort}`],
    },
    thresholds: thresholdsFiringAfter(FOR),
    output: { kubernetes: { namespace: 'monitoring', connectNamespace: 'kafka' } },
    clusters: CLUSTERS.map((c, i) => ({ prometheus: c, workers: ports[i]!.map((port) => ({ host: '127.0.0.1', port })), flows })),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('two Connect clusters (paris-prod, lyon-prod, two flows each) in one bundle, one Prometheus, one Alertmanager, one namespace', () => {
  let dir: string;
  let prometheus: PrometheusServer | undefined;
  let am: AlertmanagerServer | undefined;
  let built: BuiltDeployment;
  const sides: Side[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mm2-two-clusters-'));
    const amPort = await freePort();
    const exporters = await Promise.all(CLUSTERS.map(() => Promise.all([0, 1].map(() => ExporterEndpoint.listen()))));
    built = buildDeployment(
      loadDeployment(
        override(
          dir,
          amPort,
          exporters.map((e) => e.map((x) => x.port)),
        ),
        'two-clusters.yaml',
      ),
    );
    built.views.forEach((view, i) => {
      const cluster = new SimulatedConnectCluster(view.model);
      serveSimulatedCluster(
        exporters[i]!,
        [...view.files].map(([path, content]) => ({ path, content })),
        cluster,
      );
      sides.push({ model: view.model, cluster, exporters: exporters[i]! });
    });
    // The bundle as the README installs it: its prometheus.yml, every file of alerts/ in ruleFilesDir.
    const files: GeneratedFile[] = [...built.bundle].map(([path, content]) => ({ path, content }));
    const setup = writePrometheusSetup(sides[0]!.model, files, dir);
    writeFileSync(join(dir, 'alertmanager.yaml'), built.bundle.get(ALERT_FILES.alertmanager)!);
    am = await startAlertmanager({ configFile: join(dir, 'alertmanager.yaml'), storageDir: join(dir, 'am'), logFile: join(dir, 'am.log'), port: amPort });
    prometheus = await startPrometheus({ configFile: setup.configFile, storageDir: join(dir, 'data'), logFile: join(dir, 'prometheus.log') });
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

  it('names every per-cluster file, rule group and Kubernetes object apart, and shares one dashboard set and one Alertmanager configuration', () => {
    const rulePaths = [...built.bundle.keys()].filter(isRuleFile);
    expect(rulePaths.filter((f) => f.includes('paris-prod-')).length).toBe(rulePaths.length / 2);
    const groups = readRuleGroups(built.bundle).map((g) => g.name);
    expect(new Set(groups).size).toBe(groups.length);
    expect([...built.bundle.keys()].filter(isDashboardFile).length).toBe(2);
    const manifests = [...built.bundle].filter(([path]) => path.startsWith(`${KUBERNETES_DIR}/`)).map(([, content]) => parse(content));
    const names = manifests.map((m) => `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`);
    expect(new Set(names).size, names.join('\n')).toBe(names.length);
    const models: Record<string, new (data: never) => { validate(): void }> = { PrometheusRule, PodMonitor, ConfigMap, AlertmanagerConfig };
    for (const m of manifests) expect(() => new models[m.kind]!(m as never).validate(), `${m.kind} ${m.metadata.name}`).not.toThrow();
    // One PrometheusRule per rule file and cluster, one PodMonitor and exporter ConfigMap per cluster; dashboards and Alertmanager once.
    const count = (kind: string) => manifests.filter((m) => m.kind === kind).length;
    expect([count('PrometheusRule'), count('PodMonitor'), count('ConfigMap'), count('AlertmanagerConfig')]).toEqual([6, 2, 4, 1]);
  });

  it("keeps both clusters' series apart: one series per recorded signal, flow and cluster, and both healthy", async () => {
    const settle = durationSeconds(sides[0]!.model.prometheus.rateWindow) + 6;
    await sleep(settle * 1000);
    const dup = await query('count by (__name__, cluster, job, flow, connector, topic, partition, group, instance, task) ({__name__=~"mm2_.+"}) > 1');
    expect(dup.map((s) => JSON.stringify(s.metric))).toEqual([]);
    for (const s of sides) {
      // The SLI has a value once Prometheus has known the cluster's targets for 4 scrape intervals.
      const count = `count(${SLO_SERIES.outage}{cluster="${s.model.groupLabels.cluster}", job="${s.model.groupLabels.job}"})`;
      const own = await waitFor(`${s.model.groupLabels.cluster}'s SLI`, 30_000, async () => ((await query(count))[0] ? await query(count) : undefined));
      expect(own[0]?.value[1], s.model.groupLabels.cluster).toBe('2');
    }
    const firing = (await activeAlerts(p())).filter((a) => notWatchdog(a.labels));
    expect(firing.map((a) => `${a.labels['alertname']} ${JSON.stringify(a.labels)}`)).toEqual([]);
  }, 60_000);

  it("resolves each dashboard variable for either cluster alone: its own job, flows, connectors, workers and topics, none of the other's", async () => {
    const dashboards = [...built.bundle].filter(([path]) => isDashboardFile(path)).map(([, content]) => JSON.parse(content));
    for (const side of sides) {
      const chosen: Record<string, string> = { cluster: side.model.groupLabels.cluster };
      for (const d of dashboards) {
        for (const v of d.templating.list as { name: string; type: string; query: string }[]) {
          if (v.type !== 'query') continue;
          const m = /^label_values\((.*), (\w+)\)$/.exec(v.query)!;
          const selector = m[1]!.replace(/\$(\w+)/g, (_, name: string) => chosen[name] ?? '.+');
          const values = (await query(`group by (${m[2]}) (${selector})`)).map((s) => s.metric[m[2]!]!).sort();
          const expected: Record<string, string[]> = {
            cluster: CLUSTERS.map((c) => c.cluster).sort(),
            job: [side.model.groupLabels.job],
            flow: side.model.flows.map((f) => f.id).sort(),
            connector: side.model.flows.flatMap((f) => Object.values(f.connectors).map((c) => c.name)).sort(),
            instance: side.model.workers.map((w) => w.instance).sort(),
          };
          if (v.name in expected) expect(values, `${d.title} $${v.name} for ${chosen.cluster}`).toEqual(expected[v.name]);
          else expect(values.length, `${d.title} $${v.name} for ${chosen.cluster}`).toBeGreaterThan(0);
          if (v.name !== 'cluster') chosen[v.name] = values.map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
        }
      }
    }
  }, 60_000);

  it("a task failing in one cluster fires that cluster's alerts only (the failed task, the flow's page) and touches only its SLO", async () => {
    const [paris, lyon] = sides as [Side, Side];
    const source = paris.model.flows[0]!.connectors.source;
    paris.cluster.failTask(source.name, 1);
    const own = paris.model.groupLabels;
    // What a human sees: the failed task and the flow's page (the task's tasks-not-running page and the budget ticket
    // are inhibited by them).
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
    await sleep(5000);
    expect((await activeNow()).map(shown).sort()).toEqual(expected.sort());
    const firing = (await activeAlerts(p())).filter((a) => notWatchdog(a.labels) && a.state === 'firing');
    expect(firing.filter((a) => a.labels['cluster'] !== own.cluster).map((a) => JSON.stringify(a.labels))).toEqual([]);
    const outage = await query(`max by (cluster) (${SLO_SERIES.outage})`);
    expect(Object.fromEntries(outage.map((s) => [s.metric['cluster'], s.value[1]]))).toEqual({ [own.cluster]: '1', [lyon.model.groupLabels.cluster]: '0' });
  }, 90_000);
});

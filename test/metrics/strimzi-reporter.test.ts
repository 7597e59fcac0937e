import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { startPrometheus } from '../../bench/lib/prometheus.js';
import { connectorFilePath } from '../../src/builders/connect/connectors.js';
import { type Bundle, buildBundle } from '../../src/bundle/bundle.js';
import { SCRAPE_FILES } from '../../src/documents/paths.js';
import { modelReadings } from '../../src/emulation/mbean-instances.js';
import { type RelabelConfig, relabelAll, type Series } from '../../src/emulation/strimzi-reporter.js';
import { KAFKA_METRIC_KEYS } from '../../src/metrics/kafka-sources.js';
import { METRICS } from '../../src/metrics/names.js';
import { REPORTER_CLASS, REPORTER_SETTINGS, reporterSeries } from '../../src/metrics/strimzi-reporter.js';
import { loadDeployment } from '../../src/model/deployment.js';
import { loadModel } from '../../src/model/load.js';
import { connectorsOf } from '../../src/model/topology.js';
import { readBundleValues, readConnectSettings, readMetricRelabeling } from '../../src/reader/read.js';
import { checkInput } from '../../src/validate/check.js';
import { seriesExist } from '../../src/validate/checks/series-exist.js';
import { reporterServedSeries } from '../../src/validate/reporter-series.js';
import { ExporterEndpoint } from '../e2e/exporter-server.js';
import { waitFor } from '../e2e/prometheus-api.js';
import { writePrometheusSetup } from '../e2e/prometheus-setup.js';

const REPORTER = { collector: 'strimzi-metrics-reporter' } as const;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const key = (s: Series) => `${s.name}${JSON.stringify(Object.entries(s.labels).sort())}`;
const quote = (v: string) => JSON.stringify(v);
/** Text exposition of series, every value 1. */
const exposition = (series: readonly Series[]) =>
  `${series
    .map(
      (s) =>
        `${s.name}{${Object.entries(s.labels)
          .map(([k, v]) => `${k}=${quote(v)}`)
          .join(',')}} 1`,
    )
    .join('\n')}\n`;

function bundleWithout(bundle: Bundle, drop: (rule: RelabelConfig) => boolean): Bundle {
  const doc = parse(bundle.get(SCRAPE_FILES.prometheus)!) as { scrape_configs: { metric_relabel_configs: RelabelConfig[] }[] };
  doc.scrape_configs[0]!.metric_relabel_configs = doc.scrape_configs[0]!.metric_relabel_configs.filter((r) => !drop(r));
  return new Map([...bundle, [SCRAPE_FILES.prometheus, stringify(doc)]]);
}

describe('the Strimzi Metrics Reporter as the collector (collector: strimzi-metrics-reporter)', () => {
  const model = loadModel(REPORTER, 'reporter.yaml');
  const bundle = buildBundle(model);

  it("writes the workers' reporter settings and each connector's, and no JMX exporter configuration", () => {
    expect(bundle.has(SCRAPE_FILES.exporter)).toBe(false);
    const { connectors, workers } = readConnectSettings(bundle);
    expect(workers.map((w) => w.path)).toEqual(['connect/worker-metrics-reporter.properties']);
    expect(workers[0]!.properties).toMatchObject({
      [REPORTER_SETTINGS.reporters]: REPORTER_CLASS,
      [REPORTER_SETTINGS.listener]: `http://:${model.exporter.port}`,
    });
    const flow = model.flows[0]!;
    const config = (name: string) => connectors.find((c) => c.name === name)!.config;
    // MM2's own metrics and the task producers on every MM2 connector that has them; the replication consumer on the source connector.
    expect(config(flow.connectors.source.name)).toMatchObject({
      [REPORTER_SETTINGS.reporters]: REPORTER_CLASS,
      [REPORTER_SETTINGS.listenerEnable]: 'false',
      [`consumer.${REPORTER_SETTINGS.reporters}`]: REPORTER_CLASS,
      [`producer.override.${REPORTER_SETTINGS.reporters}`]: REPORTER_CLASS,
    });
    expect(config(flow.connectors.checkpoint.name)[`consumer.${REPORTER_SETTINGS.reporters}`]).toBeUndefined();
    expect(config(flow.connectors.heartbeat.name)[REPORTER_SETTINGS.reporters]).toBeUndefined();
    // The JMX exporter's bundle carries none of it.
    const jmx = buildBundle(loadModel());
    for (const c of connectorsOf(flow)) expect(jmx.get(connectorFilePath(c))).not.toContain('prometheus.metrics.reporter');
  });

  it("the reporters' allowlists admit the label contract's metrics and nothing else", () => {
    const { connectors, workers } = readConnectSettings(bundle);
    const lists = [...workers.map((w) => w.properties), ...connectors.map((c) => c.config)].flatMap((settings) =>
      Object.entries(settings)
        .filter(([k]) => k.endsWith(REPORTER_SETTINGS.allowlist))
        .flatMap(([, v]) => v.split(',')),
    );
    expect(new Set(lists)).toEqual(new Set(reporterSeries().map((s) => s.registered)));
    expect(reporterSeries().map((s) => s.key)).toEqual(KAFKA_METRIC_KEYS);
  });

  it('renamed by the scrape job, what the reporter serves under these settings is the label contract, and every query of the bundle reads a series of it', () => {
    const served = reporterServedSeries(readConnectSettings(bundle), modelReadings(model, '3.7'));
    const stored = relabelAll(served, readMetricRelabeling(bundle, model.prometheus.job) as RelabelConfig[]);
    const names = new Set(stored.map((s) => s.name));
    for (const k of KAFKA_METRIC_KEYS) expect(names, METRICS[k].name).toContain(METRICS[k].name);
    // Nothing but the contract: every other name the reporter serves was allowed by mistake.
    expect([...names].filter((n) => !KAFKA_METRIC_KEYS.some((k) => METRICS[k].name === n))).toEqual([]);
    for (const s of stored) {
      const k = KAFKA_METRIC_KEYS.find((x) => METRICS[x].name === s.name)!;
      // Kafka 3.7's MirrorSourceConnector metrics carry no `source` tag.
      const labels = [...METRICS[k].labels].filter((l) => !(l === 'source' && s.name.startsWith('kafka_connect_mirror_source_connector_')));
      expect(Object.keys(s.labels).sort(), s.name).toEqual(labels.sort());
    }
    expect(seriesExist.run(checkInput(readBundleValues(bundle, model), model))).toEqual([]);
  });

  it('the check fails when the renaming misses a metric', () => {
    const broken = bundleWithout(bundle, (r) => r.replacement?.startsWith('kafka_connect_connector_${1}') ?? false);
    const problems = seriesExist.run(checkInput(readBundleValues(broken, model), model));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.message.includes(`metric ${METRICS.connectorStatus.name} is produced neither by the Strimzi Metrics Reporter`))).toBe(true);
  });

  it("a real Prometheus renames the reporter's exposition as the emulation does", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm2-reporter-'));
    dirs.push(dir);
    const endpoint = await ExporterEndpoint.listen();
    const local = loadModel({
      ...REPORTER,
      workers: [{ host: '127.0.0.1', port: endpoint.port }],
      prometheus: { scrapeInterval: '1s', scrapeTimeout: '1s', ruleFilesDir: join(dir, 'rules'), fileSdPath: join(dir, 'sd.json'), alertmanagers: [] },
    });
    const files = [...buildBundle(local)].map(([path, content]) => ({ path, content }));
    const served = reporterServedSeries(readConnectSettings(new Map(files.map((f) => [f.path, f.content]))), modelReadings(local, '4.x'));
    endpoint.serve(() => exposition(served));
    const setup = writePrometheusSetup(local, files, dir);
    const prometheus = await startPrometheus({ configFile: setup.configFile, storageDir: join(dir, 'data'), logFile: join(dir, 'prometheus.log') });
    try {
      const expected = relabelAll(served, readMetricRelabeling(files, local.prometheus.job) as RelabelConfig[]);
      const seriesNow = async () =>
        (
          await prometheus.api<Record<string, string>[]>('series', { 'match[]': `{job=${quote(local.prometheus.job)},__name__!~"up|scrape_.*",instance!=""}` })
        ).map(({ __name__, job: _job, instance: _instance, cluster: _cluster, ...labels }) => ({ name: __name__!, labels }));
      await waitFor('the renamed series', 30_000, async () => ((await seriesNow()).length >= expected.length ? true : undefined));
      expect((await seriesNow()).map(key).sort()).toEqual(expected.map(key).sort());
    } finally {
      await prometheus.stop();
      await endpoint.stop();
    }
  });

  it('in a clusters file, one cluster can move to the reporter: only its job renames, only it gets the reporter settings', () => {
    const two = buildBundle(
      loadDeployment(
        {
          clusters: [
            { prometheus: { cluster: 'paris-prod', job: 'mm2-paris' }, workers: [{ host: 'paris-0' }] },
            { prometheus: { cluster: 'lyon-prod', job: 'mm2-lyon' }, workers: [{ host: 'lyon-0' }], collector: 'strimzi-metrics-reporter' },
          ],
        },
        'two.yaml',
      ),
    );
    expect(readMetricRelabeling(two, 'mm2-paris')).toEqual([]);
    expect(readMetricRelabeling(two, 'mm2-lyon').length).toBeGreaterThan(0);
    expect([...two.keys()].filter((p) => p.includes('jmx-exporter') || p.includes('metrics-reporter'))).toEqual([
      'connect/lyon-prod-worker-metrics-reporter.properties',
      'scrape/paris-prod-jmx-exporter.yaml',
    ]);
  });

  it("is refused with Strimzi's KafkaMirrorMaker2, whose operator writes the connectors the reporter's settings would go into", () => {
    expect(() => loadModel({ ...REPORTER, connect: { strimzi: 'kafkaMirrorMaker2' } }, 'r.yaml')).toThrow(
      /collector: strimzi-metrics-reporter is not available with connect\.strimzi kafkaMirrorMaker2/,
    );
  });

  it('refuses the exporter TLS and basic-auth settings, which its listener does not have', () => {
    expect(() =>
      loadModel({ ...REPORTER, exporter: { tls: { keyStoreFile: '/k.p12', keyStorePasswordEnv: 'K' } }, prometheus: { tls: { caFile: '/ca.pem' } } }, 'r.yaml'),
    ).toThrow(/exporter\.tls: not available with collector strimzi-metrics-reporter/);
  });

  it('on Kubernetes, the PodMonitor renames as the scrape job does, and no JMX exporter ConfigMap is written', () => {
    const k8s = buildBundle(loadModel({ ...REPORTER, output: { kubernetes: true } }));
    const monitor = parse(k8s.get(`kubernetes/${model.prometheus.job}.podmonitor.yaml`)!) as {
      spec: { podMetricsEndpoints: { metricRelabelings: Record<string, unknown>[] }[] };
    };
    const rules = readMetricRelabeling(k8s, model.prometheus.job) as RelabelConfig[];
    expect(monitor.spec.podMetricsEndpoints[0]!.metricRelabelings).toEqual(
      rules.map((r) => ({
        ...(r.source_labels && { sourceLabels: r.source_labels }),
        ...(r.regex !== undefined && { regex: r.regex }),
        ...(r.action && { action: r.action }),
        ...(r.target_label && { targetLabel: r.target_label }),
        ...(r.replacement !== undefined && { replacement: r.replacement }),
      })),
    );
    expect([...k8s.keys()].filter((p) => p.includes('jmx-exporter'))).toEqual([]);
  });
});

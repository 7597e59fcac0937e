import { readFileSync } from 'node:fs';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { AlertmanagerConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KUBERNETES_DIR } from '../../../src/builders/kubernetes/index.js';
import { buildBundle } from '../../../src/bundle/bundle.js';
import { BUNDLE_LABEL, BUNDLE_LABEL_VALUE } from '../../../src/conventions/labels.js';
import { ALERT_FILES, DASHBOARD_FILES, RULE_FILES, SCRAPE_FILES } from '../../../src/documents/paths.js';
import { loadModel } from '../../../src/model/load.js';
import { ConfigError } from '../../../src/model/problems.js';

// biome-ignore lint/suspicious/noExplicitAny: the assertions walk untyped manifest YAML
type Json = Record<string, any>;
/** Each kind the bundle writes, with the typed model that validates it against its schema. */
// biome-ignore lint/suspicious/noExplicitAny: each model's constructor takes its own resource shape
const MODELS: Record<string, new (data: any) => { validate(): void }> = { PrometheusRule, PodMonitor, ConfigMap, AlertmanagerConfig };

const override = { output: { kubernetes: { namespace: 'monitoring', labels: { release: 'kube-prometheus-stack' }, connectNamespace: 'kafka' } } };
const bundle = buildBundle(loadModel(override, 'k8s.yaml'));
const manifests = [...bundle].filter(([p]) => p.startsWith(`${KUBERNETES_DIR}/`)).map(([path, content]) => ({ path, doc: parse(content) as Json }));
const byKind = (kind: string) => manifests.filter((m) => m.doc.kind === kind);

describe('Kubernetes manifests (output.kubernetes)', () => {
  it('are opt-in: the default bundle has none', () => {
    expect([...buildBundle(loadModel()).keys()].filter((p) => p.startsWith(`${KUBERNETES_DIR}/`))).toEqual([]);
    expect(manifests.length).toBe(RULE_FILES.length + 1 + 1 + Object.keys(DASHBOARD_FILES).length + 1);
  });

  it('each validates, as written, against the schema of its kind', () => {
    for (const { path, doc } of manifests) {
      const Model = MODELS[doc.kind];
      expect(Model, `${path}: kind ${doc.kind}`).toBeDefined();
      expect(() => new Model!(doc).validate(), path).not.toThrow();
      expect(doc.metadata.labels.release).toBe('kube-prometheus-stack');
    }
  });

  it('validation rejects what the API server would (a rule without expr, a numeric for, a ConfigMap value that is not text)', () => {
    const rule = structuredClone(byKind('PrometheusRule')[0]!.doc);
    delete rule.spec.groups[0].rules[0].expr;
    expect(() => new PrometheusRule(rule as never).validate()).toThrow(/expr/);
    const alerts = structuredClone(byKind('PrometheusRule').find((m) => m.doc.spec.groups.some((g: Json) => g.rules.some((r: Json) => r.for)))!.doc);
    alerts.spec.groups[0].rules.find((r: Json) => r.for).for = 60;
    expect(() => new PrometheusRule(alerts as never).validate()).toThrow(/for/);
    const map = structuredClone(byKind('ConfigMap')[0]!.doc);
    map.data[Object.keys(map.data)[0]!] = { not: 'text' };
    expect(() => new ConfigMap(map as never).validate()).toThrow();
  });

  it("PrometheusRules hold the rule files' groups unchanged, one per file", () => {
    const rules = byKind('PrometheusRule');
    expect(rules.map((r) => r.doc.metadata.name).sort()).toEqual(RULE_FILES.map((f) => f.replace(/^alerts\/|\.rules\.yaml$/g, '')).sort());
    for (const r of rules) {
      const file = RULE_FILES.find((f) => f === `alerts/${r.doc.metadata.name}.rules.yaml`)!;
      expect(r.doc.spec.groups).toEqual(parse(bundle.get(file)!).groups);
      expect(r.doc.metadata.namespace).toBe('monitoring');
    }
  });

  it('the PodMonitor scrapes as the static config does: same job, path, intervals and cluster label', () => {
    const [pm] = byKind('PodMonitor');
    const job = (parse(bundle.get(SCRAPE_FILES.prometheus)!) as Json).scrape_configs[0];
    const endpoint = pm!.doc.spec.podMetricsEndpoints[0];
    expect(endpoint).toMatchObject({ path: job.metrics_path, interval: job.scrape_interval, scrapeTimeout: job.scrape_timeout, port: 'tcp-prometheus' });
    expect(endpoint.relabelings).toEqual([
      { action: 'replace', targetLabel: 'job', replacement: job.job_name },
      { action: 'replace', targetLabel: 'cluster', replacement: job.static_configs[0].labels.cluster },
    ]);
    expect(pm!.doc.spec.namespaceSelector).toEqual({ matchNames: ['kafka'] });
    expect(pm!.doc.spec.selector).toEqual({ matchLabels: { 'strimzi.io/kind': 'KafkaConnect' } });
  });

  it("the exporter rules ConfigMap is what Strimzi's metricsConfig reads, in the Connect namespace", () => {
    const map = byKind('ConfigMap').find((m) => !m.doc.metadata.labels.grafana_dashboard)!;
    expect(map.doc.metadata.namespace).toBe('kafka');
    expect(map.doc.data).toEqual({ 'metrics-config.yml': bundle.get(SCRAPE_FILES.exporter) });
  });

  it('dashboards are ConfigMaps labelled for the Grafana sidecar, byte for byte', () => {
    const maps = byKind('ConfigMap').filter((m) => m.doc.metadata.labels.grafana_dashboard === '1');
    expect(maps).toHaveLength(Object.keys(DASHBOARD_FILES).length);
    for (const path of Object.values(DASHBOARD_FILES)) {
      const file = path.replace(/^.*\//, '');
      const map = maps.find((m) => file in m.doc.data)!;
      expect(map.doc.data[file]).toBe(bundle.get(path));
    }
  });

  it('`output.kubernetes: true` takes the defaults; bad settings are load errors naming the field', () => {
    const defaults = buildBundle(loadModel({ output: { kubernetes: true } }));
    const pm = parse(defaults.get(`${KUBERNETES_DIR}/mm2-connect.podmonitor.yaml`)!) as Json;
    expect(pm.metadata.namespace).toBe('monitoring');
    expect(pm.spec.namespaceSelector).toEqual({ matchNames: ['monitoring'] });
    const problems = (o: unknown) => {
      try {
        loadModel(o, 'k8s.yaml');
      } catch (e) {
        if (e instanceof ConfigError) return e.problems.map((p) => p.path);
        throw e;
      }
      return [];
    };
    expect(problems({ output: { kubernetes: { namespace: 'Monitoring_NS' } } })).toContain('output.kubernetes.namespace');
    expect(problems({ output: { kubernetes: { labels: { release: 'has spaces' } } } })).toContain('output.kubernetes.labels.release');
    expect(problems({ output: { kubernetes: { nameSpace: 'x' } } }).some((p) => p.startsWith('output.kubernetes'))).toBe(true);
  });

  it("selects a Strimzi KafkaMirrorMaker2's pods with connect.strimzi: kafkaMirrorMaker2, unless the file sets its own selector", () => {
    const selectorOf = (o: Json) =>
      (parse(buildBundle(loadModel(o)).get(`${KUBERNETES_DIR}/mm2-connect.podmonitor.yaml`)!) as Json).spec.selector.matchLabels as Json;
    expect(selectorOf({ output: { kubernetes: true } })).toEqual({ 'strimzi.io/kind': 'KafkaConnect' });
    expect(selectorOf({ connect: { strimzi: 'kafkaConnect' }, output: { kubernetes: true } })).toEqual({ 'strimzi.io/kind': 'KafkaConnect' });
    expect(selectorOf({ connect: { strimzi: 'kafkaMirrorMaker2' }, output: { kubernetes: true } })).toEqual({ 'strimzi.io/kind': 'KafkaMirrorMaker2' });
    const own = { 'strimzi.io/kind': 'KafkaMirrorMaker2', 'strimzi.io/cluster': 'my-mm2' };
    expect(selectorOf({ connect: { strimzi: 'kafkaMirrorMaker2' }, output: { kubernetes: { podSelector: own } } })).toEqual(own);
  });

  it("the README's KafkaConnect and KafkaMirrorMaker2 examples read the exporter rules ConfigMap the bundle writes, by its name and key", () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const examples = [...readme.matchAll(/```yaml\n(apiVersion: kafka\.strimzi\.io\/[\s\S]*?)```/g)].map((m) => parse(m[1]!) as Json);
    expect(examples.map((e) => e.kind).sort()).toEqual(['KafkaConnect', 'KafkaMirrorMaker2']);
    const map = parse(buildBundle(loadModel({ output: { kubernetes: true } })).get(`${KUBERNETES_DIR}/mm2-connect-jmx-exporter.configmap.yaml`)!) as Json;
    for (const e of examples) {
      expect(e.spec.metricsConfig.type, e.kind).toBe('jmxPrometheusExporter');
      expect(e.spec.metricsConfig.valueFrom.configMapKeyRef, e.kind).toEqual({ name: map.metadata.name, key: Object.keys(map.data)[0] });
    }
    const mm2 = examples.find((e) => e.kind === 'KafkaMirrorMaker2')!;
    // The example's mirror is the flow of the override file beside it: its connectors are named from the mirror's aliases.
    const model = loadModel({
      connect: { strimzi: 'kafkaMirrorMaker2' },
      flows: [{ source: 'nemo', target: 'applicatif', connectors: { source: { tasksMax: 6 } } }],
    });
    const mirror = mm2.spec.mirrors[0] as Json;
    expect(mm2.spec.connectCluster).toBe(model.connect.kafkaCluster);
    expect(model.flows[0]!.connectors.source).toMatchObject({
      name: `${mirror.sourceCluster}->${mirror.targetCluster}.MirrorSourceConnector`,
      tasksMax: mirror.sourceConnector.tasksMax,
    });
  });

  it("the AlertmanagerConfig routes, receives and inhibits as alertmanager.yaml does, the bundle's alerts only, secrets read from Secrets", () => {
    const secrets = '/etc/alertmanager/secrets/mm2-receivers';
    const withReceivers = buildBundle(
      loadModel(
        {
          ...override,
          alerting: {
            receivers: [
              { name: 'mm2-pager', pagerduty_configs: [{ routing_key_file: `${secrets}/pagerduty` }] },
              { name: 'mm2-chat', slack_configs: [{ api_url_file: `${secrets}/slack`, channel: '#mm2' }] },
              {
                name: 'mm2-mail',
                email_configs: [
                  { to: 'mm2@example.com', from: 'am@example.com', smarthost: 'smtp:587', auth_username: 'am', auth_password_file: `${secrets}/smtp` },
                ],
              },
              { name: 'mm2-genie', opsgenie_configs: [{ api_key_file: `${secrets}/opsgenie` }] },
              {
                name: 'mm2-hook',
                webhook_configs: [{ url: 'https://hooks.example.com/mm2', http_config: { authorization: { credentials_file: `${secrets}/hook` } } }],
              },
            ],
            routes: { critical: 'mm2-pager', warning: 'mm2-chat', flows: { 'nemo->applicatif': { warning: 'mm2-mail' } }, watchdog: 'mm2-hook' },
          },
        },
        'k8s.yaml',
      ),
    );
    const [path, content] = [...withReceivers].find(([p]) => p.endsWith('.alertmanagerconfig.yaml'))!;
    const doc = parse(content) as Json;
    expect(() => new AlertmanagerConfig(doc as never).validate(), path).not.toThrow();
    const am = parse(withReceivers.get(ALERT_FILES.alertmanager)!) as Json;
    expect(doc.spec.route.matchers).toEqual([{ name: BUNDLE_LABEL, matchType: '=', value: BUNDLE_LABEL_VALUE }]);
    expect(doc.spec.route.routes).toHaveLength(am.route.routes.length);
    // The same tree: receivers and matchers at every depth.
    const tree = (r: Json): unknown => ({ receiver: r.receiver, routes: (r.routes ?? []).map(tree) });
    expect(doc.spec.route.routes.map(tree)).toEqual(am.route.routes.map(tree));
    expect(doc.spec.inhibitRules).toHaveLength(am.inhibit_rules.length);
    for (const rule of doc.spec.inhibitRules) expect(rule.sourceMatch[0]).toEqual({ name: BUNDLE_LABEL, matchType: '=', value: BUNDLE_LABEL_VALUE });
    const receiver = (name: string) => doc.spec.receivers.find((r: Json) => r.name === name);
    expect(receiver('mm2-pager').pagerdutyConfigs[0].routingKey).toEqual({ name: 'mm2-receivers', key: 'pagerduty' });
    expect(receiver('mm2-chat').slackConfigs[0].apiURL).toEqual({ name: 'mm2-receivers', key: 'slack' });
    expect(receiver('mm2-mail').emailConfigs[0].authPassword).toEqual({ name: 'mm2-receivers', key: 'smtp' });
    expect(receiver('mm2-genie').opsgenieConfigs[0].apiKey).toEqual({ name: 'mm2-receivers', key: 'opsgenie' });
    expect(receiver('mm2-hook').webhookConfigs[0].httpConfig.authorization.credentials).toEqual({ name: 'mm2-receivers', key: 'hook' });
    expect(content).not.toContain(secrets);
  });
});

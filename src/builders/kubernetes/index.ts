import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { AlertmanagerConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { type Document, type RulesDocument, yamlFile } from '../../documents/document.js';
import { ALERT_FILES, dashboardFiles, RULE_FILES, SCRAPE_FILES } from '../../documents/paths.js';
import { documentText } from '../../documents/text.js';
import { type RelabelRule, reporterRelabeling } from '../../metrics/strimzi-reporter.js';
import type { KubernetesSettings } from '../../model/config.js';
import { type Deployment, type Model, prefixed } from '../../model/model.js';
import { alertmanagerConfigSpec } from './alertmanager-config.js';

/**
 * The bundle as Kubernetes manifests, for the Prometheus Operator, Strimzi and Grafana's
 * dashboard sidecar: the same rule groups, exporter rules and dashboards, byte for byte, only
 * wrapped. Built with the typed models generated from the operator's CRDs and Kubernetes'
 * OpenAPI, and each validated against its schema before it is serialised.
 */
export const KUBERNETES_DIR = 'kubernetes';

/** Something with the models' validate() and toJSON(). */
interface Manifest {
  validate(): void;
  toJSON(): unknown;
}

/** The labels every manifest carries: the operator's selectors and `kubectl -l` find the bundle by them. */
function labelsOf(k: KubernetesSettings, extra: Record<string, string> = {}): Record<string, string> {
  return { 'app.kubernetes.io/name': 'mm2-monitoring', 'app.kubernetes.io/part-of': 'mirrormaker2', ...k.labels, ...extra };
}

/** Strimzi reads metricsConfig's ConfigMap from the KafkaConnect's own namespace. */
export function connectNamespace(k: KubernetesSettings): string {
  return k.connectNamespace ?? k.namespace;
}

function documentOf<F extends Document['format']>(generated: readonly Document[], path: string, format: F): Extract<Document, { format: F }> {
  const d = generated.find((g) => g.path === path);
  if (!d) throw new Error(`the Kubernetes manifests wrap ${path}, which the bundle does not hold`);
  if (d.format !== format) throw new Error(`the Kubernetes manifests wrap ${path} as ${format}, and the bundle holds it as ${d.format}`);
  return d as Extract<Document, { format: F }>;
}

/** "alerts/mm2-slo.rules.yaml" -> "mm2-slo": the manifest's name, and the ruler namespace of the same groups. */
const baseName = (path: string) => path.replace(/^.*\//, '').replace(/(\.rules)?\.(ya?ml|json)$/, '');

function manifestFile(model: Model, path: string, what: string, manifest: Manifest): Document {
  // A manifest the API server would reject must never be written: validate() throws with the field path.
  manifest.validate();
  return yamlFile(path, model, what, manifest.toJSON());
}

function prometheusRules(model: Model, k: KubernetesSettings, generated: readonly Document[]): Document[] {
  return RULE_FILES.map((path) => {
    const doc: RulesDocument = documentOf(generated, path, 'rules');
    const name = prefixed(model.prefix, baseName(path));
    const rule = new PrometheusRule({
      metadata: { name, namespace: k.namespace, labels: labelsOf(k) },
      spec: { groups: doc.groups as PrometheusRule['spec']['groups'] },
    });
    return manifestFile(model, `${KUBERNETES_DIR}/${name}.prometheusrule.yaml`, `PrometheusRule with the groups of ${path}`, rule);
  });
}

/** A metric_relabel_configs rule as the operator's metricRelabelings spell it. */
function relabeling(rule: RelabelRule): Record<string, unknown> {
  return {
    ...(rule.source_labels && { sourceLabels: [...rule.source_labels] }),
    ...(rule.regex !== undefined && { regex: rule.regex }),
    ...(rule.action && { action: rule.action }),
    ...(rule.target_label && { targetLabel: rule.target_label }),
    ...(rule.replacement !== undefined && { replacement: rule.replacement }),
  };
}

/**
 * The Connect pods' exporter, scraped as the static scrape config does: same job name, path,
 * intervals and `cluster` label, so every query and alert reads the same series. The operator
 * would name the job <namespace>/<podmonitor>; the queries filter on the model's job. With the
 * Strimzi Metrics Reporter, the same renaming to the label contract as scrape/prometheus.yml.
 */
function podMonitor(model: Model, k: KubernetesSettings): Document {
  const p = model.prometheus;
  const name = prefixed(model.prefix, p.job);
  const monitor = new PodMonitor({
    metadata: { name, namespace: k.namespace, labels: labelsOf(k) },
    spec: {
      selector: { matchLabels: k.podSelector },
      namespaceSelector: { matchNames: [connectNamespace(k)] },
      podMetricsEndpoints: [
        {
          port: k.podMetricsPort,
          path: '/metrics',
          interval: p.scrapeInterval,
          scrapeTimeout: p.scrapeTimeout,
          relabelings: [
            { action: 'replace', targetLabel: 'job', replacement: p.job },
            { action: 'replace', targetLabel: 'cluster', replacement: p.cluster },
          ],
          ...(model.collector === 'strimzi-metrics-reporter' && {
            metricRelabelings: reporterRelabeling().map(relabeling) as NonNullable<PodMonitor['spec']['podMetricsEndpoints']>[number]['metricRelabelings'],
          }),
        },
      ],
    },
  });
  const what = model.collector === 'jmx-exporter' ? 'the JMX exporter' : 'the Strimzi Metrics Reporter';
  return manifestFile(model, `${KUBERNETES_DIR}/${name}.podmonitor.yaml`, `PodMonitor for ${what} of the Connect pods`, monitor);
}

/** The exporter rules where Strimzi's spec.metricsConfig.valueFrom.configMapKeyRef reads them. */
export function jmxExporterConfigMapName(model: Model): string {
  return prefixed(model.prefix, `${model.prometheus.job}-jmx-exporter`);
}

function jmxExporterConfigMap(model: Model, k: KubernetesSettings, generated: readonly Document[]): Document {
  const map = new ConfigMap({
    metadata: { name: jmxExporterConfigMapName(model), namespace: connectNamespace(k), labels: labelsOf(k) },
    data: { [k.metricsConfigKey]: documentText(documentOf(generated, SCRAPE_FILES.exporter, 'yaml')) },
  });
  return manifestFile(
    model,
    `${KUBERNETES_DIR}/${jmxExporterConfigMapName(model)}.configmap.yaml`,
    "ConfigMap with the JMX exporter rules for Strimzi's metricsConfig",
    map,
  );
}

/** One ConfigMap per dashboard, labelled for Grafana's sidecar as kube-prometheus ships its own. */
function dashboardConfigMaps(d: Deployment, k: KubernetesSettings, generated: readonly Document[]): Document[] {
  const model = d.clusters[0];
  return Object.values(dashboardFiles(d.prefix)).map((path) => {
    const file = path.replace(/^.*\//, '');
    const name = `grafana-dashboard-${baseName(path)}`;
    const map = new ConfigMap({
      metadata: { name, namespace: k.namespace, labels: labelsOf(k, { grafana_dashboard: '1' }) },
      data: { [file]: documentText(documentOf(generated, path, 'dashboard')) },
    });
    return manifestFile(model, `${KUBERNETES_DIR}/${name}.configmap.yaml`, `ConfigMap with the Grafana dashboard ${file}`, map);
  });
}

/**
 * The Alertmanager routes, receivers and inhibitions of alertmanager.yaml as an
 * AlertmanagerConfig: the operator merges it into the Alertmanager it selects (under a route
 * matching the object's namespace), the secrets read from the Secrets it mounts.
 */
function alertmanagerConfig(d: Deployment, k: KubernetesSettings, generated: readonly Document[]): Document {
  const model = d.clusters[0];
  const name = prefixed(d.prefix, 'mm2-monitoring');
  const config = new AlertmanagerConfig({
    metadata: { name, namespace: k.namespace, labels: labelsOf(k) },
    spec: alertmanagerConfigSpec(
      documentOf(generated, ALERT_FILES.alertmanager, 'yaml').data as Parameters<typeof alertmanagerConfigSpec>[0],
    ) as AlertmanagerConfig['spec'],
  });
  return manifestFile(
    model,
    `${KUBERNETES_DIR}/${name}.alertmanagerconfig.yaml`,
    `AlertmanagerConfig with the routes, receivers and inhibitions of ${ALERT_FILES.alertmanager}`,
    config,
  );
}

/** A Connect cluster's manifests, when the model asks for them (output.kubernetes); none otherwise, so the default bundle is unchanged. */
export function buildKubernetesFiles(model: Model, generated: readonly Document[]): Document[] {
  const k = model.output.kubernetes;
  if (!k) return [];
  return [
    ...prometheusRules(model, k, generated),
    podMonitor(model, k),
    // Strimzi configures the reporter from the KafkaConnect's metricsConfig itself (README).
    ...(model.collector === 'jmx-exporter' ? [jmxExporterConfigMap(model, k, generated)] : []),
  ];
}

/** The manifests every cluster of the deployment shares: the dashboards and the Alertmanager configuration. */
export function buildSharedKubernetesFiles(d: Deployment, generated: readonly Document[]): Document[] {
  const k = d.clusters[0].output.kubernetes;
  if (!k) return [];
  return [...dashboardConfigMaps(d, k, generated), alertmanagerConfig(d, k, generated)];
}

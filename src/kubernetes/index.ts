import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { AlertmanagerConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { parse } from 'yaml';
import { type GeneratedFile, yamlFile } from '../bundle/files.js';
import { ALERT_FILES, dashboardFiles, RULE_FILES, SCRAPE_FILES } from '../bundle/paths.js';
import type { KubernetesSettings } from '../model/config.js';
import { type Deployment, type Model, prefixed } from '../model/model.js';
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

function fileOf(generated: readonly GeneratedFile[], path: string): string {
  const f = generated.find((g) => g.path === path);
  if (!f) throw new Error(`the Kubernetes manifests wrap ${path}, which the bundle does not hold`);
  return f.content;
}

/** "alerts/mm2-slo.rules.yaml" -> "mm2-slo": the manifest's name, and the ruler namespace of the same groups. */
const baseName = (path: string) => path.replace(/^.*\//, '').replace(/(\.rules)?\.(ya?ml|json)$/, '');

function manifestFile(model: Model, path: string, what: string, manifest: Manifest): GeneratedFile {
  // A manifest the API server would reject must never be written: validate() throws with the field path.
  manifest.validate();
  return yamlFile(path, model, what, manifest.toJSON());
}

function prometheusRules(model: Model, k: KubernetesSettings, generated: readonly GeneratedFile[]): GeneratedFile[] {
  return RULE_FILES.map((path) => {
    const doc = parse(fileOf(generated, path)) as { groups: unknown[] };
    const name = prefixed(model.prefix, baseName(path));
    const rule = new PrometheusRule({
      metadata: { name, namespace: k.namespace, labels: labelsOf(k) },
      spec: { groups: doc.groups as PrometheusRule['spec']['groups'] },
    });
    return manifestFile(model, `${KUBERNETES_DIR}/${name}.prometheusrule.yaml`, `PrometheusRule with the groups of ${path}`, rule);
  });
}

/**
 * The Connect pods' exporter, scraped as the static scrape config does: same job name, path,
 * intervals and `cluster` label, so every query and alert reads the same series. The operator
 * would name the job <namespace>/<podmonitor>; the queries filter on the model's job.
 */
function podMonitor(model: Model, k: KubernetesSettings): GeneratedFile {
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
        },
      ],
    },
  });
  return manifestFile(model, `${KUBERNETES_DIR}/${name}.podmonitor.yaml`, 'PodMonitor for the JMX exporter of the Connect pods', monitor);
}

/** The exporter rules where Strimzi's spec.metricsConfig.valueFrom.configMapKeyRef reads them. */
export function jmxExporterConfigMapName(model: Model): string {
  return prefixed(model.prefix, `${model.prometheus.job}-jmx-exporter`);
}

function jmxExporterConfigMap(model: Model, k: KubernetesSettings, generated: readonly GeneratedFile[]): GeneratedFile {
  const map = new ConfigMap({
    metadata: { name: jmxExporterConfigMapName(model), namespace: connectNamespace(k), labels: labelsOf(k) },
    data: { [k.metricsConfigKey]: fileOf(generated, SCRAPE_FILES.exporter) },
  });
  return manifestFile(
    model,
    `${KUBERNETES_DIR}/${jmxExporterConfigMapName(model)}.configmap.yaml`,
    "ConfigMap with the JMX exporter rules for Strimzi's metricsConfig",
    map,
  );
}

/** One ConfigMap per dashboard, labelled for Grafana's sidecar as kube-prometheus ships its own. */
function dashboardConfigMaps(d: Deployment, k: KubernetesSettings, generated: readonly GeneratedFile[]): GeneratedFile[] {
  const model = d.clusters[0];
  return Object.values(dashboardFiles(d.prefix)).map((path) => {
    const file = path.replace(/^.*\//, '');
    const name = `grafana-dashboard-${baseName(path)}`;
    const map = new ConfigMap({
      metadata: { name, namespace: k.namespace, labels: labelsOf(k, { grafana_dashboard: '1' }) },
      data: { [file]: fileOf(generated, path) },
    });
    return manifestFile(model, `${KUBERNETES_DIR}/${name}.configmap.yaml`, `ConfigMap with the Grafana dashboard ${file}`, map);
  });
}

/**
 * The Alertmanager routes, receivers and inhibitions of alertmanager.yaml as an
 * AlertmanagerConfig: the operator merges it into the Alertmanager it selects (under a route
 * matching the object's namespace), the secrets read from the Secrets it mounts.
 */
function alertmanagerConfig(d: Deployment, k: KubernetesSettings, generated: readonly GeneratedFile[]): GeneratedFile {
  const model = d.clusters[0];
  const name = prefixed(d.prefix, 'mm2-monitoring');
  const config = new AlertmanagerConfig({
    metadata: { name, namespace: k.namespace, labels: labelsOf(k) },
    spec: alertmanagerConfigSpec(parse(fileOf(generated, ALERT_FILES.alertmanager))) as AlertmanagerConfig['spec'],
  });
  return manifestFile(
    model,
    `${KUBERNETES_DIR}/${name}.alertmanagerconfig.yaml`,
    `AlertmanagerConfig with the routes, receivers and inhibitions of ${ALERT_FILES.alertmanager}`,
    config,
  );
}

/** A Connect cluster's manifests, when the model asks for them (output.kubernetes); none otherwise, so the default bundle is unchanged. */
export function buildKubernetesFiles(model: Model, generated: readonly GeneratedFile[]): GeneratedFile[] {
  const k = model.output.kubernetes;
  if (!k) return [];
  return [...prometheusRules(model, k, generated), podMonitor(model, k), jmxExporterConfigMap(model, k, generated)];
}

/** The manifests every cluster of the deployment shares: the dashboards and the Alertmanager configuration. */
export function buildSharedKubernetesFiles(d: Deployment, generated: readonly GeneratedFile[]): GeneratedFile[] {
  const k = d.clusters[0].output.kubernetes;
  if (!k) return [];
  return [...dashboardConfigMaps(d, k, generated), alertmanagerConfig(d, k, generated)];
}

import { RULE_FILE_GLOBS } from '../../documents/paths.js';
import { reporterRelabeling } from '../../metrics/strimzi-reporter.js';
import type { Model } from '../../model/model.js';

/** jmx_exporter 1.x serves its metrics on /metrics (0.x also answered on /), as does the Strimzi Metrics Reporter. */
export const EXPORTER_METRICS_PATH = '/metrics';

export type TargetSource = 'static' | 'file_sd';

/** The target labels every worker's series carries besides job and instance. */
export function targetLabels(model: Model): Record<string, string> {
  return { ...model.prometheus.targetLabels, cluster: model.prometheus.cluster };
}

/**
 * The scrape job of the Connect workers' exporters. Credentials and CAs are referenced by
 * path only, so that no secret ends up in the bundle. There is no `flow` target label: every
 * worker serves every flow; the recording rules attach the flow.
 */
export function scrapeJob(model: Model, targets: TargetSource): Record<string, unknown> {
  const p = model.prometheus;
  return {
    job_name: p.job,
    scrape_interval: p.scrapeInterval,
    scrape_timeout: p.scrapeTimeout,
    metrics_path: EXPORTER_METRICS_PATH,
    scheme: p.tls ? 'https' : 'http',
    ...(p.tls && {
      tls_config: {
        ca_file: p.tls.caFile,
        ...(p.tls.certFile && { cert_file: p.tls.certFile }),
        ...(p.tls.keyFile && { key_file: p.tls.keyFile }),
        ...(p.tls.serverName && { server_name: p.tls.serverName }),
      },
    }),
    ...(p.basicAuth && { basic_auth: { username: p.basicAuth.username, password_file: p.basicAuth.passwordFile } }),
    ...(targets === 'static'
      ? { static_configs: [{ targets: model.workers.map((w) => w.instance), labels: targetLabels(model) }] }
      : { file_sd_configs: [{ files: [p.fileSdPath] }] }),
    // The Strimzi Metrics Reporter's names are fixed: renamed here to the label contract's.
    ...(model.collector === 'strimzi-metrics-reporter' && { metric_relabel_configs: reporterRelabeling() }),
  };
}

/**
 * A complete, minimal prometheus.yml: global intervals, the Alertmanagers, the bundle's rule
 * files, one job per Connect cluster (intervals and directories are shared settings, the same
 * in every cluster's model).
 */
export function prometheusConfig(clusters: readonly [Model, ...Model[]]): Record<string, unknown> {
  const p = clusters[0].prometheus;
  const dir = p.ruleFilesDir.replace(/\/+$/, '');
  return {
    global: { scrape_interval: p.scrapeInterval, scrape_timeout: p.scrapeTimeout, evaluation_interval: p.evaluationInterval },
    ...(p.alertmanagers.length > 0 && { alerting: { alertmanagers: [{ static_configs: [{ targets: [...p.alertmanagers] }] }] } }),
    rule_files: RULE_FILE_GLOBS.map((g) => `${dir}/${g}`),
    scrape_configs: clusters.map((m) => scrapeJob(m, 'static')),
  };
}

/** The file_sd target groups: the same targets and labels as the static variant. */
export function fileSdTargetGroups(model: Model): { targets: string[]; labels: Record<string, string> }[] {
  return [{ targets: model.workers.map((w) => w.instance), labels: targetLabels(model) }];
}

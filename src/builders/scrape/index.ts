import { type Document, generatedNotice, jsonListFile, type YamlDocument, yamlFile } from '../../documents/document.js';
import { SCRAPE_FILES } from '../../documents/paths.js';
import type { ExporterConfig } from '../../metrics/jmx-exporter.js';
import { type Deployment, deploymentOf, type Model } from '../../model/model.js';
import { buildExporterConfig, seriesPerPartition } from './exporter-rules.js';
import { fileSdTargetGroups, prometheusConfig, scrapeJob } from './prometheus-config.js';

/**
 * file_sd JSON is a list and Prometheus rejects unknown keys in it, so the generated-file
 * notice rides in a `__`-prefixed label, which Prometheus drops after target relabelling.
 */
function fileSdFile(model: Model): Document {
  const [first, ...rest] = fileSdTargetGroups(model);
  const groups = [
    { labels: { __generated: generatedNotice(model, 'file_sd targets of the Connect workers'), ...first!.labels }, targets: first!.targets },
    ...rest,
  ];
  return jsonListFile(SCRAPE_FILES.fileSdTargets, groups);
}

/** The JMX exporter's configuration, when it is the collector (the Strimzi Metrics Reporter is configured in connect/). */
function exporterFile(model: Model): YamlDocument<ExporterConfig>[] {
  if (model.collector !== 'jmx-exporter') return [];
  const cost = seriesPerPartition();
  const version = model.exporter.tls ? '1.4.0 or newer' : '1.x';
  return [
    yamlFile(
      SCRAPE_FILES.exporter,
      model,
      `JMX exporter configuration of the Connect workers (jmx_exporter ${version} java agent on :${model.exporter.port}): ` +
        `${cost.replicated} series per replicated partition, ${cost.checkpointed} per checkpointed consumer-group partition`,
      buildExporterConfig(model),
    ),
  ];
}

/** A Connect cluster's own scrape files: its exporter rules (with the JMX exporter) and its file_sd target list. */
export function buildScrapeFiles(model: Model): Document[] {
  return [...exporterFile(model), fileSdFile(model)];
}

/** The scrape configuration of every cluster of the deployment: one Prometheus scrapes them all. */
export function buildScrapeConfigFiles(input: Model | Deployment): Document[] {
  const { clusters } = deploymentOf(input);
  const model = clusters[0];
  const several = clusters.length > 1;
  return [
    yamlFile(
      SCRAPE_FILES.prometheus,
      model,
      `Minimal Prometheus configuration: rule files of alerts/ and the scrape job${several ? 's' : ''} of the Connect workers`,
      prometheusConfig(clusters),
    ),
    yamlFile(
      SCRAPE_FILES.fileSdJob,
      model,
      `Scrape job${several ? 's' : ''} of the Connect workers with targets from file_sd (${clusters.map((m) => m.prometheus.fileSdPath).join(', ')})`,
      { scrape_configs: clusters.map((m) => scrapeJob(m, 'file_sd')) },
    ),
  ];
}

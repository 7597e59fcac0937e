import { type GeneratedFile, generatedNotice, yamlFile } from '../bundle/files.js';
import { SCRAPE_FILES } from '../bundle/paths.js';
import type { Model } from '../model/model.js';
import { buildExporterConfig, seriesPerPartition } from './exporter-rules.js';
import { fileSdTargetGroups, prometheusConfig, scrapeJob } from './prometheus-config.js';

/**
 * file_sd JSON is a list and Prometheus rejects unknown keys in it, so the generated-file
 * notice rides in a `__`-prefixed label, which Prometheus drops after target relabelling.
 */
function fileSdFile(model: Model): GeneratedFile {
  const [first, ...rest] = fileSdTargetGroups(model);
  const groups = [
    { labels: { __generated: generatedNotice(model, 'file_sd targets of the Connect workers'), ...first!.labels }, targets: first!.targets },
    ...rest,
  ];
  return { path: SCRAPE_FILES.fileSdTargets, content: `${JSON.stringify(groups, null, 2)}\n` };
}

/** The JMX exporter's configuration, when it is the collector (the Strimzi Metrics Reporter is configured in connect/). */
function exporterFile(model: Model): GeneratedFile[] {
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

export function buildScrapeFiles(model: Model): GeneratedFile[] {
  const collector =
    model.collector === 'jmx-exporter'
      ? 'the Connect workers'
      : "the Connect workers' Strimzi Metrics Reporter (settings in connect/), its series renamed to the label contract";
  return [
    ...exporterFile(model),
    yamlFile(
      SCRAPE_FILES.prometheus,
      model,
      `Minimal Prometheus configuration: rule files of alerts/ and the scrape job of ${collector}`,
      prometheusConfig(model),
    ),
    yamlFile(SCRAPE_FILES.fileSdJob, model, `Scrape job of the Connect workers with targets from file_sd (${model.prometheus.fileSdPath})`, {
      scrape_configs: [scrapeJob(model, 'file_sd')],
    }),
    fileSdFile(model),
  ];
}

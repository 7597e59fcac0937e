import type { ExporterConfig } from '../metrics/jmx-exporter.js';
import type { Model } from '../model/model.js';
import type { Document } from './document.js';
import { grafanaSubstitution, type PanelQuery, panelQueriesOf } from './panel-queries.js';
import { SCRAPE_FILES } from './paths.js';
import type { Rule } from './rules.js';

/**
 * What the validators read of a bundle, as values: its rules, every panel query, the JMX exporter
 * configuration, the Prometheus scrape jobs and the connectors' and workers' Kafka settings.
 * bundleValuesOf takes them from the documents as assembled (a build parses none of its own
 * text); reader/read.ts parses the same from files on disk.
 */
export interface BundleValues {
  /** Every recording and alerting rule, in file then rule order. */
  readonly rules: readonly Rule[];
  /** Every query of every panel, hidden ones too, in file then panel order. */
  readonly panels: readonly PanelQuery[];
  /** scrape/jmx-exporter.yaml (none when the collector is the Strimzi Metrics Reporter, or the file is missing). */
  readonly exporter: ExporterConfig | undefined;
  /** The scrape jobs of scrape/prometheus.yml. */
  readonly scrapeJobs: readonly ScrapeJobSettings[];
  readonly connect: ConnectSettings;
}

/** What the validators read of a scrape job of scrape/prometheus.yml. */
export interface ScrapeJobSettings {
  readonly job_name: string;
  readonly static_configs?: readonly { readonly targets?: readonly string[]; readonly labels?: Readonly<Record<string, string>> }[];
  readonly metric_relabel_configs?: readonly Record<string, unknown>[];
}

/** The Kafka settings of connect/: each connector's configuration, and the workers' properties files, in path order. */
export interface ConnectSettings {
  readonly connectors: readonly { readonly name: string; readonly config: Readonly<Record<string, string>> }[];
  readonly workers: readonly { readonly path: string; readonly properties: Readonly<Record<string, string>> }[];
}

/** job, instance and the static labels of every target of the scrape jobs. */
export function staticTargets(jobs: readonly ScrapeJobSettings[]): Record<string, string>[] {
  return jobs.flatMap((job) =>
    (job.static_configs ?? []).flatMap((sc) => (sc.targets ?? []).map((instance) => ({ ...sc.labels, job: job.job_name, instance }))),
  );
}

/** The `metric_relabel_configs` of a scrape job (by its job name); none: no renaming. */
export function metricRelabeling(jobs: readonly ScrapeJobSettings[], job: string): readonly Record<string, unknown>[] {
  return jobs.find((c) => c.job_name === job)?.metric_relabel_configs ?? [];
}

const byPath = (a: Document, b: Document) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** The validators' values of some documents (one cluster's view), taken from the documents themselves: nothing is parsed. */
export function bundleValuesOf(docs: readonly Document[], model: Model, rules?: readonly Rule[]): BundleValues {
  const sorted = [...docs].sort(byPath);
  const sub = grafanaSubstitution(model);
  const data = (path: string) => {
    const doc = sorted.find((d) => d.path === path);
    return doc?.format === 'yaml' ? doc.data : undefined;
  };
  const prometheus = data(SCRAPE_FILES.prometheus) as { scrape_configs?: readonly ScrapeJobSettings[] } | undefined;
  const connect = sorted.filter((d) => d.path.startsWith('connect/'));
  return {
    rules: rules ?? sorted.flatMap((d) => (d.format === 'rules' ? d.typed.flatMap((g) => g.rules) : [])),
    panels: sorted.flatMap((d) => (d.format === 'dashboard' ? panelQueriesOf(d.path, d.dashboard, sub, 'all') : [])),
    exporter: data(SCRAPE_FILES.exporter) as ExporterConfig | undefined,
    scrapeJobs: prometheus?.scrape_configs ?? [],
    connect: {
      connectors: connect.flatMap((d) => {
        if (d.format !== 'json') return [];
        const { name, config } = d.data as { name: string; config: Record<string, string> };
        return [{ name, config }];
      }),
      workers: connect.flatMap((d) => (d.format === 'properties' ? [{ path: d.path, properties: d.entries }] : [])),
    },
  };
}

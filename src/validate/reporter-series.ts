import { type BundleValues, type ConnectSettings, metricRelabeling } from '../documents/values.js';
import type { MBeanReading } from '../emulation/exporter.js';
import { emulateReporter, jmxUnquote, type RelabelConfig, relabelAll, type Series } from '../emulation/strimzi-reporter.js';
import { REPORTER_CLASS, REPORTER_SETTINGS } from '../metrics/strimzi-reporter.js';

/**
 * What Prometheus stores from the Strimzi Metrics Reporter of a bundle built for it: the MBean
 * readings stand for the workers' metrics registries; a reading reaches the reporter when the
 * bundle's settings put a reporter on the component that registers it (connect/: the workers'
 * properties for the worker's own metrics, each connector's metric.reporters for MM2's metrics,
 * its `consumer.` settings for its replication consumers, its `producer.override.` settings
 * for its tasks' producers), through that reporter's allowlist; then the scrape job's
 * metric_relabel_configs of scrape/prometheus.yml rename them.
 */

const MM2_GROUPS: Readonly<Record<string, string>> = {
  'org.apache.kafka.connect.mirror.MirrorSourceConnector': 'MirrorSourceConnector',
  'org.apache.kafka.connect.mirror.MirrorCheckpointConnector': 'MirrorCheckpointConnector',
};

interface Scope {
  readonly allowlist: readonly string[];
  readonly reports: (r: MBeanReading) => boolean;
}

function reporterOn(settings: Readonly<Record<string, string>>, prefix: string): readonly string[] | undefined {
  const classes = (settings[`${prefix}${REPORTER_SETTINGS.reporters}`] ?? '').split(',').map((c) => c.trim());
  if (!classes.includes(REPORTER_CLASS)) return undefined;
  // The reporter's default allowlist is everything.
  return (settings[`${prefix}${REPORTER_SETTINGS.allowlist}`] ?? '.*').split(',').map((e) => e.trim());
}

const tag = (r: MBeanReading, key: string) => {
  const v = r.properties.find(([k]) => k === key)?.[1];
  return v === undefined ? undefined : jmxUnquote(v);
};

function scopes({ connectors, workers }: ConnectSettings): Scope[] {
  const out: Scope[] = [];
  for (const w of workers) {
    const allowlist = reporterOn(w.properties, '');
    if (allowlist) out.push({ allowlist, reports: (r) => r.domain === 'kafka.connect' });
  }
  for (const c of connectors) {
    const own = reporterOn(c.config, '');
    const group = MM2_GROUPS[c.config['connector.class'] ?? ''];
    if (own && group) out.push({ allowlist: own, reports: (r) => r.domain === 'kafka.connect.mirror' && r.properties[0]?.[1] === group });
    const producers = reporterOn(c.config, 'producer.override.');
    if (producers) {
      const id = new RegExp(`^connector-producer-${c.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[0-9]+$`);
      out.push({ allowlist: producers, reports: (r) => r.domain === 'kafka.producer' && id.test(tag(r, 'client-id') ?? '') });
    }
    const consumers = reporterOn(c.config, 'consumer.');
    if (consumers && group === 'MirrorSourceConnector') {
      const id = new RegExp(`\\|${c.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[0-9]+\\|replication-consumer$`);
      out.push({ allowlist: consumers, reports: (r) => r.domain === 'kafka.consumer' && id.test(tag(r, 'client-id') ?? '') });
    }
  }
  return out;
}

/** The series the reporter serves for these readings under the bundle's settings, before relabelling. */
export function reporterServedSeries(settings: ConnectSettings, readings: readonly MBeanReading[]): Series[] {
  return scopes(settings).flatMap((s) => emulateReporter(readings.filter(s.reports), s.allowlist));
}

/** The series Prometheus keeps from the reporter: served, then relabelled by the scrape job. */
export function reporterScrapedSeries(bundle: BundleValues, job: string, readings: readonly MBeanReading[]): Series[] {
  return relabelAll(reporterServedSeries(bundle.connect, readings), metricRelabeling(bundle.scrapeJobs, job) as readonly RelabelConfig[]);
}

import { METRICS, NOT_FROM_MBEAN_RULES } from '../metrics/names.js';
import { ANY_VALUE } from '../promql/label-sets.js';

/**
 * Series that exist without an MBean rule: the exporter's own JVM instrumentation (client_java
 * 1.x, on by default in the java agent) and what Prometheus records for every target. Each is
 * given with the values its labels can take, for the series check (mm2/series-exist); a label without
 * known values accepts any value.
 */

/** Label values of the JVM series: memory areas, and the collectors of G1 (the JVM's default). */
const JVM_LABEL_VALUES: Readonly<Record<string, readonly string[]>> = {
  area: ['heap', 'nonheap'],
  gc: ['G1 Young Generation', 'G1 Old Generation', 'G1 Concurrent GC'],
};

/** Series Prometheus adds to every scrape target, besides `up` and `scrape_duration_seconds` of names.ts. */
const PROMETHEUS_SCRAPE_SERIES = ['scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added'] as const;

function crossProduct(labels: readonly string[]): Record<string, string>[] {
  return labels.reduce<Record<string, string>[]>(
    (acc, label) => acc.flatMap((partial) => (JVM_LABEL_VALUES[label] ?? [ANY_VALUE]).map((v) => ({ ...partial, [label]: v }))),
    [{}],
  );
}

/** Per-target series that do not come from MBean rules: name -> label sets (target labels excluded). */
export function builtinTargetSeries(): Map<string, Record<string, string>[]> {
  const out = new Map<string, Record<string, string>[]>();
  for (const key of NOT_FROM_MBEAN_RULES) out.set(METRICS[key].name, crossProduct(METRICS[key].labels));
  for (const name of PROMETHEUS_SCRAPE_SERIES) out.set(name, [{}]);
  return out;
}

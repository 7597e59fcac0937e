import { METRICS, type MetricKey, NOT_FROM_MBEAN_RULES } from '../../src/metrics/names.js';
import type { ScrapedSample } from './exposition-parse.js';

/** Series Prometheus makes itself, not the agent. */
const FROM_PROMETHEUS: readonly MetricKey[] = ['up', 'scrapeDurationSeconds'];

/**
 * What the label contract (src/metrics/names.ts) declares and the agent did not serve: a
 * metric name absent from every worker, or a declared label missing or empty on all of its
 * series. The MirrorSourceConnector `source` label exists only from Kafka 4 (or with
 * add.source.alias.to.metrics=true on 3.x): on 3.x it may be absent, on 4.x it must be set.
 * `mbeansOnly` leaves out the JVM's own series (a recording that kept only what the rules served).
 */
export function missingFromContract(served: readonly ScrapedSample[], shape: { kafka4: boolean; mbeansOnly?: boolean }): string[] {
  const byName = new Map<string, ScrapedSample[]>();
  for (const s of served) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  const missing: string[] = [];
  for (const [key, def] of Object.entries(METRICS) as [MetricKey, (typeof METRICS)[MetricKey]][]) {
    if (FROM_PROMETHEUS.includes(key) || (shape.mbeansOnly && NOT_FROM_MBEAN_RULES.includes(key))) continue;
    const samples = byName.get(def.name);
    if (!samples) {
      missing.push(`${def.name} (${key}): not served`);
      continue;
    }
    for (const label of def.labels as readonly string[]) {
      const optional = !shape.kafka4 && label === 'source' && def.name.startsWith('kafka_connect_mirror_source_connector_');
      if (optional) continue;
      if (!samples.some((s) => (s.labels[label] ?? '') !== '')) missing.push(`${def.name} (${key}): label ${label} missing or empty`);
    }
  }
  return missing;
}

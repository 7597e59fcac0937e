import type { Queries } from '../../documents/queries.js';
import type { Rule } from '../../documents/rules.js';
import { KAFKA_METRIC_KEYS, KAFKA_SOURCES, PER_PARTITION_FAMILIES } from '../../metrics/kafka-sources.js';
import { METRICS } from '../../metrics/names.js';
import { matches } from '../../promql/matcher.js';

/**
 * The series that grow with the partitions a worker replicates, and what reads each of them, read
 * from the generated files: the price of collecting it (one series per partition, on every
 * scrape) beside what a team would lose without it (the alerts that are computed from it,
 * through recording rules and alert states, and the panels that show it or what is recorded
 * from it). This is what to weigh when collection comes near the scrape timeout.
 */
export interface PartitionSeries {
  readonly metric: string;
  /** What one more of these adds one series for. */
  readonly per: 'replicated partition' | 'checkpointed group partition';
  readonly alerts: readonly string[];
  readonly panels: readonly string[];
}

/** Names derived from `metric`: recorded series computed from it, and the states of alerts computed from it, transitively. */
function derivedFrom(metric: string, rules: readonly Rule[]): { records: Set<string>; alerts: Set<string> } {
  const records = new Set<string>();
  const alerts = new Set<string>();
  const alertNames = rules.filter((r) => r.kind === 'alert').map((r) => r.name);
  const readsDerived = (r: Rule) =>
    r.reads.has(metric) ||
    [...r.reads].some((n) => records.has(n)) ||
    r.alertSelectors.some((ms) => alertNames.some((a) => alerts.has(a) && ms.every((m) => matches(m, a))));
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of rules) {
      const into = r.kind === 'record' ? records : alerts;
      if (!into.has(r.name) && readsDerived(r)) {
        into.add(r.name);
        changed = true;
      }
    }
  }
  return { records, alerts };
}

export function partitionSeries({ rules, panels }: Queries): PartitionSeries[] {
  return KAFKA_METRIC_KEYS.filter((k) => PER_PARTITION_FAMILIES.includes(KAFKA_SOURCES[k].family)).map((k) => {
    const metric = METRICS[k].name;
    const { records, alerts } = derivedFrom(metric, rules);
    const shown = panels.filter((p) => p.reads.has(metric) || [...p.reads].some((n) => records.has(n)));
    return {
      metric,
      per: KAFKA_SOURCES[k].family === 'mirrorCheckpoint' ? 'checkpointed group partition' : 'replicated partition',
      alerts: [...alerts].sort(),
      panels: [...new Set(shown.map((p) => `${p.dashboard} / ${p.panel}`))].sort(),
    };
  });
}

const code = (s: string) => `\`${s}\``;

/** The report's section: one row per per-partition series. */
export function partitionSeriesSection(rows: readonly PartitionSeries[]): string {
  const per = (what: PartitionSeries['per']) => rows.filter((r) => r.per === what).length;
  return [
    '## Per-partition series: their cost and what reads them',
    '',
    `Each replicated partition adds ${per('replicated partition')} series to every scrape of the worker that replicates it, each checkpointed consumer-group partition ${per('checkpointed group partition')}: ` +
      'the part of collection that grows with the partitions (README "Cost at scale"). Without one of them, these alerts (computed from it, through recording rules and alert states) and panels (showing it or what is recorded from it) would have nothing to read:',
    '',
    '| series | one per | alerts computed from it | panels showing it |',
    '|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${code(r.metric)} | ${r.per} | ${r.alerts.length > 0 ? r.alerts.map(code).join(', ') : 'none'} | ${r.panels.length > 0 ? r.panels.join('; ') : 'none'} |`,
    ),
  ].join('\n');
}

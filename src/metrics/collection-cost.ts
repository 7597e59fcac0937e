import { durationSeconds } from '../conventions/duration.js';
import type { Collector } from '../model/config.js';
import type { Model } from '../model/model.js';
import type { Flow } from '../model/topology.js';

/**
 * What collection costs per worker as the partitions grow, and the build's warning when the
 * model's topology (flows[].partitions) puts a worker's scrape near Prometheus' scrape timeout.
 *
 * The time one scrape of one worker took end to end, per collector, at the largest scale the
 * benchmark measured (bench/collectors.ts, bench/RESULTS.md), on its 2-core machine with the
 * traffic stopped: a best case. A test holds these figures to bench/collectors-results.json, so
 * a new benchmark run that moves them fails until they are copied here.
 */
export const MEASURED_SCRAPE: Readonly<Record<Collector, { readonly partitions: number; readonly seconds: number }>> = {
  'jmx-exporter': { partitions: 17_000, seconds: 5.44 },
  'strimzi-metrics-reporter': { partitions: 17_000, seconds: 1.15 },
};

/**
 * The estimate warns from this share of the scrape timeout: the measured times are a best case
 * (on the benchmark, the same configuration took twice as long with the traffic on), and a
 * scrape past the timeout loses the worker's every series, not some.
 */
export const WARN_AT_TIMEOUT_SHARE = 0.5;

/**
 * The partitions of a flow on its busiest worker: MirrorSourceConnector spreads the partitions
 * over min(tasks.max, partitions) tasks, Connect spreads the tasks over the workers evenly.
 */
function busiest(flow: Flow & { partitions: number }, workers: number): number {
  const tasks = Math.min(flow.connectors.source.tasksMax, flow.partitions);
  return Math.ceil(tasks / workers) * Math.ceil(flow.partitions / tasks);
}

/**
 * Partitions on the busiest worker, all workers up and with one down (its tasks move to the
 * others: when monitoring matters most), summed over the flows that declare their partitions
 * (each flow's busiest worker counted as the same one: an upper bound). Undefined when no flow does.
 */
export function partitionsPerWorker(model: Model): { readonly allUp: number; readonly oneDown: number } | undefined {
  const flows = model.flows.filter((f): f is Flow & { partitions: number } => f.partitions !== undefined);
  if (flows.length === 0) return undefined;
  const workers = model.workers.length;
  const sum = (w: number) => flows.reduce((n, f) => n + busiest(f, w), 0);
  return { allUp: sum(workers), oneDown: sum(Math.max(1, workers - 1)) };
}

/** The estimated scrape time of one worker serving `partitions`, from the benchmark's figure (linear in the partitions). */
export function estimatedScrapeSeconds(collector: Collector, partitions: number): number {
  const m = MEASURED_SCRAPE[collector];
  return (m.seconds * partitions) / m.partitions;
}

const fmt = (n: number) => n.toLocaleString('en-US');
const NAMES: Readonly<Record<Collector, string>> = {
  'jmx-exporter': 'JMX exporter agent with the generated rules',
  'strimzi-metrics-reporter': 'Strimzi Metrics Reporter',
};
const seconds = (s: number) => `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;

/**
 * The build's warnings on collection: one when the busiest worker's estimated scrape, with one
 * worker down, reaches WARN_AT_TIMEOUT_SHARE of the scrape timeout; with the levers that help.
 */
export function collectionWarnings(model: Model): string[] {
  const perWorker = partitionsPerWorker(model);
  if (!perWorker) return [];
  const timeout = durationSeconds(model.prometheus.scrapeTimeout);
  const estimate = estimatedScrapeSeconds(model.collector, perWorker.oneDown);
  if (estimate < WARN_AT_TIMEOUT_SHARE * timeout) return [];
  const m = MEASURED_SCRAPE[model.collector];
  const other = model.collector === 'jmx-exporter' ? 'strimzi-metrics-reporter' : undefined;
  const levers = [
    ...(other ? [`collector: ${other} (about ${seconds(estimatedScrapeSeconds(other, perWorker.oneDown))} at that scale on the same machine)`] : []),
    'more workers, or more source tasks (flows[].connectors.source.tasksMax) so that the partitions spread over more workers',
    `a longer prometheus.scrapeTimeout (at most prometheus.scrapeInterval, ${model.prometheus.scrapeInterval})`,
  ];
  return [
    `flows[].partitions put about ${fmt(perWorker.allUp)} replicated partitions on the busiest of the ${model.workers.length} workers (${fmt(perWorker.oneDown)} with one worker down). ` +
      `The ${NAMES[model.collector]} took ${seconds(m.seconds)} to serve ${fmt(m.partitions)} partitions on the benchmark's 2-core machine with the traffic stopped (bench/RESULTS.md), ` +
      `so a scrape of that worker would take about ${seconds(estimate)}, against a scrape timeout of ${model.prometheus.scrapeTimeout}; a scrape past it loses all of the worker's series. ` +
      `What helps (README "Cost at scale"): ${levers.join('; ')}. alerts/THRESHOLDS.md lists the series each partition adds with the alerts and panels that read each.`,
  ];
}

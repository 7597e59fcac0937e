import { byKey } from '../conventions/order.js';
import { KAFKA_FAMILIES, KAFKA_METRIC_KEYS, KAFKA_SOURCES, type KafkaMetricKey } from './kafka-sources.js';
import { MBEAN_CATALOG } from './mbean-catalog.js';
import { METRICS } from './names.js';

/**
 * The Strimzi Metrics Reporter (io.strimzi:metrics-reporter 0.2.0), the second collector the
 * bundle supports: a Kafka MetricsReporter that serves the metrics registry of every Kafka
 * component it is configured on (the Connect worker, the MM2 connectors, their producers and
 * consumers) in Prometheus format, from one HTTP listener per JVM. No JMX and no rules: its
 * names are fixed, so the scrape job renames the series the bundle reads to the label contract
 * (names.ts) and the dashboards and alerts are the same for both collectors.
 *
 * How it names a metric (its KafkaMetricWrapper, with client_java 1.3's PrometheusNaming):
 * `<namespace>_<group>_<name>` with every character outside [a-zA-Z0-9_:] replaced by `_`,
 * the suffixes `_total`, `_created`, `_bucket` and `_info` stripped, lower-cased; tags become
 * labels the same way (`client-id` -> `client_id`). A numeric value is served as a gauge; any
 * other (a connector's state) as an info series `<name>_info` with the value in a
 * label named after the metric. One reporter instance per component shares the JVM's registry,
 * so only the worker's needs a listener.
 */

export const REPORTER_VERSION = '0.2.0';
export const REPORTER_ARTIFACT = `io.strimzi:metrics-reporter:${REPORTER_VERSION}`;
export const REPORTER_CLASS = 'io.strimzi.kafka.metrics.KafkaPrometheusMetricsReporter';

/** The reporter's settings, as a Kafka component's configuration takes them. */
export const REPORTER_SETTINGS = {
  reporters: 'metric.reporters',
  listener: 'prometheus.metrics.reporter.listener',
  listenerEnable: 'prometheus.metrics.reporter.listener.enable',
  allowlist: 'prometheus.metrics.reporter.allowlist',
} as const;

const RESERVED_SUFFIXES = ['_total', '_created', '_bucket', '_info'];

/** client_java's PrometheusNaming.sanitizeMetricName: invalid characters to `_`, reserved suffixes stripped. */
export function sanitizeMetricName(name: string): string {
  let out = name.replace(/[^a-zA-Z0-9_:]/g, '_').replace(/^[^a-zA-Z_:]/, '_');
  for (let stripped = true; stripped; ) {
    stripped = false;
    for (const suffix of RESERVED_SUFFIXES)
      if (out.endsWith(suffix) && out.length > suffix.length) {
        out = out.slice(0, -suffix.length);
        stripped = true;
      }
  }
  return out;
}

/** client_java's PrometheusNaming.sanitizeLabelName. */
export function sanitizeLabelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_').replace(/^[^a-zA-Z_]/, '_');
}

/** The name the reporter registers a Kafka metric under (what its allowlist matches). */
export function reporterMetricName(namespace: string, group: string, name: string): string {
  const prefix = namespace.replace(/\./g, '_');
  return sanitizeMetricName(`${prefix}_${group}_${name}`).toLowerCase().replace(/\./g, '_');
}

/** How the reporter serves a Kafka metric's value: a number as a gauge, anything else (a connector's state) as an info series. */
export type ReporterValue = 'number' | 'string';

/** String metrics come from the MBean catalog: Connect's connector and task states. */
export function reporterValueKind(namespace: string, group: string, name: string): ReporterValue {
  const kinds = MBEAN_CATALOG.filter((e) => e.domain === namespace && e.typeValue === group).flatMap((e) => e.attributes.filter((a) => a.name === name));
  return kinds.some((a) => a.kind === 'string') ? 'string' : 'number';
}

/** One metric of the label contract as the reporter serves it. */
export interface ReporterSeries {
  readonly key: KafkaMetricKey;
  /** What the allowlist matches. */
  readonly registered: string;
  /** What the exposition shows: `registered`, plus `_info` for a non-numeric value. */
  readonly served: string;
  readonly contract: string;
  readonly value: ReporterValue;
  /** Non-numeric values: the label holding the value. */
  readonly valueLabel?: string;
}

export function reporterSeries(): ReporterSeries[] {
  return KAFKA_METRIC_KEYS.map((key) => {
    const { family, name } = KAFKA_SOURCES[key];
    const f = KAFKA_FAMILIES[family];
    const registered = reporterMetricName(f.namespace, f.group, name);
    const value = reporterValueKind(f.namespace, f.group, name);
    return {
      key,
      registered,
      served: value === 'number' ? registered : `${registered}_info`,
      contract: METRICS[key].name,
      value,
      ...(value === 'number' ? {} : { valueLabel: sanitizeLabelName(name) }),
    };
  });
}

/**
 * The reporter's allowlist: exactly the metrics of the label contract (regexes matching the
 * whole name; these names hold no regex character). The reporter applies it when a metric is
 * registered, not at every scrape: what it leaves out costs nothing afterwards.
 */
export function reporterAllowlist(namespace?: ReporterScope): string {
  const names = reporterSeries()
    .filter((s) => namespace === undefined || KAFKA_FAMILIES[KAFKA_SOURCES[s.key].family].namespace === namespace)
    .map((s) => s.registered);
  return [...new Set(names)].sort().join(',');
}

/** The Kafka components a reporter instance serves, by their metrics namespace. */
export type ReporterScope = 'kafka.connect' | 'kafka.connect.mirror' | 'kafka.producer' | 'kafka.consumer';

/**
 * The settings of one reporter instance: the worker's serves the JVM's registry on the
 * listener; the others (an MM2 connector's own metrics, its producers and consumers, configured
 * through the connector) only register their metrics with it. `prefix` is where the component
 * reads its settings in the configuration that holds them (`producer.override.`, `consumer.`).
 */
export function reporterSettings(scope: ReporterScope, prefix: string, listener?: { readonly port: number }): Record<string, string> {
  return {
    [`${prefix}${REPORTER_SETTINGS.reporters}`]: REPORTER_CLASS,
    ...(listener ? { [`${prefix}${REPORTER_SETTINGS.listener}`]: `http://:${listener.port}` } : { [`${prefix}${REPORTER_SETTINGS.listenerEnable}`]: 'false' }),
    [`${prefix}${REPORTER_SETTINGS.allowlist}`]: reporterAllowlist(scope),
  };
}

/** A Prometheus relabelling rule, as `metric_relabel_configs` takes it. */
export interface RelabelRule {
  readonly source_labels?: readonly string[];
  readonly regex?: string;
  readonly action?: 'replace' | 'drop';
  readonly target_label?: string;
  readonly replacement?: string;
}

const alternation = (names: readonly string[]) => (names.length === 1 ? names[0]! : `(?:${[...names].sort().join('|')})`);

/**
 * The scrape job's `metric_relabel_configs` that turn the reporter's series into the label
 * contract's:
 * - drops: a metric name the reporter serves for several tag sets (the consumer's
 *   records-lag-max per client and per partition, records-consumed-total per client and per
 *   topic) is kept with the contract's tags only;
 * - renames: one rule per reporter name prefix, contract name prefix and `_total` to add
 *   (the reporter strips `_total`; the contract's counters keep it; a connector's or a task's
 *   state is served as `..._status_info` with the state in its `status` label, as the contract has it).
 * Every rule runs on every sample of every scrape, so they are as few as the names allow.
 */
export function reporterRelabeling(): RelabelRule[] {
  const series = reporterSeries();
  const drops = new Map<string, string[]>();
  for (const s of series) {
    const { family, name } = KAFKA_SOURCES[s.key];
    const f = KAFKA_FAMILIES[family];
    const ours = new Set(f.tags.map((t) => t.key));
    for (const other of MBEAN_CATALOG) {
      if (other.domain !== f.namespace || other.typeValue !== f.group || !other.attributes.some((a) => a.name === name)) continue;
      const extra = other.keyProperties.filter((k) => k !== 'type' && !ours.has(k));
      if (extra.length === 0) continue;
      const label = sanitizeLabelName(extra[0]!);
      drops.set(label, [...(drops.get(label) ?? []), s.served]);
    }
  }
  const rules: RelabelRule[] = [...drops]
    .sort(byKey)
    .map(([label, names]) => ({ source_labels: ['__name__', label], regex: `${alternation([...new Set(names)])};.+`, action: 'drop' }));

  // Renames, grouped by (reporter prefix, contract prefix, suffix added).
  const groups = new Map<string, { from: string; to: string; add: string; tails: string[] }>();
  for (const s of series) {
    if (s.served === s.contract) continue;
    const f = KAFKA_FAMILIES[KAFKA_SOURCES[s.key].family];
    const from = `${reporterMetricName(f.namespace, f.group, 'x').slice(0, -1)}`;
    const tail = s.served.slice(from.length);
    const renamed = s.value === 'number' ? tail : tail.replace(/_info$/, '');
    const add = s.contract.endsWith(`${renamed}_total`) ? '_total' : '';
    const to = s.contract.slice(0, s.contract.length - renamed.length - add.length);
    if (!s.contract.endsWith(`${renamed}${add}`)) throw new Error(`${s.contract}: no rename from ${s.served}`);
    const id = `${from}\t${to}\t${add}\t${s.value === 'number' ? '' : '_info'}`;
    const g = groups.get(id) ?? { from, to, add, tails: [] };
    g.tails.push(renamed);
    groups.set(id, g);
  }
  for (const [id, g] of [...groups].sort(byKey)) {
    const info = id.endsWith('_info');
    rules.push({
      source_labels: ['__name__'],
      regex: `${g.from}(${[...g.tails].sort().join('|')})${info ? '_info' : ''}`,
      target_label: '__name__',
      replacement: `${g.to}\${1}${g.add}`,
    });
  }
  return rules;
}

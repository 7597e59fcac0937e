/**
 * An in-process model of what the Strimzi Metrics Reporter (0.2.0) serves for the Kafka metrics a
 * Connect worker registers, and of what Prometheus' metric relabelling then makes of it: the
 * series check (mm2/series-exist) runs the bundle's queries against it when the reporter is the collector, and
 * the tests hold it against a recording of the real reporter.
 *
 * The MBean readings stand for the metrics registry: JMX shows a Kafka metric as the attribute
 * `<name>` of `<namespace>:type=<group>,<tag>=<value>,...` (values JMX-quoted where Kafka quotes
 * them), which is the reporter's namespace, group, tags and name. Which components report is the
 * deployment's configuration, given here as a predicate over the readings.
 */
import { reporterMetricName, reporterValueKind, sanitizeLabelName } from '../metrics/strimzi-reporter.js';
import type { MBeanReading } from './exporter.js';

/** One served or relabelled series: its name and labels (`__name__` apart). */
export interface Series {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** ObjectName.unquote, for a value Kafka JMX-quoted (Sanitizer.jmxSanitize). */
export function jmxUnquote(value: string): string {
  if (!value.startsWith('"')) return value;
  return value.slice(1, -1).replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));
}

/**
 * The series the reporter serves for these readings: every metric its allowlist admits (a regex
 * per entry, matching the whole registered name), a number as a gauge, anything else as
 * `<name>_info` with the value in a label named after the metric.
 */
export function emulateReporter(readings: readonly MBeanReading[], allowlist: readonly string[]): Series[] {
  const allowed = new RegExp(`^(?:${allowlist.map((e) => `(?:${e})`).join('|')})$`);
  const out = new Map<string, Series>();
  for (const r of readings) {
    const group = r.properties[0]?.[1] ?? '';
    const registered = reporterMetricName(r.domain, group, r.attribute);
    if (!allowed.test(registered)) continue;
    const labels: Record<string, string> = {};
    for (const [k, v] of r.properties.slice(1)) labels[sanitizeLabelName(k)] = jmxUnquote(v);
    const kind = reporterValueKind(r.domain, group, r.attribute);
    const series: Series =
      kind === 'number'
        ? { name: registered, labels }
        : { name: `${registered}_info`, labels: { ...labels, [sanitizeLabelName(r.attribute)]: String(r.value) } };
    out.set(`${series.name}${JSON.stringify(Object.entries(series.labels).sort())}`, series);
  }
  return [...out.values()];
}

/** A `metric_relabel_configs` rule as the bundle writes them (replace, drop, labeldrop). */
export interface RelabelConfig {
  readonly source_labels?: readonly string[];
  readonly separator?: string;
  readonly regex?: string;
  readonly action?: string;
  readonly target_label?: string;
  readonly replacement?: string;
}

/** Prometheus' `$1`, `${1}` and `$name` expansion (RE2's Expand). */
function expand(template: string, groups: readonly (string | undefined)[]): string {
  return template.replace(/\$(\{(\w+)\}|(\d+))/g, (_m, _b, braced: string | undefined, bare: string | undefined) => groups[Number(braced ?? bare)] ?? '');
}

/**
 * Prometheus' relabelling of one series by `rules`, in order: regexes anchored at both ends,
 * source label values joined by `;`. Undefined when a rule drops it. Actions other than
 * replace, drop, keep and labeldrop are not emulated.
 */
export function relabel(series: Series, rules: readonly RelabelConfig[]): Series | undefined {
  let labels: Record<string, string> = { __name__: series.name, ...series.labels };
  for (const rule of rules) {
    const regex = new RegExp(`^(?:${rule.regex ?? '(.*)'})$`);
    const action = rule.action ?? 'replace';
    if (action === 'labeldrop') {
      labels = Object.fromEntries(Object.entries(labels).filter(([k]) => !regex.test(k)));
      continue;
    }
    const value = (rule.source_labels ?? []).map((l) => labels[l] ?? '').join(rule.separator ?? ';');
    const m = regex.exec(value);
    if (action === 'drop') {
      if (m) return undefined;
    } else if (action === 'keep') {
      if (!m) return undefined;
    } else if (action === 'replace') {
      if (m && rule.target_label) {
        const v = expand(rule.replacement ?? '$1', m);
        if (v === '') delete labels[rule.target_label];
        else labels[rule.target_label] = v;
      }
    } else throw new Error(`relabel action ${action} is not emulated`);
  }
  const { __name__: name, ...rest } = labels;
  return name ? { name, labels: rest } : undefined;
}

/** Every series after relabelling, duplicates (series that became the same) merged. */
export function relabelAll(series: readonly Series[], rules: readonly RelabelConfig[]): Series[] {
  const out = new Map<string, Series>();
  for (const s of series) {
    const r = relabel(s, rules);
    if (r) out.set(`${r.name}${JSON.stringify(Object.entries(r.labels).sort())}`, r);
  }
  return [...out.values()];
}

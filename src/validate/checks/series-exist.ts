import { ALERT_SERIES, ALERT_STATES } from '../../conventions/names.js';
import { SCRAPE_FILES } from '../../documents/paths.js';
import type { Rule } from '../../documents/rules.js';
import { type BundleValues, staticTargets } from '../../documents/values.js';
import { builtinTargetSeries } from '../../emulation/builtin-series.js';
import { emulateExporter } from '../../emulation/exporter.js';
import { KAFKA_SHAPES, type KafkaShape, modelReadings } from '../../emulation/mbean-instances.js';
import type { Model } from '../../model/model.js';
import { ANY_VALUE, dedupe, evaluateLabels, type Labels, seriesMatches as matches, type Report } from '../../promql/label-sets.js';
import type { Selector } from '../../promql/syntax.js';
import { defineCheck } from '../check.js';
import type { BundleExpression } from '../expressions.js';
import { reporterScrapedSeries } from '../reporter-series.js';

/**
 * The check that no query of the bundle reads a series the exporter never produces.
 *
 * The series that exist are worked out from the bundle itself, for each MirrorSourceConnector
 * MBean shape (Kafka 3.7 and 4.x):
 * - the JMX exporter configuration the bundle ships, applied by the exporter emulator to the
 *   MBeans of the model's cluster (catalog families with the model's names);
 * - the exporter's JVM series and Prometheus' per-target series;
 * - with the target labels of the bundle's Prometheus configuration (job, instance, cluster);
 * - the series each recording rule of the bundle writes (its expression's label sets, worked
 *   out by promql/label-sets.ts, plus its static labels), and ALERTS / ALERTS_FOR_STATE for the
 *   alerting rules.
 * Every selector of every rule and panel expression must then name a metric that exists,
 * labels those series carry, and values those labels can take.
 *
 * Limits: values are not evaluated (a comparison is assumed to keep series, vector matching is
 * not attempted); a regex JavaScript cannot compile is not checked; a function the evaluator
 * does not know keeps its input's labels; label values computed by a query (label_replace from
 * a regex it cannot run, count_values, templated alert labels) match anything.
 */

type SeriesByName = Map<string, Labels[]>;

const NAME = '__name__';

function add(map: SeriesByName, name: string, series: readonly Labels[]): void {
  map.set(name, [...(map.get(name) ?? []), ...series.map((s) => ({ ...s, [NAME]: name }))]);
}

function distinctValues(series: readonly Labels[], label: string): string {
  const values = [...new Set(series.map((s) => s[label]).filter((v): v is string => v !== undefined && v !== ANY_VALUE))].sort();
  return values.length > 12 ? `${values.slice(0, 12).join(', ')}, ... (${values.length})` : values.join(', ');
}

/** Resolves a selector against the known series; reports what makes it select nothing. */
function selector(known: SeriesByName, report: Report, collector = 'the collector') {
  const all = () => [...known.values()].flat();
  return (sel: Selector): Labels[] => {
    const names = sel.matchers.filter((m) => m.label === NAME);
    const others = sel.matchers.filter((m) => m.label !== NAME);
    const exact = names.find((m) => m.op === '=')?.value;
    const pool = (exact !== undefined ? (known.get(exact) ?? []) : all()).filter((s) => names.every((m) => matches(m, s)));
    const what = exact !== undefined ? `metric ${exact}` : `the metrics matching ${sel.text}`;
    if (pool.length === 0) {
      report(`${what} is produced neither by ${collector} nor by Prometheus nor by a recording rule of the bundle`);
      return [];
    }
    for (const m of others) {
      // `label=""` (or a regex matching "") also selects series without the label.
      const absentOk = (m.op === '=' || m.op === '=~') && matches(m, {});
      if (!absentOk && !pool.some((s) => m.label in s)) {
        const labels = [...new Set(pool.flatMap((s) => Object.keys(s)))].filter((l) => l !== NAME).sort();
        report(`${sel.text}: label "${m.label}" is not on ${what} (its labels: ${labels.join(', ') || 'none'})`);
        return [];
      }
      if (!pool.some((s) => matches(m, s))) {
        report(
          `${sel.text}: no series of ${what} has ${m.label}${m.op}${JSON.stringify(m.value)} (${m.label} values: ${distinctValues(pool, m.label) || 'none'})`,
        );
        return [];
      }
    }
    const selected = pool.filter((s) => others.every((m) => matches(m, s)));
    if (selected.length === 0) report(`${sel.text}: no single series of ${what} satisfies all its matchers together`);
    return selected;
  };
}

function ignore(): void {}

/** What the collector serves from the model's MBeans, as Prometheus stores it (names and labels). */
type Collected = (shape: KafkaShape) => readonly { name: string; labels: Labels }[];

function collectorName(model: Model): string {
  return model.collector === 'jmx-exporter'
    ? `the JMX exporter rules (${SCRAPE_FILES.exporter})`
    : `the Strimzi Metrics Reporter (the settings of connect/, renamed by ${SCRAPE_FILES.prometheus})`;
}

/** The series of one Kafka shape: scraped ones, then what the bundle's rules write (to a fixed point: rules may read rules). */
function knownSeries(collected: Collected, targets: readonly Labels[], rules: readonly Rule[], shape: KafkaShape): SeriesByName {
  const scraped: SeriesByName = new Map();
  const perTarget = (series: readonly Labels[]) => series.flatMap((s) => targets.map((t) => ({ ...s, ...t })));
  for (const s of collected(shape)) add(scraped, s.name, perTarget([s.labels]));
  for (const [name, series] of builtinTargetSeries()) add(scraped, name, perTarget(series));

  // A rule whose expression selects nothing (reported where it is written) still writes its
  // name and static labels, so that its readers are not reported for the same fault.
  const outputs = (rule: Rule, known: SeriesByName): Labels[] => {
    const value = evaluateLabels(rule.expr, selector(known, ignore), ignore);
    const statics = Object.fromEntries(Object.entries(rule.labels).map(([k, v]) => [k, String(v).includes('{{') ? ANY_VALUE : String(v)]));
    const series = value?.kind === 'vector' && value.series.length > 0 ? value.series : [{}];
    return series.map((s) => ({ ...s, ...statics }));
  };

  let known = scraped;
  let previous = '';
  for (let pass = 0; pass <= rules.length; pass++) {
    const next: SeriesByName = new Map([...scraped].map(([k, v]) => [k, [...v]]));
    for (const rule of rules) {
      if (rule.kind === 'record') add(next, rule.name, outputs(rule, known));
      else {
        const alerts = outputs(rule, known).map((s) => ({ ...s, alertname: rule.name }));
        add(next, ALERT_SERIES.forState, alerts);
        add(
          next,
          ALERT_SERIES.alerts,
          alerts.flatMap((s) => ALERT_STATES.map((alertstate) => ({ ...s, alertstate }))),
        );
      }
    }
    for (const [name, series] of next) next.set(name, dedupe(series));
    const signature = JSON.stringify([...next].map(([k, v]) => [k, v.length]));
    known = next;
    if (signature === previous) break;
    previous = signature;
  }
  return known;
}

/** A query reading what does not exist, or the bundle part the check needs missing. */
interface SeriesFinding {
  readonly file: string;
  /** The rule or panel query; none when the finding is about the file as a whole. */
  readonly where?: string;
  readonly detail: string;
  /** The expression as written. */
  readonly raw?: string;
  /** The MBean shapes it fails on, when not all. */
  readonly onlyShapes?: readonly KafkaShape[];
}

/** The collector's output on the model's MBeans: the JMX exporter rules of the bundle, or the reporter under its settings and the scrape job's renaming. */
function collectedSeries(bundle: BundleValues, model: Model): Collected | SeriesFinding {
  if (model.collector === 'strimzi-metrics-reporter') return (shape) => reporterScrapedSeries(bundle, model.prometheus.job, modelReadings(model, shape));
  const exporter = bundle.exporter;
  if (exporter === undefined) return { file: SCRAPE_FILES.exporter, detail: 'missing: the JMX exporter configuration is what every query is checked against' };
  return (shape) => emulateExporter(exporter, modelReadings(model, shape));
}

function seriesFindings(bundle: BundleValues, model: Model, rules: readonly Rule[], expressions: readonly BundleExpression[]): SeriesFinding[] {
  const collected = collectedSeries(bundle, model);
  if (typeof collected !== 'function') return [collected];
  const targets = staticTargets(bundle.scrapeJobs);
  if (targets.length === 0)
    return [{ file: SCRAPE_FILES.prometheus, detail: 'no static scrape target: the series of the workers would carry no job/instance' }];

  // one finding per file, place, detail and expression, with the shapes it occurs on, in the order found
  const found = new Map<string, SeriesFinding & { shapes: KafkaShape[] }>();
  for (const shape of KAFKA_SHAPES) {
    const known = knownSeries(collected, targets, rules, shape);
    for (const e of expressions) {
      const report: Report = (detail) => {
        const key = JSON.stringify([e.file, e.where, detail, e.raw]);
        const entry = found.get(key) ?? { file: e.file, where: e.where, detail, raw: e.raw, shapes: [] };
        if (!entry.shapes.includes(shape)) entry.shapes.push(shape);
        found.set(key, entry);
      };
      evaluateLabels(e.expr, selector(known, report, collectorName(model)), report);
    }
  }
  return [...found.values()].map(({ shapes, ...f }) => (shapes.length === KAFKA_SHAPES.length ? f : { ...f, onlyShapes: shapes }));
}

/**
 * No query of the bundle reads a series its collector, Prometheus or its own rules never
 * produce (how the series that exist are worked out: above).
 */
export const seriesExist = defineCheck<SeriesFinding>({
  id: 'mm2/series-exist',
  severity: 'bug',
  find: ({ bundle, model, rules, expressions }) => seriesFindings(bundle, model, rules, expressions),
  message: (f) => {
    if (f.where === undefined) return f.detail;
    const scope = f.onlyShapes ? ` [only with the Kafka ${f.onlyShapes.join(', ')} MBean names]` : '';
    return `${f.where}: ${f.detail}${scope}\n    in: ${(f.raw ?? '').trim()}`;
  },
});

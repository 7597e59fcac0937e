import type { Bundle } from '../bundle/bundle.js';
import { durationSeconds } from '../conventions/duration.js';
import type { Model } from '../model/model.js';
import { children, forEachSelector, nodeText, parsePromql, parseSelector, type SyntaxNode, selectedName } from '../promql/syntax.js';
import { type Rule, readRules } from '../reader/read.js';
import type { BundleProblem } from './problem.js';

/**
 * The rule checks pint (run by `npm run check`, configured in .pint.hcl) cannot make offline,
 * because they need the model's scrape interval or see the bundle as a whole. Each has an id
 * and a severity, as pint's checks do, so a finding can be looked up here:
 * - `mm2/rate-window` (bug): range windows of rate/increase/deriv/*_over_time span at least 4
 *   scrape intervals, so that one missed scrape never leaves a window with fewer than 2 samples
 *   (pint's promql/rate does this only online, from a live server's configuration);
 * - `mm2/up-absent-for` (bug): an alert reading `up` or `absent()`, itself or through the
 *   bundle's recording rules, waits at least 2 scrape intervals (`for`), so that one failed
 *   scrape does not page, unless it reads them through a debounce (`min_over_time` over more
 *   than a scrape interval, as the SLI does) (pint's alerts/absent is online and does not follow
 *   recording rules);
 * - `mm2/alert-identity` (bug): no two alerts share a name and label set (pint's rule/duplicate
 *   runs only per configured Prometheus server);
 * - `mm2/group-scope` (bug): every selector of every rule matches the bundle's group labels
 *   (cluster, job) and every recording rule sets them (groupLabelProblems; pint's
 *   promql/aggregate sees that an aggregation keeps them, not that a selector is scoped).
 * Required annotations and severity (alerts/annotation, rule/label), $value in labels
 * (alerts/template), alerts without a filtering comparison (alerts/comparison) and group
 * intervals (group/interval) are pint's.
 */

export const RULE_LINT_CHECKS = {
  rateWindow: { id: 'mm2/rate-window', severity: 'bug' },
  upAbsentFor: { id: 'mm2/up-absent-for', severity: 'bug' },
  alertIdentity: { id: 'mm2/alert-identity', severity: 'bug' },
  groupScope: { id: 'mm2/group-scope', severity: 'bug' },
} as const;
type RuleLintCheck = (typeof RULE_LINT_CHECKS)[keyof typeof RULE_LINT_CHECKS];
const WINDOWED_FUNCTIONS = /^(rate|irate|increase|deriv|delta|idelta|predict_linear|changes|resets|[a-z]+_over_time)$/;

const text = nodeText;

/** Every problem of one expression's windows: [function, window] pairs shorter than the minimum. */
function shortWindows(expr: string, minSeconds: number, minRecordedSeconds: number): string[] {
  const out: string[] = [];
  parsePromql(expr).iterate({
    enter: (ref) => {
      if (ref.name !== 'FunctionCall') return;
      const node = ref.node;
      const fn = node.getChild('FunctionIdentifier');
      const body = node.getChild('FunctionCallBody');
      if (!fn || !body) return;
      const name = text(expr, fn);
      if (!WINDOWED_FUNCTIONS.test(name)) return;
      for (const arg of children(body)) {
        if (arg.name !== 'MatrixSelector' && arg.name !== 'SubqueryExpr') continue;
        const range = arg.getChild('DurationExpr');
        if (!range) continue;
        const window = text(expr, range);
        // A recorded series (level:metric:op) is written at every evaluation, not scraped: one
        // evaluation interval of it holds a sample (the SLI's debounce reads two of them).
        const vector = arg.name === 'MatrixSelector' ? arg.getChild('VectorSelector') : null;
        const metric = vector ? (selectedName(parseSelector(expr, vector)) ?? '') : '';
        const min = metric.includes(':') ? minRecordedSeconds : minSeconds;
        if (durationSeconds(window) < min) out.push(`${name}(...[${window}])`);
      }
    },
  });
  return out;
}

/** `min_over_time(x[w])` with w longer than a scrape interval: x must hold at two scrapes at least, so one failed scrape cannot set it (the SLI's debounce). */
function debounced(expr: string, node: SyntaxNode, scrapeSeconds: number): boolean {
  const fn = node.getChild('FunctionIdentifier');
  const range = node.getChild('FunctionCallBody')?.getChild('MatrixSelector')?.getChild('DurationExpr');
  return !!fn && !!range && text(expr, fn) === 'min_over_time' && durationSeconds(text(expr, range)) > scrapeSeconds;
}

/**
 * Whether the expression reads `up` or calls absent()/absent_over_time(), directly or through
 * the recording rules of the bundle it reads (an alert on `workers_up:count` reads `up`), other
 * than through a debounce (debounced above).
 */
function readsUpOrAbsent(expr: string, recorded: ReadonlyMap<string, readonly string[]>, scrapeSeconds: number, seen: Set<string> = new Set()): boolean {
  let found = false;
  parsePromql(expr).iterate({
    enter: (ref) => {
      if (found) return false;
      if (ref.name === 'FunctionCall' && debounced(expr, ref.node, scrapeSeconds)) return false;
      if (ref.name === 'FunctionIdentifier' && /^absent(_over_time)?$/.test(text(expr, ref.node))) found = true;
      if (ref.name === 'VectorSelector') {
        const name = selectedName(parseSelector(expr, ref.node)) ?? '';
        if (name === 'up') found = true;
        else if (recorded.has(name) && !seen.has(name)) {
          seen.add(name);
          found = recorded.get(name)!.some((e) => readsUpOrAbsent(e, recorded, scrapeSeconds, seen));
        }
      }
      return undefined;
    },
  });
  return found;
}

function recordingExpressions(rules: readonly Rule[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of rules) if (r.kind === 'record') out.set(r.name, [...(out.get(r.name) ?? []), r.expr]);
  return out;
}

/** Selectors of the expression that do not match every group label to the bundle's value. */
function unscopedSelectors(expr: string, group: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  forEachSelector(expr, (selector) => {
    const scoped = Object.entries(group).every(([k, v]) => selector.matchers.some((m) => m.label === k && m.op === '=' && m.value === v));
    if (!scoped) out.push(selector.text);
  });
  return out;
}

/**
 * The group labels (cluster, job) survive every rule: each recording rule sets them to the
 * bundle's values and every selector of every rule is scoped by them, so that two bundles in
 * one Prometheus never write the same series nor read each other's.
 */
export function groupLabelProblems(bundle: Bundle, model: Model): BundleProblem[] {
  const problems: BundleProblem[] = [];
  const scope = Object.entries(model.groupLabels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
  const { id, severity } = RULE_LINT_CHECKS.groupScope;
  for (const { file, where, expr, kind, labels } of readRules(bundle)) {
    for (const s of unscopedSelectors(expr, model.groupLabels)) {
      problems.push({
        file,
        check: id,
        severity,
        message: `${where}: selector ${s} is not scoped to ${scope}: it would read another Connect cluster's series (${id}, ${severity})`,
      });
    }
    if (kind === 'alert') continue;
    for (const [k, v] of Object.entries(model.groupLabels)) {
      if (labels[k] !== v)
        problems.push({
          file,
          check: id,
          severity,
          message: `${where}: drops the group label ${k} (expected label ${k}: ${v}): two bundles in one Prometheus would write the same series (${id}, ${severity})`,
        });
    }
  }
  return problems;
}

export function ruleLintProblems(bundle: Bundle, model: Model): BundleProblem[] {
  const scrape = durationSeconds(model.prometheus.scrapeInterval);
  const problems: BundleProblem[] = [];
  const seenAlerts = new Map<string, string>();
  const rules = readRules(bundle);
  const recorded = recordingExpressions(rules);
  for (const r of rules) {
    const report = (check: RuleLintCheck, message: string) =>
      problems.push({ file: r.file, check: check.id, severity: check.severity, message: `${r.where}: ${message} (${check.id}, ${check.severity})` });
    for (const w of shortWindows(r.expr, 4 * scrape, durationSeconds(model.prometheus.evaluationInterval))) {
      report(RULE_LINT_CHECKS.rateWindow, `${w}: the window is shorter than 4 scrape intervals (${4 * scrape}s); a missed scrape leaves too few samples`);
    }
    if (r.kind !== 'alert') continue;
    const forSeconds = r.for ? durationSeconds(r.for) : 0;
    if (readsUpOrAbsent(r.expr, recorded, scrape) && forSeconds < 2 * scrape) {
      report(
        RULE_LINT_CHECKS.upAbsentFor,
        `reads up or absent() with for ${r.for ?? '0s'}: wait at least 2 scrape intervals (${2 * scrape}s) so that one failed scrape does not fire it`,
      );
    }
    const identity = JSON.stringify([r.name, Object.entries(r.labels).sort(([a], [b]) => (a < b ? -1 : 1))]);
    const previous = seenAlerts.get(identity);
    if (previous) report(RULE_LINT_CHECKS.alertIdentity, `same name and labels as the alert in ${previous}: Alertmanager cannot tell them apart`);
    else seenAlerts.set(identity, `${r.file} group ${r.group}`);
  }
  return problems;
}

import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import { parse } from 'yaml';
import type { Bundle } from '../bundle/bundle.js';
import { durationSeconds } from '../model/duration.js';
import type { Model } from '../model/model.js';
import type { BundleProblem } from './index.js';

/**
 * Checks on the rule files of alerts/ in the spirit of pint (Cloudflare's Prometheus rule
 * linter), run in-process on the lezer-promql syntax tree:
 * - range windows of rate/increase/deriv/*_over_time span at least 4 scrape intervals, so that
 *   one missed scrape never leaves a window with fewer than 2 samples (one evaluation interval
 *   over a recorded series, which is written at every evaluation);
 * - an alert reading `up` or `absent()` (itself or through recording rules) waits at least 2
 *   scrape intervals (`for`), so that one failed scrape does not page;
 * - every alert has summary, description and runbook_url annotations and a severity label in
 *   {warning, critical}; no label is templated with $value (each new value would be a new alert);
 * - every alert's expression ends in a comparison (through and/or/unless), without `bool`:
 *   an alert on a bare value fires whenever the series exists, `bool` makes it fire on 0;
 * - no two alerts share a name and label set; group intervals are at most 5m.
 */

// `none`: the watchdog, which pages nobody by design.
export const SEVERITY_VALUES = ['warning', 'critical', 'none'] as const;
const REQUIRED_ANNOTATIONS = ['summary', 'description', 'runbook_url'] as const;
const MAX_GROUP_INTERVAL_S = 300;
const WINDOWED_FUNCTIONS = /^(rate|irate|increase|deriv|delta|idelta|predict_linear|changes|resets|[a-z]+_over_time)$/;
const COMPARISONS = new Set(['Eql', 'Neq', 'Gtr', 'Lss', 'Gte', 'Lte']);
const SET_OPERATORS = new Set(['And', 'Or', 'Unless']);

interface Rule {
  record?: string;
  alert?: string;
  expr?: unknown;
  for?: string;
  labels?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}
interface Group {
  name?: string;
  interval?: string;
  rules?: Rule[];
}

const children = (node: SyntaxNode): SyntaxNode[] => {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
};
const text = (expr: string, node: SyntaxNode) => expr.slice(node.from, node.to);

/** Every problem of one expression's windows: [function, window] pairs shorter than the minimum. */
function shortWindows(expr: string, minSeconds: number, minRecordedSeconds: number): string[] {
  const out: string[] = [];
  parser.parse(expr).iterate({
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
        const metric = arg.name === 'MatrixSelector' ? /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(text(expr, arg))?.[0] ?? '' : '';
        const min = metric.includes(':') ? minRecordedSeconds : minSeconds;
        if (durationSeconds(window) < min) out.push(`${name}(...[${window}])`);
      }
    },
  });
  return out;
}

/**
 * Whether the expression reads `up` or calls absent()/absent_over_time(), directly or through
 * the recording rules of the bundle it reads (an alert on `workers_up:count` reads `up`).
 */
function readsUpOrAbsent(expr: string, recorded: ReadonlyMap<string, readonly string[]>, seen: Set<string> = new Set()): boolean {
  let found = false;
  parser.parse(expr).iterate({
    enter: (ref) => {
      if (found) return false;
      if (ref.name === 'FunctionIdentifier' && /^absent(_over_time)?$/.test(text(expr, ref.node))) found = true;
      if (ref.name === 'VectorSelector') {
        const id = ref.node.getChild('Identifier');
        const name = id ? text(expr, id) : '';
        if (name === 'up') found = true;
        else if (recorded.has(name) && !seen.has(name)) {
          seen.add(name);
          found = recorded.get(name)!.some((e) => readsUpOrAbsent(e, recorded, seen));
        }
      }
      return undefined;
    },
  });
  return found;
}

function recordingExpressions(files: readonly { groups: Group[] }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of files) {
    for (const g of f.groups) {
      for (const r of g.rules ?? []) {
        if (r.record !== undefined && typeof r.expr === 'string') out.set(r.record, [...(out.get(r.record) ?? []), r.expr]);
      }
    }
  }
  return out;
}

function unwrap(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.name === 'ParenExpr' || n.name === 'PromQL') {
    const inner = children(n).find((c) => c.name !== '(' && c.name !== ')');
    if (!inner) return n;
    n = inner;
  }
  return n;
}

/** Why the expression is not a filtering comparison at its top level, or undefined if it is. */
function comparisonProblem(expr: string): string | undefined {
  const visit = (node: SyntaxNode): string | undefined => {
    const n = unwrap(node);
    if (n.name !== 'BinaryExpr') return `"${text(expr, n)}" is not a comparison: the alert fires whenever the series exists`;
    const parts = children(n);
    const op = parts.find((c) => COMPARISONS.has(c.name) || SET_OPERATORS.has(c.name));
    if (!op) return `"${text(expr, n)}" is arithmetic, not a comparison: the alert fires whenever the series exists`;
    if (SET_OPERATORS.has(op.name)) {
      const operands = parts.filter((c) => c.from < op.from || c.from > op.to).filter((c) => !['MatchingModifierClause', 'BoolModifier'].includes(c.name));
      const sides = op.name === 'Unless' ? operands.slice(0, 1) : operands;
      for (const side of sides) {
        const p = visit(side);
        if (p) return p;
      }
      return undefined;
    }
    if (parts.some((c) => c.name === 'BoolModifier')) return `"${text(expr, n)}" uses bool: the comparison yields 0 instead of filtering, so the alert fires while the condition is false`;
    return undefined;
  };
  const top = parser.parse(expr).topNode;
  return visit(top);
}

/** Selectors of the expression that do not match every group label to the bundle's value. */
function unscopedSelectors(expr: string, group: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  parser.parse(expr).iterate({
    enter: (ref) => {
      if (ref.name !== 'VectorSelector') return undefined;
      const sel = text(expr, ref.node);
      if (Object.entries(group).some(([k, v]) => !sel.includes(`${k}=${JSON.stringify(v)}`))) out.push(sel);
      return false;
    },
  });
  return out;
}

function ruleGroups(bundle: Bundle): { file: string; groups: Group[] }[] {
  const out: { file: string; groups: Group[] }[] = [];
  for (const [file, content] of bundle) {
    if (!file.startsWith('alerts/') || !/rules\.ya?ml$/.test(file)) continue;
    const doc = parse(content) as { groups?: Group[] } | null;
    out.push({ file, groups: doc?.groups ?? [] });
  }
  return out;
}

/**
 * The group labels (cluster, job) survive every rule: each recording rule sets them to the
 * bundle's values and every selector of every rule is scoped by them, so that two bundles in
 * one Prometheus never write the same series nor read each other's.
 */
export function groupLabelProblems(bundle: Bundle, model: Model): BundleProblem[] {
  const problems: BundleProblem[] = [];
  const scope = Object.entries(model.groupLabels).map(([k, v]) => `${k}="${v}"`).join(', ');
  for (const { file, groups } of ruleGroups(bundle)) {
    for (const g of groups) {
      for (const r of g.rules ?? []) {
        const where = `group ${g.name ?? '(unnamed)'}, ${r.alert !== undefined ? `alert ${r.alert}` : `record ${r.record}`}`;
        if (typeof r.expr !== 'string') continue;
        for (const s of unscopedSelectors(r.expr, model.groupLabels)) {
          problems.push({ file, message: `${where}: selector ${s} is not scoped to ${scope}: it would read another Connect cluster's series` });
        }
        if (r.alert !== undefined) continue;
        for (const [k, v] of Object.entries(model.groupLabels)) {
          if (r.labels?.[k] !== v) problems.push({ file, message: `${where}: drops the group label ${k} (expected label ${k}: ${v}): two bundles in one Prometheus would write the same series` });
        }
      }
    }
  }
  return problems;
}

export function ruleLintProblems(bundle: Bundle, model: Model): BundleProblem[] {
  const scrape = durationSeconds(model.prometheus.scrapeInterval);
  const problems: BundleProblem[] = [];
  const seenAlerts = new Map<string, string>();
  const files = ruleGroups(bundle);
  const recorded = recordingExpressions(files);
  for (const { file, groups } of files) {
    for (const g of groups) {
      const group = `group ${g.name ?? '(unnamed)'}`;
      const report = (where: string, message: string) => problems.push({ file, message: `${where}: ${message}` });
      if (g.interval !== undefined && durationSeconds(g.interval) > MAX_GROUP_INTERVAL_S) {
        report(group, `interval ${g.interval} is longer than 5m: series recorded this rarely go stale between evaluations`);
      }
      for (const r of g.rules ?? []) {
        const where = `${group}, ${r.alert !== undefined ? `alert ${r.alert}` : `record ${r.record}`}`;
        if (typeof r.expr !== 'string') continue;
        for (const w of shortWindows(r.expr, 4 * scrape, durationSeconds(model.prometheus.evaluationInterval))) {
          report(where, `${w}: the window is shorter than 4 scrape intervals (${4 * scrape}s); a missed scrape leaves too few samples`);
        }
        if (r.alert === undefined) continue;
        const forSeconds = r.for ? durationSeconds(r.for) : 0;
        if (readsUpOrAbsent(r.expr, recorded) && forSeconds < 2 * scrape) {
          report(where, `reads up or absent() with for ${r.for ?? '0s'}: wait at least 2 scrape intervals (${2 * scrape}s) so that one failed scrape does not fire it`);
        }
        const annotations = r.annotations ?? {};
        for (const a of REQUIRED_ANNOTATIONS) {
          if (typeof annotations[a] !== 'string' || (annotations[a] as string).trim() === '') report(where, `annotation ${a} is missing`);
        }
        const labels = r.labels ?? {};
        if (!SEVERITY_VALUES.includes(labels.severity as (typeof SEVERITY_VALUES)[number])) {
          report(where, `label severity is ${JSON.stringify(labels.severity)}: expected one of ${SEVERITY_VALUES.join(', ')}`);
        }
        for (const [k, v] of Object.entries(labels)) {
          if (typeof v === 'string' && /\$value\b/.test(v)) report(where, `label ${k} is templated with $value: every new value would make a new alert`);
        }
        const cmp = comparisonProblem(r.expr);
        if (cmp) report(where, cmp);
        const identity = JSON.stringify([r.alert, Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1))]);
        const previous = seenAlerts.get(identity);
        if (previous) report(where, `same name and labels as the alert in ${previous}: Alertmanager cannot tell them apart`);
        else seenAlerts.set(identity, `${file} ${group}`);
      }
    }
  }
  return problems;
}

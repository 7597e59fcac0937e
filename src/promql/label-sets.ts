import { sortedEntries } from '../conventions/order.js';
import { anchoredRegex, type LabelMatcher, matches as valueMatches } from './matcher.js';
import { exprChildren, hasSyntaxError, NAME_LABEL, parsePromql, parseSelector, type Selector, type SyntaxNode, nodeText as text, unquote } from './syntax.js';

/**
 * Which series a PromQL expression reads and which label sets it yields, worked out on sample
 * series (label sets, no values) instead of data. Selectors are checked against the series
 * that exist: the metric, every label a matcher names, every value it asks for. Operators and
 * functions then carry label sets the way Prometheus does (aggregations keep their `by`
 * labels, `on()` keeps the matching labels, label_replace writes its label...), so that the
 * series a recording rule writes are known too.
 *
 * Values are ignored: a comparison or `unless` is taken to keep every series it could keep,
 * and vector matching is not attempted (one-to-one results take the left side's labels).
 * A function this file does not know keeps the labels of its first vector argument.
 */

export type Labels = Readonly<Record<string, string>>;

/** A label value known only at query time (computed by a function, templated): every matcher accepts it. */
export const ANY_VALUE = '\u0000any';

export type Value = { readonly kind: 'scalar' | 'string'; readonly text?: string } | { readonly kind: 'vector'; readonly series: readonly Labels[] };

const NAME = NAME_LABEL;
const SCALAR: Value = { kind: 'scalar' };

/** Whether a series may satisfy the matcher. A label value computed at query time (ANY_VALUE) may satisfy anything. */
export function seriesMatches(m: LabelMatcher, series: Labels): boolean {
  const v = series[m.label] ?? '';
  return v === ANY_VALUE || valueMatches(m, v);
}

function labelNames(src: string, grouping: SyntaxNode | null): string[] {
  if (!grouping) return [];
  return [...grouping.getChildren('LabelName').map((n) => text(src, n)), ...grouping.getChildren('QuotedLabelName').map((n) => unquote(text(src, n)))];
}

function dropName(s: Labels): Labels {
  if (!(NAME in s)) return s;
  const { [NAME]: _, ...rest } = s;
  return rest;
}

function project(s: Labels, keep: readonly string[]): Labels {
  return Object.fromEntries(keep.filter((l) => l in s).map((l) => [l, s[l]!]));
}

function without(s: Labels, drop: readonly string[]): Labels {
  return Object.fromEntries(Object.entries(s).filter(([l]) => l !== NAME && !drop.includes(l)));
}

export function dedupe(series: readonly Labels[]): Labels[] {
  const seen = new Map<string, Labels>();
  for (const s of series) {
    const key = JSON.stringify(sortedEntries(s));
    if (!seen.has(key)) seen.set(key, s);
  }
  return [...seen.values()];
}

function vector(series: readonly Labels[]): Value {
  return { kind: 'vector', series: dedupe(series) };
}

function seriesOf(v: Value): readonly Labels[] {
  return v.kind === 'vector' ? v.series : [];
}

/** Go regexp ReplaceAllString template (`$1`, `${1}`, `$name`), as label_replace expands it. */
function expandGo(template: string, groups: RegExpExecArray): string {
  return template.replace(/\$(\$|\{(\w+)\}|(\w+))/g, (whole, _: string, braced?: string, bare?: string) => {
    if (whole === '$$') return '$';
    const ref = (braced ?? bare)!;
    return /^\d+$/.test(ref) ? (groups[Number(ref)] ?? '') : (groups.groups?.[ref] ?? '');
  });
}

function labelReplace(series: readonly Labels[], args: readonly string[]): Labels[] {
  const [dst, replacement, src, regex] = args as [string, string, string, string];
  const re = anchoredRegex(regex);
  return series.map((s) => {
    const from = s[src] ?? '';
    let value: string | undefined;
    if (from === ANY_VALUE || !re) value = ANY_VALUE;
    else {
      const m = re.exec(from);
      if (!m) return s;
      value = expandGo(replacement, m);
    }
    const { [dst]: _, ...rest } = s;
    return value === '' ? rest : { ...rest, [dst]: value };
  });
}

const DATE_FUNCTIONS = new Set(['day_of_month', 'day_of_week', 'day_of_year', 'days_in_month', 'hour', 'minute', 'month', 'year']);
const SCALAR_FUNCTIONS = new Set(['scalar', 'time', 'pi']);
const GROUPING_KEEPS_INPUT = new Set(['topk', 'bottomk', 'limitk', 'limit_ratio']);

/** Called for every problem found in a selector or a grouping clause. */
export type Report = (message: string) => void;

/** Resolves a selector to the series it may select (and reports what is wrong when it selects none). */
export type SelectorCheck = (selector: Selector) => readonly Labels[];

/**
 * Evaluates the label sets of `expr`. `select` resolves (and checks) each selector; grouping
 * labels that no input series has are reported. Returns undefined when the expression does
 * not parse (the syntax check reports that).
 */
export function evaluateLabels(expr: string, select: SelectorCheck, report: Report): Value | undefined {
  const tree = parsePromql(expr);
  if (hasSyntaxError(tree)) return undefined;

  const requireLabels = (labels: readonly string[], input: readonly Labels[], what: string) => {
    if (input.length === 0) return;
    for (const l of labels) if (!input.some((s) => l in s)) report(`${what} (${l}) names a label that no series of its input has`);
  };

  const evaluate = (node: SyntaxNode): Value => {
    switch (node.name) {
      case 'PromQL':
      case 'ParenExpr':
      case 'MatrixSelector':
      case 'SubqueryExpr':
      case 'OffsetExpr':
      case 'StepInvariantExpr':
      case 'AnchoredExpr':
      case 'SmoothedExpr':
        return evaluate(exprChildren(node)[0]!);
      case 'NumberDurationLiteral':
        return SCALAR;
      case 'StringLiteral':
        return { kind: 'string', text: unquote(text(expr, node)) };
      case 'VectorSelector':
        return vector(select(parseSelector(expr, node)));
      case 'UnaryExpr':
        return mapVector(evaluate(exprChildren(node)[0]!), dropName);
      case 'FunctionCall':
        return functionCall(node);
      case 'AggregateExpr':
        return aggregate(node);
      case 'BinaryExpr':
        return binary(node);
      default:
        throw new Error(`unexpected PromQL node ${node.name} in: ${expr}`);
    }
  };

  const mapVector = (v: Value, f: (s: Labels) => Labels): Value => (v.kind === 'vector' ? vector(v.series.map(f)) : v);

  const functionCall = (node: SyntaxNode): Value => {
    const name = text(expr, node.getChild('FunctionIdentifier')!);
    const argNodes = exprChildren(node.getChild('FunctionCallBody')!);
    const args = argNodes.map(evaluate);
    const firstVector = args.find((a) => a.kind === 'vector');
    const strings = args.filter((a) => a.kind === 'string').map((a) => (a as { text: string }).text);
    if (SCALAR_FUNCTIONS.has(name)) return SCALAR;
    if (name === 'vector') return vector([{}]);
    if (name === 'absent' || name === 'absent_over_time') {
      // Prometheus gives the absent series the labels of the selector's equality matchers.
      const inner = argNodes[0]?.name === 'MatrixSelector' ? argNodes[0].getChild('VectorSelector') : argNodes[0];
      const sel = inner?.name === 'VectorSelector' ? parseSelector(expr, inner) : undefined;
      return vector([Object.fromEntries((sel?.matchers ?? []).filter((m) => m.op === '=' && m.label !== NAME).map((m) => [m.label, m.value]))]);
    }
    if (!firstVector) return DATE_FUNCTIONS.has(name) ? vector([{}]) : SCALAR;
    const input = seriesOf(firstVector).map(dropName);
    if (name === 'label_replace') return vector(labelReplace(input, strings));
    if (name === 'label_join') {
      const [dst, , ...src] = strings as [string, string, ...string[]];
      return vector(input.map((s) => ({ ...s, [dst]: src.some((l) => s[l] === ANY_VALUE) ? ANY_VALUE : src.map((l) => s[l] ?? '').join(strings[1]) })));
    }
    if (name === 'histogram_quantile') return vector(input.map((s) => without(s, ['le'])));
    return vector(input);
  };

  const aggregate = (node: SyntaxNode): Value => {
    const op = text(expr, node.getChild('AggregateOp')!);
    const modifier = node.getChild('AggregateModifier');
    const labels = labelNames(expr, modifier?.getChild('GroupingLabels') ?? null);
    const args = exprChildren(node.getChild('FunctionCallBody')!).map(evaluate);
    const input = seriesOf(args[args.length - 1]!);
    const isBy = Boolean(modifier?.getChild('By'));
    if (isBy) requireLabels(labels, input, `${op} by`);
    if (GROUPING_KEEPS_INPUT.has(op)) return vector(input);
    let out = input.map((s) => (!modifier ? {} : isBy ? project(s, labels) : without(s, labels)));
    if (op === 'count_values') {
      const label = args.find((a) => a.kind === 'string') as { text: string } | undefined;
      if (label) out = out.map((s) => ({ ...s, [label.text]: ANY_VALUE }));
    }
    return vector(out);
  };

  const binary = (node: SyntaxNode): Value => {
    const [lhsNode, rhsNode] = exprChildren(node) as [SyntaxNode, SyntaxNode];
    const lhs = evaluate(lhsNode);
    const rhs = evaluate(rhsNode);
    const op = lhsNode.nextSibling!.name;
    if (lhs.kind !== 'vector' || rhs.kind !== 'vector') {
      if (lhs.kind !== 'vector' && rhs.kind !== 'vector') return SCALAR;
      return mapVector(lhs.kind === 'vector' ? lhs : rhs, dropName);
    }
    if (op === 'And' || op === 'Unless') return lhs;
    if (op === 'Or') return vector([...lhs.series, ...rhs.series]);
    const clause = node.getChild('MatchingModifierClause');
    const [matchingNode, includeNode] = clause?.getChildren('GroupingLabels') ?? [];
    const matching = labelNames(expr, matchingNode ?? null);
    const include = labelNames(expr, includeNode ?? null);
    const on = Boolean(clause?.getChild('On'));
    const groupLeft = Boolean(clause?.getChild('GroupLeft'));
    const groupRight = Boolean(clause?.getChild('GroupRight'));
    if (on) {
      requireLabels(matching, lhs.series, 'on');
      requireLabels(matching, rhs.series, 'on');
    }
    // Results are built from the "many" side (the left one in one-to-one matching).
    const [many, one] = groupRight ? [rhs.series, lhs.series] : [lhs.series, rhs.series];
    if (groupLeft || groupRight) {
      requireLabels(include, one, groupLeft ? 'group_left' : 'group_right');
      const sources = one.length > 0 ? one : [{}];
      return vector(many.flatMap((s) => sources.map((o) => ({ ...without(s, include), ...project(o, include) }))));
    }
    return vector(many.map((s) => (on ? project(s, matching) : without(s, matching))));
  };

  return evaluate(tree.topNode);
}

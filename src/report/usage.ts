import { parse } from 'yaml';
import type { GeneratedFile } from '../bundle/files.js';
import { sampleVariableValues } from '../dashboards/variables.js';
import type { Model } from '../model/model.js';
import type { SignalId } from '../model/signals.js';
import { substituteGrafanaVariables, type GrafanaSubstitution } from '../promql/grafana.js';
import { matches as satisfies, type Matcher as LabelMatcher } from '../promql/matcher.js';
import { selections } from '../promql/selections.js';

/**
 * Who uses what, read from the generated files themselves: the report lists the alerts and
 * panels that really read a signal, not the ones a builder meant to make. Exported for the
 * end-to-end test and the benchmark, which need the same view of the bundle.
 */

export interface RuleEntry {
  readonly file: string;
  readonly group: string;
  readonly kind: 'record' | 'alert';
  /** The recorded series or the alert name. */
  readonly name: string;
  readonly expr: string;
  readonly for: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  /** Metric names (raw or recorded) the expression selects. */
  readonly reads: ReadonlySet<string>;
  /** Of those, the ones selected only to filter (right of `and` / `unless`). */
  readonly filterReads: ReadonlySet<string>;
  /** `alertname` matchers of each ALERTS selector: the expression reads those alerts' states. */
  readonly alertSelectors: readonly (readonly LabelMatcher[])[];
}

export interface PanelQuery {
  readonly file: string;
  readonly dashboard: string;
  /** Panel title, prefixed by the titles of the rows it sits in. */
  readonly panel: string;
  readonly refId: string;
  /** As written in the dashboard. */
  readonly raw: string;
  /** As Prometheus receives it from Grafana (variables and built-in intervals substituted). */
  readonly expr: string;
  readonly reads: ReadonlySet<string>;
  readonly filterReads: ReadonlySet<string>;
  readonly alertSelectors: readonly (readonly LabelMatcher[])[];
}

function readsOf(expr: string): { reads: ReadonlySet<string>; filterReads: ReadonlySet<string>; alertSelectors: readonly (readonly LabelMatcher[])[] } {
  const s = selections(expr);
  return { reads: s.names, filterReads: s.filterOnly, alertSelectors: s.alertSelectors };
}

interface RawRule {
  record?: unknown;
  alert?: unknown;
  expr?: unknown;
  for?: unknown;
  labels?: Record<string, unknown>;
}

function stringRecord(obj: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj ?? {})) out[k] = String(v);
  return out;
}

/** Every recording and alerting rule of the rule files under alerts/, in file then file order. */
export function readRules(files: readonly GeneratedFile[]): RuleEntry[] {
  const out: RuleEntry[] = [];
  for (const f of [...files].sort(byPath)) {
    if (!f.path.startsWith('alerts/') || !/\.ya?ml$/.test(f.path)) continue;
    const doc = parse(f.content) as { groups?: { name?: unknown; rules?: RawRule[] }[] } | null;
    if (!doc || !Array.isArray(doc.groups)) continue;
    for (const g of doc.groups) {
      for (const r of g.rules ?? []) {
        if (typeof r.expr !== 'string') continue;
        const kind = typeof r.alert === 'string' ? 'alert' : typeof r.record === 'string' ? 'record' : undefined;
        if (!kind) continue;
        out.push({
          file: f.path,
          group: String(g.name),
          kind,
          name: String(kind === 'alert' ? r.alert : r.record),
          expr: r.expr,
          for: typeof r.for === 'string' ? r.for : undefined,
          labels: stringRecord(r.labels),
          ...readsOf(r.expr),
        });
      }
    }
  }
  return out;
}

interface RawPanel {
  title?: unknown;
  type?: unknown;
  targets?: { expr?: unknown; refId?: unknown; hide?: unknown }[];
  panels?: RawPanel[];
}

/** What Grafana would substitute in panel queries, for a model: the same values the bundle's validation uses. */
export function grafanaSubstitution(model: Model): GrafanaSubstitution {
  return { scrapeInterval: model.prometheus.scrapeInterval, range: model.prometheus.rateWindow, variables: sampleVariableValues(model) };
}

/**
 * Every query of every panel of the dashboards under dashboards/, in file then panel order.
 * `sub` overrides what Grafana substitutes (the benchmark views 6 h dashboards).
 */
export function readPanelQueries(files: readonly GeneratedFile[], model: Model, sub: GrafanaSubstitution = grafanaSubstitution(model)): PanelQuery[] {
  const out: PanelQuery[] = [];
  for (const f of [...files].sort(byPath)) {
    if (!f.path.startsWith('dashboards/') || !f.path.endsWith('.json')) continue;
    const doc = JSON.parse(f.content) as { title?: unknown; panels?: RawPanel[] };
    if (!Array.isArray(doc.panels)) continue;
    const dashboard = typeof doc.title === 'string' ? doc.title : f.path;
    const visit = (panels: readonly RawPanel[], rows: readonly string[]) => {
      for (const p of panels) {
        const title = typeof p.title === 'string' && p.title !== '' ? p.title : '(untitled)';
        for (const t of p.targets ?? []) {
          if (typeof t.expr !== 'string' || t.expr.trim() === '' || t.hide === true) continue;
          const expr = substituteGrafanaVariables(t.expr, sub);
          out.push({
            file: f.path,
            dashboard,
            panel: [...rows, title].join(' › '),
            refId: typeof t.refId === 'string' ? t.refId : '?',
            raw: t.expr,
            expr,
            ...readsOf(expr),
          });
        }
        if (Array.isArray(p.panels)) visit(p.panels, p.type === 'row' ? [...rows, title] : rows);
      }
    };
    visit(doc.panels, []);
  }
  return out;
}

/** How a rule or a panel reaches a signal: by its recorded series, or through series recorded from it. */
export interface Use {
  /** Empty when the expression reads the signal's own recorded series. */
  readonly via: readonly string[];
  /** The expression only filters by these series (right of `and` / `unless`): it shows or compares none of their values. */
  readonly filterOnly: boolean;
}

export interface SignalUsage {
  readonly alerts: readonly (RuleEntry & Use)[];
  readonly panels: readonly (PanelQuery & Use)[];
  /** The recording rules that store the signal, in file order (one per flow for flow signals). */
  readonly recordings: readonly RuleEntry[];
}

/** Name under which an alert's state (its ALERTS series) enters the lineage of recorded series. */
function alertState(alert: string): string {
  return `ALERTS{alertname=${JSON.stringify(alert)}}`;
}

/** What an expression reads, alert states included: `ALERTS{alertname=~"A|B"}` reads the states of A and B. */
function lineageReads(x: { reads: ReadonlySet<string>; alertSelectors: readonly (readonly LabelMatcher[])[] }, alerts: readonly string[]): string[] {
  const states = x.alertSelectors.flatMap((ms) => alerts.filter((a) => ms.every((m) => satisfies(m, a)))).map(alertState);
  return [...x.reads, ...states];
}

/**
 * For each recorded series and alert state, the signals it is computed from, following
 * recording rules that read other recorded series (e.g. the lag growth reads the lag) or alert
 * states (e.g. the SLO counts the time some alerts fire).
 */
export function signalOrigins(model: Model, rules: readonly RuleEntry[]): Map<string, Set<SignalId>> {
  const alerts = rules.filter((r) => r.kind === 'alert').map((r) => r.name);
  const readsOf = new Map<string, Set<string>>();
  for (const r of rules) {
    const name = r.kind === 'record' ? r.name : alertState(r.name);
    const set = readsOf.get(name) ?? new Set<string>();
    for (const n of lineageReads(r, alerts)) set.add(n);
    readsOf.set(name, set);
  }
  const ownRecord = new Map<string, SignalId>(model.signals.map((s) => [s.def.record, s.id]));
  const memo = new Map<string, Set<SignalId>>();
  const resolve = (name: string, seen: Set<string>): Set<SignalId> => {
    const cached = memo.get(name);
    if (cached) return cached;
    const out = new Set<SignalId>();
    const own = ownRecord.get(name);
    if (own) out.add(own);
    if (!seen.has(name)) {
      seen.add(name);
      for (const dep of readsOf.get(name) ?? []) for (const id of resolve(dep, seen)) out.add(id);
      seen.delete(name);
    }
    memo.set(name, out);
    return out;
  };
  for (const name of readsOf.keys()) resolve(name, new Set());
  return memo;
}

function useOf(
  x: { reads: ReadonlySet<string>; filterReads: ReadonlySet<string>; alertSelectors: readonly (readonly LabelMatcher[])[] },
  record: string,
  id: SignalId,
  origins: Map<string, Set<SignalId>>,
  alerts: readonly string[],
): Use | undefined {
  if (x.reads.has(record)) return { via: [], filterOnly: x.filterReads.has(record) };
  const via = lineageReads(x, alerts).filter((n) => n !== record && origins.get(n)?.has(id)).sort();
  return via.length > 0 ? { via, filterOnly: via.every((n) => x.filterReads.has(n)) } : undefined;
}

/** For every signal of the model, the alerts and panels of the bundle that read it, directly or not. */
export function signalUsage(model: Model, files: readonly GeneratedFile[]): Map<SignalId, SignalUsage> {
  const rules = readRules(files);
  const panels = readPanelQueries(files, model);
  const origins = signalOrigins(model, rules);
  const alerts = rules.filter((r) => r.kind === 'alert').map((r) => r.name);
  const usage = new Map<SignalId, SignalUsage>();
  for (const s of model.signals) {
    const record = s.def.record;
    usage.set(s.id, {
      recordings: rules.filter((r) => r.kind === 'record' && r.name === record),
      alerts: rules.flatMap((r) => {
        const use = r.kind === 'alert' ? useOf(r, record, s.id, origins, alerts) : undefined;
        return use ? [{ ...r, ...use }] : [];
      }),
      panels: panels.flatMap((p) => {
        const use = useOf(p, record, s.id, origins, alerts);
        return use ? [{ ...p, ...use }] : [];
      }),
    });
  }
  return usage;
}

function byPath(a: GeneratedFile, b: GeneratedFile): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

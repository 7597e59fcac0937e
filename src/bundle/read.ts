import { parse } from 'yaml';
import { VAR, type VariableName } from '../conventions/dashboards.js';
import { ALL_TOPICS } from '../conventions/names.js';
import type { Model } from '../model/model.js';
import { remoteHeartbeatsTopic } from '../model/topology.js';
import { type GrafanaSubstitution, multiValue, substituteGrafanaVariables } from '../promql/grafana.js';
import type { Matcher } from '../promql/matcher.js';
import { selections } from '../promql/selections.js';
import type { GeneratedFile } from './files.js';
import { isDashboardFile, isRuleFile, SCRAPE_FILES } from './paths.js';

/**
 * The one reader of a serialised bundle: rule files and dashboards are parsed here, once, into
 * typed rules and panel queries, and classified by where the builders write them (paths.ts).
 * The validators, the report, the runbook, the end-to-end tests and the benchmark read the
 * bundle as built through it, so that they agree on what it holds.
 */

/** A bundle as the builders hand it over (files) or as the CLI holds it (path -> content). */
export type BundleFiles = ReadonlyMap<string, string> | readonly GeneratedFile[];

function sortedFiles(files: BundleFiles): [path: string, content: string][] {
  const entries: [string, string][] = files instanceof Map ? [...files] : (files as readonly GeneratedFile[]).map((f) => [f.path, f.content]);
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** What an expression reads (promql/selections.ts). */
export interface Reads {
  /** Metric names (raw or recorded) the expression selects. */
  readonly reads: ReadonlySet<string>;
  /** Of those, the ones selected only to filter (right of `and` / `unless`). */
  readonly filterReads: ReadonlySet<string>;
  /** `alertname` matchers of each ALERTS selector: the expression reads those alerts' states. */
  readonly alertSelectors: readonly (readonly Matcher[])[];
}

function readsOf(expr: string): Reads {
  const s = selections(expr);
  return { reads: s.names, filterReads: s.filterOnly, alertSelectors: s.alertSelectors };
}

/** One recording or alerting rule of a rule file. */
export interface Rule extends Reads {
  readonly file: string;
  readonly group: string;
  readonly kind: 'record' | 'alert';
  /** The recorded series or the alert name. */
  readonly name: string;
  readonly expr: string;
  readonly for: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** Where it is, for messages: "group mm2-alerts, alert MM2TaskFailedCritical". */
  readonly where: string;
}

export interface RuleGroup {
  readonly file: string;
  readonly name: string;
  readonly rules: readonly Rule[];
}

interface RawRule {
  record?: unknown;
  alert?: unknown;
  expr?: unknown;
  for?: unknown;
  labels?: unknown;
  annotations?: unknown;
}

function stringRecord(obj: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((obj ?? {}) as Record<string, unknown>)) out[k] = String(v);
  return out;
}

/** Every rule group of the bundle's rule files, in file then group order; rules without an expression are left out. */
export function readRuleGroups(files: BundleFiles): RuleGroup[] {
  const out: RuleGroup[] = [];
  for (const [file, content] of sortedFiles(files)) {
    if (!isRuleFile(file)) continue;
    const doc = parse(content) as { groups?: { name?: unknown; rules?: RawRule[] }[] } | null;
    if (!doc || !Array.isArray(doc.groups)) continue;
    for (const g of doc.groups) {
      const group = typeof g.name === 'string' ? g.name : '(unnamed)';
      const rules: Rule[] = [];
      for (const r of g.rules ?? []) {
        if (typeof r.expr !== 'string') continue;
        const kind = r.alert !== undefined ? 'alert' : r.record !== undefined ? 'record' : undefined;
        if (!kind) continue;
        const name = String(kind === 'alert' ? r.alert : r.record);
        rules.push({
          file,
          group,
          kind,
          name,
          expr: r.expr,
          for: typeof r.for === 'string' ? r.for : undefined,
          labels: stringRecord(r.labels),
          annotations: stringRecord(r.annotations),
          where: `group ${group}, ${kind} ${name}`,
          ...readsOf(r.expr),
        });
      }
      out.push({ file, name: group, rules });
    }
  }
  return out;
}

/** Every recording and alerting rule of the bundle's rule files, in file then rule order. */
export function readRules(files: BundleFiles): Rule[] {
  return readRuleGroups(files).flatMap((g) => g.rules);
}

/** One query of one panel of a dashboard. */
export interface PanelQuery extends Reads {
  readonly file: string;
  readonly dashboard: string;
  /** The panel's own title. */
  readonly title: string;
  /** Panel title, prefixed by the titles of the rows it sits in. */
  readonly panel: string;
  readonly refId: string;
  /** As written in the dashboard. */
  readonly raw: string;
  /** As Prometheus receives it from Grafana (variables and built-in intervals substituted). */
  readonly expr: string;
  /** Hidden in the panel (Grafana does not run it). */
  readonly hidden: boolean;
}

interface RawPanel {
  title?: unknown;
  type?: unknown;
  targets?: { expr?: unknown; refId?: unknown; hide?: unknown }[];
  panels?: RawPanel[];
}

/**
 * For validation: a value Grafana could substitute for each dashboard variable, taken from
 * the model (the first flow's names), so that substituted panel queries are real PromQL whose
 * label values the consistency check can trace back to the model.
 */
export function sampleVariableValues(model: Model): Record<VariableName, string> {
  const flow = model.flows[0]!;
  return {
    [VAR.datasource]: 'prometheus',
    [VAR.cluster]: model.groupLabels.cluster,
    [VAR.job]: model.groupLabels.job,
    [VAR.flow]: flow.id,
    [VAR.connector]: flow.connectors.source.name,
    // Queries select each flow's part of the mirror metrics by its target and $topic: $topic must
    // hold a topic of every flow. The heartbeats topic is replicated by every flow. The "All"
    // value is added so that both branches of the per-partition panels (recorded for "All", raw
    // for chosen topics) are checked; Grafana substitutes one or the other.
    [VAR.topic]: multiValue([ALL_TOPICS, ...model.flows.map(remoteHeartbeatsTopic)]),
    [VAR.instance]: model.workers[0]!.instance,
  };
}

/** What Grafana would substitute in panel queries, for a model: the same values the bundle's validation uses. */
export function grafanaSubstitution(model: Model): GrafanaSubstitution {
  return { scrapeInterval: model.prometheus.scrapeInterval, range: model.prometheus.rateWindow, variables: sampleVariableValues(model) };
}

/**
 * Every query of every panel of the bundle's dashboards, in file then panel order: the ones
 * Grafana runs (`run`: not hidden, not empty), or `all` of them (what validation checks).
 * `sub` says what Grafana substitutes (the benchmark views 6 h dashboards).
 */
export function readPanelQueries(
  files: BundleFiles,
  model: Model,
  sub: GrafanaSubstitution = grafanaSubstitution(model),
  which: 'run' | 'all' = 'run',
): PanelQuery[] {
  const out: PanelQuery[] = [];
  for (const [file, content] of sortedFiles(files)) {
    if (!isDashboardFile(file)) continue;
    const doc = JSON.parse(content) as { title?: unknown; panels?: RawPanel[] };
    if (!Array.isArray(doc.panels)) continue;
    const dashboard = typeof doc.title === 'string' ? doc.title : file;
    const visit = (panels: readonly RawPanel[], rows: readonly string[]) => {
      for (const p of panels) {
        const title = typeof p.title === 'string' && p.title !== '' ? p.title : '(untitled)';
        for (const t of p.targets ?? []) {
          if (typeof t.expr !== 'string') continue;
          const hidden = t.hide === true;
          if (which === 'run' && (hidden || t.expr.trim() === '')) continue;
          const expr = substituteGrafanaVariables(t.expr, sub);
          out.push({
            file,
            dashboard,
            title,
            panel: [...rows, title].join(' › '),
            refId: typeof t.refId === 'string' ? t.refId : '?',
            raw: t.expr,
            expr,
            hidden,
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

/** job, instance and the static labels of every target of the bundle's Prometheus configuration. */
export function readStaticTargets(files: BundleFiles): Record<string, string>[] {
  const content = sortedFiles(files).find(([path]) => path === SCRAPE_FILES.prometheus)?.[1];
  const doc = parse(content ?? '') as {
    scrape_configs?: { job_name: string; static_configs?: { targets?: string[]; labels?: Record<string, string> }[] }[];
  } | null;
  return (doc?.scrape_configs ?? []).flatMap((job) =>
    (job.static_configs ?? []).flatMap((sc) => (sc.targets ?? []).map((instance) => ({ ...sc.labels, job: job.job_name, instance }))),
  );
}

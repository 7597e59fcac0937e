import { parse } from 'yaml';
import { type DashboardLike, grafanaSubstitution, type PanelQuery, panelQueriesOf } from '../documents/panel-queries.js';
import { isDashboardFile, isRuleFile, SCRAPE_FILES } from '../documents/paths.js';
import type { Queries } from '../documents/queries.js';
import { type Rule, type RuleGroup, type RuleSpec, ruleOf } from '../documents/rules.js';
import { type BundleValues, type ConnectSettings, metricRelabeling, type ScrapeJobSettings, staticTargets } from '../documents/values.js';
import type { ExporterConfig } from '../metrics/jmx-exporter.js';
import type { Model } from '../model/model.js';
import type { GrafanaSubstitution } from '../promql/grafana.js';

export type { PanelQuery } from '../documents/panel-queries.js';
export { grafanaSubstitution, sampleVariableValues } from '../documents/panel-queries.js';
export type { Reads, Rule, RuleGroup } from '../documents/rules.js';

/**
 * The reader of a bundle as text (on disk, or rendered in memory): rule files and dashboards
 * are parsed here into the same typed rules and panel queries the documents carry
 * (documents/rules.ts, documents/panel-queries.ts), and classified by where the builders write
 * them (documents/paths.ts), and into what the validators read (documents/values.ts). The
 * end-to-end tests and the benchmark read files through it. Neither assembling the bundle nor
 * validating it does: the builders hand each other values and the validators read them (the
 * dependency rules forbid the builders, documents/, bundle/ and validate/ to import this folder).
 */

/** A file as text: its path relative to the output directory and its exact bytes. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

/** Files as a list or as the CLI holds them (path -> content). */
export type BundleFiles = ReadonlyMap<string, string> | readonly GeneratedFile[];

function sortedFiles(files: BundleFiles): [path: string, content: string][] {
  const entries: [string, string][] = files instanceof Map ? [...files] : (files as readonly GeneratedFile[]).map((f) => [f.path, f.content]);
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

interface RawRule {
  record?: unknown;
  alert?: unknown;
  expr?: unknown;
  for?: unknown;
  keep_firing_for?: unknown;
  labels?: unknown;
  annotations?: unknown;
}

function stringRecord(obj: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((obj ?? {}) as Record<string, unknown>)) out[k] = String(v);
  return out;
}

/** A parsed rule as a RuleSpec; a rule without an expression is left out. */
function specOf(r: RawRule): RuleSpec | undefined {
  if (typeof r.expr !== 'string') return undefined;
  return {
    ...(r.alert !== undefined && { alert: String(r.alert) }),
    ...(r.record !== undefined && { record: String(r.record) }),
    expr: r.expr,
    ...(typeof r.for === 'string' && { for: r.for }),
    ...(typeof r.keep_firing_for === 'string' && { keep_firing_for: r.keep_firing_for }),
    labels: stringRecord(r.labels),
    annotations: stringRecord(r.annotations),
  };
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
      const rules = (g.rules ?? []).flatMap((r) => {
        const spec = specOf(r);
        return (spec && ruleOf(file, group, spec)) ?? [];
      });
      out.push({ file, name: group, rules });
    }
  }
  return out;
}

/** Every recording and alerting rule of the bundle's rule files, in file then rule order. */
export function readRules(files: BundleFiles): Rule[] {
  return readRuleGroups(files).flatMap((g) => g.rules);
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
  return sortedFiles(files)
    .filter(([file]) => isDashboardFile(file))
    .flatMap(([file, content]) => panelQueriesOf(file, JSON.parse(content) as DashboardLike, sub, which));
}

function readScrapeJobs(files: BundleFiles): readonly ScrapeJobSettings[] {
  const content = sortedFiles(files).find(([path]) => path === SCRAPE_FILES.prometheus)?.[1];
  return (parse(content ?? '') as { scrape_configs?: ScrapeJobSettings[] } | null)?.scrape_configs ?? [];
}

/** job, instance and the static labels of every target of the bundle's Prometheus configuration. */
export function readStaticTargets(files: BundleFiles): Record<string, string>[] {
  return staticTargets(readScrapeJobs(files));
}

/** The `metric_relabel_configs` of a Connect cluster's scrape job (by its job name) in scrape/prometheus.yml (none: no renaming). */
export function readMetricRelabeling(files: BundleFiles, job: string): Record<string, unknown>[] {
  return [...metricRelabeling(readScrapeJobs(files), job)];
}

/** A Java properties file's entries (what propertiesFile writes: `key=value` lines, `#` comments, backslash escapes). */
export function parseProperties(text: string): Record<string, string> {
  const unescaped = (s: string) => s.replace(/\\(.)/g, (_m, c: string) => ({ t: '\t', n: '\n', r: '\r', f: '\f' })[c] ?? c);
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (/^\s*([#!]|$)/.test(line)) continue;
    const m = /^((?:\\.|[^=:\\])*)[=:](.*)$/.exec(line.trimStart());
    if (m) out[unescaped(m[1]!.trimEnd())] = unescaped(m[2]!.trimStart());
  }
  return out;
}

/** The Kafka settings of connect/: each connector's configuration, and the workers' properties files. */
export function readConnectSettings(files: BundleFiles): ConnectSettings {
  const entries = sortedFiles(files).filter(([path]) => path.startsWith('connect/'));
  return {
    connectors: entries
      .filter(([path]) => path.endsWith('.json'))
      .map(([, content]) => JSON.parse(content) as { name: string; config: Record<string, string> })
      .map(({ name, config }) => ({ name, config })),
    workers: entries.filter(([path]) => path.endsWith('.properties')).map(([path, content]) => ({ path, properties: parseProperties(content) })),
  };
}

/** What the rules and the panels of a bundle on disk query: what assemble computes from the documents' values. */
export function readQueries(files: BundleFiles, model: Model): Queries {
  return { rules: readRules(files), panels: readPanelQueries(files, model) };
}

/** What the validators read of a bundle on disk: what bundleValuesOf takes from the documents as assembled. */
export function readBundleValues(files: BundleFiles, model: Model): BundleValues {
  const exporter = sortedFiles(files).find(([path]) => path === SCRAPE_FILES.exporter)?.[1];
  return {
    rules: readRules(files),
    panels: readPanelQueries(files, model, undefined, 'all'),
    exporter: exporter === undefined ? undefined : (parse(exporter) as ExporterConfig),
    scrapeJobs: readScrapeJobs(files),
    connect: readConnectSettings(files),
  };
}

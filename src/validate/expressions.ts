import { parse } from 'yaml';
import type { Bundle } from '../bundle/bundle.js';
import { sampleVariableValues } from '../dashboards/variables.js';
import type { Model } from '../model/model.js';
import { substituteGrafanaVariables } from '../promql/grafana.js';

/** One PromQL expression of the bundle and where it lives, for error messages. */
export interface BundleExpression {
  readonly file: string;
  /** e.g. "group mm2-alerts, alert MM2TaskFailedCritical" or "panel \"Replication latency\", query A" */
  readonly where: string;
  /** As written in the file. */
  readonly raw: string;
  /** As Prometheus would receive it (Grafana variables substituted). */
  readonly expr: string;
}

interface RuleGroupsFile {
  groups?: { name: string; rules?: { record?: string; alert?: string; expr?: string }[] }[];
}

interface PanelLike {
  title?: string;
  targets?: { expr?: string; refId?: string }[];
  panels?: PanelLike[];
}

function ruleExpressions(file: string, content: string): BundleExpression[] {
  const doc = parse(content) as RuleGroupsFile | null;
  if (!doc?.groups) return [];
  return doc.groups.flatMap((g) =>
    (g.rules ?? [])
      .filter((r) => typeof r.expr === 'string')
      .map((r) => ({
        file,
        where: `group ${g.name}, ${r.alert ? `alert ${r.alert}` : `record ${r.record}`}`,
        raw: r.expr!,
        expr: r.expr!,
      })),
  );
}

function panelExpressions(file: string, content: string, model: Model): BundleExpression[] {
  const doc = JSON.parse(content) as { panels?: PanelLike[] };
  const out: BundleExpression[] = [];
  const sub = { scrapeInterval: model.prometheus.scrapeInterval, range: model.prometheus.rateWindow, variables: sampleVariableValues(model) };
  const visit = (panels: PanelLike[] | undefined) => {
    for (const p of panels ?? []) {
      for (const t of p.targets ?? []) {
        if (typeof t.expr !== 'string') continue;
        out.push({ file, where: `panel "${p.title ?? '(untitled)'}", query ${t.refId ?? '?'}`, raw: t.expr, expr: substituteGrafanaVariables(t.expr, sub) });
      }
      visit(p.panels);
    }
  };
  visit(doc.panels);
  return out;
}

/** Every PromQL expression in the bundle: rule files under alerts/ and dashboard panels. */
export function bundleExpressions(bundle: Bundle, model: Model): BundleExpression[] {
  const out: BundleExpression[] = [];
  for (const [file, content] of bundle) {
    if (file.startsWith('alerts/') && /\.ya?ml$/.test(file) && content.includes('groups:')) out.push(...ruleExpressions(file, content));
    if (file.startsWith('dashboards/') && file.endsWith('.json')) out.push(...panelExpressions(file, content, model));
  }
  return out;
}

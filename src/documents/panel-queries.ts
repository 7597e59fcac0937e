import { VAR, type VariableName } from '../conventions/dashboards.js';
import { ALL_TOPICS } from '../conventions/names.js';
import type { Model } from '../model/model.js';
import { connectorLabel, remoteHeartbeatsTopic } from '../model/topology.js';
import { type GrafanaSubstitution, multiValue, substituteGrafanaVariables } from '../promql/grafana.js';
import { type Reads, readsOf } from './rules.js';

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

/** A dashboard's panels as the SDK types them or as JSON.parse returns them: only what the queries need. */
interface PanelLike {
  readonly title?: unknown;
  readonly type?: unknown;
  readonly targets?: readonly { readonly expr?: unknown; readonly refId?: unknown; readonly hide?: unknown }[];
  readonly panels?: readonly PanelLike[];
}

export interface DashboardLike {
  readonly title?: unknown;
  readonly panels?: unknown;
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
    [VAR.connector]: multiValue([connectorLabel(flow.connectors.source)]),
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
 * Every query of every panel of one dashboard, in panel order: the ones Grafana runs (`run`:
 * not hidden, not empty), or `all` of them (what validation checks). `sub` says what Grafana
 * substitutes (the benchmark views 6 h dashboards).
 */
export function panelQueriesOf(file: string, doc: DashboardLike, sub: GrafanaSubstitution, which: 'run' | 'all' = 'run'): PanelQuery[] {
  const out: PanelQuery[] = [];
  if (!Array.isArray(doc.panels)) return out;
  const dashboard = typeof doc.title === 'string' ? doc.title : file;
  const visit = (panels: readonly PanelLike[], rows: readonly string[]) => {
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
  visit(doc.panels as readonly PanelLike[], []);
  return out;
}

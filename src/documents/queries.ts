import type { Model } from '../model/model.js';
import type { Document } from './document.js';
import { grafanaSubstitution, type PanelQuery, panelQueriesOf } from './panel-queries.js';
import type { Rule } from './rules.js';

/** What the bundle's rules and panels query, typed: what the report, the runbook and the validators read. */
export interface Queries {
  /** Every recording and alerting rule, in file then rule order. */
  readonly rules: readonly Rule[];
  /** Every query Grafana runs of every panel, in file then panel order, with the model's sample variable values substituted. */
  readonly panels: readonly PanelQuery[];
}

const byPath = (a: Document, b: Document) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** The rules and panel queries of some documents, from their values (nothing is parsed). */
export function queriesOf(docs: readonly Document[], model: Model): Queries {
  const sorted = [...docs].sort(byPath);
  const sub = grafanaSubstitution(model);
  return {
    rules: sorted.flatMap((d) => (d.format === 'rules' ? d.typed.flatMap((g) => g.rules) : [])),
    panels: sorted.flatMap((d) => (d.format === 'dashboard' ? panelQueriesOf(d.path, d.dashboard, sub) : [])),
  };
}

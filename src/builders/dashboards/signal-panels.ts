import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { Model } from '../../model/model.js';
import { signal } from '../../model/model.js';
import type { ReplicationRow } from '../../model/signal-topics/topic.js';
import { SIGNAL_DEFS, SIGNAL_PANELS, type SignalDef, type SignalId } from '../../model/signals.js';
import { connectorLabel } from '../../model/topology.js';
import { escapeRegex } from '../../promql/matcher.js';
import { recorded } from '../../promql/selector.js';
import { instantQuery, query, signalScale, statPanel, thresholdSteps, thresholdText, timeseriesPanel } from './panels.js';
import { clusterMatcher, flowMatcher } from './variables.js';

/**
 * Panels that show a signal's recorded series: title, unit, description and threshold steps
 * all come from the signal and its resolved tiers, i.e. from what the alerts use.
 */

/** The signal's recorded series for the chosen flows (cluster signals have no flow). */
export function recordedSignal(id: SignalId): string {
  const def: SignalDef = SIGNAL_DEFS[id];
  return def.scope === 'flow' ? recorded(def.record, flowMatcher) : recorded(def.record, clusterMatcher);
}

/** Legend naming what the series is per: the flow, then the signal's own `by` labels. */
export function signalLegend(id: SignalId): string {
  const def = SIGNAL_DEFS[id];
  const labels = [...(def.scope === 'flow' ? ['flow'] : []), ...def.by];
  return labels.length ? labels.map((l) => `{{${l}}}`).join(' ') : def.title;
}

export interface SignalPanelOptions {
  /** Defaults to the recorded series itself. */
  readonly expr?: string;
  readonly title?: string;
  readonly legend?: string;
  readonly note?: string;
}

function text(model: Model, id: SignalId, o: SignalPanelOptions) {
  const s = signal(model, id);
  return {
    title: o.title ?? s.def.title,
    description: `${s.def.meaning}${o.note ? ` ${o.note}` : ''}${thresholdText(s)}`,
    ...signalScale(s),
  };
}

/**
 * A stat shows the state now: an instant query, so a series that vanished (a task that failed
 * and recovered) is not shown at its last value for the rest of the time range.
 */
export function signalStat(model: Model, id: SignalId, panelId: number, o: SignalPanelOptions & { steps?: dashboard.Threshold[] } = {}) {
  const t = text(model, id, o);
  const s = signal(model, id);
  const kinds = s.def.tierConnectors;
  // One series per connector, tiers about different connectors: each connector's series takes the
  // colours of its own tier (the source connector's red, the others' orange).
  const split = kinds && !o.expr && !o.steps && s.tiers.warning && s.tiers.critical;
  const panel = statPanel({ id: panelId, ...t, steps: o.steps ?? (split ? thresholdSteps(s.def.direction, { warning: s.tiers.warning }) : t.steps) })
    .graphMode(common.BigValueGraphMode.None)
    .withTarget(instantQuery(o.expr ?? recordedSignal(id), o.legend ?? signalLegend(id)));
  if (split) {
    const names = model.flows.flatMap((f) => kinds.critical.map((k) => escapeRegex(connectorLabel(f.connectors[k]))));
    panel.overrideByRegexp(`.*\\b(${names.join('|')})\\b.*`, [
      { id: 'thresholds', value: { mode: dashboard.ThresholdsMode.Absolute, steps: thresholdSteps(s.def.direction, { critical: s.tiers.critical }) } },
    ]);
  }
  return panel;
}

export function signalTimeseries(model: Model, id: SignalId, panelId: number, o: SignalPanelOptions = {}) {
  return timeseriesPanel({ id: panelId, ...text(model, id, o) }).withTarget(query(o.expr ?? recordedSignal(id), o.legend ?? signalLegend(id)));
}

/** How many worst topics the "worst" panels keep: enough to see a pattern, few enough to read. */
export const WORST_TOPICS = 10;

/** The panels of the signals placed in `row` (signal-topics/), in the order of their numbers. */
export function placedSignalPanels(model: Model, row: ReplicationRow, id: (n: number) => number) {
  return SIGNAL_PANELS.filter((p) => p.panel.row === row)
    .sort((a, b) => a.panel.number - b.panel.number)
    .map(({ id: signalId, panel: p }) => {
      const o: SignalPanelOptions = {
        ...(p.title ? { title: p.title } : {}),
        ...(p.worstTopics ? { title: `${p.worstTopics}, ${WORST_TOPICS} worst topics`, expr: `topk(${WORST_TOPICS}, ${recordedSignal(signalId)})` } : {}),
        ...(p.now ? { expr: `${p.now.of}(${recordedSignal(signalId)}) or vector(0)`, legend: p.now.legend } : {}),
        ...(p.note ? { note: typeof p.note === 'string' ? p.note : p.note(model) } : {}),
      };
      if (p.kind === 'timeseries') return signalTimeseries(model, signalId, id(p.number), o);
      const steps = p.steps?.(signal(model, signalId).tiers, model).map((s) => ({ ...s }));
      return signalStat(model, signalId, id(p.number), { ...o, ...(steps ? { steps } : {}) });
    });
}

import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TableBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { badComparison, type Direction } from '../../conventions/direction.js';
import { grafanaUnit } from '../../conventions/units.js';
import { METRICS, type MetricKey } from '../../metrics/names.js';
import type { ResolvedSignal } from '../../model/model.js';
import type { Tiers } from '../../model/signals.js';

/**
 * Panel building blocks shared by both dashboards: the datasource reference,
 * threshold steps from a signal's tiers, and the three panel kinds with their defaults.
 */

/** Every panel and query points at the dashboard's datasource variable, so that a mounted file works as is. */
export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

/**
 * Grafana colours a value with the last step whose value it reaches (value >= step), which is
 * the alerts' comparison for `above` (bad when >= threshold) and the complement of theirs for
 * `below` (bad when < threshold): so the colour changes exactly where the alert fires.
 */
export function thresholdSteps(direction: Direction, tiers: Tiers): dashboard.Threshold[] {
  const { critical } = tiers;
  // A warning at the critical's value (tiers about different connectors) shows as the critical.
  const warning = tiers.warning && tiers.warning.threshold !== critical?.threshold ? tiers.warning : undefined;
  if (direction === 'above') {
    return [
      { value: null, color: 'green' },
      ...(warning ? [{ value: warning.threshold, color: 'orange' }] : []),
      ...(critical ? [{ value: critical.threshold, color: 'red' }] : []),
    ];
  }
  return [
    { value: null, color: critical ? 'red' : warning ? 'orange' : 'green' },
    ...(critical ? [{ value: critical.threshold, color: warning ? 'orange' : 'green' }] : []),
    ...(warning ? [{ value: warning.threshold, color: 'green' }] : []),
  ];
}

/** What a metric of the label contract really is, as panel help. */
export function metricHelp(key: MetricKey): string {
  return METRICS[key].help;
}

/** A signal's Grafana unit and the colour steps of its alert thresholds, for a panel showing it. */
export function signalScale(signal: ResolvedSignal): { unit: string; steps: dashboard.Threshold[] } {
  return { unit: grafanaUnit(signal.def.unit), steps: thresholdSteps(signal.def.direction, signal.tiers) };
}

export function thresholds(steps: dashboard.Threshold[]): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps);
}

/** The alert thresholds in words, appended to a signal panel's description. */
export function thresholdText(signal: ResolvedSignal): string {
  const op = badComparison(signal.def.direction);
  const parts = (['warning', 'critical'] as const).flatMap((sev) => {
    const t = signal.tiers[sev];
    const kinds = signal.def.tierConnectors?.[sev];
    return t ? [`${sev}${kinds ? ` (${kinds.join(' and ')} connector)` : ''} when ${op} ${t.threshold} ${signal.def.unit} for ${t.for}`] : [];
  });
  return parts.length ? ` Alerts: ${parts.join(', ')}.` : '';
}

export function query(expr: string, legend: string, refId = 'A'): DataqueryBuilder {
  return new DataqueryBuilder().datasource(DATASOURCE).refId(refId).expr(expr).legendFormat(legend).range();
}

/** The value now (one point per series): what a stat panel showing the current state reads. */
export function instantQuery(expr: string, legend: string, refId = 'A'): DataqueryBuilder {
  return new DataqueryBuilder().datasource(DATASOURCE).refId(refId).expr(expr).legendFormat(legend).instant();
}

export function instantTableQuery(expr: string, refId = 'A'): DataqueryBuilder {
  return new DataqueryBuilder().datasource(DATASOURCE).refId(refId).expr(expr).instant().format(PromQueryFormat.Table);
}

/** A time series of one metric of the label contract, with the metric's help as its description. */
export function metricPanel(p: { id: number; title: string; metric: MetricKey; unit: string }, expr: string, legend: string): TimeseriesBuilder {
  return timeseriesPanel({ id: p.id, title: p.title, description: metricHelp(p.metric), unit: p.unit }).withTarget(query(expr, legend));
}

export interface PanelText {
  readonly id: number;
  readonly title: string;
  readonly description: string;
  readonly unit: string;
}

export function statPanel(p: PanelText & { steps: dashboard.Threshold[] }): StatBuilder {
  return new StatBuilder()
    .id(p.id)
    .title(p.title)
    .description(p.description)
    .datasource(DATASOURCE)
    .unit(p.unit)
    .thresholds(thresholds(p.steps))
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.Area)
    .textMode(common.BigValueTextMode.ValueAndName)
    .span(6)
    .height(5);
}

export function timeseriesPanel(p: PanelText & { steps?: dashboard.Threshold[] }): TimeseriesBuilder {
  const panel = new TimeseriesBuilder()
    .id(p.id)
    .title(p.title)
    .description(p.description)
    .datasource(DATASOURCE)
    .unit(p.unit)
    .lineWidth(1)
    .fillOpacity(10)
    .legend(
      new common.VizLegendOptionsBuilder()
        .displayMode(common.LegendDisplayMode.Table)
        .placement(common.LegendPlacement.Bottom)
        .showLegend(true)
        .calcs(['lastNotNull', 'max']),
    )
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending))
    .span(12)
    .height(8);
  if (p.steps) {
    panel.thresholds(thresholds(p.steps)).thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
  } else {
    // Without thresholds the series take palette colours; the base step is then never shown.
    panel
      .thresholds(thresholds([{ value: null, color: 'green' }]))
      .colorScheme(new dashboard.FieldColorBuilder().mode(dashboard.FieldColorModeId.PaletteClassic));
  }
  return panel;
}

export function tablePanel(p: PanelText & { hide: readonly string[] }): TableBuilder {
  return new TableBuilder()
    .id(p.id)
    .title(p.title)
    .description(p.description)
    .datasource(DATASOURCE)
    .unit(p.unit)
    .withTransformation({ id: 'organize', options: { excludeByName: Object.fromEntries(p.hide.map((c) => [c, true])) } })
    .span(24)
    .height(8);
}

import * as common from '@grafana/grafana-foundation-sdk/common';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { VAR } from '../../conventions/dashboards.js';
import { FLOW_LABEL } from '../../conventions/labels.js';
import { ALERT_NAME_PREFIX, ALERT_SERIES, SLO_SERIES } from '../../conventions/names.js';
import type { Model } from '../../model/model.js';
import type { ReplicationRow } from '../../model/signal-topics/topic.js';
import { escapeRegex } from '../../promql/matcher.js';
import { eq, re, recorded } from '../../promql/selector.js';
import { buildDashboard, dashboardShell } from './identity.js';
import { type Row, withRows } from './layout.js';
import { instantQuery, instantTableQuery, query, statPanel, tablePanel, timeseriesPanel } from './panels.js';
import { placedSignalPanels } from './signal-panels.js';
import { clusterMatcher, clusterVariable, datasourceVariable, flowMatcher, flowVariable, jobVariable, variableRef } from './variables.js';

/** The rows that show signals: each signal's panel is placed in its topic module (src/model/signal-topics/). */
const SIGNAL_ROWS: Readonly<Record<ReplicationRow, { readonly number: number; readonly title: string }>> = {
  health: { number: 2, title: 'Connectors and tasks' },
  latency: { number: 3, title: 'Replication latency and record age' },
  lag: { number: 4, title: 'Lag' },
  throughput: { number: 5, title: 'Throughput and errors' },
};

function signalRow(model: Model, row: ReplicationRow): Row {
  return { ...SIGNAL_ROWS[row], panels: (id) => placedSignalPanels(model, row, id) };
}

function sloRow(model: Model): Row {
  const sla = model.sla;
  // One line of stats, one per burn-rate tier, filling the 24 columns (the SDK wraps only a full line).
  const tierWidth = Math.floor(24 / Math.max(1, sla.burnRateTiers.length));
  return {
    number: 6,
    title: 'SLO burn rates',
    panels: (id) => [
      ...sla.burnRateTiers.map((tier, i) =>
        statPanel({
          id: id(2 + i),
          title: `Burn rate over ${tier.longWindow} (${tier.name})`,
          description:
            `Error ratio over the last ${tier.longWindow} divided by the error budget ratio: 1 spends the budget exactly over ${sla.sloPeriod}. ` +
            `The ${tier.name} alert (${tier.severity}) fires at ${tier.factor} when the ${tier.shortWindow} window agrees, for ${tier.for}.`,
          unit: units.Short,
          steps: [
            { value: null, color: 'green' },
            { value: tier.factor, color: tier.severity === 'critical' ? 'red' : 'orange' },
          ],
        })
          .span(tierWidth)
          .withTarget(query(recorded(SLO_SERIES.burnRate(tier.longWindow), flowMatcher), `{{${FLOW_LABEL}}}`)),
      ),
      timeseriesPanel({
        id: id(10),
        title: 'Unavailability (SLI bad events)',
        description: '1 while the flow counts as unavailable at an evaluation, 0 while healthy: what the error budget is spent on.',
        unit: units.Short,
        steps: [
          { value: null, color: 'green' },
          { value: 1, color: 'red' },
        ],
      })
        .span(24)
        .withTarget(query(recorded(SLO_SERIES.unavailable, flowMatcher), `{{${FLOW_LABEL}}}`)),
    ],
  };
}

/**
 * The top row answers "is replication healthy right now, and if not, where": the alerts firing
 * and the error budget left, above the fold.
 */
function nowRow(model: Model): Row {
  const sla = model.sla;
  // Cluster-wide alerts have no flow label: `$flow|` also keeps series without it.
  const expr = recorded(ALERT_SERIES.alerts, {
    alertname: re(`${escapeRegex(ALERT_NAME_PREFIX)}.*`),
    alertstate: eq('firing'),
    // Not the watchdog (severity none), which always fires.
    severity: re('critical|warning'),
    ...clusterMatcher,
    [FLOW_LABEL]: re(`${variableRef(VAR.flow)}|`),
  });
  return {
    number: 1,
    title: 'Now: alerts firing and error budget',
    panels: (id) => [
      tablePanel({
        id: id(1),
        title: 'Alerts firing',
        description: `MM2 alerts currently firing for the chosen flows, and the cluster-wide ones. The runbook link is in each alert's annotations.`,
        unit: units.Short,
        hide: ['Time', 'Value', '__name__', 'alertstate'],
      })
        .span(16)
        .withTarget(instantTableQuery(expr)),
      statPanel({
        id: id(2),
        title: `Error budget remaining (${sla.sloPeriod})`,
        description:
          `Share of the flow's error budget (${sla.errorBudgetSecondsPerPeriod} s of unavailability per ${sla.sloPeriod}, objective ${sla.objective}) ` +
          'not yet spent over the SLO period: 100% untouched, 0% spent, negative overspent.',
        unit: units.PercentUnit,
        // 0 is where the budget is gone: that is the definition, not a tunable threshold.
        steps: [
          { value: null, color: 'red' },
          { value: 0, color: 'green' },
        ],
      })
        .span(8)
        .graphMode(common.BigValueGraphMode.None)
        .withTarget(instantQuery(recorded(SLO_SERIES.errorBudgetRemaining, flowMatcher), `{{${FLOW_LABEL}}}`)),
    ],
  };
}

export function buildReplicationDashboard(model: Model, prefix: string): dashboard.Dashboard {
  const builder = dashboardShell(
    'replication',
    prefix,
    "MirrorMaker 2 SLA view: is each flow replicating, how late, and how much error budget is left. Thresholds are the alerts' thresholds.",
  )
    .withVariable(datasourceVariable())
    // Per-connector panels here show every connector of the flow (there are three): no connector variable.
    .withVariable(clusterVariable())
    .withVariable(jobVariable())
    .withVariable(flowVariable());
  withRows(builder, [
    nowRow(model),
    signalRow(model, 'health'),
    signalRow(model, 'latency'),
    signalRow(model, 'lag'),
    signalRow(model, 'throughput'),
    sloRow(model),
  ]);
  return buildDashboard(builder);
}

import * as common from '@grafana/grafana-foundation-sdk/common';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { VAR } from '../conventions/dashboards.js';
import { FLOW_LABEL } from '../conventions/labels.js';
import { ALERT_NAME_PREFIX, ALERT_SERIES, SLO_SERIES } from '../conventions/names.js';
import { type Model, signal } from '../model/model.js';
import { connectorsOf } from '../model/topology.js';
import { escapeRegex } from '../promql/matcher.js';
import { eq, re, recorded } from '../promql/selector.js';
import { buildDashboard, dashboardShell } from './identity.js';
import { type Row, withRows } from './layout.js';
import { instantQuery, instantTableQuery, query, statPanel, tablePanel, timeseriesPanel } from './panels.js';
import { recordedSignal, signalStat, signalTimeseries } from './signal-panels.js';
import { clusterMatcher, clusterVariable, datasourceVariable, flowMatcher, flowVariable, jobVariable, variableRef } from './variables.js';

/** How many worst topics the "worst" panels keep: enough to see a pattern, few enough to read. */
export const WORST_TOPICS = 10;

function healthRow(model: Model): Row {
  const expected = model.flows
    .map(
      (f) =>
        `${f.id}: ${connectorsOf(f)
          .map((c) => `${c.name} ${c.tasksMax}`)
          .join(', ')}`,
    )
    .filter((line, i, all) => all.indexOf(line) === i)
    .join('; ');
  return {
    number: 2,
    title: 'Connectors and tasks',
    panels: (id) => [
      signalStat(model, 'connectorsNotRunning', id(1), { title: 'Connectors not running' }),
      signalStat(model, 'tasksNotRunning', id(2), { title: 'Tasks not running', note: `At most tasks.max per connector: ${expected}.` }),
      // 0, not "no value", when no task failed: the stat reads the count now.
      signalStat(model, 'failedTasks', id(3), { expr: `count(${recordedSignal('failedTasks')}) or vector(0)`, legend: 'failed tasks' }),
      signalStat(model, 'workersUp', id(4), {
        note: `For the whole Connect cluster, not per flow: ${model.workers.length} workers in the model, fewer is the exporter-unreachable warning.`,
        // Orange as soon as one worker is missing (MM2WorkerExporterUnreachableWarning), red when none answers.
        steps: [
          { value: null, color: 'red' },
          ...(signal(model, 'workersUp').tiers.critical ? [{ value: signal(model, 'workersUp').tiers.critical!.threshold, color: 'orange' }] : []),
          { value: model.workers.length, color: 'green' },
        ],
      }),
      signalStat(model, 'heartbeatsEmitted', id(5), { title: 'Heartbeats emitted (rate window)' }),
      signalStat(model, 'checkpointLatencyMax', id(6)),
      signalStat(model, 'rebalanceRate', id(7), { note: 'For the whole Connect cluster, not per flow.' }),
      signalStat(model, 'replicationStalled', id(8), {
        expr: `max(${recordedSignal('replicationStalled')}) or vector(0)`,
        legend: 'stalled backlog',
        note: '0 means not stalled.',
      }),
    ],
  };
}

function latencyRow(model: Model): Row {
  return {
    number: 3,
    title: 'Replication latency and record age',
    panels: (id) => [
      signalTimeseries(model, 'replicationLatencyAvg', id(1)),
      signalTimeseries(model, 'replicationLatencyMax', id(2), {
        title: `Replication latency, ${WORST_TOPICS} worst topics`,
        expr: `topk(${WORST_TOPICS}, ${recordedSignal('replicationLatencyMax')})`,
      }),
      signalTimeseries(model, 'recordAgeAvg', id(3)),
      signalTimeseries(model, 'recordAgeMax', id(4), {
        title: `Record age at read, ${WORST_TOPICS} worst topics`,
        expr: `topk(${WORST_TOPICS}, ${recordedSignal('recordAgeMax')})`,
      }),
    ],
  };
}

function lagRow(model: Model): Row {
  return {
    number: 4,
    title: 'Lag',
    panels: (id) => [
      signalTimeseries(model, 'replicationLag', id(1)),
      signalTimeseries(model, 'replicationLagGrowth', id(2), { title: 'Replication lag growth (records per minute)' }),
      signalTimeseries(model, 'activeRecords', id(3)),
    ],
  };
}

function throughputRow(model: Model): Row {
  return {
    number: 5,
    title: 'Throughput and errors',
    panels: (id) => [
      signalTimeseries(model, 'replicatedRecordsRate', id(1)),
      signalTimeseries(model, 'replicatedBytesRate', id(2)),
      signalTimeseries(model, 'replicationRatio', id(3)),
      signalTimeseries(model, 'producerErrors', id(4), { title: 'Producer send errors (rate window)' }),
      signalTimeseries(model, 'producerBufferExhausted', id(5), { title: 'Producer buffer exhausted (rate window)' }),
    ],
  };
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
  withRows(builder, [nowRow(model), healthRow(model), latencyRow(model), lagRow(model), throughputRow(model), sloRow(model)]);
  return buildDashboard(builder);
}

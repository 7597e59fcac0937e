import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { VAR, type VariableName } from '../../conventions/dashboards.js';
import { FLOW_LABEL } from '../../conventions/labels.js';
import { ALL_TOPICS } from '../../conventions/names.js';
import { SIGNAL_DEFS } from '../../model/signals.js';
import { metricSelector, re, recorded } from '../../promql/selector.js';
import { DATASOURCE } from './panels.js';

/**
 * The dashboards' template variables. MM2's own metrics carry no flow label, so the flow and
 * what belongs to it (its connectors, its remote topics) are read from recorded series, which
 * the recording rules label per flow: choosing a flow narrows the other variables.
 */

/** `$name`, as panel queries write it. */
export const variableRef = (name: VariableName): string => `$${name}`;

/**
 * Matcher on the `cluster` and `job` group labels, for the Connect clusters chosen on the
 * dashboard: with several clusters in one Prometheus (or a Thanos/Mimir view), one dashboard
 * serves them all, and no query names a job.
 */
export const clusterMatcher = { cluster: re(variableRef(VAR.cluster)), job: re(variableRef(VAR.job)) };

/** Matcher on the cluster and flow labels of recorded series, for the flows chosen on the dashboard. */
export const flowMatcher = { ...clusterMatcher, [FLOW_LABEL]: re(variableRef(VAR.flow)) };

// Recorded for every flow at every evaluation (it falls back to vector(0)), whatever the traffic:
// the reliable list of flows and of their connectors.
const FLOW_CONNECTORS = SIGNAL_DEFS.tasksNotRunning.record;
// Per flow and remote topic; a topic idle over the whole time range is not listed (its latency has no value either).
const FLOW_TOPICS = SIGNAL_DEFS.replicationLatencyMax.record;

/** The recorded series listing the selected flows, one per flow and connector; queries intersect with it to honour $flow. */
export const FLOW_GATE = recorded(FLOW_CONNECTORS, flowMatcher);

function labelValues(selector: string, label: string): string {
  return `label_values(${selector}, ${label})`;
}

function queryVariable(name: VariableName, label: string, q: string, description: string): dashboard.QueryVariableBuilder {
  return (
    new dashboard.QueryVariableBuilder(name)
      .label(label)
      .description(description)
      .query(q)
      .definition(q)
      .datasource(DATASOURCE)
      .current({ selected: true, text: 'All', value: '$__all' })
      .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
      .sort(dashboard.VariableSort.AlphabeticalAsc)
      .multi(true)
      // No allValue: "All" expands to the listed values, so it keeps the chaining (all connectors *of the chosen flows*).
      .includeAll(true)
  );
}

export function datasourceVariable(): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder(VAR.datasource).label('Data source').type('prometheus').multi(false).includeAll(false);
}

export function clusterVariable(): dashboard.QueryVariableBuilder {
  return queryVariable(
    VAR.cluster,
    'Connect cluster',
    labelValues(FLOW_CONNECTORS, 'cluster'),
    'Connect clusters whose MM2 bundle records into this Prometheus (the `cluster` group label).',
  );
}

export function jobVariable(): dashboard.QueryVariableBuilder {
  return queryVariable(
    VAR.job,
    'Scrape job',
    labelValues(recorded(FLOW_CONNECTORS, { cluster: re(variableRef(VAR.cluster)) }), 'job'),
    "Scrape jobs of the chosen clusters' Connect workers (the `job` group label).",
  );
}

export function flowVariable(): dashboard.QueryVariableBuilder {
  return queryVariable(
    VAR.flow,
    'Flow (source->target)',
    labelValues(recorded(FLOW_CONNECTORS, clusterMatcher), FLOW_LABEL),
    'Replication flows of the chosen clusters, as the recording rules label them.',
  );
}

export function connectorVariable(): dashboard.QueryVariableBuilder {
  return queryVariable(VAR.connector, 'Connector', labelValues(recorded(FLOW_CONNECTORS, flowMatcher), 'connector'), 'MM2 connectors of the chosen flows.');
}

export function topicVariable(): dashboard.QueryVariableBuilder {
  // "All" is a value no topic has: the per-partition panels then read each flow's recorded top N
  // (ranked over all its topics) instead of every partition (alerts/top-partitions.ts).
  return queryVariable(
    VAR.topic,
    'Remote topic',
    labelValues(recorded(FLOW_TOPICS, flowMatcher), 'topic'),
    'Topics on the target replicated by the chosen flows (those with traffic in the time range).',
  ).allValue(ALL_TOPICS);
}

export function instanceVariable(): dashboard.QueryVariableBuilder {
  return queryVariable(VAR.instance, 'Worker', labelValues(metricSelector('up', clusterMatcher), 'instance'), 'Connect workers (their JMX exporter targets).');
}

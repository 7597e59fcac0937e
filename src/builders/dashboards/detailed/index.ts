import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { Model } from '../../../model/model.js';
import { buildDashboard, dashboardShell } from '../identity.js';
import { withRows } from '../layout.js';
import { clusterVariable, connectorVariable, datasourceVariable, flowVariable, instanceVariable, jobVariable, topicVariable } from '../variables.js';
import { consumerRow, producerRow } from './clients.js';
import { checkpointRow, partitionRow } from './partitions.js';
import { detailedQueries } from './queries.js';
import { sourceTaskRow } from './tasks.js';
import { jvmRow, workerRow } from './workers.js';

/**
 * MM2 / Detailed metrics, the drill-down: its queries are in queries.ts, its rows in one module
 * per group (partitions, source tasks, Kafka clients, workers).
 */
export function buildDetailedDashboard(model: Model, prefix: string): dashboard.Dashboard {
  const builder = dashboardShell(
    'detailed',
    prefix,
    'MirrorMaker 2 drill-down: per task, partition, producer, consumer group and worker. Open it from the replication dashboard to keep the chosen flow.',
  )
    .withVariable(datasourceVariable())
    .withVariable(clusterVariable())
    .withVariable(jobVariable())
    .withVariable(flowVariable())
    .withVariable(connectorVariable())
    .withVariable(topicVariable())
    .withVariable(instanceVariable());
  const q = detailedQueries(model);
  withRows(builder, [partitionRow(model, q), sourceTaskRow(model, q), producerRow(q), consumerRow(q), checkpointRow(model, q), workerRow(model, q), jvmRow(q)]);
  return buildDashboard(builder);
}

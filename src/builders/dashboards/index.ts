import { type Document, dashboardFile } from '../../documents/document.js';
import { dashboardFiles } from '../../documents/paths.js';
import { type Deployment, deploymentOf, type Model } from '../../model/model.js';
import type { Flow } from '../../model/topology.js';
import { buildDetailedDashboard } from './detailed/index.js';
import { dashboardIdentity } from './identity.js';
import { providerFile } from './provider.js';
import { buildReplicationDashboard } from './replication.js';

/**
 * What the dashboards are built from: one set serves every Connect cluster of the deployment
 * through its `cluster` and `job` variables, so they are built from the shared settings
 * (thresholds, SLA) and from every cluster's flows (a flow of several clusters once). Worker
 * counts differ by cluster: the panels expect the smallest, so no healthy cluster shows short.
 */
function dashboardModel(d: Deployment): Model {
  const flows = new Map<string, Flow>();
  for (const c of d.clusters) for (const f of c.flows) if (!flows.has(f.id)) flows.set(f.id, f);
  const fewest = d.clusters.reduce((a, b) => (b.workers.length < a.workers.length ? b : a));
  return { ...d.clusters[0], flows: [...flows.values()], workers: fewest.workers };
}

export function buildDashboardFiles(input: Model | Deployment): Document[] {
  const d = deploymentOf(input);
  const model = dashboardModel(d);
  const paths = dashboardFiles(d.prefix);
  return [
    dashboardFile(
      paths.replication,
      model,
      `Grafana dashboard ${dashboardIdentity('replication', d.prefix).title}`,
      buildReplicationDashboard(model, d.prefix),
    ),
    dashboardFile(paths.detailed, model, `Grafana dashboard ${dashboardIdentity('detailed', d.prefix).title}`, buildDetailedDashboard(model, d.prefix)),
    providerFile(model),
  ];
}

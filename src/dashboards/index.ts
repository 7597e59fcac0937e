import { type GeneratedFile, jsonFile } from '../bundle/files.js';
import { DASHBOARD_FILES } from '../bundle/paths.js';
import { DASHBOARDS } from '../conventions/dashboards.js';
import type { Model } from '../model/model.js';
import { buildDetailedDashboard } from './detailed/index.js';
import { providerFile } from './provider.js';
import { buildReplicationDashboard } from './replication.js';

export function buildDashboardFiles(model: Model): GeneratedFile[] {
  return [
    jsonFile(DASHBOARD_FILES.replication, model, `Grafana dashboard ${DASHBOARDS.replication.title}`, buildReplicationDashboard(model)),
    jsonFile(DASHBOARD_FILES.detailed, model, `Grafana dashboard ${DASHBOARDS.detailed.title}`, buildDetailedDashboard(model)),
    providerFile(model),
  ];
}

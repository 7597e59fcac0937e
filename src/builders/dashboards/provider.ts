import { type Document, yamlFile } from '../../documents/document.js';
import type { Model } from '../../model/model.js';

/** Where the README mounts the dashboards/ folder in the Grafana container. */
export const GRAFANA_DASHBOARDS_PATH = '/var/lib/grafana/dashboards/mm2';
export const GRAFANA_FOLDER = 'MirrorMaker 2';
export const PROVIDER_FILE = 'dashboards/provider.yaml';

/**
 * Grafana's file provisioning provider. Mount it under /etc/grafana/provisioning/dashboards/
 * and the dashboards folder at GRAFANA_DASHBOARDS_PATH: Grafana then loads both dashboards and
 * reloads them when the files change. Edits in the UI are not allowed: the model is the source.
 */
export function providerFile(model: Model): Document {
  return yamlFile(PROVIDER_FILE, model, 'Grafana dashboard provisioning provider for the MirrorMaker 2 dashboards', {
    apiVersion: 1,
    providers: [
      {
        name: 'mm2-monitoring',
        orgId: 1,
        folder: GRAFANA_FOLDER,
        type: 'file',
        disableDeletion: false,
        allowUiUpdates: false,
        updateIntervalSeconds: 30,
        options: { path: GRAFANA_DASHBOARDS_PATH, foldersFromFilesStructure: false },
      },
    ],
  });
}

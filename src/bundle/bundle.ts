import { buildAlertFiles, buildAlertmanagerFiles } from '../alerts/index.js';
import { buildConnectorFiles } from '../connect/connectors.js';
import { buildDashboardFiles } from '../dashboards/index.js';
import { buildKubernetesFiles, buildSharedKubernetesFiles } from '../kubernetes/index.js';
import { type Deployment, deploymentOf, type Model } from '../model/model.js';
import { buildReportFiles } from '../report/index.js';
import { buildRunbookFiles } from '../runbook/index.js';
import { buildScrapeConfigFiles, buildScrapeFiles } from '../scrape/index.js';
import { type GeneratedFile, OUTPUT_DIRS } from './files.js';
import { prefixedPath } from './paths.js';

/** path -> content, in path order: the whole bundle, in memory. */
export type Bundle = ReadonlyMap<string, string>;

/**
 * One Connect cluster's part of the bundle as its builders and validators see it: its own files
 * under their unprefixed paths, and the files every cluster shares (prometheus.yml, the
 * dashboards, the Alertmanager configuration).
 */
export interface ClusterView {
  readonly model: Model;
  readonly files: Bundle;
}

export interface BuiltDeployment {
  readonly bundle: Bundle;
  readonly views: readonly ClusterView[];
}

function sortedMap(files: readonly GeneratedFile[]): Bundle {
  const out = new Map<string, string>();
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const top = f.path.split('/')[0];
    if (!OUTPUT_DIRS.includes(top as (typeof OUTPUT_DIRS)[number])) throw new Error(`${f.path}: generated files must go under ${OUTPUT_DIRS.join('/, ')}/`);
    if (out.has(f.path)) throw new Error(`${f.path}: generated twice`);
    out.set(f.path, f.content);
  }
  return out;
}

/**
 * model(s) -> every generated file. Pure: no file, clock or environment is read. Each cluster's
 * files are named by its prefix (the Kubernetes builder names its objects, and their files, itself).
 */
export function buildDeployment(input: Model | Deployment): BuiltDeployment {
  const d = deploymentOf(input);
  const shared: GeneratedFile[] = [...buildScrapeConfigFiles(d), ...buildDashboardFiles(d), ...buildAlertmanagerFiles(d)];
  const files: GeneratedFile[] = [...shared, ...buildSharedKubernetesFiles(d, shared)];
  const views: ClusterView[] = [];
  for (const model of d.clusters) {
    const built: GeneratedFile[] = [...buildScrapeFiles(model), ...buildAlertFiles(model), ...buildConnectorFiles(model)];
    const view = [...built, ...shared];
    // The report and the runbook document the other files, so they are built from them.
    const own = [...built, ...buildReportFiles(model, view), ...buildRunbookFiles(model, view)];
    const kubernetes = buildKubernetesFiles(model, view);
    views.push({ model, files: sortedMap([...own, ...shared, ...kubernetes]) });
    files.push(...own.map((f) => ({ path: prefixedPath(model.prefix, f.path), content: f.content })), ...kubernetes);
  }
  return { bundle: sortedMap(files), views };
}

/** model(s) -> every generated file, in path order. */
export function buildBundle(input: Model | Deployment): Bundle {
  return buildDeployment(input).bundle;
}

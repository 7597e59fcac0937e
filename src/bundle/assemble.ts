import { buildAlertFiles, buildAlertmanagerFiles } from '../builders/alerts/index.js';
import { buildConnectorFiles } from '../builders/connect/connectors.js';
import { buildDashboardFiles } from '../builders/dashboards/index.js';
import { buildKubernetesFiles, buildSharedKubernetesFiles } from '../builders/kubernetes/index.js';
import { buildReportFiles } from '../builders/report/index.js';
import { buildRunbookFiles } from '../builders/runbook/index.js';
import { buildScrapeConfigFiles, buildScrapeFiles } from '../builders/scrape/index.js';
import type { Document } from '../documents/document.js';
import { prefixedPath } from '../documents/paths.js';
import { type Queries, queriesOf } from '../documents/queries.js';
import { type Deployment, deploymentOf, type Model } from '../model/model.js';

/**
 * One Connect cluster's part of the bundle as its builders and validators see it: its own
 * documents under their unprefixed paths, the documents every cluster shares (prometheus.yml,
 * the dashboards, the Alertmanager configuration), and what their rules and panels query.
 */
export interface ClusterAssembly {
  readonly model: Model;
  readonly documents: readonly Document[];
  readonly queries: Queries;
}

/** The whole bundle as values: every document under its path in the output directory, and each cluster's view of it. */
export interface Assembly {
  readonly documents: readonly Document[];
  readonly clusters: readonly ClusterAssembly[];
}

// The builders, registered by what they are built from; a new output is a module returning its
// documents and its name in the list matching what it reads (README "The model"). The order is
// the documents', not the files' (render sorts by path). The Kubernetes builders stay apart:
// they package the other builders' documents.
/** The files every Connect cluster shares (one Prometheus, one Grafana, one Alertmanager), from the whole deployment. */
const SHARED_BUILDERS: readonly ((d: Deployment) => readonly Document[])[] = [buildScrapeConfigFiles, buildDashboardFiles, buildAlertmanagerFiles];
/** A Connect cluster's own files, from its model. */
const CLUSTER_BUILDERS: readonly ((model: Model) => readonly Document[])[] = [buildScrapeFiles, buildAlertFiles, buildConnectorFiles];
/** A Connect cluster's files that document the others, from what their rules and panels query. */
const DOCUMENTING_BUILDERS: readonly ((model: Model, queries: Queries) => readonly Document[])[] = [buildReportFiles, buildRunbookFiles];

function withPath(doc: Document, path: string): Document {
  return path === doc.path ? doc : { ...doc, path };
}

/**
 * model(s) -> every document of the bundle, as values. Pure: no file, clock or environment is
 * read, and nothing is serialised (bundle/render.ts does that). Each cluster's documents are
 * named by its prefix (the Kubernetes builder names its objects, and their files, itself).
 */
export function assemble(input: Model | Deployment): Assembly {
  const d = deploymentOf(input);
  const shared = SHARED_BUILDERS.flatMap((build) => build(d));
  const documents: Document[] = [...shared, ...buildSharedKubernetesFiles(d, shared)];
  const clusters: ClusterAssembly[] = [];
  for (const model of d.clusters) {
    const built = CLUSTER_BUILDERS.flatMap((build) => build(model));
    const view = [...built, ...shared];
    // The report and the runbook document the other files, so they are built from what those query.
    const queries = queriesOf(view, model);
    const own = [...built, ...DOCUMENTING_BUILDERS.flatMap((build) => build(model, queries))];
    const kubernetes = buildKubernetesFiles(model, view);
    clusters.push({ model, documents: [...own, ...shared, ...kubernetes], queries });
    documents.push(...own.map((doc) => withPath(doc, prefixedPath(model.prefix, doc.path))), ...kubernetes);
  }
  return { documents, clusters };
}

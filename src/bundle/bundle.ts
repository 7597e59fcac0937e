import { buildAlertFiles } from '../alerts/index.js';
import { buildConnectorFiles } from '../connect/connectors.js';
import { buildDashboardFiles } from '../dashboards/index.js';
import { buildKubernetesFiles } from '../kubernetes/index.js';
import type { Model } from '../model/model.js';
import { buildReportFiles } from '../report/index.js';
import { buildRunbookFiles } from '../runbook/index.js';
import { buildScrapeFiles } from '../scrape/index.js';
import { type GeneratedFile, OUTPUT_DIRS } from './files.js';

/** path -> content, in path order: the whole bundle, in memory. */
export type Bundle = ReadonlyMap<string, string>;

/** model -> every generated file. Pure: no file, clock or environment is read. */
export function buildBundle(model: Model): Bundle {
  const built: GeneratedFile[] = [...buildScrapeFiles(model), ...buildAlertFiles(model), ...buildDashboardFiles(model), ...buildConnectorFiles(model)];
  // The report and the runbook document the other files, so they are built from them.
  const files = [...built, ...buildReportFiles(model, built), ...buildRunbookFiles(model, built), ...buildKubernetesFiles(model, built)];
  const bundle = new Map<string, string>();
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const top = f.path.split('/')[0];
    if (!OUTPUT_DIRS.includes(top as (typeof OUTPUT_DIRS)[number])) throw new Error(`${f.path}: generated files must go under ${OUTPUT_DIRS.join('/, ')}/`);
    if (bundle.has(f.path)) throw new Error(`${f.path}: generated twice`);
    bundle.set(f.path, f.content);
  }
  return bundle;
}

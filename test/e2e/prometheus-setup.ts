import { join, relative } from 'node:path';
import type { GeneratedFile } from '../../src/bundle/files.js';
import type { Model } from '../../src/model/model.js';
import { SCRAPE_FILES } from '../../src/bundle/paths.js';

/**
 * The files a Prometheus server runs the bundle from, placed as the README says to install
 * them: the generated prometheus.yml as the server's configuration, and alerts/ mounted at
 * the model's ruleFilesDir (the configuration's rule_files globs pick the rule files out of
 * it). The test points ruleFilesDir at its temporary directory through the model's overrides,
 * so every file is used byte for byte as generated.
 */
export function prometheusSetup(model: Model, files: readonly GeneratedFile[], dir: string): { configFile: string; files: [string, string][] } {
  const config = files.find((f) => f.path === SCRAPE_FILES.prometheus);
  if (!config) throw new Error(`the bundle has no ${SCRAPE_FILES.prometheus}`);
  const configFile = join(dir, 'prometheus.yml');
  const out: [string, string][] = [[configFile, config.content]];
  for (const f of files) {
    if (f.path.startsWith('alerts/')) out.push([join(model.prometheus.ruleFilesDir, relative('alerts', f.path)), f.content]);
  }
  return { configFile, files: out };
}

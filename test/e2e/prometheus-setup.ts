import { basename, join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { GeneratedFile } from '../../src/bundle/files.js';
import type { Model } from '../../src/model/model.js';

interface PrometheusConfig {
  scrape_configs?: { job_name?: string; static_configs?: unknown[]; file_sd_configs?: { files?: string[] }[] }[];
  rule_files?: string[];
  [key: string]: unknown;
}

function yamlDoc(f: GeneratedFile): unknown {
  return /\.ya?ml$/.test(f.path) ? parse(f.content) : undefined;
}

/**
 * The files a Prometheus server needs to run the bundle, where the model says they go: the
 * generated scrape configuration as prometheus.yml, the rule files under ruleFilesDir, the
 * file_sd target list at fileSdPath. The test points ruleFilesDir and fileSdPath at its
 * temporary directory through the model's overrides, so the generated files are used as they
 * are; nothing in them is edited.
 */
export function prometheusSetup(model: Model, files: readonly GeneratedFile[], dir: string): { configFile: string; files: [string, string][] } {
  const scrape = files.filter((f) => f.path.startsWith('scrape/') && (yamlDoc(f) as PrometheusConfig | undefined)?.scrape_configs);
  if (scrape.length === 0) throw new Error('the bundle has no Prometheus configuration with scrape_configs under scrape/');
  const config = yamlDoc(scrape[0]!) as PrometheusConfig;
  const out: [string, string][] = [];
  const configFile = join(dir, 'prometheus.yml');
  out.push([configFile, stringify(config)]);
  for (const f of files) {
    if (!f.path.startsWith('alerts/')) continue;
    const doc = yamlDoc(f) as { groups?: unknown } | undefined;
    if (doc?.groups) out.push([join(model.prometheus.ruleFilesDir, basename(f.path)), f.content]);
  }
  const fileSd = files.find((f) => f.path.startsWith('scrape/') && f.path.endsWith('.json') && Array.isArray(JSON.parse(f.content)));
  if (fileSd) out.push([model.prometheus.fileSdPath, fileSd.content]);
  return { configFile, files: out };
}

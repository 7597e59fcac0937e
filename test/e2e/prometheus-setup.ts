import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { SCRAPE_FILES } from '../../src/documents/paths.js';
import { DEFAULT_CONFIG } from '../../src/model/defaults.js';
import type { Model } from '../../src/model/model.js';
import type { GeneratedFile } from '../../src/reader/read.js';

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

/** Writes the files of prometheusSetup under their paths and returns the setup. */
export function writePrometheusSetup(model: Model, files: readonly GeneratedFile[], dir: string): { configFile: string; files: [string, string][] } {
  const setup = prometheusSetup(model, files, dir);
  for (const [path, content] of setup.files) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return setup;
}

/** Every threshold of the defaults with a short `for`, so that a test sees alerts fire within seconds. */
export function thresholdsFiringAfter(forDuration: string): Record<string, Record<string, { threshold: number; for: string }>> {
  return Object.fromEntries(
    Object.entries(DEFAULT_CONFIG.thresholds).map(([id, tiers]) => [
      id,
      Object.fromEntries(Object.entries(tiers as Record<string, { threshold: number }>).map(([sev, t]) => [sev, { threshold: t.threshold, for: forDuration }])),
    ]),
  );
}

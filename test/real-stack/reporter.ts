import { buildBundle } from '../../src/bundle/bundle.js';
import type { GeneratedFile } from '../../src/bundle/files.js';
import { parseProperties } from '../../src/bundle/read.js';
import { connectorFilePath, workerReporterFilePath } from '../../src/connect/connectors.js';
import { loadModel } from '../../src/model/load.js';
import type { Model } from '../../src/model/model.js';

/**
 * The bundle built for the Strimzi Metrics Reporter as the collector, on the real stack: the
 * same override as the stack's own bundle, with `collector: strimzi-metrics-reporter` and the
 * workers at their reporter listeners. What the workers and connectors add for the reporter is
 * taken from it, as generated.
 */
export interface ReporterBundle {
  readonly model: Model;
  readonly files: readonly GeneratedFile[];
}

export function reporterBundle(override: Readonly<Record<string, unknown>>, listeners: readonly number[]): ReporterBundle {
  const model = loadModel(
    { ...override, collector: 'strimzi-metrics-reporter', workers: listeners.map((port) => ({ host: '127.0.0.1', port })) },
    'real-stack reporter override',
  );
  return { model, files: [...buildBundle(model)].map(([path, content]) => ({ path, content })) };
}

function file(files: readonly GeneratedFile[], path: string): string {
  const f = files.find((x) => x.path === path);
  if (!f) throw new Error(`the bundle has no ${path}`);
  return f.content;
}

/** The worker settings the reporter bundle generates for the worker listening on `port`. */
export function workerReporterSettings(bundle: ReporterBundle, port: number): Record<string, string> {
  const ports = [...new Set(bundle.model.workers.map((w) => w.port))].sort((a, b) => a - b);
  return parseProperties(file(bundle.files, workerReporterFilePath(port, ports)));
}

/** What the reporter bundle's configuration of a connector adds to the agent bundle's: the reporter's settings. */
export function connectorReporterSettings(agentFiles: readonly GeneratedFile[], bundle: ReporterBundle, name: string): Record<string, string> {
  const config = (files: readonly GeneratedFile[]) => (JSON.parse(file(files, connectorFilePath({ name }))) as { config: Record<string, string> }).config;
  const agent = config(agentFiles);
  return Object.fromEntries(Object.entries(config(bundle.files)).filter(([k, v]) => agent[k] !== v));
}

import { basename } from 'node:path';
import { z } from 'zod';
import { alertingProblems } from '../alerts/sanitize.js';
import { ConfigSchema, type Config } from './config.js';
import { DEFAULT_CONFIG, DEFAULT_THRESHOLDS } from './defaults.js';
import { durationSeconds } from './duration.js';
import type { Model, ResolvedSignal } from './model.js';
import { deriveSla } from './sla.js';
import type { DeclaredSignalThresholds, Provenance, SignalAudit, TierProvenance } from './provenance.js';
import { SEVERITIES, SIGNAL_DEFS, SIGNAL_IDS, type Severity, type SignalDef, type SignalId, type Unit } from './signals.js';
import { defaultConnectorName, flowId, type Flow, type Worker } from './topology.js';

export interface ConfigProblem {
  /** e.g. "flows[1].connectors.source.tasksMax" ("(root)" for the document itself). */
  readonly path: string;
  readonly message: string;
}

/** A configuration that cannot make a correct bundle. The message names the file, the field and what was expected. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(problems.map((p) => `${source}: ${p.path}: ${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Objects merge key by key; arrays and scalars in the override replace the default. */
export function mergeOverride(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = k in base ? mergeOverride(base[k], v) : v;
  return out;
}

function zodProblems(error: z.ZodError): ConfigProblem[] {
  return error.issues.flatMap((issue): ConfigProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        message: 'unknown field (check its spelling and where it sits in the file)',
      }));
    }
    return [{ path: formatPath(issue.path), message: issue.message }];
  });
}

// What a value of each unit can be: a threshold outside makes an alert that never fires.
const UNIT_RANGE: Record<Unit, readonly [number, number]> = {
  ms: [0, Infinity],
  records: [0, Infinity],
  'records/min': [-Infinity, Infinity],
  'records/s': [0, Infinity],
  'bytes/s': [0, Infinity],
  percent: [0, 100],
  tasks: [0, Infinity],
  connectors: [0, 1],
  workers: [0, Infinity],
  errors: [0, Infinity],
  events: [0, Infinity],
  'rebalances/h': [0, Infinity],
};

function signalProblems(config: Config, workerCount: number): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const id of SIGNAL_IDS) {
    const def: SignalDef = SIGNAL_DEFS[id];
    const { warning, critical } = config.thresholds[id];
    const [min, max] = UNIT_RANGE[def.unit];
    const upper = def.unit === 'workers' ? workerCount : max;
    for (const [severity, t] of [['warning', warning], ['critical', critical]] as const) {
      if (!t) continue;
      const path = `thresholds.${id}.${severity}.threshold`;
      // above fires on value >= t: always when t <= min, never when t > upper.
      // below fires on value < t: never when t <= min, always when t > upper.
      if (t.threshold <= min || t.threshold > upper) {
        problems.push({
          path,
          message: `expected a value in (${min}, ${upper}] for a ${def.unit} signal that is bad ${def.direction === 'above' ? 'at or above' : 'below'} it; ${t.threshold} makes an alert that ${(def.direction === 'above') === t.threshold <= min ? 'always fires' : 'can never fire'}`,
        });
      }
    }
    if (warning && critical) {
      const ok = def.direction === 'above' ? warning.threshold < critical.threshold : warning.threshold > critical.threshold;
      if (!ok) {
        problems.push({
          path: `thresholds.${id}`,
          message: `expected warning (${warning.threshold}) to be less severe than critical (${critical.threshold}): this signal is bad ${def.direction === 'above' ? 'when high, so warning < critical' : 'when low, so warning > critical'}`,
        });
      }
    }
  }
  return problems;
}

function topologyProblems(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seenFlows = new Map<string, number>();
  const seenConnectors = new Map<string, string>();
  config.flows.forEach((f, i) => {
    if (f.source === f.target) problems.push({ path: `flows[${i}].target`, message: `expected a cluster alias other than the source "${f.source}"` });
    const id = flowId(f.source, f.target);
    const prev = seenFlows.get(id);
    if (prev !== undefined) problems.push({ path: `flows[${i}]`, message: `duplicate flow ${id} (already flows[${prev}])` });
    seenFlows.set(id, i);
    for (const kind of ['source', 'checkpoint', 'heartbeat'] as const) {
      const name = f.connectors[kind].name ?? defaultConnectorName(f.source, f.target, kind);
      const where = `flows[${i}].connectors.${kind}`;
      const other = seenConnectors.get(name);
      if (other) problems.push({ path: `${where}.name`, message: `duplicate connector name "${name}" (already ${other})` });
      seenConnectors.set(name, where);
    }
  });
  const seenWorkers = new Map<string, number>();
  config.workers.forEach((w, i) => {
    const instance = `${w.host}:${w.port ?? config.exporter.port}`;
    const prev = seenWorkers.get(instance);
    if (prev !== undefined) problems.push({ path: `workers[${i}]`, message: `duplicate worker ${instance} (already workers[${prev}])` });
    seenWorkers.set(instance, i);
  });
  const p = config.prometheus;
  if (durationSeconds(p.scrapeTimeout) > durationSeconds(p.scrapeInterval)) {
    problems.push({ path: 'prometheus.scrapeTimeout', message: `expected at most scrapeInterval (${p.scrapeInterval}), got ${p.scrapeTimeout}` });
  }
  if (durationSeconds(p.rateWindow) < 4 * durationSeconds(p.scrapeInterval)) {
    problems.push({ path: 'prometheus.rateWindow', message: `expected at least 4 scrape intervals (${4 * durationSeconds(p.scrapeInterval)}s) so that rate() always has samples, got ${p.rateWindow}` });
  }
  if (durationSeconds(p.evaluationInterval) > 300) {
    problems.push({ path: 'prometheus.evaluationInterval', message: `expected at most 5m (longer leaves gaps in recorded series), got ${p.evaluationInterval}` });
  }
  const downtime = durationSeconds(config.sla.maxDowntimePerYear);
  if (downtime >= 365 * 86_400) problems.push({ path: 'sla.maxDowntimePerYear', message: `expected less than a year, got ${config.sla.maxDowntimePerYear}` });
  if (durationSeconds(config.sla.sloPeriod) < 86_400) problems.push({ path: 'sla.sloPeriod', message: `expected at least 1d, got ${config.sla.sloPeriod}` });
  if (config.prometheus.basicAuth && !config.exporter.basicAuth) {
    problems.push({ path: 'exporter.basicAuth', message: 'expected when prometheus.basicAuth is set: Prometheus would send credentials the exporter does not check' });
  }
  if (config.exporter.basicAuth && !config.prometheus.basicAuth) {
    problems.push({ path: 'prometheus.basicAuth', message: 'expected when exporter.basicAuth is set: Prometheus could not scrape the exporters' });
  }
  if (Boolean(config.exporter.tls) !== Boolean(config.prometheus.tls)) {
    problems.push({ path: config.exporter.tls ? 'prometheus.tls' : 'exporter.tls', message: 'expected exporter.tls and prometheus.tls together: one side would speak TLS and the other plain HTTP' });
  }
  return problems;
}

/**
 * Where each tier in force comes from: the declaration in the defaults, or the override file
 * at the key that set it (a key the override does not set keeps the default's provenance).
 */
function signalAudit(id: SignalId, config: Config, override: unknown, file: string): SignalAudit {
  const declared: DeclaredSignalThresholds = DEFAULT_THRESHOLDS[id];
  const overridden = isPlainObject(override) && isPlainObject(override['thresholds']) ? override['thresholds'][id] : undefined;
  const tiers: Partial<Record<Severity, TierProvenance>> = {};
  for (const severity of SEVERITIES) {
    if (!config.thresholds[id][severity]) continue;
    const base = declared[severity];
    const set = isPlainObject(overridden) ? overridden[severity] : undefined;
    const of = (field: 'threshold' | 'for'): Provenance => {
      if (isPlainObject(set) && set[field] !== undefined) {
        return {
          kind: 'override',
          file,
          key: `thresholds.${id}.${severity}.${field}`,
          ...(base ? { replaces: { value: base[field], provenance: base.from[field] } } : {}),
        };
      }
      // The schema requires both fields of a tier the defaults lack, so `base` exists here.
      if (!base) throw new Error(`thresholds.${id}.${severity}: no default and no override for ${field}`);
      return base.from[field];
    };
    tiers[severity] = { threshold: of('threshold'), for: of('for') };
  }
  return { slaRole: declared.slaRole, onBreach: declared.onBreach, tiers };
}

function toModel(config: Config, origin: string, override: unknown, source: string): Model {
  const flows: Flow[] = config.flows.map((f) => {
    const connector = (kind: 'source' | 'checkpoint' | 'heartbeat') => ({
      kind,
      name: f.connectors[kind].name ?? defaultConnectorName(f.source, f.target, kind),
      tasksMax: f.connectors[kind].tasksMax,
    });
    return {
      id: flowId(f.source, f.target),
      source: f.source,
      target: f.target,
      replicationPolicy: f.replicationPolicy,
      separator: f.separator,
      connectors: { source: connector('source'), checkpoint: connector('checkpoint'), heartbeat: connector('heartbeat') },
    };
  });
  const workers: Worker[] = config.workers.map((w) => {
    const port = w.port ?? config.exporter.port;
    return { host: w.host, port, instance: `${w.host}:${port}` };
  });
  const file = basename(source);
  const signals: ResolvedSignal[] = SIGNAL_IDS.map((id) => ({
    id,
    def: SIGNAL_DEFS[id],
    tiers: config.thresholds[id],
    audit: signalAudit(id, config, override, file),
  }));
  return {
    sla: deriveSla(config.sla),
    prometheus: config.prometheus,
    exporter: config.exporter,
    workers,
    flows,
    signals,
    expr: { job: config.prometheus.job, rateWindow: config.prometheus.rateWindow, workerCount: workers.length },
    output: config.output,
    alerting: config.alerting,
    origin,
  };
}

/**
 * Builds the model from the defaults and an optional override document (already parsed
 * from YAML). `source` names the override file in error messages.
 */
export function loadModel(override?: unknown, source = 'defaults'): Model {
  if (override !== undefined && override !== null && !isPlainObject(override)) {
    throw new ConfigError(source, [{ path: '(root)', message: `expected a mapping of settings, got ${Array.isArray(override) ? 'a list' : typeof override}` }]);
  }
  const merged = override ? mergeOverride(DEFAULT_CONFIG, override) : DEFAULT_CONFIG;
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) throw new ConfigError(source, zodProblems(parsed.error));
  const config = parsed.data;
  const problems = [...topologyProblems(config), ...signalProblems(config, config.workers.length)];
  if (problems.length > 0) throw new ConfigError(source, problems);
  const model = toModel(config, override ? `defaults + ${source}` : 'defaults', override, source);
  // Alert names exist only once the model does (signals x tiers in force, burn-rate tiers).
  const alerting = alertingProblems(model);
  if (alerting.length > 0) throw new ConfigError(source, alerting);
  return model;
}

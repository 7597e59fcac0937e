import { basename } from 'node:path';
import type { z } from 'zod';
import { DIRECTIONS, isBad } from '../conventions/direction.js';
import { REQUIRED_GROUP_LABELS } from '../conventions/labels.js';
import { UNITS } from '../conventions/units.js';
import { alertingProblems } from './alerting.js';
import { type Config, ConfigSchema } from './config.js';
import { DEFAULT_CONFIG, DEFAULT_THRESHOLDS } from './defaults.js';
import { durationSeconds, formatSeconds } from './duration.js';
import type { Model, ResolvedSignal } from './model.js';
import { ConfigError, type ConfigProblem } from './problems.js';
import type { DeclaredSignalThresholds, Provenance, SignalAudit, TierProvenance } from './provenance.js';
import { receiverSecretProblems } from './receivers.js';
import { SEVERITIES, type Severity, SIGNAL_DEFS, SIGNAL_IDS, type SignalDef, type SignalId } from './signals.js';
import { deriveSla } from './sla.js';
import { defaultConnectorName, type Flow, flowId, flowSlug, topicExclusions, type Worker } from './topology.js';

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Objects merge key by key; arrays and scalars in the override replace the default. */
export function mergeOverride(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = k in base ? mergeOverride(base[k], v) : v;
  return out;
}

/** The schema that validates the value at `path`, seen through optional/default/pipe wrappers. */
function schemaAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): z.core.$ZodType | undefined {
  let current: z.core.$ZodType | undefined = schema;
  for (let i = 0; current && i <= path.length; ) {
    const def = current._zod.def as unknown as Record<string, unknown> & { type: string };
    const inner = def['innerType'] ?? (def.type === 'pipe' ? def['in'] : undefined);
    if (inner) {
      current = inner as z.core.$ZodType;
      continue;
    }
    if (i === path.length) break;
    const part = path[i++]!;
    if (def.type === 'object') current = (def['shape'] as Record<string, z.core.$ZodType>)[String(part)];
    else if (def.type === 'array') current = def['element'] as z.core.$ZodType;
    else if (def.type === 'record') current = def['valueType'] as z.core.$ZodType;
    else current = undefined;
  }
  return current;
}

function keysAt(path: readonly PropertyKey[]): string[] {
  const s = schemaAt(ConfigSchema, path);
  const def = s?._zod.def as unknown as { type: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/** Optimal string alignment distance, case-insensitive: typos, a missing or doubled letter, two swapped. */
function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const d = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[x.length]![y.length]!;
}

/** The valid key a misspelt one most likely meant, if one is close enough to be a typo. */
export function nearestKey(key: string, valid: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const candidate of valid) {
    const distance = editDistance(key, candidate);
    if (!best || distance < best.distance) best = { key: candidate, distance };
  }
  if (!best) return undefined;
  const allowed = Math.max(1, Math.min(3, Math.floor(Math.max(key.length, best.key.length) / 3)));
  return best.distance <= allowed ? best.key : undefined;
}

/** A value as the user would recognise it from the file, shortened if long. */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function zodProblems(error: z.ZodError): ConfigProblem[] {
  return error.issues.flatMap((issue): ConfigProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      const valid = keysAt(issue.path);
      return issue.keys.map((key) => {
        const near = nearestKey(key, valid);
        const hint = near
          ? `did you mean \`${near}\`?`
          : valid.length > 0
            ? `expected one of ${valid.map((k) => `\`${k}\``).join(', ')}`
            : 'check its spelling and where it sits in the file';
        return { path: formatPath([...issue.path, key]), message: `unknown field; ${hint}` };
      });
    }
    // zod says "Invalid input: expected number, received string"; the value itself says more.
    const message = issue.message.replace(/^Invalid input: /, '').replace(/, received \w+$/, '');
    const input = (issue as { input?: unknown }).input;
    const echo = input === undefined ? (issue.code === 'invalid_type' ? ', got nothing' : '') : message.includes(shown(input)) ? '' : `, got ${shown(input)}`;
    return [{ path: formatPath(issue.path), message: `${message}${echo}` }];
  });
}

function signalProblems(config: Config, workerCount: number): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const id of SIGNAL_IDS) {
    const def: SignalDef = SIGNAL_DEFS[id];
    const { warning, critical } = config.thresholds[id];
    const [min, max] = UNITS[def.unit].range;
    const upper = def.unit === 'workers' ? workerCount : max;
    for (const [severity, t] of [
      ['warning', warning],
      ['critical', critical],
    ] as const) {
      if (!t) continue;
      const path = `thresholds.${id}.${severity}.threshold`;
      // above fires on value >= t: always when t <= min, never when t > upper.
      // below fires on value < t: never when t <= min, always when t > upper.
      if (t.threshold <= min || t.threshold > upper) {
        problems.push({
          path,
          message: `expected a value in (${min}, ${upper}] for a ${def.unit} signal that is bad ${DIRECTIONS[def.direction].bound} it; ${t.threshold} makes an alert that ${isBad(def.direction, min, t.threshold) ? 'always fires' : 'can never fire'}`,
        });
      }
    }
    if (warning && critical) {
      if (isBad(def.direction, warning.threshold, critical.threshold)) {
        problems.push({
          path: `thresholds.${id}`,
          message: `expected warning (${warning.threshold}) to be less severe than critical (${critical.threshold}): this signal is bad ${DIRECTIONS[def.direction].badWhen}, so warning ${DIRECTIONS[def.direction].warningToCritical} critical`,
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
  // Receiver names and dashboard UIDs are made from the flow id with punctuation folded: flows
  // whose ids differ only by punctuation would collide (amtool rejects the configuration).
  const seenSlugs = new Map<string, number>();
  config.flows.forEach((f, i) => {
    const id = flowId(f.source, f.target);
    const prev = seenSlugs.get(flowSlug(id));
    if (prev !== undefined && flowId(config.flows[prev]!.source, config.flows[prev]!.target) !== id) {
      problems.push({
        path: `flows[${i}]`,
        message: `flow ${id} and flows[${prev}] (${flowId(config.flows[prev]!.source, config.flows[prev]!.target)}) differ only by punctuation in their aliases: their Alertmanager receivers would both be named mm2-${flowSlug(id)}; rename one alias`,
      });
    }
    seenSlugs.set(flowSlug(id), i);
  });
  // IdentityReplicationPolicy keeps topic names: a flow using it cannot be told from another flow
  // into the same target by topic, and the MirrorSourceConnector metrics the bundle reads carry no
  // source alias (Kafka 4.x adds a `source` tag the bundle does not select on): selectors would leak.
  config.flows.forEach((f, i) => {
    if (f.replicationPolicy !== 'identity') return;
    const others = config.flows.map((o, j) => ({ o, j })).filter(({ o, j }) => j !== i && o.target === f.target);
    if (others.length === 0) return;
    problems.push({
      path: `flows[${i}].replicationPolicy`,
      message:
        `flow ${flowId(f.source, f.target)} uses replicationPolicy identity into ${f.target}, which also receives ${others.map(({ o, j }) => `${flowId(o.source, o.target)} (flows[${j}])`).join(', ')}: ` +
        'with topic names kept, no topic pattern tells their metrics apart; use the default policy or one flow per target',
    });
  });
  const seenWorkers = new Map<string, number>();
  config.workers.forEach((w, i) => {
    const instance = `${w.host}:${w.port ?? config.exporter.port}`;
    const prev = seenWorkers.get(instance);
    if (prev !== undefined) problems.push({ path: `workers[${i}]`, message: `duplicate worker ${instance} (already workers[${prev}])` });
    seenWorkers.set(instance, i);
  });
  const p = config.prometheus;
  for (const l of REQUIRED_GROUP_LABELS) {
    if (!p.groupLabels.includes(l))
      problems.push({
        path: 'prometheus.groupLabels',
        message: `expected ${l} among the group labels: without it two bundles in one Prometheus write the same series`,
      });
  }
  p.groupLabels.forEach((l, i) => {
    if (!(REQUIRED_GROUP_LABELS as readonly string[]).includes(l) && p.targetLabels[l] === undefined) {
      problems.push({
        path: `prometheus.groupLabels[${i}]`,
        message: `expected a value for group label ${l} in prometheus.targetLabels (only cluster and job have one of their own)`,
      });
    }
  });
  for (const l of Object.keys(p.targetLabels)) {
    if (['job', 'instance', 'cluster', 'flow'].includes(l) || l.startsWith('__')) {
      problems.push({
        path: `prometheus.targetLabels.${l}`,
        message: `expected a label other than job, instance, cluster, flow or __*: the bundle sets those itself`,
      });
    }
  }
  if (durationSeconds(p.scrapeTimeout) > durationSeconds(p.scrapeInterval)) {
    problems.push({ path: 'prometheus.scrapeTimeout', message: `expected at most scrapeInterval (${p.scrapeInterval}), got ${p.scrapeTimeout}` });
  }
  if (durationSeconds(p.rateWindow) < 4 * durationSeconds(p.scrapeInterval)) {
    problems.push({
      path: 'prometheus.rateWindow',
      message: `expected at least 4 scrape intervals (${4 * durationSeconds(p.scrapeInterval)}s) so that rate() always has samples, got ${p.rateWindow}`,
    });
  }
  if (durationSeconds(p.evaluationInterval) > 300) {
    problems.push({
      path: 'prometheus.evaluationInterval',
      message: `expected at most 5m (longer leaves gaps in recorded series), got ${p.evaluationInterval}`,
    });
  }
  const downtime = durationSeconds(config.sla.maxDowntimePerYear);
  if (downtime >= 365 * 86_400) problems.push({ path: 'sla.maxDowntimePerYear', message: `expected less than a year, got ${config.sla.maxDowntimePerYear}` });
  if (durationSeconds(config.sla.sloPeriod) < 86_400) problems.push({ path: 'sla.sloPeriod', message: `expected at least 1d, got ${config.sla.sloPeriod}` });
  if (config.prometheus.basicAuth && !config.exporter.basicAuth) {
    problems.push({
      path: 'exporter.basicAuth',
      message: 'expected when prometheus.basicAuth is set: Prometheus would send credentials the exporter does not check',
    });
  }
  if (config.exporter.basicAuth && !config.prometheus.basicAuth) {
    problems.push({ path: 'prometheus.basicAuth', message: 'expected when exporter.basicAuth is set: Prometheus could not scrape the exporters' });
  }
  if (Boolean(config.exporter.tls) !== Boolean(config.prometheus.tls)) {
    problems.push({
      path: config.exporter.tls ? 'prometheus.tls' : 'exporter.tls',
      message: 'expected exporter.tls and prometheus.tls together: one side would speak TLS and the other plain HTTP',
    });
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
  const bare = config.flows.map((f) => {
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
  const exclusions = topicExclusions(bare);
  const flows: Flow[] = bare.map((f, i) => ({ ...f, excludedTopicRegexes: exclusions[i]! }));
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
  const known: Record<string, string> = { ...config.prometheus.targetLabels, cluster: config.prometheus.cluster, job: config.prometheus.job };
  const groupLabels = {
    ...Object.fromEntries(config.prometheus.groupLabels.map((l) => [l, known[l]!])),
    cluster: config.prometheus.cluster,
    job: config.prometheus.job,
  };
  const prefix = config.prefix ?? '';
  return {
    sla: deriveSla({ ...config.sla, evaluationInterval: config.prometheus.evaluationInterval }),
    prometheus: prefixedPrometheus(config.prometheus, prefix, override),
    prefix,
    exporter: config.exporter,
    workers,
    flows,
    signals,
    groupLabels,
    queryContext: {
      group: groupLabels,
      job: config.prometheus.job,
      rateWindow: config.prometheus.rateWindow,
      statusHold: config.connect.statusHold,
      taskMemory: config.connect.taskMemory,
      shortWindow: formatSeconds(4 * durationSeconds(config.prometheus.scrapeInterval)),
    },
    output: config.output,
    alerting: config.alerting,
    origin,
  };
}

/**
 * A prefixed bundle's file_sd file and runbook are its own: the default paths get the prefix in
 * their file name (`/etc/prometheus/file_sd/paris-prod-mm2-connect.json`); a path the override
 * sets is used as it is (a file with `clusters` prefixes its shared paths itself, deployment.ts).
 */
function prefixedPrometheus(p: Config['prometheus'], prefix: string, override: unknown): Config['prometheus'] {
  if (prefix === '') return p;
  const set = isPlainObject(override) && isPlainObject(override['prometheus']) ? override['prometheus'] : {};
  const named = (path: string) => path.replace(/[^/]*$/, (file) => `${prefix}-${file}`);
  return {
    ...p,
    ...(set['fileSdPath'] === undefined && { fileSdPath: named(p.fileSdPath) }),
    ...(set['runbookBaseUrl'] === undefined && { runbookBaseUrl: named(p.runbookBaseUrl) }),
  };
}

/**
 * Builds the model from the defaults and an optional override document (already parsed
 * from YAML). `source` names the override file in error messages. A file that describes
 * several Connect clusters (`clusters`) is loaded by loadDeployment (deployment.ts).
 */
export function loadModel(override?: unknown, source = 'defaults'): Model {
  if (override !== undefined && override !== null && !isPlainObject(override)) {
    throw new ConfigError(source, [{ path: '(root)', message: `expected a mapping of settings, got ${Array.isArray(override) ? 'a list' : typeof override}` }]);
  }
  if (isPlainObject(override) && override['clusters'] !== undefined)
    throw new Error('a file with `clusters` describes several Connect clusters: loadDeployment');
  // A secret written inline would be "an unknown field" to the schema: say what it is, and what to write instead.
  const secrets =
    isPlainObject(override) && isPlainObject(override['alerting']) ? receiverSecretProblems(override['alerting']['receivers'], 'alerting.receivers') : [];
  if (secrets.length > 0) throw new ConfigError(source, secrets);
  const merged = override ? mergeOverride(DEFAULT_CONFIG, override) : DEFAULT_CONFIG;
  const parsed = ConfigSchema.safeParse(merged, { reportInput: true });
  if (!parsed.success) throw new ConfigError(source, zodProblems(parsed.error));
  const config = parsed.data;
  const problems = [...topologyProblems(config), ...signalProblems(config, config.workers.length)];
  if (problems.length > 0) throw new ConfigError(source, problems);
  // The file's name, not the path as typed: `--config my-env.yaml` and `--config ./my-env.yaml`
  // must generate the same bytes.
  const model = toModel(config, override ? `defaults + ${basename(source)}` : 'defaults', override, source);
  // Alert names exist only once the model does (signals x tiers in force, burn-rate tiers).
  const alerting = alertingProblems(model);
  if (alerting.length > 0) throw new ConfigError(source, alerting);
  return model;
}

import { basename } from 'node:path';
import type { z } from 'zod';
import { DIRECTIONS, isBad } from '../conventions/direction.js';
import { durationSeconds, formatSeconds } from '../conventions/duration.js';
import { REQUIRED_GROUP_LABELS } from '../conventions/labels.js';
import { UNITS } from '../conventions/units.js';
import { alertingProblems } from './alerting.js';
import { type Config, ConfigSchema } from './config.js';
import { DEFAULT_CONFIG, DEFAULT_THRESHOLDS } from './defaults.js';
import type { Model, ResolvedSignal } from './model.js';
import { nearestKey } from './nearest.js';
import { ConfigError, type ConfigProblem } from './problems.js';
import type { DeclaredSignalThresholds, Provenance, SignalAudit, TierProvenance } from './provenance.js';
import { receiverSecretProblems } from './receivers.js';
import { SEVERITIES, type Severity, SIGNAL_DEFS, SIGNAL_IDS, type SignalDef, type SignalId } from './signals.js';
import { deriveSla, sliPageDowntime } from './sla.js';
import { type ConnectorKind, defaultConnectorName, type Flow, flowId, flowSlug, strimziConnectorName, topicExclusions, type Worker } from './topology.js';

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
    // A union of a switch and a mapping (output.kubernetes: true, or settings): its keys are the mapping's.
    const options = def.type === 'union' ? (def['options'] as z.core.$ZodType[]) : undefined;
    const inner = def['innerType'] ?? (def.type === 'pipe' ? def['in'] : undefined) ?? options?.find((o) => o._zod.def.type === 'object');
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

/** A value as the user would recognise it from the file, shortened if long. */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a text value',
  boolean: 'true or false',
  object: 'a mapping of settings',
  array: 'a list',
};

const plural = (n: number | bigint, word: string) => `${n} ${word}${Number(n) === 1 ? '' : 's'}`;

/** What the validator found, in the words of this file's reader; `undefined` keeps the schema's own message (already ours). */
function expectedText(issue: z.core.$ZodIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.message.startsWith('Invalid input') ? `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}` : undefined;
    case 'invalid_value':
      return issue.values.length === 1 ? `expected ${String(issue.values[0])}` : `expected one of ${issue.values.map(String).join(', ')}`;
    case 'too_small': {
      if (!issue.message.startsWith('Too small')) return undefined;
      const bound = issue.inclusive === false ? 'more than' : 'at least';
      if (issue.origin === 'array') return `expected ${bound} ${plural(issue.minimum, 'item')}`;
      if (issue.origin === 'string')
        return Number(issue.minimum) === 1 ? 'expected a non-empty value' : `expected ${bound} ${plural(issue.minimum, 'character')}`;
      return `expected ${bound} ${issue.minimum}`;
    }
    case 'too_big': {
      if (!issue.message.startsWith('Too big')) return undefined;
      const bound = issue.inclusive === false ? 'less than' : 'at most';
      if (issue.origin === 'array') return `expected ${bound} ${plural(issue.maximum, 'item')}`;
      if (issue.origin === 'string') return `expected ${bound} ${plural(issue.maximum, 'character')}`;
      return `expected ${bound} ${issue.maximum}`;
    }
    case 'invalid_format':
      if (issue.format === 'url') return 'expected an http:// or https:// URL';
      return issue.message.startsWith('Invalid') ? `expected a value of the form ${issue.format}` : undefined;
    case 'invalid_union': {
      // Each alternative refused the value at its root: say what each would take.
      const wanted = issue.errors.flatMap((branch) => branch.filter((i) => i.path.length === 0).map((i) => expectedText(i)?.replace(/^expected /, '')));
      return wanted.every((w) => w !== undefined) && wanted.length > 0 ? `expected ${[...new Set(wanted)].join(' or ')}` : undefined;
    }
    case 'invalid_key':
      return issue.issues.map((i) => expectedText(i) ?? i.message).join('; ');
    default:
      return undefined;
  }
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
    const message = expectedText(issue) ?? issue.message;
    const input = (issue as { input?: unknown }).input;
    const echo =
      input === undefined
        ? issue.code === 'invalid_type'
          ? ', got nothing'
          : ''
        : typeof input === 'string' && message.includes(shown(input))
          ? ''
          : `, got ${shown(input)}`;
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
    // Tiers about different connectors (tierConnectors) never read the same series: no order between them.
    if (warning && critical && !def.tierConnectors) {
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

/** The connector name when the file sets none: Strimzi's KafkaMirrorMaker2 operator chooses its own. */
function defaultName(config: Config, source: string, target: string, kind: ConnectorKind): string {
  return config.connect.strimzi === 'kafkaMirrorMaker2' ? strimziConnectorName(source, target, kind) : defaultConnectorName(source, target, kind);
}

/**
 * The Kafka cluster the Connect workers are attached to: as set, else the first flow's target
 * (the tuning guide's setup, and a KafkaMirrorMaker2's connectCluster).
 */
function attachedCluster(config: Config): string {
  return config.connect.kafkaCluster ?? config.flows[0]!.target;
}

/**
 * Whether the Connect cluster can run each flow. On Connect a source connector's producer writes
 * to the workers' own Kafka cluster: a flow into another cluster needs its producers pointed at
 * its target (connect/connectors.ts), so the bundle must know which cluster the workers use.
 * Strimzi's KafkaMirrorMaker2 attaches its Connect cluster to the target (spec.connectCluster,
 * spec.target in its v1 API) and writes the connectors' configuration itself.
 */
function connectProblems(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const attached = attachedCluster(config);
  if (config.connect.strimzi !== 'kafkaMirrorMaker2') return problems;
  config.flows.forEach((f, i) => {
    if (f.target !== attached) {
      problems.push({
        path: `flows[${i}].target`,
        message:
          `flow ${flowId(f.source, f.target)} writes into ${f.target}, but a Strimzi KafkaMirrorMaker2 runs its connectors on a Connect cluster attached to their target ` +
          `(spec.connectCluster; spec.target in its v1 API), here ${attached}${config.connect.kafkaCluster ? ' (connect.kafkaCluster)' : ', the target of flows[0]'}: ` +
          `deploy a KafkaMirrorMaker2 attached to ${f.target} for this flow and monitor it as a Connect cluster of its own (an entry of clusters, or its own override file, with its own connect, prometheus.job and cluster), ` +
          'or run the flow on a plain Kafka Connect cluster (connect.strimzi: kafkaConnect or unset)',
      });
    }
    for (const kind of ['source', 'checkpoint', 'heartbeat'] as const) {
      const set = f.connectors[kind].name;
      const operator = strimziConnectorName(f.source, f.target, kind);
      if (set !== undefined && set !== operator) {
        problems.push({
          path: `flows[${i}].connectors.${kind}.name`,
          message: `expected ${JSON.stringify(operator)}, the name Strimzi's KafkaMirrorMaker2 operator gives this connector (connect.strimzi: kafkaMirrorMaker2), got ${JSON.stringify(set)}; remove the name`,
        });
      }
    }
  });
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
      const name = f.connectors[kind].name ?? defaultName(config, f.source, f.target, kind);
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
  if (durationSeconds(config.connect.startupGrace) < 4 * durationSeconds(p.scrapeInterval)) {
    problems.push({
      path: 'connect.startupGrace',
      message: `expected at least 4 scrape intervals (${4 * durationSeconds(p.scrapeInterval)}s): a restarted worker is reachable once its exporter answered every scrape of it, got ${config.connect.startupGrace}`,
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
  if (config.collector === 'strimzi-metrics-reporter' && config.connect.strimzi === 'kafkaMirrorMaker2') {
    problems.push({
      path: 'collector',
      message:
        "strimzi-metrics-reporter is not available with connect.strimzi kafkaMirrorMaker2: the operator writes the MM2 connectors, so the bundle cannot add the reporter's settings to them (their own metric.reporters, their consumer's and producers')",
    });
  }
  if (config.collector === 'strimzi-metrics-reporter') {
    for (const key of ['tls', 'basicAuth'] as const)
      if (config.exporter[key])
        problems.push({
          path: `exporter.${key}`,
          message: 'not available with collector strimzi-metrics-reporter: its listener (0.2.0) serves plain HTTP without authentication',
        });
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
      name: f.connectors[kind].name ?? defaultName(config, f.source, f.target, kind),
      tasksMax: f.connectors[kind].tasksMax,
    });
    return {
      id: flowId(f.source, f.target),
      source: f.source,
      target: f.target,
      replicationPolicy: f.replicationPolicy,
      separator: f.separator,
      connectors: { source: connector('source'), checkpoint: connector('checkpoint'), heartbeat: connector('heartbeat') },
      ...(f.partitions !== undefined ? { partitions: f.partitions } : {}),
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
  const k = config.output.kubernetes;
  const podKind = config.connect.strimzi === 'kafkaMirrorMaker2' ? 'KafkaMirrorMaker2' : 'KafkaConnect';
  const prefix = config.prefix ?? '';
  return {
    sla: deriveSla({
      ...config.sla,
      evaluationInterval: config.prometheus.evaluationInterval,
      scrapeInterval: config.prometheus.scrapeInterval,
      pageDowntimeSeconds: sliPageDowntime(config.thresholds),
    }),
    prometheus: prefixedPrometheus(config.prometheus, prefix, override),
    prefix,
    exporter: config.exporter,
    collector: config.collector,
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
      startupGrace: config.connect.startupGrace,
      scrapeInterval: config.prometheus.scrapeInterval,
      shortWindow: formatSeconds(4 * durationSeconds(config.prometheus.scrapeInterval)),
    },
    output: { ...config.output, kubernetes: k && { ...k, podSelector: k.podSelector ?? { 'strimzi.io/kind': podKind } } },
    connect: { kafkaCluster: attachedCluster(config), strimzi: config.connect.strimzi },
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
  const problems = [...topologyProblems(config), ...connectProblems(config), ...signalProblems(config, config.workers.length)];
  if (problems.length > 0) throw new ConfigError(source, problems);
  // The file's name, not the path as typed: `--config my-env.yaml` and `--config ./my-env.yaml`
  // must generate the same bytes.
  const model = toModel(config, override ? `defaults + ${basename(source)}` : 'defaults', override, source);
  // Alert names exist only once the model does (signals x tiers in force, burn-rate tiers).
  const alerting = alertingProblems(model);
  if (alerting.length > 0) throw new ConfigError(source, alerting);
  return model;
}

import { basename } from 'node:path';
import { durationSeconds, formatSeconds } from '../conventions/duration.js';
import { alertingProblems } from './alerting.js';
import { type Config, ConfigSchema } from './config.js';
import { configProblems } from './config-checks/index.js';
import { attachedCluster, connectorNameOf } from './connect-cluster.js';
import { DEFAULT_CONFIG, DEFAULT_THRESHOLDS } from './defaults.js';
import { deriveSla, sliPageDowntime } from './error-budget.js';
import type { Model, ResolvedSignal } from './model.js';
import { isPlainObject, mergeOverride } from './override.js';
import { ConfigError } from './problems.js';
import type { DeclaredSignalThresholds, Provenance, SignalAudit, TierProvenance } from './provenance.js';
import { receiverSecretProblems } from './receivers.js';
import { zodProblems } from './schema-problems.js';
import { SEVERITIES, type Severity, SIGNAL_DEFS, SIGNAL_IDS, type SignalId } from './signals.js';
import { type Flow, flowId, topicExclusions, type Worker } from './topology.js';

/**
 * The model built from the defaults and an override file: merged (override.ts), checked by the
 * schema (schema-problems.ts words its refusals) and by the configuration checks
 * (config-checks/), then resolved into the Model the builders read.
 */

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
      name: f.connectors[kind].name ?? connectorNameOf(config, f.source, f.target, kind),
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
  const problems = configProblems(config);
  if (problems.length > 0) throw new ConfigError(source, problems);
  // The file's name, not the path as typed: `--config my-env.yaml` and `--config ./my-env.yaml`
  // must generate the same bytes.
  const model = toModel(config, override ? `defaults + ${basename(source)}` : 'defaults', override, source);
  // Alert names exist only once the model does (signals x tiers in force, burn-rate tiers).
  const alerting = alertingProblems(model);
  if (alerting.length > 0) throw new ConfigError(source, alerting);
  return model;
}

import type { Duration } from '../conventions/duration.js';
import type { Matcher } from '../promql/matcher.js';
import { eq } from '../promql/selector.js';
import type { Config, KubernetesSettings, StrimziKind } from './config.js';
import type { Sla } from './error-budget.js';
import type { SignalAudit } from './provenance.js';
import type { QueryContext, SignalDef, SignalId, Tiers } from './signals.js';
import type { Flow, Worker } from './topology.js';

/** A signal with the thresholds in force (defaults merged with the user's overrides). */
export interface ResolvedSignal {
  readonly id: SignalId;
  readonly def: SignalDef;
  readonly tiers: Tiers;
  /** Why the signal matters, what a breach means, and where each tier in force comes from. */
  readonly audit: SignalAudit;
}

/** The validated, derived model every builder takes as its only input. */
export interface Model {
  readonly sla: Sla;
  readonly prometheus: Config['prometheus'] & {
    readonly scrapeInterval: Duration;
    readonly evaluationInterval: Duration;
  };
  readonly exporter: Config['exporter'];
  /** What serves the workers' metrics (collector). */
  readonly collector: Config['collector'];
  readonly workers: readonly Worker[];
  readonly flows: readonly Flow[];
  readonly signals: readonly ResolvedSignal[];
  /**
   * The group labels (prometheus.groupLabels, always cluster and job) and their values for this
   * bundle, in the configured order: static labels of every recorded series and alert.
   */
  readonly groupLabels: Readonly<Record<string, string>> & { readonly cluster: string; readonly job: string };
  /** What a signal's query may use besides the flow (signal-def.ts). */
  readonly queryContext: QueryContext;
  readonly output: Omit<Config['output'], 'kubernetes'> & { readonly kubernetes: KubernetesSettings | undefined };
  /** The Connect cluster the flows' connectors run on. */
  readonly connect: ConnectCluster;
  /**
   * Names this cluster's outputs apart from another cluster's in the same Prometheus, Grafana or
   * namespace (`<prefix>-mm2-alerts.rules.yaml`); '' keeps the default names.
   */
  readonly prefix: string;
  /** Labels added to every alert (alerting.extraLabels). */
  readonly alerting: Config['alerting'];
  /** Where the configuration came from, for the headers of generated files. */
  readonly origin: string;
}

export interface ConnectCluster {
  /** Alias of the Kafka cluster the workers are attached to: their producers write there unless overridden. */
  readonly kafkaCluster: string;
  /** The Strimzi resource running the workers, if any. */
  readonly strimzi: StrimziKind | undefined;
}

export function signal(model: Model, id: SignalId): ResolvedSignal {
  const s = model.signals.find((x) => x.id === id);
  if (!s) throw new Error(`unknown signal ${id}`);
  return s;
}

/** Matchers selecting this bundle's own recorded series and alerts (`{cluster="..", job=".."}`). */
export function groupMatchers(model: Model): Record<string, Matcher> {
  return Object.fromEntries(Object.entries(model.groupLabels).map(([k, v]) => [k, eq(v)]));
}

/** The names of the group labels, for `by`, `on` and inhibition `equal` lists. */
export function groupLabelNames(model: Model): string[] {
  return Object.keys(model.groupLabels);
}

/**
 * What a build makes a bundle of: one or several Connect clusters. Per-cluster outputs (rule
 * files, scrape targets, connectors, runbook, Kubernetes objects) are named by each cluster's
 * prefix; the dashboards and the Alertmanager configuration serve all of them and are named by
 * the deployment's prefix. Shared settings (SLA, thresholds, alerting, output) are the same in
 * every cluster's model.
 */
export interface Deployment {
  readonly clusters: readonly [Model, ...Model[]];
  /** Names the shared outputs: '' keeps the default names. */
  readonly prefix: string;
}

/** A single model is a deployment of one cluster, whose outputs all share its prefix. */
export function deploymentOf(input: Model | Deployment): Deployment {
  return 'clusters' in input ? input : { clusters: [input], prefix: input.prefix };
}

/** `<prefix>-<name>`, or the name alone without a prefix. */
export function prefixed(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}-${name}`;
}

import type { Direction } from '../conventions/direction.js';
import type { Duration } from '../conventions/duration.js';
import type { Unit } from '../conventions/units.js';
import type { ConnectorKind, Flow } from './topology.js';

/**
 * A signal is one monitored quantity: its query, unit and direction. Each is declared in the
 * module of its topic (signal-topics/) beside its default tiers, runbook advice and panel; a
 * user's overrides change its tiers. Dashboards, alerts and the audit report all read the same
 * resolved signal.
 */
export type Severity = 'warning' | 'critical';
export const SEVERITIES: readonly Severity[] = ['warning', 'critical'];

export interface Tier {
  readonly threshold: number;
  readonly for: Duration;
}
export type Tiers = Partial<Readonly<Record<Severity, Tier>>>;

/** What a signal's query may use besides the flow. */
export interface QueryContext {
  /** The bundle's group labels (cluster, job) and their values: every raw selector is scoped by them. */
  readonly group: Readonly<Record<string, string>>;
  readonly job: string;
  readonly rateWindow: Duration;
  /** How long a state last reported by a worker that cannot be scraped counts as unknown rather than stopped. */
  readonly statusHold: Duration;
  /** How long a checkpoint task reported by a worker is expected to run (its count follows the consumer groups). */
  readonly taskMemory: Duration;
  /** How long a worker whose exporter answers again still counts as unreachable: it has not rejoined its group yet. */
  readonly startupGrace: Duration;
  readonly scrapeInterval: Duration;
  /** The shortest window a rate may use: 4 scrape intervals (what the rule lint requires). */
  readonly shortWindow: Duration;
}

interface SignalBase {
  readonly title: string;
  /** What the value really measures, with its caveats: shown to reviewers and on panels. */
  readonly meaning: string;
  readonly unit: Unit;
  readonly direction: Direction;
  /** Name of the recording rule that stores the signal (`level:metric:operations`). */
  readonly record: string;
  /** Labels kept by the signal's aggregation besides `flow`; alerts use them to locate the problem. */
  readonly by: readonly string[];
  /** Runbook topic: the key of its advice in its topic module's `advice` (signals diagnosed alike share one). */
  readonly runbook: string;
  /**
   * The connectors each tier's alert is about, for signals with a `connector` label: the
   * connectors that carry the records page, the others warn (topology.ts, CONNECTOR_ROLES). Both
   * tiers may then share a threshold: they never read the same series.
   */
  readonly tierConnectors?: Readonly<Record<Severity, readonly ConnectorKind[]>>;
  /**
   * The value comes from Kafka's windowed statistics, NaN for a partition that saw no record in
   * the window: a topic with a record every few minutes has a value only part of the time, so
   * its alerts read the last value over the rate window (a busy topic's last value is its value
   * now, so a blip ends with the blip).
   */
  readonly sparse?: true;
}
export interface FlowSignalDef extends SignalBase {
  readonly scope: 'flow';
  readonly expr: (flow: Flow, ctx: QueryContext) => string;
}
export interface ClusterSignalDef extends SignalBase {
  readonly scope: 'cluster';
  readonly expr: (ctx: QueryContext) => string;
}
export type SignalDef = FlowSignalDef | ClusterSignalDef;

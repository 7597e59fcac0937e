import type { GroupLabel } from '../metrics/names.js';
import { eq, type Matcher } from '../promql/selector.js';
import type { Config } from './config.js';
import type { Duration } from './duration.js';
import type { Sla } from './sla.js';
import type { ExprContext, SignalDef, SignalId, Tiers } from './signals.js';
import type { Flow, Worker } from './topology.js';

/** A signal with the thresholds in force (defaults merged with the user's overrides). */
export interface ResolvedSignal {
  readonly id: SignalId;
  readonly def: SignalDef;
  readonly tiers: Tiers;
}

/** The validated, derived model every builder takes as its only input. */
export interface Model {
  readonly sla: Sla;
  readonly prometheus: Config['prometheus'] & {
    readonly scrapeInterval: Duration;
    readonly evaluationInterval: Duration;
  };
  readonly exporter: Config['exporter'];
  readonly workers: readonly Worker[];
  readonly flows: readonly Flow[];
  readonly signals: readonly ResolvedSignal[];
  /** Values of GROUP_LABELS for this bundle: static labels of every recorded series and alert. */
  readonly groupLabels: Readonly<Record<GroupLabel, string>>;
  readonly expr: ExprContext;
  readonly output: Config['output'];
  /** Where the configuration came from, for the headers of generated files. */
  readonly origin: string;
}

export function signal(model: Model, id: SignalId): ResolvedSignal {
  const s = model.signals.find((x) => x.id === id);
  if (!s) throw new Error(`unknown signal ${id}`);
  return s;
}

/** Matchers selecting this bundle's own recorded series and alerts (`{cluster="..", job=".."}`). */
export function groupMatchers(model: Model): Record<GroupLabel, Matcher> {
  return Object.fromEntries(Object.entries(model.groupLabels).map(([k, v]) => [k, eq(v)])) as Record<GroupLabel, Matcher>;
}

import { SLO_SERIES } from '../../conventions/names.js';
import type { Queries } from '../../documents/queries.js';
import type { Rule } from '../../documents/rules.js';
import type { Model, ResolvedSignal } from '../../model/model.js';
import type { DeclaredProvenance, Provenance } from '../../model/provenance.js';
import { SEVERITIES, type Severity, type SignalId } from '../../model/signals.js';
import { type PartitionSeries, partitionSeries } from './partition-series.js';
import { type SignalUsage, signalOrigins, signalUsage } from './signal-usage.js';
import { type SliInput, sliInputs } from './slo-numbers.js';

/**
 * What the report and thresholds.json both need, computed once from the model and the
 * generated files: who uses each signal, which tiers' alerts exist, what the SLI counts.
 */
export interface Audit {
  readonly model: Model;
  readonly rules: readonly Rule[];
  readonly usage: ReadonlyMap<SignalId, SignalUsage>;
  /** The SLI's raw conditions, as its outage rule reads them. */
  readonly sliInputs: readonly SliInput[];
  /**
   * For each signal the SLI reads, the SLI's conditions that read it: its own (direct), or the
   * conditions on series built on it (e.g. the stall condition reads the lag).
   */
  readonly sli: ReadonlyMap<SignalId, { readonly direct?: SliInput; readonly via: readonly SignalId[] }>;
  /** Signals with at least one tier that the SLI does not read. */
  readonly late: readonly SignalId[];
  /** The series that grow with the partitions, and what reads each. */
  readonly partitionSeries: readonly PartitionSeries[];
}

export function audit(model: Model, queries: Queries): Audit {
  const { rules } = queries;
  const usage = signalUsage(model, queries);
  const inputs = sliInputs(model, rules);
  // Whatever the SLI's series is computed from, alert states included, is what spends the budget.
  const origins = signalOrigins(model, rules);
  const read = origins.get(SLO_SERIES.unavailable) ?? new Set<SignalId>();
  const sli = new Map<SignalId, { direct?: SliInput; via: SignalId[] }>();
  for (const s of model.signals) {
    if (!read.has(s.id)) continue;
    const direct = inputs.find((i) => i.signal.id === s.id);
    const via = inputs.filter((i) => i.signal.id !== s.id && origins.get(i.signal.def.record)?.has(s.id)).map((i) => i.signal.id);
    sli.set(s.id, { ...(direct ? { direct } : {}), via });
  }
  const late = model.signals.filter((s) => !sli.has(s.id) && SEVERITIES.some((sev) => s.tiers[sev])).map((s) => s.id);
  return { model, rules, usage, sliInputs: inputs, sli, late, partitionSeries: partitionSeries(queries) };
}

/** The alert of a signal's tier: an alert that reads the signal's own series with that severity. */
export function tierAlerts(a: Audit, id: SignalId, severity: Severity): string[] {
  return a.usage
    .get(id)!
    .alerts.filter((x) => x.via.length === 0 && !x.filterOnly && x.labels['severity'] === severity)
    .map((x) => x.name);
}

/** The reasoning the defaults give for a tier in force (for an override: the default it replaced). */
export function declaredOf(p: Provenance): DeclaredProvenance | undefined {
  return p.kind === 'override' ? p.replaces?.provenance : p;
}

export function tiersOf(s: ResolvedSignal): Severity[] {
  return SEVERITIES.filter((sev) => s.tiers[sev]);
}
